"""Request and response bodies of the HTTP API, separate from the internal types."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from footnote.answering.base import Answer, Citation
from footnote.rewrite import Turn, up_to_question
from footnote.settings import Mode

NOT_BLANK = r"\S"  # the schema's way of saying "some text, not only spaces"


def _integral(value: object) -> object:
    """JSON Schema counts 8.0 as an integer, and so does the API: strict mode would otherwise
    refuse every float, whole or not (``true`` and ``"8"`` stay refused)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


TopK = Annotated[int, Field(ge=1, le=50), BeforeValidator(_integral)]
SourceName = Annotated[str, Field(min_length=1, max_length=1_000, pattern=NOT_BLANK)]
MAX_SOURCES = 100
SOURCE_NAMES = (
    "Names as `GET /sources` lists them, or a folder ending in `/` for every document under "
    "it; one the index does not hold is a 404."
)

Sources = Annotated[
    list[SourceName] | None,
    Field(
        min_length=1,
        max_length=MAX_SOURCES,
        description=f"Answer from these documents only (all when omitted). {SOURCE_NAMES}",
    ),
]


class Message(BaseModel):
    model_config = ConfigDict(strict=True)  # no coercion: a schema-invalid body is a 422

    role: Literal["system", "user", "assistant"]
    content: str = Field(max_length=20_000, pattern=NOT_BLANK)


class ChatRequest(BaseModel):
    """Either ``messages`` (chat history, last one from the user) or a bare ``question``, not
    both: with both, which one is the question would be a guess."""

    messages: list[Message] | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description=(
            "The chat so far. The latest `user` message is the question; the turns before it "
            "are its context, and any after it are ignored."
        ),
        json_schema_extra={"contains": {"properties": {"role": {"const": "user"}}}},
    )
    question: str | None = Field(default=None, max_length=20_000, pattern=NOT_BLANK)
    top_k: TopK | None = Field(default=None, description="Passages to retrieve.")
    sources: Sources = None
    mode: Mode | None = Field(
        default=None,
        description=(
            "Answer mode; the server's configured mode when omitted. One this server has no "
            "backend for is a 422 naming those it has (`GET /health` lists them)."
        ),
    )
    stream: bool = Field(
        default=False,
        description=(
            "Answer as Server-Sent Events: `delta` events with text, one `citations` event with "
            "the full response (citations included), then `done`; `error` if it fails midway."
        ),
    )

    model_config = ConfigDict(
        strict=True,
        json_schema_extra={
            "oneOf": [  # exactly one of the two, given (null is not given)
                {"required": ["messages"], "properties": {"messages": {"type": "array"}}},
                {"required": ["question"], "properties": {"question": {"type": "string"}}},
            ],
            "examples": [
                {
                    "messages": [{"role": "user", "content": "Where were the soldiers captured?"}],
                    "top_k": 5,
                }
            ],
        },
    )

    @model_validator(mode="after")
    def _has_question(self) -> ChatRequest:
        if (self.messages is None) == (self.question is None):
            raise ValueError("send either `messages` (a chat history) or `question` (a string)")
        if self.messages is not None and not any(m.role == "user" for m in self.messages):
            raise ValueError(
                "the chat needs a message with role `user`: the latest is the question"
            )
        if not self.text.strip():
            raise ValueError("the question is empty: send some text to answer")
        return self

    @property
    def text(self) -> str:
        """The question to answer: the latest user message, or ``question``."""
        return self.turns()[-1].content

    def turns(self) -> list[Turn]:
        """The chat up to its latest user message, which is the question."""
        if self.messages is None:
            return [Turn("user", self.question or "")]
        return up_to_question([Turn(m.role, m.content) for m in self.messages])


class CitationOut(BaseModel):
    id: int = Field(description="The number used in the answer's `[n]` markers.")
    source: str = Field(description="File path relative to the corpus root.")
    title: str
    quote: str = Field(description="Exact text of the source between `start` and `end`.")
    start: int
    end: int
    score: float = Field(description="Cosine similarity of the quote to the question.")
    page: int | None = Field(default=None, description="Page of the quote, for PDFs.")
    section: str = Field(
        default="",
        description="The headings the quote sits under, outermost first, joined by ' › ' "
        "(HTML, Markdown, reStructuredText and Word documents); empty where there are none.",
    )


def citation_out(citation: Citation) -> CitationOut:
    return CitationOut(**{**vars(citation), "page": citation.page or None})


class ConflictValueOut(BaseModel):
    value: str = Field(description="The value in the source's own words.")
    citations: list[int] = Field(description="Ids of the citations that state this value.")


class ConflictOut(BaseModel):
    values: list[ConflictValueOut]


class SentenceCheckOut(BaseModel):
    text: str
    citations: list[int]
    supported: bool = Field(description="Whether the cited passages back this sentence.")


class ChatResponse(BaseModel):
    answer: str
    citations: list[CitationOut]
    abstained: bool = Field(description="True when the corpus does not answer the question.")
    query: str = Field(description="The standalone question used for retrieval.")
    conflicts: list[ConflictOut] = Field(
        default_factory=list,
        description="Values the sources disagree on, each with the citations that state it.",
    )
    sentences: list[SentenceCheckOut] = Field(
        default_factory=list, description="Each answer sentence and whether its sources back it."
    )
    grounded: bool = Field(
        default=True, description="False when most sentences are not backed by their sources."
    )
    mode: str = Field(default="extractive", description="The mode that produced the answer.")
    fallback: str | None = Field(
        default=None, description="Why the extractive mode answered instead of the one asked."
    )
    confidence: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="How likely the answer model judged it that the retrieved passages answer "
        "the question; Footnote refuses below its threshold (FOOTNOTE_ANSWER_THRESHOLD).",
    )
    closest: list[CitationOut] = Field(
        default_factory=list,
        description="On a refusal, the sentences that came nearest to answering, best first, "
        "located like citations so a UI can open them: the answer cites none of them.",
    )

    @classmethod
    def of(cls, answer: Answer) -> ChatResponse:
        return cls(
            answer=answer.text,
            citations=[citation_out(c) for c in answer.citations],
            abstained=answer.abstained,
            query=answer.query,
            conflicts=[
                ConflictOut(values=[ConflictValueOut(**vars(v)) for v in c.values])
                for c in answer.conflicts
            ],
            sentences=[SentenceCheckOut(**vars(c)) for c in answer.sentences],
            grounded=answer.grounded,
            mode=answer.mode,
            fallback=answer.fallback,
            confidence=answer.confidence,
            closest=[citation_out(c) for c in answer.closest],
        )


class SearchHit(BaseModel):
    id: str
    source: str
    title: str
    index: int
    start: int
    end: int
    text: str
    section: str = Field(
        default="", description="The headings the passage starts under, as a citation's."
    )
    score: float = Field(description="Fused score: the mix of the two normalised scores.")
    dense: float = Field(description="Cosine similarity (the passage's or its best sentence's).")
    keyword: float = Field(description="BM25 score.")


class SearchResponse(BaseModel):
    query: str
    hits: list[SearchHit]


class SourceOut(BaseModel):
    source: str
    title: str
    passages: int


class SourceText(BaseModel):
    source: str
    title: str
    text: str


class Health(BaseModel):
    status: Literal["ok", "empty"] = Field(description="`empty` until a corpus is ingested.")
    passages: int
    sources: int
    embedding_model: str
    collection: str
    modes: list[str] = Field(description="The answer modes this server has a backend for.")


class OpenAIError(BaseModel):
    message: str
    type: str
    code: int


class Problem(BaseModel):
    """RFC 9457 problem details, the body of every error response. Under ``/v1`` it also
    carries OpenAI's ``error`` object, so OpenAI clients show the message."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    retryable: bool | None = Field(
        default=None, description="True when the same request may succeed later, unchanged."
    )
    error: OpenAIError | None = None
