"""The readers: what a user's HTML and Markdown files read as."""

from __future__ import annotations

import pytest

from footnote.errors import BadDocument
from footnote.formats import HtmlReader, MarkdownReader
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
        "Rich Text | 2020",
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


def test_markdown_that_is_not_utf8_is_refused_with_the_reason() -> None:
    with pytest.raises(BadDocument, match="UTF-8"):
        MarkdownReader().read("Caf\xe9".encode("latin-1"))


def test_html_nested_past_any_reason_is_refused_not_a_crash() -> None:
    with pytest.raises(BadDocument, match="nest"):
        HtmlReader().read(b"<main>" + b"<div>" * 5000 + b"deep" + b"</div>" * 5000 + b"</main>")
