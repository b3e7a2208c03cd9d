"""GET /health: liveness, and whether there is an index to answer from."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import FootnoteDep
from api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
def health(footnote: FootnoteDep) -> Health:
    """Liveness plus index status: passages, sources and the embedding model."""
    return Health(**footnote.health())
