"""POST /chat: a question (or chat history) in, a footnoted answer out."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import FootnoteDep
from api.errors import responses
from api.schemas import ChatRequest, ChatResponse

router = APIRouter(tags=["chat"])


@router.post("/chat", response_model=ChatResponse, responses=responses(422, 503))
def chat(body: ChatRequest, footnote: FootnoteDep) -> ChatResponse:
    """Answer the last user message from the corpus, with a citation per footnote marker."""
    return ChatResponse.of(footnote.ask(body.turns(), body.top_k))
