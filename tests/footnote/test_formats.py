"""The readers: what a user's HTML, Markdown, reStructuredText, PDF, Word and notebook
files read as."""

from __future__ import annotations

import io
import json
from pathlib import Path

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


def test_html_inline_elements_stay_inside_their_sentence() -> None:
    page = b"""<html><head><title>Rich</title></head><body><main>
    <h1>Rich</h1><!-- a comment -->
    <p>Rich can render <a href="https://example.com/md">Markdown</a> and does a
    <b>reasonable</b> job of <code>translating</code> it.<br>A second line.</p>
    <ul><li>Tables with <em>headers</em></li><li>Progress bars</li></ul>
    <table><tr><th>Name</th><th>Since</th></tr><tr><td>Rich <b>Text</b></td><td>2020</td></tr>
    </table>
    <pre>def hello():
        return "hi"</pre>
    </main></body></html>"""
    text = HtmlReader().read(page).text
    assert text.splitlines() == [
        "Rich",
        "Rich can render Markdown and does a reasonable job of translating it.",
        "A second line.",
        "Tables with headers",
        "Progress bars",
        "Name | Since",
        "Name: Rich Text | Since: 2020",
        "def hello():",
        '        return "hi"',
    ]


def test_markdown_reads_as_rendered_without_its_markup() -> None:
    readme = b"""<p align="center"><a href="https://ci.example.com"><img src="badge.svg"></a></p>

# Ferry timetable

The **harbour ferry** leaves every [twenty minutes](https://example.com/times) from
the north pier, and the last one
sails at midnight.

Install the app:

```sh
$ pip install ferry-times
```

- Tickets at the pier
- Bikes go free
"""
    text = MarkdownReader().read(readme).text
    assert text.splitlines() == [
        "Ferry timetable",
        "The harbour ferry leaves every twenty minutes from the north pier, and the last one "
        "sails at midnight.",
        "Install the app:",
        "$ pip install ferry-times",
        "Tickets at the pier",
        "Bikes go free",
    ]
    sentences = [text[s.start : s.end] for s in sentence_spans(text)]
    assert sentences[1].endswith("sails at midnight.")


def test_sphinx_roles_read_as_the_built_page_shows_them() -> None:
    rst = b"""Ferries
=======

Use :ref:`the timetable <times>` and :py:func:`~ferry.times.next_departure`; see :pep:`8`.

Literal ``:ref:`as written``` stays.
"""
    assert RstReader().read(rst).text.splitlines() == [
        "Ferries",
        "Use the timetable and next_departure; see PEP 8.",
        "Literal :ref:`as written` stays.",
    ]
    myst = b"""(ferries)=
# Ferries

Use {ref}`the timetable <times>` and {func}`~ferry.times.next_departure`[^1].

:::{warning}
:class: dropdown
The {mod}`ferry` module needs **Python 3.11**.
:::

```{toctree}
times
piers
```

```{code-block} python
next_departure("{ref}`x`")
```

[^1]: Times are local.
"""
    assert MarkdownReader().read(myst).text.splitlines() == [
        "Ferries",
        "Use the timetable and next_departure.",
        "The ferry module needs Python 3.11.",
        'next_departure("{ref}`x`")',
        "Times are local.",
    ]


def test_restructuredtexts_bibliographic_fields_are_text_and_a_title_field_titles_it() -> None:
    fields = b""":Author: Jane Doe
:Version: 1.2
:title: Ferry guide

Boats leave at noon.
"""
    assert RstReader().read(fields).text.splitlines() == [
        "Ferry guide",
        "Author: Jane Doe",
        "Version: 1.2",
        "Boats leave at noon.",
    ]
    titled = b"Ferries\n=======\n\n:Date: 2024-05-01\n\nBoats leave at noon.\n"
    assert RstReader().read(titled).text == "Ferries\nDate: 2024-05-01\nBoats leave at noon."


def test_markdown_that_is_not_utf8_is_refused_with_the_reason() -> None:
    with pytest.raises(BadDocument, match="save it as UTF-8"):
        MarkdownReader().read("Caf\xe9".encode("latin-1"))


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_text_saved_by_windows_editors_reads_without_its_byte_order_mark(encoding: str) -> None:
    data = "Ferry notes\nThe ferry leaves at noon, caf\xe9 on board.\n".encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # as Notepad writes them: with a BOM
        data = "\ufeff".encode(encoding) + data
    text = TextReader().read(data).text
    assert text == "Ferry notes\nThe ferry leaves at noon, caf\xe9 on board.\n"


def test_html_chrome_marked_by_its_landmark_role_is_left_out() -> None:
    """Sphinx's themes mark their navigation, sidebar and footer by role, not by element."""
    page = b"""<html><head><title>Ferries</title></head><body>
    <div class="related" role="navigation"><h3>Navigation</h3><a href="/">Ferries docs</a></div>
    <div class="sphinxsidebar" role="navigation"><div role="search">Quick search</div></div>
    <div class="body" role="main"><h1>Ferries</h1><p>They sail daily.</p></div>
    <div class="footer" role="contentinfo">Copyright 2024, the harbour.</div></body></html>"""
    assert HtmlReader().read(page).text == "Ferries\nThey sail daily."


def test_links_to_the_pages_around_a_manuals_page_are_left_out() -> None:
    """GNU's texinfo puts "Next: ..., Up: ... [Index]" above and below every page."""
    page = b"""<html><body><div class="header"><p>Next: <a href="b.html" rel="next">Calls</a>,
    Up: <a href="u.html" rel="up">Using it</a> [<a href="i.html" rel="index">Index</a>]</p></div>
    <h3>2.1 The Basics</h3><p>Read <a href="c.html">the closure API</a> next.</p>
    <p>See <a href="i.html" rel="index">the index</a> for every function this manual names.</p>
    <div class="header"><p>Next: <a href="b.html">Calls</a>, Up: <a href="u.html">Using it</a>
    [<a href="i.html" rel="index">Index</a>]</p></div></body></html>"""
    assert HtmlReader().read(page).text.splitlines() == [
        "2.1 The Basics",
        "Read the closure API next.",
        "See the index for every function this manual names.",
    ]


def test_html_nested_past_any_reason_is_refused_not_a_crash() -> None:
    with pytest.raises(BadDocument, match="nest"):
        HtmlReader().read(b"<main>" + b"<div>" * 5000 + b"deep" + b"</div>" * 5000 + b"</main>")


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


def test_a_word_documents_tables_are_read_in_place_a_row_per_line() -> None:
    document = docx.Document()
    document.add_heading("Orchard report", 1)
    document.add_paragraph("The orchard grows pears and apples.")
    table = document.add_table(rows=3, cols=3)
    rows = [("Fruit", "Trees", "Since"), ("Pear", "40", "1990"), ("Apple", "25", "2001")]
    for number, row in enumerate(rows):
        for column, value in enumerate(row):
            table.cell(number, column).text = value
    table.cell(0, 1).merge(table.cell(0, 2)).text = "Trees planted"
    document.add_paragraph("The cider press is new.")
    buffer = io.BytesIO()
    document.save(buffer)
    assert DocxReader().read(buffer.getvalue()).text.splitlines() == [
        "Orchard report",
        "The orchard grows pears and apples.",
        "Fruit | Trees planted",
        "Pear | 40 | 1990",
        "Apple | 25 | 2001",
        "The cider press is new.",
    ]


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
NOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"


def _with_footnote(document: bytes, note: str) -> bytes:
    """``document`` with footnote 1 (which a run of it must cite) saying ``note``: the part
    Word writes, its relationship and its content type."""
    import zipfile

    notes = (
        f'<w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/>'
        f'</w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>{note}</w:t></w:r></w:p>'
        "</w:footnote></w:footnotes>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(document)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
                )
            elif item.filename == "word/_rels/document.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    f'<Relationship Id="rIdNotes" Type="{NOTES}" Target="footnotes.xml"/>'
                    "</Relationships>".encode(),
                )
            target.writestr(item, data)
        target.writestr("word/footnotes.xml", notes)
    return out.getvalue()


def test_a_word_documents_content_controls_and_footnotes_are_read_in_place() -> None:
    from docx.oxml import parse_xml

    document = docx.Document()
    body = document.element.body
    contents = (  # a table of contents, in the content control Word puts it in
        f"<w:sdt {W}><w:sdtPr><w:docPartObj><w:docPartGallery w:val='Table of Contents'/>"
        "</w:docPartObj></w:sdtPr><w:sdtContent><w:p><w:r><w:t>Contents</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>Orchard report 1</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    body.sectPr.addprevious(parse_xml(contents))  # the section's settings close the body
    cover = (  # a cover page's title, in a content control with one inline inside it
        f"<w:sdt {W}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t xml:space='preserve'>Orchard "
        "</w:t></w:r><w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t>report</w:t></w:r></w:sdtContent>"
        "</w:sdt></w:p></w:sdtContent></w:sdt>"
    )
    body.sectPr.addprevious(parse_xml(cover))
    cited = document.add_paragraph("The orchard grows 40 pear trees.")
    cited._p.append(parse_xml(f"<w:r {W}><w:footnoteReference w:id='1'/></w:r>"))
    document.add_paragraph("The cider press is new.")
    saved = io.BytesIO()
    document.save(saved)

    read = DocxReader().read(_with_footnote(saved.getvalue(), "Counted in May 2024."))
    assert read.text.splitlines() == [
        "Orchard report",
        "The orchard grows 40 pear trees.",
        "Counted in May 2024.",
        "The cider press is new.",
    ]


def test_markdown_front_matter_is_settings_not_text_and_its_title_a_heading() -> None:
    page = (
        b'---\ntitle: "Ferry guide"\ndate: 2024-05-01\ntags: [harbour]\n---\nBoats leave at noon.\n'
    )
    assert MarkdownReader().read(page).text == "Ferry guide\nDate: 2024-05-01\nBoats leave at noon."
    described = b"---\nauthor: 'Jane Doe'\nlayout: post\ndescription: >\n  Folded.\n---\nText.\n"
    assert MarkdownReader().read(described).text == "Author: Jane Doe\nText."
    untitled = b"---\nlayout: post\n---\n# Timetable\nBoats leave at noon.\n"
    assert MarkdownReader().read(untitled).text == "Timetable\nBoats leave at noon."


def test_a_table_row_under_a_heading_row_names_each_cells_column() -> None:
    table = b"""Orchard

| Fruit | Trees | Since |
| --- | --- | --- |
| Pear | 40 | 1990 |
| Apple |  | 2001 |

<table><tr><td>no</td><td>heading</td></tr><tr><td>plain</td><td>row</td></tr></table>
"""
    assert MarkdownReader().read(table).text.splitlines() == [
        "Orchard",
        "Fruit | Trees | Since",
        "Fruit: Pear | Trees: 40 | Since: 1990",
        "Fruit: Apple | Since: 2001",
        "no | heading",
        "plain | row",
    ]


def test_lines_of_a_block_format_are_never_taken_for_a_wrapped_paragraph() -> None:
    """Table rows and list items of like width look like a text wrapped at a column."""
    items = "\n".join(
        f"- ferry {n} leaves the north pier at {n} o'clock for the islands" for n in range(8)
    )
    extracted = MarkdownReader().read(items.encode())
    assert not extracted.wrapped
    spans = sentence_spans(extracted.text, unwrap=extracted.wrapped)
    assert len(spans) == 8 and len(sentence_spans(extracted.text)) < 8


def test_restructuredtext_reads_as_rendered_and_never_reads_the_servers_files(
    tmp_path: Path,
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SERVER SECRET")
    page = f"""Ferry guide
===========

The harbour ferry leaves every twenty minutes from
the north pier, and the last one sails at `midnight <https://example.com/late>`_.

- Tickets at the pier

=====  =====
Boat   Seats
=====  =====
Mara   120
=====  =====

.. include:: {secret}

.. raw:: html

   <b>RAW HTML</b>
"""
    extracted = RstReader().read(page.encode())
    assert extracted.text.splitlines() == [
        "Ferry guide",
        "The harbour ferry leaves every twenty minutes from the north pier, and the last one "
        "sails at midnight.",
        "Tickets at the pier",
        "Boat | Seats",
        "Boat: Mara | Seats: 120",
    ]
    assert not extracted.wrapped


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


def test_inline_code_set_against_a_word_reads_as_a_word_of_its_own() -> None:
    """A reference page puts an entry's name and its signature side by side, spaced by the
    style sheet; code that goes on from a word or after punctuation stays joined."""
    page = (
        b"<p><b class='header'>isEqual</b><code>_.isEqual(object, other)</code> Performs a "
        b"deep comparison.</p><p>HTTP<code>/2</code>, <code>os.path.</code><code>join</code>"
        b" and two <code>pip</code>s.</p>"
    )
    assert HtmlReader().read(page).text == (
        "isEqual _.isEqual(object, other) Performs a deep comparison.\n"
        "HTTP/2, os.path.join and two pips."
    )
