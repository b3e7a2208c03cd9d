"""The readers: what a user's text, PDF and notebook files read as, and the headings every
format that marks them locates."""

from __future__ import annotations

import io
import json

import docx
import pytest
from fpdf import FPDF

from footnote.errors import BadDocument
from footnote.formats import (
    DocxReader,
    Extracted,
    HtmlReader,
    MarkdownReader,
    NotebookReader,
    PdfReader,
    RstReader,
    TextReader,
)
from footnote.sentences import sentence_spans


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_text_saved_by_windows_editors_reads_without_its_byte_order_mark(encoding: str) -> None:
    data = "Ferry notes\nThe ferry leaves at noon, caf\xe9 on board.\n".encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # as Notepad writes them: with a BOM
        data = "\ufeff".encode(encoding) + data
    text = TextReader().read(data).text
    assert text == "Ferry notes\nThe ferry leaves at noon, caf\xe9 on board.\n"


class _Report(FPDF):
    """A PDF with a running head and numbered pages, as reports are printed."""

    def header(self) -> None:
        self.set_font("helvetica", size=9)
        self.cell(0, 8, "Harbour authority - annual report", align="C")
        self.ln(12)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("helvetica", size=9)
        self.cell(0, 8, f"Page {self.page_no()}", align="C")


def test_a_pdf_reads_without_running_heads_and_on_across_its_pages() -> None:
    pdf = _Report()
    pdf.set_font("helvetica", size=12)
    pdf.add_page()
    filler = "The ferries ran to time on most days of the year, and the piers were repaired. "
    pdf.multi_cell(0, 8, filler * 90 + "The new pier cost four million euros to build.")
    extracted = PdfReader().read(bytes(pdf.output()))
    assert len(extracted.pages) == 3  # sentences run on from one page to the next
    text = extracted.text
    assert "Harbour authority" not in text and "Page " not in text
    spans = sentence_spans(text)
    assert any(s.start < page < s.end for s in spans for page in extracted.pages[1:])
    sentences = [" ".join(text[s.start : s.end].split()) for s in spans]
    assert sentences == [filler.strip()] * 90 + ["The new pier cost four million euros to build."]


def _headings(extracted: Extracted) -> list[tuple[int, str]]:
    """Each located heading's level and text, checked against the text it indexes."""
    for heading in extracted.headings:
        assert extracted.text[heading.start :].split("\n")[0] == heading.text
    return [(heading.level, heading.text) for heading in extracted.headings]


def test_headings_are_located_in_every_format_that_marks_them() -> None:
    page = b"""<html><head><title>Ferries</title></head><body><main>
    <h1>Ferries<a class="headerlink" href="#ferries">\xc2\xb6</a></h1><p>They sail daily.</p>
    <h2>Timetable</h2><p>The first leaves at six.<a href="#fn1" id="r1"><sup>1</sup></a></p>
    <h3>Winter</h3><p>Fewer run.</p><ol><li id="fn1">On weekdays.<a href="#r1"
    role="doc-backlink">\xe2\x86\xa9\xef\xb8\x8e</a></li></ol></main></body></html>"""
    html = HtmlReader().read(page)
    assert "\u00b6" not in html.text  # a permalink is page chrome, not the heading's text
    assert html.text.endswith("\nOn weekdays.")  # nor is a footnote's way back
    assert _headings(html) == [(1, "Ferries"), (2, "Timetable"), (3, "Winter")]

    markdown = b"# Ferries\n\nThey sail daily.\n\n## Timetable\n\nThe first leaves at six.\n"
    assert _headings(MarkdownReader().read(markdown)) == [(1, "Ferries"), (2, "Timetable")]

    rst = b"""Ferries
=======

They sail.

Timetable
---------

Winter
~~~~~~

Fewer run.

Fares
-----
"""
    assert _headings(RstReader().read(rst)) == [
        (1, "Ferries"),
        (2, "Timetable"),
        (3, "Winter"),
        (2, "Fares"),
    ]

    document = docx.Document()
    document.add_heading("Ferries", level=0)  # Word's "Title" style
    document.add_paragraph("They sail daily.")
    document.add_heading("Timetable", level=2)
    document.add_paragraph("The first leaves at six.")
    buffer = io.BytesIO()
    document.save(buffer)
    assert _headings(DocxReader().read(buffer.getvalue())) == [(1, "Ferries"), (2, "Timetable")]

    assert TextReader().read(b"# Not a heading\nPlain text marks none.").headings == ()


def test_a_notebook_reads_prose_code_and_the_results_it_printed() -> None:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Rainfall\n", "Yearly *totals*."]},
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": 1,
            "source": ["df = load()\n", "print(df.total.max())"],
            "outputs": [
                {"output_type": "stream", "name": "stdout", "text": ["2250\n"]},
                {
                    "output_type": "execute_result",
                    "execution_count": 1,
                    "metadata": {},
                    "data": {
                        "text/plain": ["  station  total\n", "0  Bergen   2250"],
                        "text/html": [
                            "<div><style scoped>.x{}</style><table><thead><tr><th></th>",
                            "<th>station</th><th>total</th></tr></thead><tbody><tr><th>0</th>",
                            "<td>Bergen</td><td>2250</td></tr></tbody></table></div>",
                        ],
                    },
                },
                {"output_type": "display_data", "metadata": {}, "data": {"image/png": "iVBO"}},
            ],
        },
    ]
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}
    read = NotebookReader().read(json.dumps(notebook).encode())
    assert read.text == (
        "Rainfall\nYearly totals.\ndf = load()\nprint(df.total.max())\n2250\n"
        "station | total\n0 | station: Bergen | total: 2250"  # a table, not its text form
    )
    assert [(h.level, h.text) for h in read.headings] == [(1, "Rainfall")]
    with pytest.raises(BadDocument, match="not a Jupyter notebook"):
        NotebookReader().read(b'{"worksheets": []}')
