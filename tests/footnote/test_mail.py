"""E-mail: a message's headers, body and readable attachments; a mailbox message after message."""

from __future__ import annotations

import mailbox
from email.message import EmailMessage
from pathlib import Path

import pytest

from footnote.errors import BadDocument
from footnote.formats import EmlReader, MboxReader, reader_for
from footnote.sentences import sentence_spans
from tests.support import pdf_bytes

EML, MBOX = reader_for("x.eml"), reader_for("x.mbox")  # as registered: reading attachments
assert isinstance(EML, EmlReader) and isinstance(MBOX, MboxReader)
WRAPPED_MAIL = """Dear all,

The opening of the new pier moves from Friday 7 June to Friday 14 June,
because the fender panels for the outer berth arrive two weeks late from
the yard in Gdansk. The ferry timetable is unchanged and the old pier
stays open until the new one is ready, so no sailing is cancelled.

Regards,
Ingrid"""


def test_an_email_reads_its_headers_body_and_readable_attachments() -> None:
    message = EmailMessage()
    message["Subject"] = "Pier opening moved to 14 June"
    message["From"] = "Port Authority <office@port.example>"
    message["To"] = "Harbour staff <staff@port.example>"
    message["Date"] = "Mon, 03 Jun 2024 09:12:00 +0200"
    message.set_content(WRAPPED_MAIL)
    message.add_alternative("<p>Dear all, the opening moves.</p>", subtype="html")
    pdf = pdf_bytes("The fender panels cost 80,000 euros.")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename="fenders.pdf")
    message.add_attachment(b"\x89PNG", maintype="image", subtype="png", filename="map.png")

    mail = EML.read(bytes(message))
    assert mail.text.startswith(
        "Pier opening moved to 14 June\n"
        "From: Port Authority <office@port.example>\n"
        "To: Harbour staff <staff@port.example>\n"
        "Date: Mon, 03 Jun 2024 09:12:00 +0200\n\nDear all,"  # the plain part, not the HTML
    )
    assert mail.text.endswith("\n\nfenders.pdf\nThe fender panels cost 80,000 euros.")
    assert [(h.level, h.text) for h in mail.headings] == [
        (1, "Pier opening moved to 14 June"),
        (2, "fenders.pdf"),  # under the message's subject
    ]
    sentences = [mail.text[s.start : s.end] for s in sentence_spans(mail.text, mail.wrapped)]
    assert any(s.startswith("The opening of the new pier") and "Gdansk." in s for s in sentences)
    with pytest.raises(BadDocument, match="no headers"):
        EML.read(b"\n\njust some words")


def test_a_mailbox_reads_message_after_message(tmp_path: Path) -> None:
    """As the standard library's mailbox writes one, quoting a body line that opens "From "."""
    box = mailbox.mbox(tmp_path / "harbour.mbox")
    for subject, body in (
        ("Pier opening moved", "The opening moves to 14 June.\nFrom now on, ask Ingrid.\n"),
        ("Fender panels", "The panels cost 80,000 euros.\n"),
    ):
        message = EmailMessage()
        message["Subject"], message["From"] = subject, "office@port.example"
        message.set_content(body)
        box.add(message)
    box.flush()
    read = MBOX.read((tmp_path / "harbour.mbox").read_bytes())
    assert read.text == (
        "Pier opening moved\nFrom: office@port.example\n\n"
        "The opening moves to 14 June.\nFrom now on, ask Ingrid.\n\n"
        "Fender panels\nFrom: office@port.example\n\nThe panels cost 80,000 euros."
    )
    assert [h.text for h in read.headings] == ["Pier opening moved", "Fender panels"]
    with pytest.raises(BadDocument, match="not a mailbox"):
        MBOX.read(b"From nobody\n\n")
