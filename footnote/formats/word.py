"""Word documents (python-docx): paragraphs and tables in order, heading styles as headings."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from footnote.errors import BadDocument
from footnote.formats.base import Extracted, Reader, joined_lines, tidy_levelled

if TYPE_CHECKING:  # python-docx is imported when a Word file is read, not by every worker
    from docx.table import _Cell


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
        return joined_lines(tidy_levelled(lines))


def _heading_level(style: str | None) -> int:
    """Word's built-in heading styles: "Title" and "Heading 1" to "Heading 9"."""
    if style == "Title":
        return 1
    found = re.fullmatch(r"Heading ([1-9])", style or "")
    return int(found.group(1)) if found else 0


def _row(cells: Sequence[_Cell]) -> str:
    """A table row's text; a merged cell, which python-docx lists once per column it spans,
    once."""
    unique = list({id(cell._tc): cell for cell in cells}.values())
    return " | ".join(" ".join(cell.text.split()) for cell in unique if cell.text.strip())
