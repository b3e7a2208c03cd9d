"""Request and response bodies of the OpenAI-compatible API (chat completions, models)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.config import JsonDict

from api.schemas import ChatResponse, Sources


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)  # "stream": 0 is not a bool

    type: str
    text: str | None = None


class OpenAIMessage(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)  # "stream": 0 is not a bool

    role: Literal["system", "user", "assistant", "developer", "tool"]
    content: str | list[ContentPart] | None = Field(default=None, max_length=20_000)

    @property
    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(part.text or "" for part in self.content if part.type == "text")
        return self.content or ""


_TEXT: JsonDict = {"type": "string", "pattern": r"\S"}
# What the handler requires, in the schema: some user message whose content is text, or holds
# a text part, with a character other than white space.
HAS_TEXT_FROM_USER: JsonDict = {
    "properties": {
        "role": {"const": "user"},
        "content": {
            "anyOf": [
                _TEXT,
                {
                    "type": "array",
                    "contains": {
                        "properties": {"type": {"const": "text"}, "text": _TEXT},
                        "required": ["type", "text"],
                    },
                },
            ]
        },
    },
    "required": ["role", "content"],
}


class ChatCompletionRequest(BaseModel):
    """The fields Footnote reads; other OpenAI parameters are accepted and ignored."""

    model_config = ConfigDict(extra="ignore", strict=True)  # "stream": 0 is not a bool

    model: str = Field(default="footnote", max_length=100)
    messages: list[OpenAIMessage] = Field(
        min_length=1,
        max_length=100,
        description=(
            "The chat. The latest `user` message with text is the question; the turns before "
            "it are its context, and any after it (an assistant's, a tool's) are ignored."
        ),
        json_schema_extra={"contains": HAS_TEXT_FROM_USER},
    )
    stream: bool = False
    # not OpenAI's: the openai client sends it with extra_body={"sources": [...]}
    sources: Sources = None

    @field_validator("messages")
    @classmethod
    def _has_a_question(cls, messages: list[OpenAIMessage]) -> list[OpenAIMessage]:
        if not any(m.role == "user" and m.text.strip() for m in messages):
            raise ValueError("the chat needs a `user` message with some text: the question")
        return messages


class ResponseMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    index: int = 0
    message: ResponseMessage
    finish_reason: Literal["stop"] = "stop"


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    usage: Usage = Field(default_factory=Usage)
    footnote: ChatResponse = Field(
        description="Footnote's structured answer: citations with offsets, conflicts, checks."
    )


class Model(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int = 0
    owned_by: str = "footnote"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[Model]


def chunk(
    id: str, created: int, model: str, delta: dict[str, Any], finish: str | None = None
) -> dict[str, Any]:
    """One ``chat.completion.chunk`` of a streamed answer."""
    return {
        "id": id,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
