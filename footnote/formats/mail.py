"""E-mail messages (``.eml``, RFC 5322 with MIME, as mail programs save one): headers, body
and the attachments Footnote can read."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage, MIMEPart

from footnote.errors import BadDocument
from footnote.formats.base import Extracted, Heading, Reader
from footnote.formats.markup import HtmlReader
from footnote.sentences import unwrapped

HEADERS = ("From", "To", "Cc", "Date")  # who wrote to whom, and when: often what is asked


class EmlReader(Reader):
    """A saved e-mail: its subject as the title, who sent it to whom and when, then its body
    (the plain-text part where there is one, else the HTML part read as a page), then each
    attachment in a format Footnote reads, under its file name as a heading. A plain-text
    body or attachment wrapped at a column (mail programs wrap at 72 to 78) is unwrapped
    part by part: among the header lines the wrapping would not show."""

    suffixes = (".eml",)
    format = "email"

    def read(self, data: bytes) -> Extracted:
        message = email.message_from_bytes(data, policy=email.policy.default)
        if not isinstance(message, EmailMessage) or not message.keys():
            raise BadDocument("not an e-mail message: it has no headers")
        subject = " ".join(str(message.get("Subject", "")).split())
        text = "\n".join(
            [subject]
            + [
                f"{name}: {' '.join(str(message[name]).split())}"
                for name in HEADERS
                if message[name]
            ]
        ).strip()
        headings = [Heading(0, 1, subject)] if subject else []
        body = message.get_body(preferencelist=("plain", "html"))
        if body is not None:
            text += "\n\n" + _part_text(body)
        for attachment in message.iter_attachments():
            name = attachment.get_filename() or ""
            read = _attachment_text(name, attachment)
            if read:
                text += "\n\n"
                headings.append(Heading(len(text), 1, name))
                text += f"{name}\n{read}"
        return Extracted(text.strip(), wrapped=False, headings=tuple(headings))


def _part_text(part: MIMEPart) -> str:
    content = part.get_content()
    if part.get_content_type() == "text/html":
        return HtmlReader().read(content.encode("utf-8")).text
    return unwrapped(str(content).replace("\r\n", "\n").strip())


def _attachment_text(name: str, attachment: MIMEPart) -> str:
    """An attachment's text, read by the reader for its file name's format; empty for a
    format Footnote does not read, or a file that will not read."""
    from footnote.formats import extract_bytes, reader_for  # the registry imports this module

    reader = reader_for(name) if name else None
    if reader is None:
        return ""
    data = attachment.get_payload(decode=True)
    try:
        read = extract_bytes(reader, data) if isinstance(data, bytes) else None
    except BadDocument:
        return ""
    if read is None:
        return ""
    return (unwrapped(read.text) if read.wrapped else read.text).strip()
