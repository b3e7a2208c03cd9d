"""An OpenAI-compatible API, so the ``openai`` client and chat UIs can talk to Footnote.

The message content is the answer with its footnote markers, then a short "Sources" list, so
a plain chat UI shows where each claim comes from. Clients that know Footnote read the
structured answer (citations with offsets, conflicts, per-sentence checks) from the extra
``footnote`` field, on the response or on the last chunk of a stream.
"""

from __future__ import annotations

import itertools
import json
import time
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from api.deps import FootnoteDep
from api.errors import responses
from api.openai_schemas import (
    ChatCompletion,
    ChatCompletionRequest,
    Choice,
    Model,
    ModelList,
    ResponseMessage,
    chunk,
)
from api.schemas import ChatResponse
from footnote.answering.base import Answer
from footnote.answering.render import heading_path, listed
from footnote.errors import FootnoteError, UnknownModel
from footnote.rewrite import Turn, up_to_question
from footnote.settings import Mode
from footnote.tokens import reading
from prompts import load_prompt

router = APIRouter(prefix="/v1", tags=["openai"])
PREFIX = "footnote"


def model_ids(modes: Sequence[Mode]) -> list[str]:
    return [PREFIX, *(f"{PREFIX}-{mode}" for mode in modes)]


def mode_of(model: str, modes: Sequence[Mode]) -> Mode | None:
    """``footnote`` → the configured mode; ``footnote-<mode>`` → that mode, if this server
    has a backend for it (as for any OpenAI server, a model it does not serve is a 404)."""
    if model == PREFIX:
        return None
    for mode in modes:
        if model == f"{PREFIX}-{mode}":
            return mode
    raise UnknownModel(f"Unknown model {model!r}: use one of {', '.join(model_ids(modes))}.")


def sources_block(answer: Answer) -> str:
    """The "Sources" list a plain chat UI shows under the answer, or under a refusal the
    passages that came closest, headed so that no one reads them as the answer."""
    shown, heading = listed(answer)
    if not shown:
        return ""
    lines = [
        load_prompt("source_line.txt").format(
            id=c.id, source=c.source, title=heading_path(c), quote=reading(c.quote)
        )
        for c in shown
    ]
    return "\n\n" + heading + "\n" + "\n".join(lines)


def turns_of(body: ChatCompletionRequest) -> list[Turn]:
    roles = {"developer": "system", "tool": "system"}
    return up_to_question([Turn(roles.get(m.role, m.role), m.text) for m in body.messages])


@router.get("/models", response_model=ModelList)
def list_models(footnote: FootnoteDep) -> ModelList:
    """The answer modes this server has, as OpenAI models: `footnote` is its default."""
    return ModelList(data=[Model(id=model_id) for model_id in model_ids(footnote.answerers.modes)])


def completion_chunks(
    first: str | Answer, rest: Iterator[str | Answer], model: str
) -> Iterator[str]:
    id, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())

    def data(payload: Any) -> str:
        return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"

    yield data(chunk(id, created, model, {"role": "assistant", "content": ""}))
    try:
        for item in itertools.chain([first], rest):
            if isinstance(item, Answer):
                last = chunk(id, created, model, {"content": sources_block(item)}, "stop")
                last["footnote"] = ChatResponse.of(item).model_dump()
                yield data(last)
            else:
                yield data(chunk(id, created, model, {"content": item}))
    except FootnoteError as error:
        yield data({"error": {"message": str(error), "type": error.title, "code": error.status}})
    yield "data: [DONE]\n\n"


CHUNK_EVENT = {  # each event of the stream (OpenAPI 3.1): a chunk, or the final "[DONE]"
    "type": "object",
    "properties": {
        "data": {"type": "string", "description": "A ChatCompletionChunk as JSON, or `[DONE]`."}
    },
    "required": ["data"],
}


@router.post(
    "/chat/completions",
    response_model=ChatCompletion,
    responses={
        **responses(404, 422, 502, 503, 504),
        200: {"content": {"text/event-stream": {"schema": CHUNK_EVENT}}},
    },
)
def chat_completions(
    body: ChatCompletionRequest, footnote: FootnoteDep, request: Request
) -> ChatCompletion | StreamingResponse:
    """OpenAI chat completions: the answer, its footnotes and a Sources list."""
    mode = mode_of(body.model, footnote.answerers.modes)
    request.state.mode = mode or footnote.settings.mode  # for the request log
    if body.stream:
        items = footnote.stream(turns_of(body), None, mode, sources=body.sources)
        first = next(items)
        return StreamingResponse(
            completion_chunks(first, items, body.model), media_type="text/event-stream"
        )
    answer = footnote.ask(turns_of(body), None, mode, sources=body.sources)
    return ChatCompletion(
        id=f"chatcmpl-{uuid.uuid4().hex}",
        created=int(time.time()),
        model=body.model,
        choices=[Choice(message=ResponseMessage(content=answer.text + sources_block(answer)))],
        footnote=ChatResponse.of(answer),
    )
