"""OpenDocument (LibreOffice, and what Google Docs and others export): text (``.odt``),
presentations (``.odp``) and spreadsheets (``.ods``), read from their ``content.xml`` by lxml.
Headings name sections; tables read a row per line, each cell naming its column under the
header row, as a table in any other format reads."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from footnote.formats.base import (
    Extracted,
    Package,
    Reader,
    joined_lines,
    table_lines,
    tidy_levelled,
    xml,
)
from footnote.formats.spreadsheets import sheet_lines

if TYPE_CHECKING:
    from lxml.etree import _Element

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
# inside a paragraph: what is not read where it stands (a footnote's text would cut its
# sentence in two; tracked deletions are not the text), and what stands for a space
_SET_ASIDE = {f"{TEXT}note", f"{TEXT}tracked-changes", f"{OFFICE}annotation"}
# generated indexes, a table of contents first: where things are, not what they say
_INDEXES = {
    f"{TEXT}{name}"
    for name in (
        "table-of-content",
        "alphabetical-index",
        "illustration-index",
        "table-index",
        "object-index",
        "user-index",
    )
}
_SPACES = {f"{TEXT}s", f"{TEXT}tab", f"{TEXT}line-break"}  # runs of spaces read as one


class OdtReader(Reader):
    """An OpenDocument text (``.odt``): headings (``text:h``, by their outline level) and
    the Title paragraph as headings, paragraphs and list items a line each, tables a row per
    line with each cell naming its column under the table's header rows. A footnote's text
    follows the paragraph that cites it; a table of contents and other indexes are left out."""

    suffixes = (".odt",)
    format = "odt"

    def read(self, data: bytes) -> Extracted:
        root = _content(data)
        lines: list[tuple[str, int]] = []
        for body in root.iter(f"{OFFICE}text"):
            _blocks(body, lines)
        return joined_lines(tidy_levelled(lines))


def _content(data: bytes) -> _Element:
    """An OpenDocument file's ``content.xml``, where its text, slides or sheets are."""
    root: _Element = xml(Package(data, "OpenDocument").read("content.xml"), "OpenDocument")
    return root


def _blocks(element: _Element, lines: list[tuple[str, int]]) -> None:
    """Each paragraph, heading and table row under ``element``, in order, into ``lines``."""
    for child in element:
        if child.tag in (f"{TEXT}h", f"{TEXT}p"):
            notes: list[tuple[str, int]] = []
            lines.append((_inline(child, notes), _level(child)))
            lines.extend(notes)
        elif child.tag == f"{TABLE}table":
            rows = (
                (
                    [_cell(cell) for cell in row.iter(f"{TABLE}table-cell")],
                    row.getparent().tag == f"{TABLE}table-header-rows",
                )
                for row in child.iter(f"{TABLE}table-row")
            )
            lines.extend((line, 0) for line in table_lines(rows))
        elif child.tag not in _SET_ASIDE | _INDEXES:
            _blocks(child, lines)  # lists, sections, frames: the paragraphs inside


def _inline(element: _Element, notes: list[tuple[str, int]]) -> str:
    """A paragraph's text as it reads: spaces (``text:s``), tabs and line breaks as a space;
    each footnote's paragraphs go to ``notes`` instead."""
    parts = [element.text or ""]
    for child in element:
        if child.tag in _SPACES:
            parts.append(" ")
        elif child.tag == f"{TEXT}note":
            for body in child.iter(f"{TEXT}note-body"):
                _blocks(body, notes)
        elif child.tag not in _SET_ASIDE:
            parts.append(_inline(child, notes))
        parts.append(child.tail or "")
    return "".join(parts)


def _level(block: _Element) -> int:
    """A heading's level (``text:h``, its outline level, 1 when unreadable); 1 for the Title
    paragraph, 0 for any other paragraph."""
    if block.tag == f"{TEXT}p":
        return int(block.get(f"{TEXT}style-name") == "Title")
    level = block.get(f"{TEXT}outline-level") or "1"
    return min(int(level), 10) if level.isdigit() and level != "0" else 1


def _cell(cell: _Element) -> str:
    return " ".join(" ".join(_inline(p, []) for p in cell.iter(f"{TEXT}p")).split())


DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
PRESENTATION = "{urn:oasis:names:tc:opendocument:xmlns:presentation:1.0}"


class OdpReader(Reader):
    """An OpenDocument presentation (``.odp``, LibreOffice Impress): a page per slide in the
    order shown, its title a heading, then its text boxes, lists and tables, then its speaker
    notes, as a PowerPoint deck reads."""

    suffixes = (".odp",)
    format = "odp"

    def read(self, data: bytes) -> Extracted:
        root = _content(data)
        lines: list[tuple[str, int]] = []
        starts = []
        for slide in root.iter(f"{DRAW}page"):
            starts.append(len(lines))
            for part in slide:
                found: list[tuple[str, int]] = []
                _blocks(part, found)
                title = part.get(f"{PRESENTATION}class") == "title"
                lines.extend((line, 1 if title else level) for line, level in tidy_levelled(found))
        return joined_lines(lines, page_starts=starts)


# A sheet's empty rows and columns are written once with a count ("repeated 1048560 times"
# to the sheet's end); a filled row or cell repeated is read this many times at most, and a
# row this many cells wide at most (Excel's own sheets end at 16,384 columns; a file made to
# expand past memory is cut short instead).
MAX_REPEATED = 1000
MAX_COLUMNS = 1024


class OdsReader(Reader):
    """An OpenDocument spreadsheet (``.ods``, LibreOffice Calc): each sheet under its name as
    a heading, then its rows as an Excel sheet's read. A cell reads as LibreOffice shows it
    ("12%", "1,250.00"), a date as ISO 8601 ("2024-03-01")."""

    suffixes = (".ods",)
    format = "ods"

    def read(self, data: bytes) -> Extracted:
        root = _content(data)
        lines: list[tuple[str, int]] = []
        for body in root.iter(f"{OFFICE}spreadsheet"):
            for sheet in body.iterchildren(f"{TABLE}table"):
                lines.append((" ".join((sheet.get(f"{TABLE}name") or "").split()), 1))
                lines.extend((line, 0) for line in sheet_lines(_sheet_rows(sheet)))
        return joined_lines(lines)


def _sheet_rows(sheet: _Element) -> Iterator[list[str]]:
    """A sheet's rows, filled ones as often as they are repeated (up to MAX_REPEATED), each
    at most MAX_COLUMNS wide."""
    for row in sheet.iter(f"{TABLE}table-row"):
        cells: list[str] = []
        for cell in row:
            if cell.tag in (f"{TABLE}table-cell", f"{TABLE}covered-table-cell"):
                room = MAX_COLUMNS - len(cells)
                cells.extend([_sheet_cell(cell)] * min(_repeated(cell, "columns"), room))
        if any(cells):
            yield from [cells] * _repeated(row, "rows")


def _repeated(element: _Element, what: str) -> int:
    count = element.get(f"{TABLE}number-{what}-repeated") or "1"
    return min(int(count), MAX_REPEATED) if count.isdigit() else 1


def _sheet_cell(cell: _Element) -> str:
    """A spreadsheet cell as shown, a date as ISO 8601."""
    if cell.get(f"{OFFICE}value-type") == "date":
        value = cell.get(f"{OFFICE}date-value") or ""
        return value.removesuffix("T00:00:00")
    return _cell(cell)
