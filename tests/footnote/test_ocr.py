"""Scanned PDFs and pictures of pages: their text is read by OCR."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

import pytest
from fpdf import FPDF
from PIL import ExifTags, Image

from footnote.errors import BadDocument
from footnote.formats import PdfReader, PictureReader, ocr, reader_for
from footnote.formats.ocr import MAX_SIDE, _upright
from footnote.formats.spacing import spaced
from tests.support import pdf_bytes, photo, pictured, saved


def scanned(*pages: str) -> bytes:
    """A scan of a PDF with these pages: each page only a picture of its text."""
    return scan(pdf_bytes(*pages))


def scan(pdf: bytes) -> bytes:
    """The PDF ``pdf`` as a scanner gives it back: each page only a picture of itself."""
    scan = FPDF()
    for picture in pictured(pdf):
        scan.add_page()
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


def test_a_scan_with_a_stamp_on_it_is_read_by_ocr_and_a_title_over_a_photo_is_not() -> None:
    pier = "The new pier was finished in March 2024, two months late."
    pages = FPDF()
    pages.set_auto_page_break(False)
    pages.set_font("helvetica", size=10)
    # a scanned page with a Bates number on its text layer, as legal papers come, its picture
    # stored in two strips, as some scanners store it
    pages.add_page()
    picture = pictured(pdf_bytes(pier))[0]
    width, height = picture.size
    for top in (0, height // 2):
        strip = picture.crop((0, top, width, top + height // 2))
        pages.image(strip, x=0, y=pages.h * top / height, w=pages.w, h=pages.h / 2)
    pages.set_xy(150, 280)
    pages.cell(0, 5, "HARB-0041")
    # a cover: a title on its text layer over a photo that holds no text
    pages.add_page()
    pages.image(Image.new("RGB", (600, 850), (200, 220, 240)), x=0, y=0, w=pages.w, h=pages.h)
    pages.set_xy(20, 40)
    pages.cell(0, 5, "Harbour report 2024")

    read = PdfReader().read(bytes(pages.output()))
    assert read.text[: read.pages[1]].split() == (pier + " HARB-0041").split()
    assert read.text[read.pages[1] :] == "Harbour report 2024"


TITLE = "Skarvik in the age of steam: the harbour and the railway"
LEFT = (
    "The harbour of Skarvik was dredged in 1902 so that larger steamers could reach the quay. "
    "Before that, goods were carried out to ships at anchor by rowing boats."
)
RIGHT = (
    "A railway line reached the town in 1911. It carried ore from the mines in the hills down "
    "to the new quay, where it was loaded straight into ships bound for Rotterdam."
)
END = "Both the quay and the railway closed in 1968, when the last mine was shut down."


def test_a_scanned_page_in_two_columns_reads_one_column_then_the_next() -> None:
    page = FPDF()
    page.add_page()
    page.set_font("helvetica", "B", 14)
    page.multi_cell(0, 8, TITLE)  # across both columns, as is the closing paragraph
    page.set_font("helvetica", size=11)
    top = page.get_y() + 4
    page.set_xy(10, top)
    page.multi_cell(90, 6, LEFT)
    page.set_xy(110, top)
    page.multi_cell(90, 6, RIGHT)
    page.set_xy(10, page.get_y() + 12)
    page.multi_cell(0, 6, END)
    with page.table() as table:  # a table's columns are not columns of text: a row a line
        for cells in [("City", "Rainfall (mm)"), ("Narvik", "1145"), ("Molde", "1666")]:
            row = table.row()
            for cell in cells:
                row.cell(cell)

    read = PdfReader().read(scan(bytes(page.output()))).text
    # compared without spaces, which the model sometimes drops ("inthehills")
    assert "".join(read.split()) == "".join(f"{TITLE}{LEFT}{RIGHT}{END}".split()) + (
        "CityRainfall(mm)Narvik1145Molde1666"
    )
    assert read.splitlines()[-2:] == ["Narvik 1145", "Molde 1666"]
    # spaces the model dropped, put back: "inthehills", "boundforRotterdam."
    assert "ore from the mines in the hills down" in read and "bound for Rotterdam." in read


def letters(text: str, gaps: dict[int, float]) -> list[list[list[float]]]:
    """Boxes of ``text``'s letters, 10 pixels wide, touching but where ``gaps`` says."""
    boxes, left = [], 0.0
    for i, _ in enumerate(text):
        left += gaps.get(i, 0.0)
        boxes.append([[left, 0.0], [left + 10, 0.0], [left + 10, 12.0], [left, 12.0]])
        left += 10
    return boxes


@pytest.mark.parametrize(
    ("read", "gaps", "mended"),
    [
        ("in the hills", {}, "in the hills"),  # a line it read right stays as it is
        ("from inthehills", {7: 3, 10: 2}, "from in the hills"),  # common words, and room
        ("thyroiditis", {}, "thyroiditis"),  # a rare word: no room where it would split
        ("Frontex, in 1968,when", {17: 3}, "Frontex, in 1968, when"),
        ("e.g. quay.Before", {10: 4}, "e.g. quay. Before"),
        ("ferry toSkarvik, by JavaScript", {8: 3}, "ferry to Skarvik, by JavaScript"),
    ],
)
def test_spaces_the_model_dropped_come_back_where_the_letters_leave_room(
    read: str, gaps: dict[int, float], mended: str
) -> None:
    assert spaced(read, letters(read, gaps), list(read)) == mended


def test_a_picture_of_a_page_is_read_as_a_scan_is() -> None:
    reader = reader_for("letter.JPG")
    assert isinstance(reader, PictureReader)
    pier = "The new pier was finished in March 2024, two months late."
    assert reader.read(saved(photo(pier), "PNG")).text == pier

    # a phone holds the picture sideways and says in its EXIF how to turn it upright
    sideways = photo(pier).rotate(90, expand=True)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # turn a quarter clockwise to view
    assert reader.read(saved(sideways, "JPEG", exif=exif, quality=95)).text == pier

    # a scanner's TIFF holds a page a frame: citations name the page, a blank one counted
    ferries = "Ferries now dock at the new pier every hour."
    frames = [photo(pier), Image.new("L", (600, 800), "white"), photo(ferries)]
    tiff = saved(frames[0], "TIFF", save_all=True, append_images=frames[1:])
    read = reader.read(tiff)
    assert read.text == f"{pier}\n\n{ferries}"
    assert read.pages == (0, len(pier) + 1, len(pier) + 2)


def test_an_icon_or_a_broken_picture_is_refused_with_the_reason() -> None:
    reader = PictureReader()
    with pytest.raises(BadDocument, match="64x64 picture is too small"):
        reader.read(saved(Image.new("RGB", (64, 64), "white"), "PNG"))
    with pytest.raises(BadDocument, match="not a readable picture"):
        reader.read(b"\x89PNG\r\n\x1a\n but then nothing a picture holds")
    with pytest.raises(BadDocument, match="no text could be read"):
        reader.read(saved(Image.new("L", (600, 800), "white"), "PNG"))


def test_a_huge_photo_is_brought_down_to_a_size_worth_reading() -> None:
    assert _upright(Image.new("L", (12_000, 9_000))).size == (MAX_SIDE, 3000)
    assert _upright(Image.new("L", (900, 1200))).size == (900, 1200)  # never blown up


def test_the_pages_read_are_kept_for_the_documents_used_last(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Re-ingesting a scan reads none of its pages again, and the cache forgets the document
    least recently used, not the one read first."""
    monkeypatch.setattr(ocr, "KEPT_DOCUMENTS", 2)
    monkeypatch.setattr(ocr, "_read", OrderedDict())
    shown: list[str] = []

    def page(document: str) -> Callable[[], Image.Image]:
        def picture() -> Image.Image:
            shown.append(document)
            return Image.new("L", (64, 64), color=255)

        return picture

    with ocr._LOCK:
        for document in ["first", "second", "first", "third", "first"]:
            assert ocr._cached(document, 0, page(document)) == []
    assert shown == ["first", "second", "third"]
    assert list(ocr._read) == ["third", "first"]
