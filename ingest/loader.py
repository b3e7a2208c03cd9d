"""Finds the documents under a corpus folder and reads them, reporting the ones it cannot use.

Finding a file hashes its raw bytes, before any text is extracted: ingest compares that hash
with what the index holds, so an unchanged re-ingest reads no PDF or Word file's text twice.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from footnote.errors import BadCorpus, BadDocument
from footnote.formats import SAVE_AS, SUPPORTED_SUFFIXES, Heading, extract

_CHUNK = 1 << 20


@dataclass(frozen=True)
class SourceFile:
    """A supported file under the corpus root, not yet read: ``source`` is its POSIX path
    relative to the root, ``sha256`` the hash of its bytes."""

    source: str
    path: Path
    sha256: str


@dataclass(frozen=True)
class SourceDocument:
    """One readable file; ``source`` is its POSIX path relative to the corpus root, ``text``
    what its reader extracted (offsets index this), ``pages`` where each page starts."""

    source: str
    text: str
    pages: tuple[int, ...] = field(default_factory=tuple)
    sha256: str = ""  # of the file's bytes, as found
    wrapped: bool = True  # its lines may be wrapped at a column (Extracted.wrapped)
    headings: tuple[Heading, ...] = ()  # as its reader located them

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


@dataclass(frozen=True)
class SkippedFile:
    """A file left out of the index, with the reason a user needs to fix it."""

    source: str
    reason: str


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _supported(folder: str, prefix: str, found: list[str], convertible: list[str]) -> None:
    """Add the supported files under ``folder`` to ``found``, and those to save in a supported
    format first (:data:`SAVE_AS`) to ``convertible``, as ``prefix`` + their relative path;
    hidden files and folders are left out, links to folders not followed. One scandir per
    folder: at 50,000 files, pathlib's rglob, stat and relative_to took seconds."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                _supported(entry.path, f"{prefix}{entry.name}/", found, convertible)
            elif entry.is_file():
                suffix = os.path.splitext(entry.name)[1].lower()
                if suffix in SUPPORTED_SUFFIXES:
                    found.append(prefix + entry.name)
                elif suffix in SAVE_AS:
                    convertible.append(prefix + entry.name)


def find_files(root: Path) -> tuple[list[SourceFile], list[SkippedFile]]:
    """Every supported file under ``root``, recursively, in a stable order (by path parts),
    with the hash of its bytes; hidden files and folders are left out. Files in a format to
    save as a supported one first are skipped, each with what to do."""
    if not root.exists():
        raise BadCorpus(f"Corpus folder {root} does not exist: pass an existing folder.")
    if not root.is_dir():
        raise BadCorpus(f"{root} is a file, not a folder: pass the folder that holds it.")
    found: list[str] = []
    convertible: list[str] = []
    _supported(str(root), "", found, convertible)
    files: list[SourceFile] = []
    skipped = [
        SkippedFile(source, SAVE_AS[os.path.splitext(source)[1].lower()])
        for source in sorted(convertible, key=lambda name: name.split("/"))
    ]
    for source in sorted(found, key=lambda name: name.split("/")):
        path = root / source
        try:
            files.append(SourceFile(source, path, _hash(path)))
        except OSError as error:
            skipped.append(SkippedFile(source, f"unreadable ({error.strerror})"))
    return files, skipped


def read(file: SourceFile) -> SourceDocument | SkippedFile:
    """The file's text as its reader extracts it, or why it cannot be used."""
    try:
        extracted = extract(file.path)
    except BadDocument as error:
        return SkippedFile(file.source, str(error))
    except OSError as error:
        return SkippedFile(file.source, f"unreadable ({error.strerror})")
    if not extracted.text.strip():
        return SkippedFile(file.source, "empty")
    return SourceDocument(
        file.source,
        extracted.text,
        extracted.pages,
        file.sha256,
        extracted.wrapped,
        extracted.headings,
    )


def load_corpus(root: Path) -> tuple[list[SourceDocument], list[SkippedFile]]:
    """Read every supported file under ``root``, recursively, in a stable order."""
    files, skipped = find_files(root)
    documents: list[SourceDocument] = []
    for file in files:
        read_file = read(file)
        if isinstance(read_file, SkippedFile):
            skipped.append(read_file)
        else:
            documents.append(read_file)
    return documents, skipped
