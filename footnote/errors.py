"""The errors Footnote raises on purpose, each carrying a message a user can act on.

    FootnoteError
    ├── BadCorpus          — the folder to ingest is missing or is not a folder
    ├── SourceNotFound     — a named source is not in the index
    ├── UnknownModel       — an OpenAI-style request names a model Footnote does not serve
    ├── BadQuestion        — a question is empty or otherwise unusable
    ├── BadDocument        — an uploaded or ingested file cannot be read as its format
    ├── BadDocumentName    — a document name is not a plain file name
    ├── UnsupportedFormat  — a file's extension is not one Footnote reads
    ├── DocumentTooLarge   — an upload is over FOOTNOTE_MAX_UPLOAD_BYTES
    ├── DocumentExists     — an upload would overwrite a document (use PUT to replace)
    ├── StoreInUse         — another process has the embedded index open
    ├── EmbeddingModelUnavailable — the configured embedding model cannot be loaded
    │   └── BadTunedLayers — the layers tuned over it are missing or not for it (embeddings.py)
    ├── CorpusMismatch     — the index was built from another folder than the configured one
    ├── ModeUnavailable    — a request asks for an answer mode this server has no backend for
    ├── BackendUnavailable — the language model backend cannot be reached or failed
    └── BackendTimeout     — the language model backend did not answer in time

The API turns each into an RFC 9457 problem response with ``status`` below; the command line
prints ``str(error)`` and exits non-zero. Neither shows a stack trace. ``retryable`` errors are
a backend's passing state (unreachable, slow, busy): the same request may succeed later, and
the service answers from quotes instead when a language model is what failed.
"""

from __future__ import annotations


class FootnoteError(Exception):
    """Base class: raised for any failure the user can fix; ``status`` is its HTTP status."""

    status = 500
    title = "Footnote error"
    retryable = False  # True when the same request may succeed later, unchanged


class BadCorpus(FootnoteError):
    """Raised when the path given to ingest does not exist or is not a folder."""

    status = 400
    title = "Bad corpus path"


class SourceNotFound(FootnoteError):
    """Raised when a source name is not one of the indexed files: one asked for, or one a
    question is limited to (answering from the rest of the corpus instead would quote what
    the user ruled out)."""

    status = 404
    title = "Source not found"


class UnknownModel(FootnoteError):
    """Raised when ``model`` in an OpenAI-style request is not one ``GET /v1/models`` lists."""

    status = 404
    title = "Model not found"


class BadQuestion(FootnoteError):
    """Raised when a question has no usable text."""

    status = 422
    title = "Bad question"


class ModeUnavailable(FootnoteError):
    """Raised when a request names an answer mode whose backend this server was not given:
    the client's choice, so a 422 saying which modes there are, not a failed gateway."""

    status = 422
    title = "Answer mode unavailable"


class BackendUnavailable(FootnoteError):
    """Raised when an LLM backend (or a Footnote server eval points at) cannot answer."""

    status = 502
    title = "Backend unavailable"
    retryable = True


class BackendTimeout(FootnoteError):
    """Raised when an LLM backend takes longer than ``FOOTNOTE_LLM_TIMEOUT``."""

    status = 504
    title = "Backend timeout"
    retryable = True


class BadDocument(FootnoteError):
    """Raised when a file cannot be read as the format its name says."""

    status = 422
    title = "Unreadable document"


class BadDocumentName(FootnoteError):
    """Raised when a document name holds a folder, ``..`` or other unsafe characters."""

    status = 422
    title = "Bad document name"


class UnsupportedFormat(FootnoteError):
    """Raised when a file's extension is not one of the supported formats."""

    status = 415
    title = "Unsupported format"


class DocumentTooLarge(FootnoteError):
    """Raised when an upload is larger than ``FOOTNOTE_MAX_UPLOAD_BYTES``."""

    status = 413
    title = "Document too large"

    @classmethod
    def over(cls, name: str, limit: int) -> DocumentTooLarge:
        """The refusal of ``name``, with the two ways to index it anyway."""
        return cls(
            f"{name} is over this server's upload limit of {limit:,} bytes: whoever runs the "
            "server can put it in the corpus folder and run `footnote ingest`, or raise "
            "FOOTNOTE_MAX_UPLOAD_BYTES."
        )


class DocumentExists(FootnoteError):
    """Raised when ``POST /documents`` names a document that is already there."""

    status = 409
    title = "Document exists"


class EmbeddingModelUnavailable(FootnoteError):
    """Raised when the configured embedding model, or the layers tuned over it, cannot be
    loaded from this machine (nothing is downloaded)."""

    status = 500
    title = "Embedding model unavailable"


class StoreInUse(FootnoteError):
    """Embedded Chroma is single-process: a second process opening its folder is refused."""

    status = 503
    title = "Index in use"
    retryable = True


class IndexOutdated(FootnoteError):
    """The store was written by a Footnote that laid records out differently."""

    status = 503
    title = "Index needs re-ingesting"


class CorpusMismatch(FootnoteError):
    """Documents would be written to a folder other than the one the user configured."""

    status = 409
    title = "Corpus folder mismatch"
