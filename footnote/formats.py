"""Readers that turn a file into plain text, one per format, behind one small seam.

Offsets in citations index the text a reader returns, so the same reader serves ingest and
``GET /sources/{name}``. Each format uses a maintained parser: BeautifulSoup for HTML (main
text only: no scripts, styles, navigation or page chrome), pypdf for a PDF's text layer (with
the offset where each page starts, so citations can name the page), python-docx for Word.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path

from footnote.errors import BadDocument


@dataclass(frozen=True)
class Extracted:
    text: str
    pages: tuple[int, ...] = field(default_factory=tuple)  # offset where each page starts


class Reader(ABC):
    suffixes: tuple[str, ...]
    format: str

    @abstractmethod
    def read(self, data: bytes) -> Extracted:
        """The document's text; raise :class:`BadDocument` with a reason a user can act on."""


def _tidy(lines: list[str]) -> str:
    """Collapse runs of spaces and drop empty lines: extracted text is full of both."""
    kept = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in lines)
    return "\n".join(line for line in kept if line)


class TextReader(Reader):
    suffixes = (".txt", ".md")
    format = "text"

    def read(self, data: bytes) -> Extracted:
        try:
            return Extracted(data.decode("utf-8"))
        except UnicodeDecodeError as error:
            raise BadDocument(f"not valid UTF-8 (byte {error.start})") from None


class HtmlReader(Reader):
    suffixes = (".html", ".htm")
    format = "html"
    NOISE = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe")

    def read(self, data: bytes) -> Extracted:
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(data, "html.parser")
        for tag in soup(self.NOISE):
            tag.decompose()
        main = soup.find("main") or soup.find("article") or soup.body or soup
        title = soup.title.get_text(" ", strip=True) if soup.title else ""
        text = _tidy(main.get_text("\n").splitlines())
        if title and not text.startswith(title):
            text = f"{title}\n{text}"
        return Extracted(text)


class PdfReader(Reader):
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
        for page in pages:
            starts.append(len(text) + (2 if text else 0))
            text = f"{text}\n\n{page}" if text else page
        if not text.strip():
            raise BadDocument("the PDF has no text layer (a scan?): run OCR on it first")
        return Extracted(text, tuple(starts))


class DocxReader(Reader):
    suffixes = (".docx",)
    format = "docx"

    def read(self, data: bytes) -> Extracted:
        import io
        import zipfile

        from docx import Document

        try:
            document = Document(io.BytesIO(data))
        except (zipfile.BadZipFile, KeyError, ValueError) as error:
            raise BadDocument(f"not a readable .docx file ({error})") from None
        return Extracted(_tidy([p.text for p in document.paragraphs]))


READERS: tuple[Reader, ...] = (TextReader(), HtmlReader(), PdfReader(), DocxReader())
SUPPORTED_SUFFIXES = frozenset(s for reader in READERS for s in reader.suffixes)
# Ingest keys a document's passages by its file's bytes, not by the text read from them, so an
# unchanged file is never read again: bump this when any reader's output changes, and every
# document is read afresh at the next ingest.
READERS_VERSION = "1"


def reader_for(path: Path | str) -> Reader | None:
    suffix = Path(path).suffix.lower()
    return next((r for r in READERS if suffix in r.suffixes), None)


def extract(path: Path) -> Extracted:
    reader = reader_for(path)
    if reader is None:
        raise BadDocument(f"{Path(path).suffix or 'no extension'} is not a supported format")
    return reader.read(path.read_bytes())
