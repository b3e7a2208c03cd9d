"""The order a page's text is read in, from where OCR found it: column by column, block by
block, line by line."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    """Where the model found a run of text on the page, in pixels, and what it read there."""

    left: float
    right: float
    top: float
    bottom: float
    text: str

    def across(self) -> tuple[float, float]:
        return self.left, self.right

    def down(self) -> tuple[float, float]:
        return self.top, self.bottom


# How wide a band free of text must be, in lines' heights, to part the page there: a gutter
# between columns is about a letter's height or more, the space between blocks above one
# another as much; the spaces between a line's words and between a paragraph's lines are
# about a third of it (measured on the tests' scans).
PARTING = 1.0
COLUMN_LINE = 20  # characters: a column's median line is prose this long; a table's cell less


def _blocks(boxes: list[Box]) -> list[list[Box]]:
    """The page in reading order, a block of lines at a time: cut recursively where a band
    free of text runs down the page between columns of prose (left column first) or across
    it between blocks (top first), the XY-cut of page-layout analysis. Columns are tried
    first: in a two-column page the space between lines runs across both columns. A table's
    columns are not prose (:data:`COLUMN_LINE`), so its rows read across, a row a line."""
    if len(boxes) < 2:
        return [boxes]
    height = statistics.median(box.bottom - box.top for box in boxes)
    columns = _parted(boxes, Box.across, PARTING * height)
    if len(columns) > 1 and all(_prose(column) for column in columns):
        return [block for column in columns for block in _blocks(column)]
    rows = _parted(boxes, Box.down, PARTING * height)
    if len(rows) > 1:
        return [block for row in rows for block in _blocks(row)]
    return [boxes]


def _parted(
    boxes: list[Box], extent: Callable[[Box], tuple[float, float]], gap: float
) -> list[list[Box]]:
    """``boxes`` in groups, in order along ``extent``, where a band ``gap`` wide crosses none."""
    ordered = sorted(boxes, key=extent)
    groups = [[ordered[0]]]
    end = extent(ordered[0])[1]
    for box in ordered[1:]:
        start, stop = extent(box)
        if start - end >= gap:
            groups.append([])
        groups[-1].append(box)
        end = max(end, stop)
    return groups


def _prose(column: list[Box]) -> bool:
    """Whether these boxes are lines of a column of text rather than cells of a table."""
    return len(column) >= 3 and statistics.median(len(box.text) for box in column) >= COLUMN_LINE


def _block_lines(block: list[Box]) -> list[str]:
    lines: list[list[Box]] = []
    middle = height = 0.0
    for box in sorted(block, key=lambda b: (b.top + b.bottom) / 2):
        centre = (box.top + box.bottom) / 2
        if lines and abs(centre - middle) <= height / 2:
            lines[-1].append(box)
        else:
            lines.append([box])
            middle, height = centre, box.bottom - box.top
    return [" ".join(b.text for b in sorted(line, key=Box.across)).strip() for line in lines]


def reading_order(boxes: list[Box]) -> list[str]:
    """A page's text a line each, in reading order: block by block (:func:`_blocks`), and in
    a block top to bottom, boxes side by side on one line (their middles within half a
    line's height) joined left to right."""
    return [line for block in _blocks(boxes) for line in _block_lines(block)]
