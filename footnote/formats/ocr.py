"""Text read from pictures of pages: a scanned PDF has no text layer, only an image a page.

The page is rendered by pdfium (pypdfium2) and read by RapidOCR: PaddleOCR's PP-OCRv4
detection and recognition models in ONNX, inside its PyPI package, run by onnxruntime on the
CPU. Nothing is downloaded. Reading takes seconds a page on two cores, so only pages with no
text layer and an image on them are read, and a document's pages are kept, by the hash of
its bytes, for the next request of its text (``GET /sources/{name}`` reads a file again).
"""

from __future__ import annotations

import hashlib
import logging
import statistics
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from footnote.errors import BadDocument

logger = logging.getLogger(__name__)

DPI = 200  # enough for 10-point type; reading time grows with the pixels
KEPT_DOCUMENTS = 16
_LOCK = threading.Lock()  # one page at a time (the models use every core), and the cache
_read: OrderedDict[tuple[str, int], list[str]] = OrderedDict()


@lru_cache(maxsize=1)
def _engine() -> Any:
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def scanned_pages(data: bytes, pages: list[int]) -> dict[int, list[str]]:
    """The lines read from each of ``pages`` (indexes) of the PDF ``data`` that holds an
    image; a page without one is a blank page, not a scan, and is not read."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    key = hashlib.sha256(data).hexdigest()
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise BadDocument(f"not a readable PDF ({error})") from None
    found: dict[int, list[str]] = {}
    started, read = time.perf_counter(), 0
    with _LOCK:
        try:
            for index in pages:
                if (key, index) in _read:
                    found[index] = _read[(key, index)]
                    continue
                page = document[index]
                kinds = {thing.type for thing in page.get_objects(max_depth=2)}
                if pdfium_c.FPDF_PAGEOBJ_IMAGE in kinds:
                    image = page.render(scale=DPI / 72).to_pil().convert("RGB")
                    found[index] = _remember(key, index, _lines(image))
                    read += 1
        finally:
            document.close()
    if read:
        took = time.perf_counter() - started
        logger.info("read %d scanned page(s) by OCR in %.1f s", read, took)
    return found


def _remember(key: str, index: int, lines: list[str]) -> list[str]:
    _read[(key, index)] = lines
    documents = list(dict.fromkeys(k for k, _ in _read))
    for old in documents[:-KEPT_DOCUMENTS]:
        for page_key in [k for k in _read if k[0] == old]:
            del _read[page_key]
    return lines


def _lines(image: Any) -> list[str]:
    """A page's text a line each, in reading order: block by block (:func:`_blocks`), and in
    a block top to bottom, boxes side by side on one line (their middles within half a
    line's height) joined left to right."""
    # pages are scanned upright: the model that turns upside-down lines over turned some
    # upright lines of a plain page over, which then read as noise
    result, _ = _engine()(image, use_cls=False, return_word_box=True)
    boxes = []
    for corners, text, _score, *letters in result or []:
        xs, ys = [point[0] for point in corners], [point[1] for point in corners]
        spaced = _spaced(text, *letters[:2]) if len(letters) >= 2 else text
        boxes.append(Box(min(xs), max(xs), min(ys), max(ys), spaced))
    return [line for block in _blocks(boxes) for line in _block_lines(block)]


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


# The recognition model, trained mostly on Chinese, often drops the spaces of an English line
# ("The lighthouseonSkarvholmenwasbuilt"). A line whose words run this long on average has
# lost some; the gaps between its letters' boxes put them back where a gap is this wide
# against a letter's. Measured on 48 scans of two texts (Helvetica, Times and Courier at 9 to
# 14 points, scanned at 150 and 300 dpi, as the tests' scanned() makes them): a page's text
# matched its source 0.978 on average as read and 0.992 so mended, and none read worse. A
# gap of half a letter mended more (0.993) but split "auto m ated" in the tests' own scan.
RUN_ON_WORD = 8  # characters a word, on average
SPACE_GAP = 0.65  # of the median letter's width


def _spaced(text: str, boxes: list[Any], letters: list[str]) -> str:
    """``text`` with the spaces the model dropped put back, when it seems to have dropped
    some (see :data:`RUN_ON_WORD`)."""
    words = text.split()
    if not words or sum(map(len, words)) / len(words) <= RUN_ON_WORD or len(boxes) != len(letters):
        return text
    pairs = zip(boxes, letters, strict=True)
    widths = sorted(box[1][0] - box[0][0] for box, letter in pairs if letter != " ")
    width = widths[len(widths) // 2] if widths else 0
    out = []
    for i, letter in enumerate(letters):
        gap = boxes[i][0][0] - boxes[i - 1][1][0] if i else 0
        if i and " " not in (letter, letters[i - 1]) and gap > SPACE_GAP * width:
            out.append(" ")
        out.append(letter)
    return "".join(out)
