"""/documents: upload, replace, list and delete the documents Footnote answers from."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Response, UploadFile
from fastapi import Path as PathParam
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.deps import FootnoteDep, LibraryDep
from api.errors import responses
from api.openapi import MAX_FILE_NAME
from footnote.errors import DocumentTooLarge
from footnote.settings import Settings
from ingest.library import DOCUMENT_NAME, Upload
from ingest.pipeline import IngestReport

router = APIRouter(tags=["documents"])
MAX_FILES = 20  # per request: with the per-file limit, bounds what one upload may send


def request_limit(settings: Settings) -> int:
    """The largest upload request: every file at its limit, plus room for the form around."""
    return settings.max_upload_bytes * MAX_FILES + 1_000_000


class DocumentOut(BaseModel):
    name: str
    title: str
    format: str
    size: int = Field(description="Bytes on disk.")
    passages: int
    ingested_at: str


class IngestOut(BaseModel):
    added: list[str]
    replaced: list[str]
    removed: list[str]
    summary: str


async def read_upload(file: UploadFile, limit: int) -> Upload:
    """Read at most ``limit + 1`` bytes: a larger file is refused without being held whole."""
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise DocumentTooLarge.over(file.filename or "The file", limit)
    return Upload(file.filename or "", data)


def _out(report: IngestReport) -> IngestOut:
    return IngestOut(
        added=report.added,
        replaced=report.replaced,
        removed=report.removed,
        summary=report.summary(),
    )


Files = Annotated[list[UploadFile], File(min_length=1, description="One or more documents.")]
DocumentName = Annotated[
    str,
    PathParam(
        pattern=DOCUMENT_NAME,
        max_length=MAX_FILE_NAME,
        description="A plain file name with a supported suffix: no folders, no `..`.",
    ),
]


@router.get("/documents", response_model=list[DocumentOut])
def list_documents(documents: LibraryDep) -> list[DocumentOut]:
    """The indexed documents: name, title, format, size, passages and when they went in."""
    return [DocumentOut(**vars(d)) for d in documents.list()]


@router.post(
    "/documents",
    response_model=IngestOut,
    status_code=201,
    responses=responses(409, 413, 415, 422, 503),
)
async def upload_documents(files: Files, documents: LibraryDep, footnote: FootnoteDep) -> IngestOut:
    """Add documents (multipart, field `files`); they are answerable once this returns."""
    limit = footnote.settings.max_upload_bytes
    uploads = [await read_upload(file, limit) for file in files]
    return _out(await run_in_threadpool(documents.put, uploads, replace=False))


@router.put(
    "/documents/{name}", response_model=IngestOut, responses=responses(409, 413, 415, 422, 503)
)
async def replace_document(
    name: DocumentName,
    file: Annotated[UploadFile, File()],
    documents: LibraryDep,
    footnote: FootnoteDep,
) -> IngestOut:
    """Replace (or create) one document (multipart, field `file`) under ``name``."""
    upload = await read_upload(file, footnote.settings.max_upload_bytes)
    upload = Upload(name, upload.data)
    return _out(await run_in_threadpool(documents.put, [upload], replace=True))


@router.delete("/documents/{name}", status_code=204, responses=responses(404, 409, 422, 503))
def delete_document(name: DocumentName, documents: LibraryDep) -> Response:
    """Remove a document from the corpus folder and the index."""
    documents.delete(name)
    return Response(status_code=204)
