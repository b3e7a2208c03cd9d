"""Pictures of pages: a photo of a letter, a screenshot, a scanner's TIFF, read by OCR."""

from __future__ import annotations

from footnote.errors import BadDocument
from footnote.formats.base import Extracted, Reader, paged, tidy


class PictureReader(Reader):
    """The text OCR reads in a picture (:mod:`.ocr`), a page per frame: a multi-page TIFF's
    citations name the page. Lines may be wrapped, as a scanned PDF's are."""

    suffixes = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp")
    format = "picture"

    def read(self, data: bytes) -> Extracted:
        from footnote.formats.ocr import picture_pages

        read = paged(tidy(lines) for lines in picture_pages(data))
        if not read.text.strip():
            raise BadDocument("no text could be read in the picture")
        return read
