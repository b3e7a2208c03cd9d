"""GET /search: the ranked passages a question retrieves, for debugging and custom UIs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import FootnoteDep
from api.errors import responses
from api.openapi import MAX_QUERY_PARAM
from api.schemas import MAX_SOURCES, SOURCE_NAMES, SearchHit, SearchResponse

router = APIRouter(tags=["search"])


@router.get("/search", response_model=SearchResponse, responses=responses(404, 422, 503))
def search(
    footnote: FootnoteDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=MAX_QUERY_PARAM,
            description="The query (longer questions: `POST /chat` takes 20,000 characters).",
        ),
    ],
    k: Annotated[int, Query(ge=1, le=50, description="How many passages.")] = 5,
    source: Annotated[
        list[str] | None,
        Query(
            max_length=MAX_SOURCES,
            description=f"Search these documents only, one `source=` each. {SOURCE_NAMES}",
        ),
    ] = None,
) -> SearchResponse:
    """Rank passages by hybrid (dense + BM25) retrieval, with both scores and offsets."""
    _, hits = footnote.search(q, k, source)
    return SearchResponse(
        query=q,
        hits=[
            SearchHit(
                id=hit.passage.id,
                source=hit.passage.source,
                title=hit.passage.title,
                index=hit.passage.index,
                start=hit.passage.start,
                end=hit.passage.end,
                text=hit.passage.text,
                section=hit.passage.section_at(hit.passage.start),
                score=hit.score,
                dense=hit.dense,
                keyword=hit.keyword,
            )
            for hit in hits
        ],
    )
