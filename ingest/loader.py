"""Finds the documents under a corpus folder and reads them, reporting the ones it cannot use."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from footnote.errors import BadCorpus

SUPPORTED_SUFFIXES = frozenset({".txt", ".md"})


@dataclass(frozen=True)
class SourceDocument:
    """One readable file; ``source`` is its POSIX path relative to the corpus root."""

    source: str
    text: str

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
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as error:
            skipped.append(SkippedFile(source, f"not valid UTF-8 (byte {error.start})"))
            continue
        except OSError as error:
            skipped.append(SkippedFile(source, f"unreadable ({error.strerror})"))
            continue
        if not text.strip():
            skipped.append(SkippedFile(source, "empty"))
            continue
        documents.append(SourceDocument(source, text))
    return documents, skipped
