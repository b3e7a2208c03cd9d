"""Word documents: paragraphs, tables, content controls and notes, in the order they stand."""

from __future__ import annotations

import io

import docx

from footnote.formats import DocxReader


def test_a_word_documents_tables_are_read_in_place_a_row_per_line() -> None:
    document = docx.Document()
    document.add_heading("Orchard report", 1)
    document.add_paragraph("The orchard grows pears and apples.")
    table = document.add_table(rows=3, cols=3)
    rows = [("Fruit", "Trees", "Since"), ("Pear", "40", "1990"), ("Apple", "25", "2001")]
    for number, row in enumerate(rows):
        for column, value in enumerate(row):
            table.cell(number, column).text = value
    table.cell(0, 1).merge(table.cell(0, 2)).text = "Trees planted"
    document.add_paragraph("The cider press is new.")
    buffer = io.BytesIO()
    document.save(buffer)
    assert DocxReader().read(buffer.getvalue()).text.splitlines() == [
        "Orchard report",
        "The orchard grows pears and apples.",
        "Fruit | Trees planted",
        "Pear | 40 | 1990",
        "Apple | 25 | 2001",
        "The cider press is new.",
    ]


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


NOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"


def _with_footnote(document: bytes, note: str) -> bytes:
    """``document`` with footnote 1 (which a run of it must cite) saying ``note``: the part
    Word writes, its relationship and its content type."""
    import zipfile

    notes = (
        f'<w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/>'
        f'</w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>{note}</w:t></w:r></w:p>'
        "</w:footnote></w:footnotes>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(document)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
                )
            elif item.filename == "word/_rels/document.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    f'<Relationship Id="rIdNotes" Type="{NOTES}" Target="footnotes.xml"/>'
                    "</Relationships>".encode(),
                )
            target.writestr(item, data)
        target.writestr("word/footnotes.xml", notes)
    return out.getvalue()


def test_a_word_documents_content_controls_and_footnotes_are_read_in_place() -> None:
    from docx.oxml import parse_xml

    document = docx.Document()
    body = document.element.body
    contents = (  # a table of contents, in the content control Word puts it in
        f"<w:sdt {W}><w:sdtPr><w:docPartObj><w:docPartGallery w:val='Table of Contents'/>"
        "</w:docPartObj></w:sdtPr><w:sdtContent><w:p><w:r><w:t>Contents</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>Orchard report 1</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    body.sectPr.addprevious(parse_xml(contents))  # the section's settings close the body
    cover = (  # a cover page's title, in a content control with one inline inside it
        f"<w:sdt {W}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t xml:space='preserve'>Orchard "
        "</w:t></w:r><w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t>report</w:t></w:r></w:sdtContent>"
        "</w:sdt></w:p></w:sdtContent></w:sdt>"
    )
    body.sectPr.addprevious(parse_xml(cover))
    cited = document.add_paragraph("The orchard grows 40 pear trees.")
    cited._p.append(parse_xml(f"<w:r {W}><w:footnoteReference w:id='1'/></w:r>"))
    document.add_paragraph("The cider press is new.")
    saved = io.BytesIO()
    document.save(saved)

    read = DocxReader().read(_with_footnote(saved.getvalue(), "Counted in May 2024."))
    assert read.text.splitlines() == [
        "Orchard report",
        "The orchard grows 40 pear trees.",
        "Counted in May 2024.",
        "The cider press is new.",
    ]


def test_a_superscript_in_word_reads_raised_as_in_a_web_page() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("An i8 holds up to 2")
    paragraph.add_run("7").font.superscript = True
    paragraph.add_run(" − 1 on 3 m")
    paragraph.add_run("2").font.superscript = True
    paragraph.add_run(" since the 19")
    paragraph.add_run("th").font.superscript = True
    paragraph.add_run(" century.")
    buffer = io.BytesIO()
    document.save(buffer)
    assert DocxReader().read(buffer.getvalue()).text == (
        "An i8 holds up to 2^7 − 1 on 3 m^2 since the 19th century."
    )
