"""POST /chat: a question (or chat history) in, a footnoted answer out, whole or streamed."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from api.deps import FootnoteDep
from api.errors import responses
from api.schemas import ChatRequest, ChatResponse, Problem
from footnote.answering.base import Answer
from footnote.errors import FootnoteError

router = APIRouter(tags=["chat"])

SSE_DESCRIPTION = "With `stream: true`: `delta` events, one `citations` event, `done` (or `error`)."
SSE_EVENT = {  # OpenAPI 3.1 reads an event stream's schema as the schema of each event
    "type": "object",
    "properties": {
        "event": {"type": "string", "enum": ["delta", "citations", "done", "error"]},
        "data": {
            "type": "string",
            "contentMediaType": "application/json",
            "description": "`delta`: {text}; `citations`: the ChatResponse; `error`: a Problem.",
        },
    },
    "required": ["event", "data"],
}


def sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def events(first: str | Answer, rest: Iterator[str | Answer]) -> Iterator[str]:
    """The answer as Server-Sent Events; a failure midway becomes an ``error`` event."""
    try:
        for item in itertools.chain([first], rest):
            if isinstance(item, Answer):
                yield sse("citations", ChatResponse.of(item).model_dump())
            else:
                yield sse("delta", {"text": item})
    except FootnoteError as error:
        problem = Problem(
            title=error.title,
            status=error.status,
            detail=str(error),
            retryable=error.retryable or None,
        )
        yield sse("error", problem.model_dump(exclude_none=True))
        return
    yield sse("done", {})


@router.post(
    "/chat",
    response_model=ChatResponse,
    responses={
        **responses(404, 422, 502, 503, 504),
        200: {
            "content": {"text/event-stream": {"schema": SSE_EVENT}},
            "description": SSE_DESCRIPTION,
        },
    },
)
def chat(
    body: ChatRequest, footnote: FootnoteDep, request: Request
) -> ChatResponse | StreamingResponse:
    """Answer the last user message from the corpus, with a citation per footnote marker."""
    request.state.mode = body.mode or footnote.settings.mode  # for the request log
    if body.stream:
        items = footnote.stream(body.turns(), body.top_k, body.mode, sources=body.sources)
        first = next(items)  # a failure before any text still gets its own status code
        return StreamingResponse(events(first, items), media_type="text/event-stream")
    answer = footnote.ask(body.turns(), body.top_k, body.mode, sources=body.sources)
    return ChatResponse.of(answer)
