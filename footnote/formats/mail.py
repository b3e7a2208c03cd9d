"""E-mail (``.eml``, RFC 5322 with MIME, as mail programs save a message, and ``.mbox``
mailboxes of them): headers, body and the attachments Footnote can read."""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Callable
from email.message import EmailMessage, MIMEPart

from footnote.errors import BadDocument
from footnote.formats.base import Extracted, Heading, Reader
from footnote.formats.markup import HtmlReader
from footnote.sentences import unwrapped

HEADERS = ("From", "To", "Cc", "Date")  # who wrote to whom, and when: often what is asked
# reads an attachment by its file name's format: the registry's readers, which this module
# does not import (the registry imports it)
Attachments = Callable[[str, bytes], Extracted | None]


class _MailReader(Reader):
    def __init__(self, attachments: Attachments):
        self.attachments = attachments


class EmlReader(_MailReader):
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
        headings: list[Heading] = []
        text = _appended("", message, headings, self.attachments)
        return Extracted(text, wrapped=False, headings=tuple(headings))


# a message's first line in an mbox file ("From sender date"); a body line that starts the
# same way is written ">From " (mboxrd also quotes those already quoted: ">>From ")
_MBOX_SEPARATOR = re.compile(rb"^From [^\n]*\n", re.MULTILINE)
_QUOTED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)


class MboxReader(_MailReader):
    """A mailbox (``.mbox``: Thunderbird's folders, Google Takeout's mail export): each
    message read as a saved e-mail is, its subject a section, one after the other."""

    suffixes = (".mbox",)
    format = "mbox"

    def read(self, data: bytes) -> Extracted:
        headings: list[Heading] = []
        text = ""
        for raw in _MBOX_SEPARATOR.split(data.replace(b"\r\n", b"\n")):
            if not raw.strip():
                continue
            message = email.message_from_bytes(
                _QUOTED_FROM.sub(rb"\1", raw), policy=email.policy.default
            )
            if isinstance(message, EmailMessage) and message.keys():
                text = _appended(text, message, headings, self.attachments)
        if not headings and not text:
            raise BadDocument("not a mailbox: no message in it has headers")
        return Extracted(text, wrapped=False, headings=tuple(headings))


def _appended(
    text: str, message: EmailMessage, headings: list[Heading], attachments: Attachments
) -> str:
    """``text`` with ``message`` after it: subject (a heading), sender, recipients and date,
    body, readable attachments (each a heading under the subject)."""
    subject = " ".join(str(message.get("Subject", "")).split())
    said = [f"{name}: {' '.join(str(message[name]).split())}" for name in HEADERS if message[name]]
    text += "\n\n" if text else ""
    if subject:
        headings.append(Heading(len(text), 1, subject))
    text += "\n".join([subject, *said] if subject else said)
    body = message.get_body(preferencelist=("plain", "html"))
    if body is not None:
        text += "\n\n" + _part_text(body)
    for attachment in message.iter_attachments():
        name = attachment.get_filename() or ""
        read = _attachment_text(name, attachment, attachments)
        if read:
            text += "\n\n"
            headings.append(Heading(len(text), 2, name))
            text += f"{name}\n{read}"
    return text.rstrip()


def _part_text(part: MIMEPart) -> str:
    content = part.get_content()
    if part.get_content_type() == "text/html":
        return HtmlReader().read(content.encode("utf-8")).text
    return unwrapped(str(content).replace("\r\n", "\n").strip())


def _attachment_text(name: str, attachment: MIMEPart, attachments: Attachments) -> str:
    """An attachment's text, read by the reader for its file name's format; empty for a
    format Footnote does not read, or a file that will not read."""
    data = attachment.get_payload(decode=True)
    if not name or not isinstance(data, bytes):
        return ""
    try:
        read = attachments(name, data)
    except BadDocument:
        return ""
    if read is None:
        return ""
    return (unwrapped(read.text) if read.wrapped else read.text).strip()
