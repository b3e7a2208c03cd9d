"""Markdown, read as it renders (markdown-it) and then as HTML is (:mod:`.markup`): a static
site's front matter, MyST's directives, labels and footnote marks, and GitHub's alerts read
as the built page shows them."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from footnote.formats.base import Extracted, Reader, joined_lines, utf8
from footnote.formats.markup import (
    HtmlReader,
    html_lines,
    prose_strings,
    without_contents_lists,
    without_roles,
)

if TYPE_CHECKING:
    from bs4 import Tag

_MYST_TARGET = re.compile(r"\([\w.:-]+\)=")  # "(install)=": a label for cross-references
_FOOTNOTE_MARK = re.compile(r"\[\^[\w-]+\]:?\s?")  # MyST's and GitHub's "[^1]"

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_FRONT_TITLE = re.compile(r"^title:[ \t]*(.+?)[ \t]*$", re.M)
QUOTES = "\"'"  # around a YAML string
# What front matter says about the page rather than how to build it, read as a
# reStructuredText file's bibliographic fields are ("Author: Jane Doe"), when its value is on
# its line (not a block: "description: >" and lines under it)
FRONT_FIELDS = ("author", "date", "description", "summary", "version")
_FRONT_FIELD = re.compile(rf"^({'|'.join(FRONT_FIELDS)}):[ \t]*([^\s>|].*?)[ \t]*$", re.M)


def _without_front_matter(markdown: str) -> str:
    """A static-site page's YAML front matter (``---`` ... ``---``) is settings, not text; its
    ``title``, often the page's only heading, becomes one, and what it says about the page
    (:data:`FRONT_FIELDS`) a line each."""
    found = _FRONT_MATTER.match(markdown)
    if not found:
        return markdown
    title = _FRONT_TITLE.search(found.group(1))
    heading = f"# {title.group(1).strip(QUOTES)}\n\n" if title else ""
    fields = "".join(
        f"{name.capitalize()}: {value.strip(QUOTES)}\n\n"
        for name, value in _FRONT_FIELD.findall(found.group(1))
    )
    return heading + fields + markdown[found.end() :]


# MyST's directives, fenced by backticks or colons with the directive's name in braces: an
# admonition's body is Markdown, to be read as the text around it ("```{note}", ":::{tip}"),
# a table of contents is a list of file names, not text; the rest (code) stays as fenced.
ADMONITIONS = frozenset({
    "admonition", "attention", "caution", "danger", "error", "hint", "important", "note",
    "seealso", "tip", "warning", "versionadded", "versionchanged", "deprecated",
})  # fmt: skip
_DIRECTIVE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})[ \t]*\{(?P<name>[\w-]+)\}(?P<argument>[^\n]*)\n"
    r"(?P<body>.*?)^(?P=fence)[ \t]*$",
    re.M | re.S,
)
_DIRECTIVE_OPTION = re.compile(r"\A(?:[ \t]*:[\w-]+:[^\n]*\n)+")


def _myst_directives(markdown: str) -> str:
    """``markdown`` with MyST's admonitions opened into their text and its tables of contents
    left out."""

    def opened(directive: re.Match[str]) -> str:
        name = directive["name"].lower()
        if name == "toctree":
            return ""
        if name not in ADMONITIONS:
            return directive[0]
        body = _DIRECTIVE_OPTION.sub("", directive["body"])
        argument = directive["argument"].strip()
        return f"{argument}\n\n{body}" if name == "admonition" and argument else body

    return _DIRECTIVE.sub(opened, markdown)


# GitHub's alerts: a quote opening with "[!NOTE]" on a line of its own, shown as a box titled
# "Note". Read as its title and a colon before the quote's text ("Important: Python ...").
_ALERT = re.compile(
    r"^([ \t]*>[ \t]*)\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*$", re.M | re.I
)


def _alerts(markdown: str) -> str:
    return _ALERT.sub(lambda alert: f"{alert[1]}{alert[2].capitalize()}:", markdown)


class MarkdownReader(Reader):
    """Markdown as it reads once rendered: headings, paragraphs and list items as lines (a
    paragraph wrapped over several source lines is one), link text without its address, no
    emphasis marks, images or embedded HTML badges, code blocks line for line. READMEs are
    full of all of these, and quoting them raw put URLs and markup into answers."""

    suffixes = (".md", ".markdown")
    format = "markdown"

    def read(self, data: bytes) -> Extracted:
        from bs4 import BeautifulSoup
        from markdown_it import MarkdownIt

        source = _alerts(_myst_directives(_without_front_matter(utf8(data))))
        html = MarkdownIt("commonmark", {"html": True}).enable("table").render(source)
        soup = BeautifulSoup(html, "html.parser")
        for tag in soup(HtmlReader.NOISE):
            tag.decompose()
        _without_marks(soup)
        without_roles(soup)
        without_contents_lists(soup)
        return joined_lines(html_lines(soup))


def _without_marks(root: Tag) -> None:
    """MyST's labels ("(install)=" on a line) left out of ``root``, and its and GitHub's
    footnote marks ("[^1]") out of its prose: the built page shows neither."""
    for paragraph in root("p"):
        if _MYST_TARGET.fullmatch(paragraph.get_text().strip()):
            paragraph.decompose()
    for text in prose_strings(root, _FOOTNOTE_MARK):
        text.replace_with(_FOOTNOTE_MARK.sub("", text))
