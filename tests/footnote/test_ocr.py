"""Scanned PDFs: pages that are only pictures of their text are read by OCR."""

from __future__ import annotations

import pytest
from fpdf import FPDF

from footnote.errors import BadDocument
from footnote.formats import PdfReader
from tests.support import pdf_bytes


def scanned(*pages: str) -> bytes:
    """A scan of a PDF with these pages: each page only a picture of its text."""
    import pypdfium2 as pdfium

    original = pdfium.PdfDocument(pdf_bytes(*pages))
    scan = FPDF()
    for page in original:
        scan.add_page()
        picture = page.render(scale=150 / 72).to_pil().convert("L")
        scan.image(picture, x=0, y=0, w=scan.w, h=scan.h)
    return bytes(scan.output())


def test_a_scanned_pdf_is_read_by_ocr_page_by_page() -> None:
    pier = (
        "The new pier was finished in March 2024, two months late. It cost four million "
        "euros to build, paid by the regional fund."
    )
    read = PdfReader().read(scanned(pier, "Ferries now dock at the new pier every hour."))
    assert " ".join(read.text.split()) == pier + " Ferries now dock at the new pier every hour."
    assert read.text[read.pages[1] :] == "Ferries now dock at the new pier every hour."
    # a line the model reads without its spaces ("The lighthouseonSkarvholmenwasbuilt") gets
    # them back from the gaps between its letters
    lighthouse = "The lighthouse on Skarvholmen was built in 1871 and automated in 1989."
    assert PdfReader().read(scanned(lighthouse)).text == lighthouse

    blank = FPDF()
    blank.add_page()  # no text and no picture: nothing to read, and no time spent reading
    with pytest.raises(BadDocument, match="no text could be read"):
        PdfReader().read(bytes(blank.output()))
