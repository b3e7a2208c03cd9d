"""Pictures of pages: a photo of a letter, a screenshot, a scanner's TIFF, read by OCR."""

from __future__ import annotations

from dataclasses import replace

from footnote.errors import BadDocument
from footnote.formats.base import Extracted, Reader, joined_lines, tidy


class PictureReader(Reader):
    """The text OCR reads in a picture (:mod:`.ocr`), a page per frame: a multi-page TIFF's
    citations name the page. Lines may be wrapped, as a scanned PDF's are."""

    suffixes = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp")
    format = "picture"

    def read(self, data: bytes) -> Extracted:
        from footnote.formats.ocr import picture_pages

        lines: list[tuple[str, int]] = []
        starts = []
        for page in picture_pages(data):
            starts.append(len(lines))
            lines.extend((line, 0) for line in tidy(page))
        if not lines:
            raise BadDocument("no text could be read in the picture")
        return replace(joined_lines(lines, page_starts=starts), wrapped=True)
