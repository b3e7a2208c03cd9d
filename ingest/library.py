"""Adding, replacing and removing documents while the service runs.

Every upload is checked whole before anything is written — name, format, size, and that its
reader can parse it — so a bad upload leaves the corpus folder and the index exactly as they
were. Good files are written under a hidden temporary name and renamed into place, then the
folder is re-ingested (only what changed is embedded) and the keyword index rebuilt, so the
document is answerable as soon as the request returns. Writes are serialised.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from footnote.errors import (
    BadDocument,
    BadDocumentName,
    CorpusMismatch,
    DocumentExists,
    DocumentTooLarge,
    SourceNotFound,
    UnsupportedFormat,
)
from footnote.formats import SAVE_AS, SUPPORTED_SUFFIXES, extract_bytes, reader_for
from footnote.service import Footnote, SourceInfo
from ingest.pipeline import IngestReport, ingest_folder

_SAFE_NAME = re.compile(r"^[\w][\w .()+,-]{0,199}$")


def _any_case(suffix: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in suffix)


# The API schema's pattern for a document name: a safe name with a supported suffix. (No
# look-ahead for "..": the validator's regex engine has none; checked_name refuses it.)
DOCUMENT_NAME = (
    r"^\w[\w .()+,-]{0,190}\.("
    + "|".join(_any_case(s.lstrip(".")) for s in sorted(SUPPORTED_SUFFIXES))
    + ")$"
)


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


@dataclass(frozen=True)
class DocumentInfo:
    name: str
    title: str
    format: str
    size: int
    passages: int
    ingested_at: str


def checked_name(name: str) -> str:
    """A plain file name, or an error: no folders, no ``..``, no hidden or odd characters."""
    if not _SAFE_NAME.match(name) or name != Path(name).name or ".." in name:
        raise BadDocumentName(
            f"{name!r} is not a plain file name: use letters, digits, spaces and . _ - ( ) + , "
            "with no folders or '..'."
        )
    return name


class Library:
    def __init__(self, footnote: Footnote):
        self.footnote = footnote
        self._lock = threading.Lock()

    @property
    def root(self) -> Path:
        return self.footnote.index().corpus_root

    def writable_root(self) -> Path:
        """Where uploads go: the folder the index was built from. If FOOTNOTE_CORPUS_DIR names
        another one, either choice would surprise somebody (a server on a copied index would
        change the original's files), so writing waits until an ingest settles which it is."""
        root, settings = self.root, self.footnote.settings
        configured = settings.corpus_dir.resolve()
        if "corpus_dir" in settings.model_fields_set and configured != root.resolve():
            raise CorpusMismatch(
                f"The index was built from {root}, but FOOTNOTE_CORPUS_DIR is "
                f"{settings.corpus_dir}: run `footnote ingest` to index that folder (or unset "
                "FOOTNOTE_CORPUS_DIR to keep this one), then retry. Nothing was written."
            )
        return root

    def list(self) -> list[DocumentInfo]:
        documents = []
        for source in self.footnote.sources():
            path = self.root / source.source
            reader = reader_for(path)
            documents.append(self._info(source, path, reader.format if reader else "unknown"))
        return documents

    def _info(self, source: SourceInfo, path: Path, format: str) -> DocumentInfo:
        size = path.stat().st_size if path.exists() else 0
        return DocumentInfo(
            source.source, source.title, format, size, source.passages, source.ingested_at
        )

    def check(self, upload: Upload, limit: int) -> None:
        """Every reason to refuse an upload, before anything is written."""
        checked_name(upload.name)
        reader = reader_for(upload.name)
        if reader is None:
            hint = SAVE_AS.get(Path(upload.name).suffix.lower())
            if hint:
                raise UnsupportedFormat(f"{upload.name} is {hint}, then upload that.")
            supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
            raise UnsupportedFormat(f"{upload.name}: not a supported format ({supported}).")
        if len(upload.data) > limit:
            raise DocumentTooLarge.over(upload.name, limit)
        try:
            text = extract_bytes(reader, upload.data).text
        except BadDocument as error:
            raise BadDocument(f"{upload.name}: {error}") from None
        if not text.strip():
            raise BadDocument(f"{upload.name}: the document has no text.")

    def put(self, uploads: Sequence[Upload], *, replace: bool) -> IngestReport:
        limit = self.footnote.settings.max_upload_bytes
        for upload in uploads:
            self.check(upload, limit)
        with self._lock:
            root = self.writable_root()
            if not replace:
                for upload in uploads:
                    if (root / upload.name).exists():
                        raise DocumentExists(
                            f"{upload.name} exists: PUT /documents/{upload.name} replaces it."
                        )
            root.mkdir(parents=True, exist_ok=True)
            for upload in uploads:
                handle, temporary = tempfile.mkstemp(prefix=".upload-", dir=root)
                with os.fdopen(handle, "wb") as file:
                    file.write(upload.data)
                os.replace(temporary, root / upload.name)
            return self._sync(root)

    def delete(self, name: str) -> IngestReport:
        checked_name(name)
        with self._lock:
            root = self.writable_root()
            path = root / name
            if name not in {s.source for s in self.footnote.sources()} or not path.is_file():
                raise SourceNotFound(f"No document is named {name!r}: see GET /documents.")
            path.unlink()
            return self._sync(root)

    def _sync(self, root: Path) -> IngestReport:
        footnote = self.footnote
        report, _ = ingest_folder(footnote.settings, footnote.embeddings, root, progress=False)
        footnote.reload()
        return report
