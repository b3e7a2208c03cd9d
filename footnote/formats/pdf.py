"""A PDF's text layer (pypdf), with the offset where each page starts so a citation can name
its page, less the running heads, footers and page numbers repeated on every page; a scanned
page, which has none or only a stamp on its picture, read by OCR (:mod:`.ocr`)."""

from __future__ import annotations

import re
from collections import Counter

from footnote.errors import BadDocument
from footnote.formats.base import Extracted, Reader, paged, tidy

# Running heads and footers: a line at the top or bottom of this many pages, its numbers aside
# (a chapter title, "Company confidential", "Page 3 of 9"), is the page's, not the text's; of
# two pages when the page number opens or closes it ("Chapter 2: Parsing 14")
RUNNING_PAGES = 3
_PAGE_EDGE = 2  # lines at each end of a page where running heads and page numbers sit
_PAGE_NUMBER = re.compile(  # 12, xiv, Page 3 of 9, 3/9 (a roman numeral as such: not "civic")
    r"(?i)(?:page\s+)?(?:\d+|(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3}))"
    r"(?:\s*(?:/|of)\s*\d+)?"
)


# A page whose text layer holds fewer words than this may be a scan with a stamp on it (a Bates
# number, "Confidential", a fax header): its picture is read when pictures cover the page, and its
# text replaces the stamp's when it holds NEW_WORDS words the stamp does not (a slide's
# background photo holds none, and its title reads better from the text layer)
THIN_WORDS = 30
NEW_WORDS = 5


def _words(lines: list[str]) -> list[str]:
    return re.findall(r"\w+", " ".join(lines).lower())


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
                tidy((page.extract_text() or "").splitlines())
                for page in Pdf(io.BytesIO(data)).pages
            ]
        except (PdfReadError, ValueError, KeyError, OSError) as error:
            raise BadDocument(f"not a readable PDF ({error})") from None
        pages = _with_pictures_read(data, pages)
        read = paged(without_running_lines(pages))
        if not read.text.strip():
            raise BadDocument("the PDF has no text layer, and no text could be read on its pages")
        return read


def _with_pictures_read(data: bytes, pages: list[list[str]]) -> list[list[str]]:
    """``pages`` with those that are pictures of text read by OCR: a page with no text layer,
    or with a stamp's few words over a picture that holds more."""
    thin = [index for index, lines in enumerate(pages) if len(_words(lines)) < THIN_WORDS]
    if not thin:
        return pages
    from footnote.formats.ocr import scanned_pages

    blank = {index for index in thin if not pages[index]}
    read = list(pages)
    for index, lines in scanned_pages(data, thin, blank).items():
        if len(set(_words(lines)) - set(_words(pages[index]))) >= NEW_WORDS or not pages[index]:
            read[index] = tidy(lines)
    return read
