"""Word documents (python-docx): paragraphs and tables in order, heading styles as headings,
the text of content controls, and footnotes and endnotes after the paragraph that cites them."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from footnote.errors import BadDocument
from footnote.formats.base import Extracted, Reader, joined_lines, raised, tidy_levelled

logger = logging.getLogger(__name__)

if TYPE_CHECKING:  # python-docx is imported when a Word file is read, not by every worker
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph


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
        _open_content_controls(document.element.body)
        notes = _notes(document)
        lines: list[tuple[str, int]] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    lines.append((_row(row.cells), 0))
                    lines.extend((line, 0) for line in _cited(row._tr, notes))
            elif not CONTENTS_STYLE.match(style := block.style.name if block.style else ""):
                lines.append((_text(block), _heading_level(style)))
                lines.extend((line, 0) for line in _cited(block._p, notes))
        return joined_lines(tidy_levelled(lines))


def _text(paragraph: Paragraph) -> str:
    """A paragraph's text, its superscripts raised as an HTML page's are ("2^7", "m^2")."""
    from docx.text.hyperlink import Hyperlink

    text = ""
    for item in paragraph.iter_inner_content():
        for run in item.runs if isinstance(item, Hyperlink) else [item]:
            up = raised(text, run.text) if run.font.superscript else None
            text = text.rstrip() + up if up else text + run.text
    return text


# A content control (Word's w:sdt: a template's fields, a cover page's title, a form's
# answers) holds ordinary paragraphs, tables and runs that python-docx does not look inside;
# the one holding a table of contents is left out with it.
_CONTENTS_CONTROL = "Table of Contents"


def _open_content_controls(body: Any) -> None:
    """Each content control in ``body`` (the parsed document, read and never saved) replaced
    by its content, innermost first, so its text reads as the text around it does."""
    from docx.oxml.ns import qn

    path = "/".join(qn(tag) for tag in ("w:sdtPr", "w:docPartObj", "w:docPartGallery"))
    for control in reversed(body.xpath(".//w:sdt")):
        parent = control.getparent()
        gallery = [found.get(qn("w:val")) for found in control.findall(path)]
        content = control.find(qn("w:sdtContent"))
        if content is not None and _CONTENTS_CONTROL not in gallery:
            for child in list(content):
                control.addprevious(child)
        parent.remove(control)


def _cited(element: Any, notes: dict[tuple[str, str], list[str]]) -> list[str]:
    """The lines of the notes ``element`` (a paragraph's or a table row's XML, which
    python-docx keeps as ``_p`` and ``_tr``) cites, in the order it cites them."""
    from docx.oxml.ns import qn

    kinds = {qn("w:footnoteReference"): "footnote", qn("w:endnoteReference"): "endnote"}
    return [
        line
        for mark in element.iter(*kinds)
        for line in notes.get((kinds[mark.tag], mark.get(qn("w:id"))), [])
    ]


def _notes(document: Any) -> dict[tuple[str, str], list[str]]:
    """The text of each footnote and endnote, a paragraph a line, by (kind, id): a report's
    caveats and sources are often only there. The separators Word keeps among them are not
    notes."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from lxml.etree import XMLSyntaxError

    notes: dict[tuple[str, str], list[str]] = {}
    for kind, reltype in (("footnote", RT.FOOTNOTES), ("endnote", RT.ENDNOTES)):
        for relation in document.part.rels.values():
            if relation.reltype != reltype or relation.is_external:
                continue
            try:
                part = parse_xml(relation.target_part.blob)
            except XMLSyntaxError as error:  # the text is still worth reading without them
                logger.warning("a .docx file's %ss cannot be read (%s)", kind, error)
                continue
            for note in part.iterchildren(qn(f"w:{kind}")):
                if note.get(qn("w:type"), "normal") == "normal":
                    paragraphs = note.iter(qn("w:p"))
                    text = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in paragraphs]
                    notes[(kind, note.get(qn("w:id")))] = text
    return notes


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
