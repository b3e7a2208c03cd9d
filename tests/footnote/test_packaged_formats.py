"""OpenDocument text, PowerPoint and EPUB files as pandoc writes them (``tests/documents``),
Excel workbooks as openpyxl writes them, and CSV and TSV tables: each read as a person reads
it, headings and tables included."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.enum.style import WD_STYLE_TYPE

from footnote.errors import BadDocument
from footnote.formats import (
    CsvReader,
    EpubReader,
    OdpReader,
    OdsReader,
    OdtReader,
    PptxReader,
    TsvReader,
    XlsxReader,
    reader_for,
)
from footnote.formats import base as formats_base
from footnote.formats.base import Extracted, joined_lines

DOCUMENTS = Path(__file__).parents[1] / "documents"
ROWS = [
    "Vessel: Ferry | Berths: 2 | Calls per week: 84",
    "Vessel: Cargo | Berths: 3 | Calls per week: 12",
]
PIER = (
    "The new pier was finished in March 2024, two months late.{mark} It cost four million "
    "euros to build, paid by the regional fund."
)


def read(name: str) -> Extracted:
    path = DOCUMENTS / name
    reader = reader_for(path)
    assert reader is not None
    return reader.read(path.read_bytes())


def lines(extracted: Extracted) -> list[str]:
    return extracted.text.split("\n")


def headings(extracted: Extracted) -> list[tuple[int, str]]:
    for heading in extracted.headings:  # each located where its line starts
        assert extracted.text[heading.start :].startswith(heading.text)
    return [(h.level, h.text) for h in extracted.headings]


def test_an_opendocument_text_reads_in_order_with_headings_tables_and_footnotes() -> None:
    odt = read("harbour.odt")
    assert lines(odt)[:6] == [
        "Harbour Report 2024",
        "Port Authority of Lindholm",
        "Construction",
        PIER.format(mark=""),  # the footnote's mark is not read into the sentence ...
        "Work stopped twice for winter storms.",  # ... its text follows the paragraph
        "The contractor paid a penalty of 120,000 euros for the delay.",
    ]
    assert lines(odt)[9:11] == ROWS
    assert headings(odt) == [
        (1, "Harbour Report 2024"),  # the Title paragraph
        (1, "Construction"),
        (1, "Traffic"),
        (2, "Passengers"),
    ]


def test_a_table_of_contents_is_left_out_of_word_and_opendocument_text() -> None:
    """Its entries say where a heading is ("Traffic 3"), and would be quoted for it."""
    original = (DOCUMENTS / "harbour.odt").read_bytes()
    contents = (
        b'<text:table-of-content text:name="Contents"><text:index-body>'
        b'<text:index-title><text:p text:style-name="Contents_20_Heading">Contents</text:p>'
        b'</text:index-title><text:p text:style-name="Contents_20_1">Construction<text:tab/>1'
        b'</text:p><text:p text:style-name="Contents_20_1">Traffic<text:tab/>3</text:p>'
        b"</text:index-body></text:table-of-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as old, zipfile.ZipFile(buffer, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "content.xml":
                data = data.replace(b"<office:text>", b"<office:text>" + contents)
            new.writestr(zipfile.ZipInfo(item.filename), data)
    odt = OdtReader().read(buffer.getvalue())
    assert odt.text == read("harbour.odt").text

    document = docx.Document()
    document.styles.add_style("TOC 1", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Construction\t1", style="TOC 1")
    document.add_paragraph("Traffic\t3", style="TOC 1")
    document.add_heading("Traffic", level=1)
    document.add_paragraph("Ferries now dock at the new pier every hour.")
    saved = io.BytesIO()
    document.save(saved)
    word = reader_for("x.docx")
    assert word is not None
    assert word.read(saved.getvalue()).text == (
        "Traffic\nFerries now dock at the new pier every hour."
    )


def test_a_deck_reads_slide_by_slide_each_a_page_with_its_speaker_notes() -> None:
    deck = read("harbour.pptx")
    text = deck.text
    ends = [*deck.pages[1:], len(text)]
    slides = [text[start:end] for start, end in zip(deck.pages, ends, strict=True)]
    assert len(slides) == 5
    assert slides[0].strip() == "Harbour Report 2024\nPort Authority of Lindholm"
    assert slides[1].strip() == (
        "Construction\n"
        + PIER.format(mark="1")  # a superscript reads where it stands
        + "\nThe contractor paid a penalty of 120,000 euros for the delay."  # the notes
    )
    assert slides[2].strip().split("\n")[-2:] == ROWS  # the table's header row names the columns
    assert ("Traffic" in slides[2]) and "410,000 passengers" in slides[3]
    assert headings(deck)[1:3] == [(1, "Construction"), (1, "Traffic")]  # slide titles


def test_a_slide_with_no_text_keeps_the_numbers_of_the_slides_after_it() -> None:
    """A slide that is only a picture, second and last: citations of slide 3 name slide 3."""
    deck = joined_lines([("Harbour", 1), ("Ferries", 0)], page_starts=[0, 1, 1, 2])
    assert deck.text == "Harbour\nFerries"
    assert deck.pages == (0, 8, 8, len(deck.text))
    assert sum(start <= deck.text.index("Ferries") for start in deck.pages) == 3


def test_a_deck_reads_in_the_order_it_is_shown_not_its_file_names() -> None:
    """Moving a slide in PowerPoint reorders the presentation's list, not the slide files."""
    original = (DOCUMENTS / "harbour.pptx").read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as old, zipfile.ZipFile(buffer, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "ppt/presentation.xml":
                ids = re.findall(rb"<p:sldId [^>]*/>", data)
                listed = b"".join(ids)
                assert listed in data
                data = data.replace(listed, b"".join([ids[-1], *ids[:-1]]))
            new.writestr(item, data)
    moved = PptxReader().read(buffer.getvalue())
    assert moved.text.startswith("Notes\n1. Work stopped")  # the last slide, shown first
    assert moved.pages[1] == moved.text.index("Harbour Report 2024")


def test_an_epub_reads_its_spine_without_the_table_of_contents() -> None:
    book = read("harbour.epub")
    assert book.text.count("Construction") == 1  # the navigation document lists it again
    assert PIER.format(mark="1") in lines(book)
    assert "Work stopped twice for winter storms." in lines(book)  # no back-link arrow
    assert [line for line in lines(book) if line.startswith("Vessel:")] == ROWS
    assert headings(book) == [
        (1, "Harbour Report 2024"),  # its title page
        (1, "Construction"),
        (1, "Traffic"),
        (2, "Passengers"),
    ]
    assert lines(book)[0] == "Harbour Report 2024"  # not repeated before it


def test_an_epub_chapter_leaves_out_what_a_web_page_does() -> None:
    """A chapter made by a site generator carries the same permalinks and contents lists."""
    chapter = "EPUB/text/ch002.xhtml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(DOCUMENTS / "harbour.epub") as old, zipfile.ZipFile(buffer, "w") as new:
        for item in old.namelist():
            data = old.read(item)
            if item == chapter:
                data = data.replace(
                    b'<h1 data-number="2">Traffic</h1>',
                    b'<ul><li><a href="#traffic">Traffic</a></li></ul><h1 data-number="2">'
                    b'<a class="anchor" href="#traffic">\xc2\xa7</a>Traffic</h1>',
                )
            new.writestr(item, data)
    assert EpubReader().read(buffer.getvalue()) == read("harbour.epub")


def test_a_csv_table_reads_a_row_per_line_each_cell_naming_its_column() -> None:
    table = "\ufeffStation,Rainfall (mm),Note\nOslo,763,\n" + '"Bergen, Vestland",2250,"wettest"\n'
    read = CsvReader().read(table.encode())  # with the byte-order mark Excel writes
    assert read.text == (
        "Station | Rainfall (mm) | Note\n"
        "Station: Oslo | Rainfall (mm): 763\n"
        "Station: Bergen, Vestland | Rainfall (mm): 2250 | Note: wettest"
    )
    semicolons = CsvReader().read(b"Station;Rainfall (mm)\nOslo;763,5\n")
    assert semicolons.text.endswith("Station: Oslo | Rainfall (mm): 763,5")
    tabs = TsvReader().read(b"Station\tRainfall (mm)\nOslo\t763\n")
    assert tabs.text.endswith("Station: Oslo | Rainfall (mm): 763")


def workbook_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    rain = workbook.active
    rain.title = "Rainfall"
    rain.append(["Station", "Rainfall (mm)", "Measured"])
    rain.append(["Oslo", 763.0, datetime.datetime(2024, 3, 1)])
    rain.append(["Bergen", 2250.5, None, None])  # a trailing empty cell
    rain.append([])
    staff = workbook.create_sheet("Staff   list")
    staff.append([None, None])  # blank rows above the header
    staff.append(["Name", "Role"])
    staff.append(["Ada", "Forecaster"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_workbook_reads_sheet_by_sheet_each_row_naming_its_columns() -> None:
    book = XlsxReader().read(workbook_bytes())
    assert book.text == (
        "Rainfall\n"
        "Station | Rainfall (mm) | Measured\n"
        "Station: Oslo | Rainfall (mm): 763 | Measured: 2024-03-01\n"
        "Station: Bergen | Rainfall (mm): 2250.5\n"
        "Staff list\n"
        "Name | Role\n"
        "Name: Ada | Role: Forecaster"
    )
    assert headings(book) == [(1, "Rainfall"), (1, "Staff list")]


@pytest.mark.parametrize(
    "name", ["harbour.odt", "harbour.pptx", "harbour.epub", "book.xlsx", "deck.odp", "book.ods"]
)
def test_a_zipped_document_that_is_broken_or_unpacks_too_far_is_refused(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    reader = reader_for(name)
    assert reader is not None
    made = {
        "book.xlsx": workbook_bytes,
        "deck.odp": lambda: opendocument("presentation", f"<draw:page>{PIER_XML * 30}</draw:page>"),
        "book.ods": lambda: opendocument(
            "spreadsheet", f"<table:table>{PIER_XML * 30}</table:table>"
        ),
    }
    data = made[name]() if name in made else (DOCUMENTS / name).read_bytes()
    assert reader.read(data).text
    with pytest.raises(BadDocument, match="not a zip archive"):
        reader.read(b"PK\x03\x04 but nothing after")
    monkeypatch.setattr(formats_base, "MAX_UNZIPPED_BYTES", 2000)  # a zip bomb, scaled down
    with pytest.raises(BadDocument, match="unpacks to more than"):
        reader.read(data)


def test_readers_name_their_formats() -> None:
    suffixes = ("odt", "odp", "ods", "pptx", "epub", "csv", "tsv", "xlsx")
    assert [type(reader_for(f"x.{s}")) for s in suffixes] == [
        OdtReader,
        OdpReader,
        OdsReader,
        PptxReader,
        EpubReader,
        CsvReader,
        TsvReader,
        XlsxReader,
    ]


PIER_PLAIN = "The new pier was finished in March 2024, two months late."
PIER_XML = (
    "<table:table-row><table:table-cell><text:p>"
    f"{PIER_PLAIN}"
    "</text:p></table:table-cell></table:table-row>"
)
NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"'
)


def opendocument(kind: str, body: str) -> bytes:
    """A LibreOffice file of ``kind`` (presentation, spreadsheet) whose content is ``body``,
    laid out as LibreOffice 7 writes one."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NAMESPACES}>'
        f"<office:body><office:{kind}>{body}</office:{kind}></office:body>"
        "</office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("mimetype", f"application/vnd.oasis.opendocument.{kind}")
        package.writestr("content.xml", content)
    return out.getvalue()


def test_a_libreoffice_deck_reads_slide_by_slide_with_titles_and_notes() -> None:
    def slide(title: str, body: str, notes: str = "") -> str:
        return (
            f'<draw:page draw:name="page"><draw:frame presentation:class="title">'
            f"<draw:text-box><text:p>{title}</text:p></draw:text-box></draw:frame>"
            f'<draw:frame presentation:class="outline"><draw:text-box>{body}</draw:text-box>'
            f"</draw:frame><presentation:notes><draw:frame><draw:text-box>{notes}"
            "</draw:text-box></draw:frame></presentation:notes></draw:page>"
        )

    deck = OdpReader().read(
        opendocument(
            "presentation",
            slide(
                "Construction",
                f"<text:list><text:list-item><text:p>{PIER_PLAIN}</text:p>"
                "</text:list-item></text:list>",
                "<text:p>The contractor paid a penalty.</text:p>",
            )
            + '<draw:page draw:name="photo"><draw:frame><draw:image/></draw:frame></draw:page>'
            + slide("Traffic", "<text:p>Ferries<text:s/>dock every hour.</text:p>"),
        )
    )
    assert deck.text == (
        f"Construction\n{PIER_PLAIN}\nThe contractor paid a penalty.\nTraffic\n"
        "Ferries dock every hour."
    )
    traffic = deck.text.index("Traffic")
    assert deck.pages == (0, traffic, traffic)  # the photo slide has no text, and a number
    assert headings(deck) == [(1, "Construction"), (1, "Traffic")]


def test_a_libreoffice_sheet_reads_a_row_per_line_as_shown() -> None:
    def cell(text: str, repeat: int = 1, **attributes: str) -> str:
        extra = "".join(f' office:{k.replace("_", "-")}="{v}"' for k, v in attributes.items())
        count = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
        inner = f"<text:p>{text}</text:p>" if text else ""
        return f"<table:table-cell{count}{extra}>{inner}</table:table-cell>"

    rows = [
        cell("Station") + cell("Rainfall") + cell("", 2) + cell("Measured"),
        cell("Oslo")
        + cell("12%", value_type="percentage", value="0.12")
        + cell("")  # two empty cells written apart: they line up with the header's pair
        + cell("")
        + cell("01.03.24", value_type="date", date_value="2024-03-01"),
    ]
    sheet = "".join(f"<table:table-row>{row}{cell('', 1019)}</table:table-row>" for row in rows)
    empty = '<table:table-row table:number-rows-repeated="1048574">' + cell("", 1024)
    book = OdsReader().read(
        opendocument(
            "spreadsheet",
            f'<table:table table:name="Rain fall">{sheet}{empty}</table:table-row></table:table>',
        )
    )
    assert book.text == (
        "Rain fall\n"
        "Station | Rainfall | Measured\n"
        "Station: Oslo | Rainfall: 12% | Measured: 2024-03-01"
    )
    assert headings(book) == [(1, "Rain fall")]
