"""Jupyter notebooks (``.ipynb``): prose cells as Markdown reads, code line for line, and the
text and tables a run printed."""

from __future__ import annotations

import json
from typing import Any

from footnote.errors import BadDocument
from footnote.formats.base import Extracted, Reader, joined_lines, utf8
from footnote.formats.markdown import MarkdownReader
from footnote.formats.markup import HtmlReader


class NotebookReader(Reader):
    """A notebook's cells in order: Markdown cells rendered (their headings name sections),
    code cells a line per line, then each cell's saved output, where a notebook's results
    are: printed text, a result's plain text, or its HTML (a pandas table reads a row per
    line, each cell naming its column). Images and widgets are left out."""

    suffixes = (".ipynb",)
    format = "notebook"

    def read(self, data: bytes) -> Extracted:
        try:
            notebook = json.loads(utf8(data))
            cells = notebook["cells"]
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise BadDocument(f"not a Jupyter notebook ({error})") from None
        lines: list[tuple[str, int]] = []
        for cell in cells if isinstance(cells, list) else []:
            if not isinstance(cell, dict):
                continue
            source = _text(cell.get("source"))
            if cell.get("cell_type") == "markdown":
                markdown = MarkdownReader().read(source.encode("utf-8"))
                lines.extend(_levelled(markdown))
            elif cell.get("cell_type") == "code":
                lines.extend((line, 0) for line in source.splitlines() if line.strip())
                for output in cell.get("outputs") or []:
                    lines.extend((line, 0) for line in _output(output) if line.strip())
        return joined_lines(lines)


def _text(value: Any) -> str:
    """A notebook string: one string, or a list of lines as nbformat saves them."""
    if isinstance(value, list):
        return "".join(str(line) for line in value)
    return value if isinstance(value, str) else ""


def _output(output: Any) -> list[str]:
    if not isinstance(output, dict):
        return []
    if output.get("output_type") == "stream":
        return _text(output.get("text")).splitlines()
    bundle = output.get("data") or {}
    if not isinstance(bundle, dict):
        return []
    if "text/html" in bundle:
        page = HtmlReader().read(_text(bundle["text/html"]).encode("utf-8"))
        return page.text.splitlines()
    return _text(bundle.get("text/plain")).splitlines()


def _levelled(read: Extracted) -> list[tuple[str, int]]:
    """A rendered cell's lines with the heading level of those that are headings."""
    levels = {heading.start: heading.level for heading in read.headings}
    lines, start = [], 0
    for line in read.text.split("\n"):
        lines.append((line, levels.get(start, 0)))
        start += len(line) + 1
    return [(line, level) for line, level in lines if line.strip()]
