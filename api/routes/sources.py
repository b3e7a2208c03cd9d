"""GET /sources and /sources/{name}: what is indexed, and the full text citations point into."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import FootnoteDep
from api.errors import responses
from api.openapi import MAX_FILE_NAME
from api.schemas import SourceOut, SourceText

router = APIRouter(tags=["sources"])


@router.get("/sources", response_model=list[SourceOut])
def list_sources(footnote: FootnoteDep) -> list[SourceOut]:
    """The indexed files with their titles and passage counts."""
    return [
        SourceOut(source=s.source, title=s.title, passages=s.passages) for s in footnote.sources()
    ]


@router.get("/sources/{name:path}", response_model=SourceText, responses=responses(404, 422))
def get_source(
    name: Annotated[str, Path(max_length=MAX_FILE_NAME, description="An indexed file's name.")],
    footnote: FootnoteDep,
) -> SourceText:
    """The full text of one indexed file; citation offsets index into it."""
    text = footnote.source_text(name)
    title = next(s.title for s in footnote.sources() if s.source == name)
    return SourceText(source=name, title=title, text=text)
