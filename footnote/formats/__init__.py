"""Readers that turn a file into plain text, one per format, behind one small seam.

Offsets in citations index the text a reader returns, so the same reader serves ingest and
``GET /sources/{name}``. Each format uses a maintained parser: BeautifulSoup for HTML (main
text only: no scripts, styles, navigation or page chrome), markdown-it for Markdown and
docutils for reStructuredText (both rendered to HTML, then read as HTML is), pypdf for a PDF's
text layer (with the offset where each page starts, so citations can name the page; pdfium
and RapidOCR for a scanned page, as for a picture file),
python-docx for Word, lxml for the zipped XML of OpenDocument, PowerPoint and EPUB, openpyxl
for Excel and the standard library for CSV, e-mail and Jupyter notebooks.

Each family is a module: :mod:`.base` (what every reader returns, plain text, tables and zip
packages), :mod:`.markup` (HTML and reStructuredText), :mod:`.markdown`, :mod:`.pdf`,
:mod:`.word` (Word), :mod:`.opendocument` (text, presentations and spreadsheets),
:mod:`.slides` (PowerPoint),
:mod:`.ebook` (EPUB), :mod:`.spreadsheets` (Excel, CSV, TSV), :mod:`.notebook` (Jupyter),
:mod:`.mail` (e-mail) and :mod:`.pictures` (photos and scans), with :mod:`.ocr` reading
pictures of pages for it and for :mod:`.pdf`, in the order :mod:`.layout` finds and with the
spaces :mod:`.spacing` puts back. This one is the registry: which reader takes which suffix,
and the version ingest keys passages by.
"""

from __future__ import annotations

import logging
from pathlib import Path

from footnote.errors import BadDocument
from footnote.formats.base import Extracted, Heading, Reader, TextReader
from footnote.formats.ebook import EpubReader
from footnote.formats.mail import EmlReader, MboxReader
from footnote.formats.markdown import MarkdownReader
from footnote.formats.markup import HtmlReader, RstReader
from footnote.formats.notebook import NotebookReader
from footnote.formats.opendocument import OdpReader, OdsReader, OdtReader
from footnote.formats.pdf import PdfReader
from footnote.formats.pictures import PictureReader
from footnote.formats.slides import PptxReader
from footnote.formats.spreadsheets import CsvReader, TsvReader, XlsxReader
from footnote.formats.word import DocxReader

__all__ = [
    "READERS",
    "READERS_VERSION",
    "SAVE_AS",
    "SUPPORTED_SUFFIXES",
    "CsvReader",
    "DocxReader",
    "EmlReader",
    "EpubReader",
    "Extracted",
    "Heading",
    "HtmlReader",
    "MarkdownReader",
    "MboxReader",
    "NotebookReader",
    "OdpReader",
    "OdsReader",
    "OdtReader",
    "PdfReader",
    "PictureReader",
    "PptxReader",
    "Reader",
    "RstReader",
    "TextReader",
    "TsvReader",
    "XlsxReader",
    "extract",
    "extract_bytes",
    "reader_for",
]

logger = logging.getLogger(__name__)


def _attachment(name: str, data: bytes) -> Extracted | None:
    """An e-mail attachment read by the reader for its name, or None for another format."""
    reader = reader_for(name)
    return None if reader is None else extract_bytes(reader, data)


READERS: tuple[Reader, ...] = (
    TextReader(),
    MarkdownReader(),
    RstReader(),
    HtmlReader(),
    PdfReader(),
    PictureReader(),
    DocxReader(),
    OdtReader(),
    OdpReader(),
    OdsReader(),
    PptxReader(),
    EpubReader(),
    CsvReader(),
    TsvReader(),
    XlsxReader(),
    NotebookReader(),
    EmlReader(_attachment),
    MboxReader(_attachment),
)
SUPPORTED_SUFFIXES = frozenset(s for reader in READERS for s in reader.suffixes)
# Ingest keys a document's passages by its file's bytes, not by the text read from them, so an
# unchanged file is never read again: bump this when any reader's output changes, and every
# document is read afresh at the next ingest. 2: HTML inline elements in their line, Markdown
# rendered; 3: PDF running heads; 4: Word tables; 5: byte-order marks; 6: front matter;
# 7: table cells name their column, block formats never unwrapped; 8: reStructuredText;
# 9: headings located, HTML permalinks (¶) left out; 10: footnotes' back-links (↩) left out;
# 11: inline code glued to the word before it spaced apart; 12: Word tables of contents;
# 13: scanned pages in columns read a column at a time; 14: more of the spaces OCR drops;
# 15: pictures; 16: a slide with no text keeps the numbers of the slides after it;
# 17: OpenDocument presentations and spreadsheets; 18: Sphinx roles and MyST, reStructuredText
# fields and Markdown front matter, Word content controls and notes, HTML landmarks, page
# links and DocBook navigation, scans with a stamped text layer, superscripts with a caret,
# glyph permalinks, a page's own table of contents, script buttons, GitHub alerts
READERS_VERSION = "18"


# Formats Footnote does not read but that one save or export away from one it does: a folder
# ingest lists such files as skipped with this, and an upload's refusal says it, rather than
# passing them over in silence.
SAVE_AS = {
    ".doc": "a Word 97-2003 document: save it as .docx (Word or LibreOffice: Save As)",
    ".xls": "an Excel 97-2003 workbook: save it as .xlsx (Excel or LibreOffice: Save As)",
    ".ppt": "a PowerPoint 97-2003 deck: save it as .pptx (PowerPoint or LibreOffice: Save As)",
    ".rtf": "rich text: save it as .docx or .odt (Word or LibreOffice: Save As)",
    ".pages": "a Pages document: export it as .docx (Pages: File > Export To > Word)",
    ".key": "a Keynote deck: export it as .pptx (Keynote: File > Export To > PowerPoint)",
    ".numbers": "a Numbers sheet: export it as .xlsx (Numbers: File > Export To > Excel)",
    ".heic": "an iPhone photo (HEIC): export it as JPEG (Photos: File > Export), or set the "
    "camera to Most Compatible",
    ".heif": "a HEIF photo: export it as JPEG or PNG",
}


def reader_for(path: Path | str) -> Reader | None:
    suffix = Path(path).suffix.lower()
    return next((r for r in READERS if suffix in r.suffixes), None)


def extract(path: Path) -> Extracted:
    reader = reader_for(path)
    if reader is None:
        raise BadDocument(f"{Path(path).suffix or 'no extension'} is not a supported format")
    return extract_bytes(reader, path.read_bytes())


def extract_bytes(reader: Reader, data: bytes) -> Extracted:
    """``reader.read(data)``, any failure a :class:`BadDocument`. Parsers meet damaged files
    in ways they never declared: pypdf raised NotImplementedError, TypeError and its own
    LimitReachedError on about one PDF in thirty with a few bytes changed. One such file must
    be skipped with a reason, not stop an ingest of a thousand or answer an upload with 500;
    the trace goes to the log for whoever maintains the reader."""
    try:
        return reader.read(data)
    except BadDocument:
        raise
    except Exception as error:
        logger.warning("the %s reader failed", reader.format, exc_info=True)
        raise BadDocument(
            f"not a readable {reader.format} file ({type(error).__name__}: {error})"
        ) from None
