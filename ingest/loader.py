"""Finds the documents under a corpus folder and reads them, reporting the ones it cannot use."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from footnote.errors import BadCorpus, BadDocument
from footnote.formats import SUPPORTED_SUFFIXES, extract


@dataclass(frozen=True)
class SourceDocument:
    """One readable file; ``source`` is its POSIX path relative to the corpus root, ``text``
    what its reader extracted (offsets index this), ``pages`` where each page starts."""

    source: str
    text: str
    pages: tuple[int, ...] = field(default_factory=tuple)

    def page_at(self, offset: int) -> int:
        """1-based page of ``offset``, 0 for formats without pages."""
        return sum(1 for start in self.pages if start <= offset)

    @property
    def title(self) -> str:
        """The first non-blank line: news files and Markdown notes both lead with their title."""
        for line in self.text.splitlines():
            if line.strip():
                return line.strip().lstrip("#").strip()
        return self.source

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SkippedFile:
    """A file left out of the index, with the reason a user needs to fix it."""

    source: str
    reason: str


def load_corpus(root: Path) -> tuple[list[SourceDocument], list[SkippedFile]]:
    """Read every supported file under ``root``, recursively, in a stable order."""
    if not root.exists():
        raise BadCorpus(f"Corpus folder {root} does not exist: pass an existing folder.")
    if not root.is_dir():
        raise BadCorpus(f"{root} is a file, not a folder: pass the folder that holds it.")
    documents: list[SourceDocument] = []
    skipped: list[SkippedFile] = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in SUPPORTED_SUFFIXES:
            continue
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        source = path.relative_to(root).as_posix()
        try:
            extracted = extract(path)
        except BadDocument as error:
            skipped.append(SkippedFile(source, str(error)))
            continue
        except OSError as error:
            skipped.append(SkippedFile(source, f"unreadable ({error.strerror})"))
            continue
        if not extracted.text.strip():
            skipped.append(SkippedFile(source, "empty"))
            continue
        documents.append(SourceDocument(source, extracted.text, extracted.pages))
    return documents, skipped
