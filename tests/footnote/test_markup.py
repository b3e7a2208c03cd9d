"""HTML, Markdown and reStructuredText: what a page or a README reads as, its markup and
chrome left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from footnote.errors import BadDocument
from footnote.formats import HtmlReader, MarkdownReader, RstReader
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


def test_a_permalink_showing_only_a_glyph_is_left_out_whatever_its_class() -> None:
    """rustdoc puts "§" before each heading, Docusaurus "#" after; a note's mark stays."""
    page = b"""<h2 id="use"><a class="anchor" href="#use">\xc2\xa7</a>Use a Vec when:</h2>
    <h2 id="sets">Sets<a class="hash-link" href="#sets">#</a></h2>
    <p>A stack<a href="#fn-1">[1]</a> or <a href="#sets">sets</a>.
    <a href="#top">\xe2\x86\x91</a></p>"""
    reading = HtmlReader().read(page)
    assert reading.text.splitlines() == ["Use a Vec when:", "Sets", "A stack[1] or sets."]
    assert [heading.text for heading in reading.headings] == ["Use a Vec when:", "Sets"]


def test_a_pages_own_table_of_contents_is_left_out_in_every_markup() -> None:
    """npm's pages, many READMEs and reStructuredText's ``contents`` directive open with a
    list of links to the page's own headings, read before as a heading per line."""
    page = b"""<h1>npm-ci</h1><h2>Table of contents</h2><ul><li><a href="#synopsis">Synopsis</a>
    </li><ul><li><a href="#omit"><code>omit</code></a></li></ul></ul><h2 id="synopsis">Synopsis
    </h2><ul><li><a href="#omit">omit</a> leaves out dev dependencies</li></ul>"""
    assert HtmlReader().read(page).text.splitlines() == [
        "npm-ci",
        "Table of contents",
        "Synopsis",
        "omit leaves out dev dependencies",
    ]
    readme = b"# Tool\n\n- [Install](#install)\n  - [Flags](#flags)\n\n## Install\n\nRun pip.\n"
    assert MarkdownReader().read(readme).text == "Tool\nInstall\nRun pip."
    rst = b"Tool\n====\n\n.. contents::\n\nInstall\n-------\n\nRun pip.\n"
    assert RstReader().read(rst).text == "Tool\nContents\nInstall\nRun pip."


def test_buttons_in_code_or_beside_a_headings_words_are_left_out() -> None:
    """Node.js's "copy" in each code block, rustdoc's "Copy item path" in its title; an
    accordion's question, a heading that is all button, stays."""
    page = b"""<h1>Module collections<button id="copy-path">Copy item path</button></h1>
    <pre><code>path.basename('a/b.html');</code> <button class="copy-button">copy</button></pre>
    <h2><button class="accordion-button">Can I cancel?</button></h2><p>Yes, any time.</p>"""
    assert HtmlReader().read(page).text.splitlines() == [
        "Module collections",
        "path.basename('a/b.html');",
        "Can I cancel?",
        "Yes, any time.",
    ]


def test_two_listings_in_one_preformatted_block_are_two_listings() -> None:
    """Node.js's pages hold each example twice in one ``<pre>``, a script showing one."""
    page = b"""<pre><input type="checkbox"><code class="cjs">const p = require('p');</code><code
    class="mjs">import p from 'p';</code></pre><pre><code>a = 1</code> or <code>b</code></pre>"""
    assert HtmlReader().read(page).text.splitlines() == [
        "const p = require('p');",
        "import p from 'p';",
        "a = 1 or b",
    ]


def test_a_github_alert_reads_as_its_title_and_its_text() -> None:
    readme = b"# Tool\n\n> [!IMPORTANT]\n> Python 3.12 needs v10.\n\n> [!tip] not an alert\n"
    assert MarkdownReader().read(readme).text.splitlines() == [
        "Tool",
        "Important: Python 3.12 needs v10.",
        "[!tip] not an alert",
    ]


def test_a_docbook_manuals_navigation_tables_are_left_out() -> None:
    """DocBook's stylesheets put a table of links to the pages around each page above and
    below it, marked by its summary (Valgrind's manual, PostgreSQL's)."""
    page = b"""<table summary="Navigation header"><tr><td><a accesskey="p" href="a.html">Prev</a>
    </td><th>The Quick Start Guide</th></tr></table><h1>The Quick Start Guide</h1>
    <p>Memcheck finds leaks.</p><table summary="Navigation footer"><tr><td><a accesskey="u"
    href="a.html">Up</a></td><td><a href="index.html">Home</a></td></tr></table>"""
    assert HtmlReader().read(page).text == "The Quick Start Guide\nMemcheck finds leaks."


def test_html_nested_past_any_reason_is_refused_not_a_crash() -> None:
    with pytest.raises(BadDocument, match="nest"):
        HtmlReader().read(b"<main>" + b"<div>" * 5000 + b"deep" + b"</div>" * 5000 + b"</main>")


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


def test_a_superscript_reads_raised_with_a_caret_not_as_digits_run_together() -> None:
    """Read flat, "2<sup>7</sup>" is 27: the Rust book's "−(2<sup>7</sup>) to 2<sup>7</sup> − 1,
    which equals −128 to 127" had said "−(27) to 27 − 1"."""
    page = (
        "<p>An i8 stores −(2<sup>n − 1</sup>) to 2<sup>7</sup> − 1, 10<sup>-3</sup> of it,"
        " in 3 km<sup>2</sup>.</p><p>It was the 19<sup>th</sup> century, as cited"
        '<sup class="reference"><a href="#cite-1">[1]</a></sup>.</p>'
    )
    assert HtmlReader().read(page.encode()).text.splitlines() == [
        "An i8 stores −(2^(n − 1)) to 2^7 − 1, 10^-3 of it, in 3 km^2.",
        "It was the 19th century, as cited[1].",
    ]
    assert MarkdownReader().read(b"Up to 2<sup>7</sup> - 1.").text == "Up to 2^7 - 1."
    subtitle = b"<h1>Charsets</h1><p><sup>The Real First Detector</sup><br>2<sup>n</sup></p>"
    assert HtmlReader().read(subtitle).text == "Charsets\nThe Real First Detector\n2^n"
    assert RstReader().read(b"Up to 2\\ :sup:`7` - 1 or 10 :sup:`9`.").text == (
        "Up to 2^7 - 1 or 10^9."
    )
