"""Word-processor documents: Word (python-docx) and OpenDocument text (LibreOffice, Google
Docs' .odt export): paragraphs and tables in order, heading styles as headings."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from footnote.errors import BadDocument
from footnote.formats.base import Extracted, Package, Reader, joined_lines, table_lines, tidy, xml

if TYPE_CHECKING:  # python-docx is imported when a Word file is read, not by every worker
    from docx.table import _Cell
    from lxml.etree import _Element


# A generated table of contents or index: where each heading is, not what it says ("Traffic
# 3"). Word's styles "TOC 1" to "TOC 9" and "Index 1"..., LibreOffice's "Contents 1"...
CONTENTS_STYLE = re.compile(r"(?i)(?:toc|contents|index) \d$")


class DocxReader(Reader):
    """A Word document's body in order: its paragraphs, and its tables a row per line with
    the cells between " | " (as HTML tables read), where a figure often is only there. The
    entries of a table of contents or an index are left out."""

    suffixes = (".docx",)
    format = "docx"

    def read(self, data: bytes) -> Extracted:
        import io
        import zipfile

        from docx import Document
        from docx.table import Table

        try:
            document = Document(io.BytesIO(data))
        except (zipfile.BadZipFile, KeyError, ValueError) as error:
            raise BadDocument(f"not a readable .docx file ({error})") from None
        lines: list[tuple[str, int]] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend((_row(row.cells), 0) for row in block.rows)
            elif not CONTENTS_STYLE.match(style := block.style.name if block.style else ""):
                lines.append((block.text, _heading_level(style)))
        return joined_lines(_tidy_levelled(lines))


def _heading_level(style: str | None) -> int:
    """Word's built-in heading styles: "Title" and "Heading 1" to "Heading 9"."""
    if style == "Title":
        return 1
    found = re.fullmatch(r"Heading ([1-9])", style or "")
    return int(found.group(1)) if found else 0


def _tidy_levelled(lines: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """:func:`_tidy` for lines that carry their heading level."""
    return [(tidied, level) for line, level in lines for tidied in tidy([line])]


def _row(cells: Sequence[_Cell]) -> str:
    """A table row's text; a merged cell, which python-docx lists once per column it spans,
    once."""
    unique = list({id(cell._tc): cell for cell in cells}.values())
    return " | ".join(" ".join(cell.text.split()) for cell in unique if cell.text.strip())


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
        root = xml(Package(data, "OpenDocument").read("content.xml"), "OpenDocument")
        lines: list[tuple[str, int]] = []
        for body in root.iter(f"{OFFICE}text"):
            _blocks(body, lines)
        return joined_lines(_tidy_levelled(lines))


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
