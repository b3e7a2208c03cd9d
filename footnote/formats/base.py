"""What every reader shares: the text it returns, with the offsets where pages and headings
start, and the decoding and tidying of extracted lines."""

from __future__ import annotations

import io
import re
import zipfile
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from footnote.errors import BadDocument


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


# A superscript reads flat as text: "2<sup>7</sup>" as "27", "km<sup>2</sup>" as "km2", and a
# quoted range or unit then says something else. It is written with a caret, as plain text
# writes one ("2^7", "2^(n − 1)"), save an ordinal's ending ("19th") and words set small.
_ORDINAL_ENDING = frozenset({"st", "nd", "rd", "th"})
# a word of three letters or more: small print set high (a README's subtitle), not a power
_PROSE_WORD = re.compile(r"[^\W\d_]{3,}")


def raised(before: str, superscript: str) -> str | None:
    """How a superscript reads after the text ``before`` it, or None to read it unchanged."""
    inner = " ".join(superscript.split())
    if (
        not inner
        or _PROSE_WORD.search(inner)
        or (before[-1:].isdigit() and inner.lower() in _ORDINAL_ENDING)
    ):
        return None
    return f"^{inner}" if re.fullmatch(r"[-+−]?\w+", inner) else f"^({inner})"


def joined_lines(
    lines: Sequence[tuple[str, int]], text: str = "", page_starts: Sequence[int] = ()
) -> Extracted:
    """Lines, each with its heading level (0: not a heading), as one text a line each, after
    ``text``; the headings located in it, and the pages (slides) that begin at the lines
    numbered ``page_starts``. A page with no lines (a slide that is only a picture) starts
    where the next does, so the pages after it keep their numbers."""
    headings, pages = [], []
    firsts = Counter(page_starts)
    for number, (line, level) in enumerate(lines):
        text += "\n" if text else ""
        pages.extend([len(text)] * firsts[number])
        if level:
            headings.append(Heading(len(text), level, line))
        text += line
    pages.extend([len(text)] * firsts[len(lines)])  # empty pages at the end
    return Extracted(text, tuple(pages), wrapped=False, headings=tuple(headings))


def paged(pages: Iterable[list[str]]) -> Extracted:
    """Pages of lines as one text, each page on the line after the last (a sentence a page
    break cut reads on), with the offset where each starts: a blank page too, so the pages
    after it keep their numbers."""
    starts, text = [], ""
    for lines in pages:
        text += "\n" if text else ""
        starts.append(len(text))
        text += "\n".join(lines)
    return Extracted(text, tuple(starts))


def table_lines(rows: Iterable[tuple[Sequence[str], bool]]) -> list[str]:
    """A table a row per line, its cells between " | ", from each row's cell texts and
    whether it is a heading row. Under a heading row each cell also names its column,
    "Fruit: Pear | Trees: 40": a row then says what its figures are, to the model and in a
    quote, as the table does. Empty cells and rows are left out."""
    header: Sequence[str] = ()
    lines = []
    for texts, heading in rows:
        names = header if len(header) == len(texts) else [""] * len(texts)
        if not header and texts and heading:
            header, names = texts, [""] * len(texts)
        named = (
            f"{name}: {text}" if name else text for name, text in zip(names, texts, strict=True)
        )
        lines.append(" | ".join(cell for cell, text in zip(named, texts, strict=True) if text))
    return [line for line in lines if line]


# What a zipped format (EPUB, OpenDocument, PowerPoint, Excel) may unpack to: a few MB of
# upload can otherwise inflate to gigabytes (a "zip bomb") inside the server
MAX_UNZIPPED_BYTES = 512 * 1024 * 1024


class Package:
    """A zipped document's members, read by name, within :data:`MAX_UNZIPPED_BYTES` in all."""

    def __init__(self, data: bytes, kind: str):
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            raise BadDocument(f"not a readable {kind} file (it is not a zip archive)") from None
        self.kind = kind
        self._left = MAX_UNZIPPED_BYTES

    def check_size(self) -> None:
        """Refuse the whole package now if its members unpack past the bound, for a parser
        that reads them itself."""
        if sum(info.file_size for info in self._zip.infolist()) > self._left:
            raise self._too_large()

    def _too_large(self) -> BadDocument:
        bound = f"{MAX_UNZIPPED_BYTES / 2**20:,.0f} MB"
        return BadDocument(f"its {self.kind} content unpacks to more than {bound}: too large")

    def names(self) -> list[str]:
        return self._zip.namelist()

    def read(self, name: str) -> bytes:
        try:
            info = self._zip.getinfo(name)
        except KeyError:
            raise BadDocument(f"not a readable {self.kind} file: {name} is missing") from None
        if info.file_size > self._left:
            raise self._too_large()
        try:
            data = self._zip.read(info)
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise BadDocument(f"not a readable {self.kind} file ({error})") from None
        self._left -= len(data)
        return data


def xml(data: bytes, kind: str) -> Any:
    """An XML member of a zipped document, parsed by lxml with entities and network access
    off, as the root element."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise BadDocument(f"not a readable {kind} file ({error})") from None


class Reader(ABC):
    suffixes: tuple[str, ...]
    format: str

    @abstractmethod
    def read(self, data: bytes) -> Extracted:
        """The document's text; raise :class:`BadDocument` with a reason a user can act on."""


def tidy(lines: list[str]) -> list[str]:
    """Collapse runs of spaces and drop empty lines: extracted text is full of both."""
    kept = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in lines)
    return [line for line in kept if line]


def utf8(data: bytes) -> str:
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
        return Extracted(utf8(data))


def tidy_levelled(lines: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """:func:`tidy` for lines that carry their heading level."""
    return [(tidied, level) for line, level in lines for tidied in tidy([line])]
