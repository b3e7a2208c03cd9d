"""PowerPoint decks (``.pptx``, Office Open XML): slide after slide, each a page."""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from footnote.formats.base import Extracted, Package, Reader, joined_lines, table_lines, tidy, xml

if TYPE_CHECKING:
    from lxml.etree import _Element

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
NOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesSlide"
TITLES = {"title", "ctrTitle"}
# placeholders that repeat on every slide or page of notes, not its text
CHROME = {"sldNum", "dt", "ftr", "hdr", "sldImg"}


class PptxReader(Reader):
    """A deck's slides in the order they are shown, each a page (so a citation names its
    slide): the title as a heading, then every text box and table in the order they were
    placed, a paragraph a line and a table row a line (each cell naming its column under a
    header row), then the speaker notes, where a deck often says in sentences what its
    slide says in fragments. Slide numbers, dates and footers are left out."""

    suffixes = (".pptx",)
    format = "pptx"

    def read(self, data: bytes) -> Extracted:
        package = Package(data, "PowerPoint")
        presentation = xml(package.read("ppt/presentation.xml"), "PowerPoint")
        slides = {key: path for key, _, path in _links(package, "ppt/presentation.xml")}
        lines: list[tuple[str, int]] = []
        starts = []
        for slide in presentation.iter(f"{P}sldId"):
            path = slides.get(slide.get(f"{R}id") or "")
            if path is None:
                continue
            starts.append(len(lines))
            lines.extend(_text(xml(package.read(path), "PowerPoint")))
            for _, kind, notes in _links(package, path):
                if kind == NOTES:
                    lines.extend(_text(xml(package.read(notes), "PowerPoint")))
        return joined_lines(lines, page_starts=starts)


def _links(package: Package, path: str) -> list[tuple[str, str, str]]:
    """What a part of the package links to: each link's id, type and the linked part's path."""
    folder, name = posixpath.split(path)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels not in package.names():
        return []
    return [
        (
            link.get("Id") or "",
            link.get("Type") or "",
            posixpath.normpath(posixpath.join(folder, link.get("Target") or "")),
        )
        for link in xml(package.read(rels), "PowerPoint").iter(f"{RELATIONSHIPS}Relationship")
        if link.get("TargetMode") != "External"
    ]


def _text(slide: _Element) -> list[tuple[str, int]]:
    """A slide's (or a notes page's) text boxes and tables, in the order they were placed:
    a line per paragraph and per table row, the title a heading."""
    lines: list[tuple[str, int]] = []
    for shape in slide.iter(f"{P}sp", f"{A}tbl"):
        if shape.tag == f"{A}tbl":
            properties = shape.find(f"{A}tblPr")
            first = properties is not None and properties.get("firstRow") == "1"
            rows = (
                ([_words(cell) for cell in row.iter(f"{A}tc")], first and number == 0)
                for number, row in enumerate(shape.iter(f"{A}tr"))
            )
            lines.extend((line, 0) for line in table_lines(rows))
            continue
        placeholder = shape.find(f"{P}nvSpPr/{P}nvPr/{P}ph")
        kind = placeholder.get("type", "") if placeholder is not None else ""
        if kind in CHROME:
            continue
        level = int(kind in TITLES)
        lines.extend((text, level) for p in shape.iter(f"{A}p") for text in tidy([_words(p)]))
    return lines


def _words(element: _Element) -> str:
    """The text under ``element``: its runs, a line break as a space."""
    return "".join(
        " " if node.tag == f"{A}br" else node.text or "" for node in element.iter(f"{A}t", f"{A}br")
    )
