"""Readers that turn a file into plain text, one per format, behind one small seam.

Offsets in citations index the text a reader returns, so the same reader serves ingest and
``GET /sources/{name}``. Each format uses a maintained parser: BeautifulSoup for HTML (main
text only: no scripts, styles, navigation or page chrome), markdown-it for Markdown and
docutils for reStructuredText (both rendered to HTML, then read as HTML is), pypdf for a PDF's
text layer (with the offset where each page starts, so citations can name the page),
python-docx for Word.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from footnote.errors import BadDocument

if TYPE_CHECKING:  # parsers are imported when a file of theirs is read, not by every worker
    from bs4 import Tag
    from docx.table import _Cell


@dataclass(frozen=True)
class Heading:
    """A heading line of the text a reader returns: where it starts, its level (1 for the
    outermost, as ``<h1>``), and its words."""

    start: int
    level: int
    text: str


@dataclass(frozen=True)
class Extracted:
    text: str
    pages: tuple[int, ...] = field(default_factory=tuple)  # offset where each page starts
    # whether its lines may be wrapped at a column (plain text, a PDF's text layer), so a
    # sentence may run on to the next line; a block format's reader writes a line per block
    wrapped: bool = True
    # the headings the format marks as such (HTML and what renders to it, Word's heading
    # styles), in order: a citation names the section its quote sits in
    headings: tuple[Heading, ...] = ()


def joined_lines(lines: Sequence[tuple[str, int]], text: str = "") -> Extracted:
    """Lines, each with its heading level (0: not a heading), as one text a line each, after
    ``text``; the headings located in it."""
    headings = []
    for line, level in lines:
        text += "\n" if text else ""
        if level:
            headings.append(Heading(len(text), level, line))
        text += line
    return Extracted(text, wrapped=False, headings=tuple(headings))


class Reader(ABC):
    suffixes: tuple[str, ...]
    format: str

    @abstractmethod
    def read(self, data: bytes) -> Extracted:
        """The document's text; raise :class:`BadDocument` with a reason a user can act on."""


def _tidy(lines: list[str]) -> list[str]:
    """Collapse runs of spaces and drop empty lines: extracted text is full of both."""
    kept = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in lines)
    return [line for line in kept if line]


def _utf8(data: bytes) -> str:
    """A text file's text: UTF-8, with or without the byte-order mark Windows editors write,
    or UTF-16 when it opens with one (Notepad's "Unicode")."""
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise BadDocument(
            f"not valid {encoding.upper().removesuffix('-SIG')} (byte {error.start}): "
            "save it as UTF-8"
        ) from None


class TextReader(Reader):
    suffixes = (".txt",)
    format = "text"

    def read(self, data: bytes) -> Extracted:
        return Extracted(_utf8(data))


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
                lines.extend((line.rstrip(), 0) for line in child.get_text().splitlines())
            elif child.name == "br":
                close()
            elif child.name == "table":
                close()
                lines.extend((line, 0) for line in table_lines(child))
            elif child.name in BLOCKS:
                close()
                walk(child)
                close(HEADINGS.get(child.name, 0))
            else:
                walk(child)

    walk(root)
    close()
    return [(line, level) for line, level in lines if line.strip()]


def table_lines(table: Tag) -> list[str]:
    """A table a row per line, its cells between " | ". Under a heading row (all ``<th>``, as
    every Markdown table has) each cell also names its column, "Fruit: Pear | Trees: 40": a
    row then says what its figures are, to the model and in a quote, as the table does."""
    rows = [row for row in table.find_all("tr") if row.find_parent("table") is table]
    header: list[str] = []
    lines = []
    for row in rows:
        cells = row.find_all(["td", "th"], recursive=False)
        texts = [_inline(cell.get_text(" ")).strip() for cell in cells]
        names = header if len(header) == len(texts) else [""] * len(texts)
        if not header and texts and all(cell.name == "th" for cell in cells):
            header, names = texts, [""] * len(texts)
        named = (
            f"{name}: {text}" if name else text for name, text in zip(names, texts, strict=True)
        )
        lines.append(" | ".join(cell for cell, text in zip(named, texts, strict=True) if text))
    return [line for line in lines if line]


def _lines_of(root: Tag) -> list[tuple[str, int]]:
    try:
        return html_lines(root)
    except RecursionError:
        raise BadDocument("its elements nest too deeply to read") from None


class HtmlReader(Reader):
    suffixes = (".html", ".htm")
    format = "html"
    NOISE = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe")
    # a heading's permalink ("¶" after every Sphinx and MkDocs heading): page chrome, which
    # would end every heading, and so every section a citation names, with a pilcrow
    PERMALINKS = "a.headerlink"

    def read(self, data: bytes) -> Extracted:
        from bs4 import BeautifulSoup
        from bs4.element import Tag

        soup = BeautifulSoup(data, "html.parser")
        for tag in [*soup(self.NOISE), *soup.select(self.PERMALINKS)]:
            tag.decompose()
        main = soup.find("main") or soup.find("article") or soup.body or soup
        title = soup.title.get_text(" ", strip=True) if soup.title else ""
        lines = _lines_of(main if isinstance(main, Tag) else soup)
        titled = bool(lines) and lines[0][0].startswith(title)
        return joined_lines(lines, "" if titled else title)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_FRONT_TITLE = re.compile(r"^title:[ \t]*(.+?)[ \t]*$", re.M)
QUOTES = "\"'"  # around a YAML string


def _without_front_matter(markdown: str) -> str:
    """A static-site page's YAML front matter (``---`` ... ``---``) is settings, not text; its
    ``title``, often the page's only heading, becomes one."""
    found = _FRONT_MATTER.match(markdown)
    if not found:
        return markdown
    title = _FRONT_TITLE.search(found.group(1))
    heading = f"# {title.group(1).strip(QUOTES)}\n\n" if title else ""
    return heading + markdown[found.end() :]


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

        source = _without_front_matter(_utf8(data))
        html = MarkdownIt("commonmark", {"html": True}).enable("table").render(source)
        soup = BeautifulSoup(html, "html.parser")
        for tag in soup(HtmlReader.NOISE):
            tag.decompose()
        return joined_lines(_lines_of(soup))


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

        parts = publish_parts(_utf8(data), writer="html5", settings_overrides=self.SETTINGS)
        html = parts["html_title"] + parts["html_subtitle"] + parts["body"]
        return joined_lines(_lines_of(BeautifulSoup(html, "html.parser")))


# Running heads and footers: a line at the top or bottom of this many pages, its numbers aside
# (a chapter title, "Company confidential", "Page 3 of 9"), is the page's, not the text's; of
# two pages when the page number opens or closes it ("Chapter 2: Parsing 14")
RUNNING_PAGES = 3
_PAGE_EDGE = 2  # lines at each end of a page where running heads and page numbers sit
_PAGE_NUMBER = re.compile(  # 12, xiv, Page 3 of 9, 3/9 (a roman numeral as such: not "civic")
    r"(?i)(?:page\s+)?(?:\d+|(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3}))"
    r"(?:\s*(?:/|of)\s*\d+)?"
)


def _running_key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.lower().split()))


def without_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Each page's lines less its running head, footer and page number, which would otherwise
    be quoted as sentences and cut every sentence that runs on to the next page in two."""
    edges = [
        {_running_key(line) for line in lines[:_PAGE_EDGE] + lines[-_PAGE_EDGE:]} for lines in pages
    ]
    counts = Counter(key for keys in edges for key in keys)
    running = {
        key
        for key, count in counts.items()
        if count >= RUNNING_PAGES or (count >= 2 and key.startswith("#") != key.endswith("#"))
    }

    def kept(lines: list[str]) -> list[str]:
        edge = set(range(_PAGE_EDGE)) | set(range(len(lines) - _PAGE_EDGE, len(lines)))
        return [
            line
            for number, line in enumerate(lines)
            if number not in edge
            or not (_running_key(line) in running or _PAGE_NUMBER.fullmatch(line.strip()))
        ]

    return [kept(lines) for lines in pages] if len(pages) > 1 else pages


class PdfReader(Reader):
    """A PDF's text layer, page after page. Pages follow each other on the next line, so the
    sentence a page break cut in two reads on (:func:`footnote.sentences.wrap_width`)."""

    suffixes = (".pdf",)
    format = "pdf"

    def read(self, data: bytes) -> Extracted:
        import io

        from pypdf import PdfReader as Pdf
        from pypdf.errors import PdfReadError

        try:
            pages = [
                _tidy((page.extract_text() or "").splitlines())
                for page in Pdf(io.BytesIO(data)).pages
            ]
        except (PdfReadError, ValueError, KeyError, OSError) as error:
            raise BadDocument(f"not a readable PDF ({error})") from None
        starts, text = [], ""
        for lines in without_running_lines(pages):
            text += "\n" if text else ""
            starts.append(len(text))
            text += "\n".join(lines)
        if not text.strip():
            raise BadDocument("the PDF has no text layer (a scan?): run OCR on it first")
        return Extracted(text, tuple(starts))


class DocxReader(Reader):
    """A Word document's body in order: its paragraphs, and its tables a row per line with
    the cells between " | " (as HTML tables read), where a figure often is only there."""

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
            else:
                lines.append((block.text, _heading_level(block.style.name if block.style else "")))
        return joined_lines(_tidy_levelled(lines))


def _heading_level(style: str | None) -> int:
    """Word's built-in heading styles: "Title" and "Heading 1" to "Heading 9"."""
    if style == "Title":
        return 1
    found = re.fullmatch(r"Heading ([1-9])", style or "")
    return int(found.group(1)) if found else 0


def _tidy_levelled(lines: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """:func:`_tidy` for lines that carry their heading level."""
    return [(tidied, level) for line, level in lines for tidied in _tidy([line])]


def _row(cells: Sequence[_Cell]) -> str:
    """A table row's text; a merged cell, which python-docx lists once per column it spans,
    once."""
    unique = list({id(cell._tc): cell for cell in cells}.values())
    return " | ".join(" ".join(cell.text.split()) for cell in unique if cell.text.strip())


READERS: tuple[Reader, ...] = (
    TextReader(),
    MarkdownReader(),
    RstReader(),
    HtmlReader(),
    PdfReader(),
    DocxReader(),
)
SUPPORTED_SUFFIXES = frozenset(s for reader in READERS for s in reader.suffixes)
# Ingest keys a document's passages by its file's bytes, not by the text read from them, so an
# unchanged file is never read again: bump this when any reader's output changes, and every
# document is read afresh at the next ingest. 2: HTML inline elements in their line, Markdown
# rendered; 3: PDF running heads; 4: Word tables; 5: byte-order marks; 6: front matter;
# 7: table cells name their column, block formats never unwrapped; 8: reStructuredText;
# 9: headings located, HTML permalinks (¶) left out
READERS_VERSION = "9"


def reader_for(path: Path | str) -> Reader | None:
    suffix = Path(path).suffix.lower()
    return next((r for r in READERS if suffix in r.suffixes), None)


def extract(path: Path) -> Extracted:
    reader = reader_for(path)
    if reader is None:
        raise BadDocument(f"{Path(path).suffix or 'no extension'} is not a supported format")
    return reader.read(path.read_bytes())
