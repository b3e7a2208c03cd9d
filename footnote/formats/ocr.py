"""Text read from pictures of pages: a scanned PDF has no text layer, only an image a page,
and a photo, screenshot or scanner's TIFF is nothing but pictures.

A PDF page is rendered by pdfium (pypdfium2), a picture file opened by Pillow, and either is
read by RapidOCR: PaddleOCR's PP-OCRv4 detection and recognition models in ONNX, inside its
PyPI package, run by onnxruntime on the CPU. Nothing is downloaded. Then the boxes it finds
are put in reading order (columns, blocks) and the spaces it drops put back. Reading takes
seconds a page on two cores, so only PDF pages with no text layer and an image on them, or a
few words of text layer over a picture of the whole page, are read, and a document's pages are
kept, by the hash of its bytes, for the next request of its text (``GET /sources/{name}``
reads a file again).
"""

from __future__ import annotations

import hashlib
import io
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache, partial
from typing import Any

from footnote.errors import BadDocument
from footnote.formats.layout import Box, reading_order
from footnote.formats.spacing import spaced

logger = logging.getLogger(__name__)

DPI = 200  # enough for 10-point type; reading time grows with the pixels
KEPT_DOCUMENTS = 16
_LOCK = threading.Lock()  # one page at a time (the models use every core), and the cache
# Pages read in this process, by document (its bytes' hash) then page index, so a scan read
# again (uploaded twice, or re-ingested by the running server) costs no OCR; the documents
# least recently used are forgotten first.
_read: OrderedDict[str, dict[int, list[str]]] = OrderedDict()


@lru_cache(maxsize=1)
def _engine() -> Any:
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def scanned_pages(data: bytes, pages: list[int], blank: set[int]) -> dict[int, list[str]]:
    """The lines read from those of ``pages`` (indexes of pages with a few words of text layer
    or none) of the PDF ``data`` that are pictures of text: a page that images all but cover,
    or one of ``blank`` (no text layer) that holds an image. A blank page with no image is a
    blank page, not a scan, and is not read."""
    import pypdfium2 as pdfium

    key = hashlib.sha256(data).hexdigest()
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise BadDocument(f"not a readable PDF ({error})") from None
    found: dict[int, list[str]] = {}
    with _LOCK:
        try:
            for index in pages:
                page = document[index]
                covered = _pictured_share(page)
                if covered >= COVERED or (index in blank and covered > 0):
                    found[index] = _cached(key, index, partial(_rendered, page))
        finally:
            document.close()
    return found


# A page this much of which its images cover is a picture of a page, whatever text layer sits
# on it: a scan with a stamp (a Bates number, "Confidential", a fax header), or a slide whose
# background holds its text. Some scanners store a page as strips, an image each.
COVERED = 0.8


def _pictured_share(page: Any) -> float:
    """The share of ``page`` its images cover (0 with none; overlaps counted twice)."""
    import pypdfium2.raw as pdfium_c

    width, height = page.get_size()
    shares: list[float] = []
    for thing in page.get_objects(max_depth=2):
        if thing.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            left, bottom, right, top = thing.get_bounds()
            seen_width = min(right, width) - max(left, 0.0)
            seen_height = min(top, height) - max(bottom, 0.0)
            shares.append(max(seen_width, 0.0) * max(seen_height, 0.0) / (width * height))
    return min(sum(shares), 1.0)


def _rendered(page: Any) -> Any:
    return page.render(scale=DPI / 72).to_pil()


# A picture smaller than this on its short side holds no page of text worth reading: an icon,
# a logo, a button. A folder of web pages or documentation is full of them, and reading each
# would cost a second of OCR for a word or two.
MIN_SIDE = 300  # pixels


def picture_pages(data: bytes) -> list[list[str]]:
    """The lines read from each frame of a picture file: a photo or screenshot is one page, a
    TIFF from a scanner holds a page a frame. Turned upright as its camera's EXIF says."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    key = hashlib.sha256(data).hexdigest()
    try:
        picture = Image.open(io.BytesIO(data))
        if min(picture.size) < MIN_SIDE:
            width, height = picture.size
            raise BadDocument(
                f"a {width}x{height} picture is too small to hold a page of text (an icon or a "
                f"logo?): a scan or photo of a page is at least {MIN_SIDE} pixels each way"
            )
        with _LOCK:
            return [
                _cached(key, index, partial(_upright, frame))
                for index, frame in enumerate(ImageSequence.Iterator(picture))
            ]
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as error:
        raise BadDocument(f"not a readable picture ({error})") from None


# A picture's longer side is brought down to this many pixels before it is read: an A4 page at
# 340 dpi, more than legible type needs; a 48-megapixel phone photo would take far longer and
# hold four times the memory for the same text.
MAX_SIDE = 4000


def _upright(frame: Any) -> Any:
    """A frame as it is meant to be seen (its EXIF orientation), no larger than MAX_SIDE."""
    from PIL import ImageOps

    upright = ImageOps.exif_transpose(frame)
    upright.thumbnail((MAX_SIDE, MAX_SIDE))
    return upright


def _cached(key: str, index: int, picture: Callable[[], Any]) -> list[str]:
    """Page ``index`` of the document whose bytes hash to ``key``: read before, or read now
    from ``picture()`` (logged page by page: a long scan takes minutes). Under ``_LOCK``."""
    pages = _read.setdefault(key, {})
    _read.move_to_end(key)
    while len(_read) > KEPT_DOCUMENTS:
        _read.popitem(last=False)
    if index in pages:
        return pages[index]
    started = time.perf_counter()
    lines = _lines(picture().convert("RGB"))
    took = time.perf_counter() - started
    logger.info("read page %d by OCR in %.1f s (%d lines)", index + 1, took, len(lines))
    pages[index] = lines
    return lines


def _lines(image: Any) -> list[str]:
    """A page's text a line each, in reading order (:mod:`.layout`), with the spaces the
    model dropped put back (:mod:`.spacing`)."""
    # pages are scanned upright: the model that turns upside-down lines over turned some
    # upright lines of a plain page over, which then read as noise
    result, _ = _engine()(image, use_cls=False, return_word_box=True)
    boxes = []
    for corners, text, _score, *letters in result or []:
        xs, ys = [point[0] for point in corners], [point[1] for point in corners]
        read = spaced(text, *letters[:2]) if len(letters) >= 2 else text
        boxes.append(Box(min(xs), max(xs), min(ys), max(ys), read))
    return reading_order(boxes)
