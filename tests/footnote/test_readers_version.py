"""Ingest reads a file again only when its bytes or ``READERS_VERSION`` change, so a reader
whose output changes without a new version leaves every indexed copy of such a file stale."""

from __future__ import annotations

import hashlib
from pathlib import Path

from footnote.formats import READERS_VERSION, extract

ROOT = Path(__file__).resolve().parents[2]
# Documents in the repository that most readers read: text, Markdown, reStructuredText, HTML,
# EPUB, OpenDocument and PowerPoint (pandoc's), the news corpus
SAMPLES = ("data/corpus", "eval/sets/docs", "tests/documents")
# The version and what the samples read as under it, recorded together
READ_AS = ("18", "63414732f31e4be010dd1c53c7252196d204f689bf25f69fa703df4d9393e924")


def _reading() -> str:
    digest = hashlib.sha256()
    for folder in SAMPLES:
        for path in sorted((ROOT / folder).iterdir()):
            if path.name == "README.md" and folder == "tests/documents":
                continue
            extracted = extract(path)
            headings = [(h.start, h.level, h.text) for h in extracted.headings]
            digest.update(repr((path.name, extracted.text, extracted.pages, headings)).encode())
    return digest.hexdigest()


def test_a_reader_whose_output_changes_comes_with_a_new_readers_version() -> None:
    reading = _reading()
    assert (READERS_VERSION, reading) == READ_AS, (
        f"The sample documents read as {reading!r} under READERS_VERSION {READERS_VERSION}, "
        f"and READ_AS records {READ_AS}. If a reader changed on purpose, raise "
        "READERS_VERSION in footnote/formats/__init__.py (so every indexed document is read "
        "afresh) and record the version and this reading in READ_AS here."
    )
