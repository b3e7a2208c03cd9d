"""What every reader shares: the text it returns, with the offsets where pages and headings
start, and the decoding and tidying of extracted lines."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field

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
