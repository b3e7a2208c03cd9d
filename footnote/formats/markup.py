"""HTML, and reStructuredText read by rendering it to HTML first (docutils); Markdown, which
is read the same way, is :mod:`.markdown`. A page reads as a browser lays it out: a line per
block element, inline elements inside their sentence, table rows a line each."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from footnote.errors import BadDocument
from footnote.formats.base import Extracted, Reader, joined_lines, raised, table_lines, utf8

if TYPE_CHECKING:  # parsers are imported when a file of theirs is read, not by every worker
    from bs4 import Tag
    from bs4.element import NavigableString


# Elements that start a line of their own; everything else (links, emphasis, code, spans) is
# text inside the line around it, as a browser lays it out.
# fmt: off
BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "caption", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "section", "summary", "table",
    "tbody", "tfoot", "thead", "ul",
})
# fmt: on


def _inline(text: str) -> str:
    return re.sub(r"\s+", " ", text)


HEADINGS = {f"h{level}": level for level in range(1, 7)}
# Inline code: a word of its own. Code set right after a word with no space between in the
# source ("<b>isEqual</b><code>_.isEqual(object, other)</code>", a reference page's entry
# name and its signature) is spaced apart by the page's style sheet, not joined to it
CODE = frozenset({"code", "kbd", "samp", "tt", "var"})
_WORD_END = re.compile(r"[^\W_]$")
_CODE_START = re.compile(r"^\w")


def _glued_to_word(current: list[str], code: Tag) -> bool:
    """Whether ``code`` starts a word right where the text before it ends one."""
    before = current[-1] if current else ""
    return bool(_WORD_END.search(before) and _CODE_START.match(code.get_text()))


_NOTE_LINK = re.compile("^#")  # a link to a place on its own page
_WORDED = re.compile(r"[^\W_]")  # a letter or a digit


def _raised(before: str, sup: Tag) -> str | None:
    """How ``sup`` reads after the text ``before`` it (:func:`raised`), or None to read its
    text unchanged, as a reference mark, a link to a note on the page, is read."""
    if sup.find("a", href=_NOTE_LINK) or sup.find_parent("a", href=_NOTE_LINK):
        return None
    return raised(before, sup.get_text())


_VISIBLE = re.compile(r"\S")


def _preformatted(pre: Tag) -> str:
    """A ``<pre>``'s text; two code blocks side by side in it are two listings, shown one at a
    time (Node.js's pages hold each example in CommonJS and in ES module syntax), not one
    run together."""
    blocks = pre.find_all("code", recursive=False)
    if len(blocks) > 1 and not pre.find_all(string=_VISIBLE, recursive=False):
        return "\n".join(block.get_text() for block in blocks)
    return str(pre.get_text())


def html_lines(root: Tag) -> list[tuple[str, int]]:
    """The text of ``root`` as a browser lays it out: one line per block element, inline
    elements inside the sentence around them ("renders <a>Markdown</a> too" stays one line,
    where ``get_text("\n")`` would cut it in three), a table row's cells on one line, and
    preformatted text line for line. Each line comes with its heading level (0 for none)."""
    from bs4.element import CData, NavigableString, Tag

    lines: list[tuple[str, int]] = []
    current: list[str] = []

    def close(level: int = 0) -> None:
        line = "".join(current).strip()
        if line:
            lines.append((line, level))
        current.clear()

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child) in (NavigableString, CData):  # not comments or doctypes
                    current.append(_inline(child))
            elif not isinstance(child, Tag):
                continue
            elif child.name == "pre":
                close()
                lines.extend((line.rstrip(), 0) for line in _preformatted(child).splitlines())
            elif child.name == "br":
                close()
            elif child.name == "table":
                close()
                lines.extend((line, 0) for line in _table(child))
            elif child.name in BLOCKS:
                close()
                walk(child)
                close(HEADINGS.get(child.name, 0))
            elif child.name == "sup" and (raised := _raised("".join(current), child)):
                if current:  # raised onto what it follows: "10 :sup:`9`" in a .rst is 10^9
                    current[-1] = current[-1].rstrip()
                current.append(raised)
            else:
                if child.name in CODE and _glued_to_word(current, child):
                    current.append(" ")
                walk(child)

    try:
        walk(root)
    except RecursionError:
        raise BadDocument("its elements nest too deeply to read") from None
    close()
    return [(line, level) for line, level in lines if line.strip()]


def _table(table: Tag) -> list[str]:
    """An HTML table as :func:`table_lines` reads one; a row of ``<th>`` only (as every
    Markdown table's first) is a heading row."""
    rows = [row for row in table.find_all("tr") if row.find_parent("table") is table]
    cells = [row.find_all(["td", "th"], recursive=False) for row in rows]
    return table_lines(
        (
            [_inline(cell.get_text(" ")).strip() for cell in row],
            all(cell.name == "th" for cell in row),
        )
        for row in cells
    )


# Sphinx's cross-reference roles, which a documentation project's pages are full of:
# ":func:`~os.path.join`" in reStructuredText (docutils, which has no Sphinx, leaves them as
# written) and "{ref}`virtual environments <venvs>`" in MyST Markdown. Quoted raw they put
# markup into answers; a reader of the built page sees only their text.
_RST_ROLE = re.compile(r":(?:[A-Za-z][\w.+-]*:)+`([^`]+)`")
_MYST_ROLE = re.compile(r"\{[A-Za-z][\w.:+-]*\}$")
_TITLED_TARGET = re.compile(r"(.+?)\s*<[^<>]+>$", re.S)


def _role_text(content: str) -> str:
    """What Sphinx shows of a role: its title ("venvs" of "venvs <target>"), else its
    target's last part ("join" of "~os.path.join") or the target as written."""
    titled = _TITLED_TARGET.fullmatch(content)
    if titled:
        return titled.group(1)
    target = content.lstrip("!")
    return target.rsplit(".", 1)[-1] if target.startswith("~") else target


def prose_strings(root: Tag, pattern: re.Pattern[str]) -> list[NavigableString]:
    """The strings of ``root`` that ``pattern`` finds something in, outside code, which is
    left as written."""
    return [text for text in root.find_all(string=pattern) if not text.find_parent(["pre", *CODE])]


def without_roles(root: Tag) -> None:
    """Sphinx roles in ``root``'s prose replaced by their text; code is left as written."""
    from bs4.element import NavigableString

    for text in prose_strings(root, _RST_ROLE):
        text.replace_with(_RST_ROLE.sub(lambda role: _role_text(role.group(1)), text))
    for code in root.find_all("code"):
        before = code.previous_sibling
        if isinstance(before, NavigableString) and _MYST_ROLE.search(before):
            before.replace_with(_MYST_ROLE.sub("", before))
            code.replace_with(_role_text(code.get_text()))


# A manual split into pages links each to the next, the previous and the one up ("Next: Simple
# Example, Up: Using libffi [Index]", above and below every page GNU's texinfo makes), one of
# them at least marked by its rel; a block of links with a word or two between them and one
# such link is navigation.
PAGE_LINKS = frozenset({"next", "prev", "previous", "up", "index", "contents", "start"})
LINKING_WORDS = 4  # "Next:", "Previous:", "Up:": what such a block says besides its links


def _words(text: str) -> int:
    return len(re.findall(r"[^\W\d_]+", text))


def _without_page_links(root: Tag) -> None:
    """Blocks of ``root`` that only link to the pages around it left out."""
    for link in root.select("a[rel]"):
        block = link.find_parent(sorted(BLOCKS))
        if block is None or block.decomposed or not PAGE_LINKS & set(link.get("rel") or []):
            continue
        words = _words(block.get_text()) - sum(_words(a.get_text()) for a in block("a"))
        if words <= LINKING_WORDS:
            block.decompose()


def without_contents_lists(root: Tag) -> None:
    """Lists of ``root`` made only of links to places on their own page left out: the page's
    table of contents (npm's pages, a README's "- [Usage](#usage)", reStructuredText's
    ``contents`` directive), which repeats its headings."""
    for listed in root.find_all(["ul", "ol"]):
        if listed.decomposed or listed.find_parent(["ul", "ol"]):
            continue
        links = listed.find_all("a")
        in_page = bool(links) and all(str(a.get("href", "")).startswith("#") for a in links)
        if in_page and _words(listed.get_text(" ")) == sum(_words(a.get_text(" ")) for a in links):
            listed.decompose()


def _without_controls(root: Tag) -> None:
    """Buttons a page's script works, left out where they sit in its text: "copy" in a code
    block (Node.js's and MkDocs's pages), "Copy item path" beside a heading's words
    (rustdoc's). A button that is all its heading says (an accordion's question) is kept."""
    for button in root("button"):
        heading = button.find_parent(list(HEADINGS))
        words = _words(button.get_text(" "))
        if button.find_parent("pre") or (heading and _words(heading.get_text(" ")) > words):
            button.decompose()


def without_furniture(root: Tag) -> None:
    """What a page's generator sets around and inside its text, left out of ``root``: glyph
    permalinks, links to the pages around it, its own table of contents and the buttons its
    script works. An HTML page and an e-book's chapter have them alike."""
    for link in root.select('a[href^="#"]'):
        if not link.decomposed and not _WORDED.search(link.get_text()):
            link.decompose()
    _without_page_links(root)
    without_contents_lists(root)
    _without_controls(root)


class HtmlReader(Reader):
    suffixes = (".html", ".htm")
    format = "html"
    NOISE = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe")
    # a heading's permalink ("¶" after every Sphinx and MkDocs heading, "§" before rustdoc's):
    # page chrome, which would end every heading, and so every section a citation names, with
    # a glyph; and a footnote's link back to where it is cited ("↩", pandoc and most e-book
    # makers). Marked by class or role, or a link to a place on the page showing no word or
    # figure at all, as every site generator's permalink does
    PERMALINKS = "a.headerlink, a[role=doc-backlink], a.footnote-back"
    # the same chrome marked by its landmark role instead of its element, as Sphinx's themes
    # and many site generators mark theirs ("<div class="sphinxsidebar" role="navigation">")
    LANDMARKS = ", ".join(
        f"[role={role}]"
        for role in ("navigation", "search", "banner", "contentinfo", "complementary")
    )

    # the tables of links to the previous, next and enclosing pages above and below each page
    # of a DocBook manual (Valgrind's, PostgreSQL's), which its stylesheets mark by summary
    DOCBOOK_NAVIGATION = 'table[summary="Navigation header"], table[summary="Navigation footer"]'

    def read(self, data: bytes) -> Extracted:
        from bs4 import BeautifulSoup
        from bs4.element import Tag

        soup = BeautifulSoup(data, "html.parser")
        chrome = soup.select(f"{self.PERMALINKS}, {self.LANDMARKS}, {self.DOCBOOK_NAVIGATION}")
        for tag in [*soup(self.NOISE), *chrome]:
            if not tag.decomposed:
                tag.decompose()
        without_furniture(soup)
        main = (
            soup.find("main")
            or soup.select_one("[role=main]")
            or soup.find("article")
            or soup.body
            or soup
        )
        title = soup.title.get_text(" ", strip=True) if soup.title else ""
        lines = html_lines(main if isinstance(main, Tag) else soup)
        titled = bool(lines) and lines[0][0].startswith(title)
        return joined_lines(lines, "" if titled else title)


class RstReader(Reader):
    """reStructuredText, rendered by docutils and read as HTML is. Directives that reach
    outside the document (``include``, ``raw``) do nothing: an uploaded file must not read the
    server's files into the index."""

    suffixes = (".rst",)
    format = "restructuredtext"
    SETTINGS = {
        "file_insertion_enabled": False,
        "raw_enabled": False,
        "report_level": 5,  # no system messages in the text
        "halt_level": 5,  # and no error stops the reading
        "_disable_config": True,  # no docutils.conf from the server's working folder
        "input_encoding": "unicode",
    }

    def read(self, data: bytes) -> Extracted:
        from bs4 import BeautifulSoup
        from docutils.core import publish_parts

        parts = publish_parts(utf8(data), writer="html5", settings_overrides=self.SETTINGS)
        soup = BeautifulSoup(parts["html_title"] + parts["html_subtitle"], "html.parser")
        fields = _fields(BeautifulSoup(parts["docinfo"], "html.parser"))
        titles = [value for name, value in fields if name == "title"]
        if titles and not parts["html_title"]:
            soup.append(heading := soup.new_tag("h1"))
            heading.string = titles[0]
            fields.remove(("title", titles[0]))
        for name, value in fields:
            soup.append(line := soup.new_tag("p"))
            line.string = f"{name}: {value}"
        soup.append(BeautifulSoup(parts["body"], "html.parser"))
        without_roles(soup)
        without_contents_lists(soup)
        return joined_lines(html_lines(soup))


def _fields(docinfo: Tag) -> list[tuple[str, str]]:
    """A reStructuredText document's bibliographic fields (":Author: Jane Doe" before its
    text), which docutils sets apart from the body but which are part of what it says:
    search finds them and a language model's answer reads them (an extractive answer quotes
    sentences of ``min_sentence_words`` or more, which these lines seldom are). Its ``title``
    field, where the file has no title of its own, titles it (AWS CLI's help pages)."""
    names = [_inline(name.get_text()).strip().rstrip(":") for name in docinfo("dt")]
    values = [_inline(value.get_text(" ")).strip() for value in docinfo("dd")]
    return [(name, value) for name, value in zip(names, values, strict=False) if name and value]
