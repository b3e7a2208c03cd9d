"""Runs a question set through Footnote under one or more configurations and reports.

In-process by default (the same ``Footnote`` object the server uses), or over HTTP against
any running deployment with ``url``. A configuration is a set of overrides of the settings
(``top_k=3,dense_weight=1.0``); one that changes how passages are cut or embedded gets an index
of its own, ingested into the output folder, so configurations never disturb each other.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings
from pydantic import ValidationError
from tqdm import tqdm

from eval.baseline import PlainPipeline
from eval.client import FootnoteClient, HttpClient, InProcessClient
from eval.dataset import BadQuestionSet, EvalQuestion, Split, load_questions, select
from eval.metrics import aggregate, score
from eval.report import write_report
from eval.squad import is_squad, load_squad
from footnote.answering.selector import DEFAULT_MODEL, load_selector
from footnote.embeddings import load_embeddings
from footnote.errors import FootnoteError
from footnote.service import Footnote
from footnote.settings import Settings
from ingest.pipeline import ingest_folder

EMBEDDING_FIELDS = {"embedding_model", "embedding_tuning", "embedding_precision"}
INDEX_FIELDS = {"chunk_size", "chunk_overlap_sentences", "corpus_dir", *EMBEDDING_FIELDS}
REQUEST_FIELDS = {"top_k", "mode"}


class BadConfig(FootnoteError):
    """Raised when an evaluation configuration names an unknown or unchangeable setting."""

    status = 400
    title = "Bad evaluation configuration"


BASELINE = "baseline"


@dataclass
class Config:
    name: str
    overrides: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str) -> Config:
        """``"top_k=3,dense_weight=1"`` → overrides; ``""`` or ``"default"`` → none;
        ``"baseline"`` → the plain LangChain pipeline of :mod:`eval.baseline`."""
        if text.strip() == BASELINE:
            return cls(BASELINE)
        overrides: dict[str, str] = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            key, sep, value = part.partition("=")
            if not sep or key.strip() not in Settings.model_fields:
                known = ", ".join(Settings.model_fields)
                raise BadConfig(f"{part!r} is not KEY=VALUE with KEY one of: {known}.")
            overrides[key.strip()] = _checked(key.strip(), value.strip())
        return cls(text if overrides else "default", overrides)


def _checked(key: str, value: str) -> str:
    """``value`` if the setting ``key`` takes it, checked as the setting itself would be
    (type, range, choices), so a typo stops the run before any index is built."""
    try:  # Settings' own validator, on a blank instance that reads no environment
        Settings.__pydantic_validator__.validate_assignment(Settings.model_construct(), key, value)
    except ValidationError as error:
        raise BadConfig(f"{key}={value!r}: {error.errors()[0]['msg']}.") from None
    return value


def ensure_index(settings: Settings, embeddings: Embeddings, progress: bool) -> None:
    """Bring the index in line with the corpus and with this code's ingest before asking.

    An index that an older ingest wrote (other passage vectors, say) would measure that
    ingest, not this one; what no change touched is skipped after hashing its bytes."""
    ingest_folder(settings, embeddings, progress=progress)


def in_process_client(
    config: Config, base: Settings, out: Path, embeddings: Embeddings | None, progress: bool
) -> tuple[FootnoteClient, Settings]:
    values: dict[str, Any] = {**base.model_dump(), **config.overrides}
    if INDEX_FIELDS & set(config.overrides):
        slug = "".join(c if c.isalnum() else "-" for c in config.name)
        values["chroma_dir"] = out / "indexes" / slug
    settings = Settings.model_validate(values)
    if embeddings is None or EMBEDDING_FIELDS & set(config.overrides):
        embeddings = load_embeddings(settings)
    ensure_index(settings, embeddings, progress)
    return InProcessClient(Footnote.open(settings, embeddings)), settings


def run_questions(
    client: FootnoteClient,
    questions: list[EvalQuestion],
    top_k: int,
    results_path: Path,
    label: str,
    progress: bool,
) -> dict[str, Any]:
    rows = []
    with results_path.open("w", encoding="utf-8") as results:
        for question in tqdm(
            questions, desc=label, unit="q", disable=not progress, file=sys.stderr
        ):
            reply = client.chat(question.messages(), top_k)
            scores = score(question, reply, client.source_text)
            rows.append((question, scores))
            record = {
                "id": question.id,
                "type": question.type,
                "question": question.question,
                "gold": question.answer,
                **{k: v for k, v in asdict(reply).items() if k != "retrieved"},
                "retrieved": [f"{r.source}:{r.start}-{r.end}" for r in reply.retrieved],
                "scores": scores,
            }
            results.write(json.dumps(record, ensure_ascii=False) + "\n")
    return aggregate(rows)


MIN_WRAP = 20  # columns: narrower, a line would hold two or three words


def squad_questions(
    path: Path, folder: Path, base: Settings, wrap: int = 0
) -> tuple[list[EvalQuestion], Settings]:
    """A SQuAD file's questions on the articles the answer model was not fitted on, and
    settings for an index of its articles (built in ``folder`` on first use), hard-wrapped
    at ``wrap`` columns if asked."""
    squad = load_squad(path)
    squad = squad.wrapped(wrap) if wrap else squad
    fitted = set(load_selector(base.selector_model or DEFAULT_MODEL).provenance["articles"])
    questions = [
        q.as_eval_question(squad.documents[q.source])
        for q in squad.questions
        if q.article not in fitted
    ]
    if not questions:
        raise BadQuestionSet(
            f"Every article of {path} was used to fit the answer model: its figures would "
            "say nothing about new documents. Evaluate on other articles."
        )
    return questions, squad.indexed(folder, base)


def evaluate(
    question_set: Path,
    out: Path,
    configs: list[Config],
    *,
    url: str | None = None,
    api_key: str | None = None,
    settings: Settings | None = None,
    embeddings: Embeddings | None = None,
    progress: bool = True,
    split: Split = "all",
    wrap: int = 0,
    corpus: Path | None = None,
) -> tuple[dict[str, dict[str, Any]], str]:
    """Run every configuration; return their aggregates and the Markdown summary table.

    ``split`` picks a half of a JSONL set; a SQuAD set is always run on the articles the
    answer model was not fitted on, hard-wrapped at ``wrap`` columns when it is not 0.
    ``corpus`` is the folder a JSONL set asks about when it is not the configured one; it
    is indexed apart (in ``out``), so the index a server answers from is never touched."""
    base = settings or Settings()
    if wrap and wrap < MIN_WRAP:
        raise BadConfig(f"--wrap is a line width: give at least {MIN_WRAP} columns, or 0.")
    out.mkdir(parents=True, exist_ok=True)
    if is_squad(question_set):
        if corpus is not None:
            raise BadQuestionSet("A SQuAD set's articles are its corpus: leave out --corpus.")
        questions, base = squad_questions(question_set, out / "squad", base, wrap)
    elif wrap:
        raise BadQuestionSet(
            "--wrap re-writes the articles of a SQuAD set; a JSONL set's corpus is yours: "
            "wrap its files instead."
        )
    else:
        questions = select(load_questions(question_set), split)
        if corpus is not None:
            if not corpus.is_dir():
                raise BadQuestionSet(f"--corpus {corpus} is not a folder of documents.")
            base = base.model_copy(update={"corpus_dir": corpus, "chroma_dir": out / "chroma"})
    results: dict[str, dict[str, Any]] = {}
    for number, config in enumerate(configs):
        top_k = int(config.overrides.get("top_k", base.top_k))
        if config.name == BASELINE:
            plain = base.model_copy(update={"embedding_tuning": "none"})  # MiniLM as packaged
            client: FootnoteClient = PlainPipeline(base.corpus_dir, load_embeddings(plain))
        elif url is not None:
            if extra := set(config.overrides) - REQUEST_FIELDS:
                raise BadConfig(
                    f"Over --url only {sorted(REQUEST_FIELDS)} can change per request; "
                    f"{sorted(extra)} are the server's settings: restart it with them instead."
                )
            headers = {"Authorization": f"Bearer {api_key}"} if api_key else None
            client = HttpClient(url, mode=config.overrides.get("mode"), headers=headers)
        else:
            client, _ = in_process_client(config, base, out, embeddings, progress)
        path = out / f"results-{number}.jsonl"
        results[config.name] = run_questions(client, questions, top_k, path, config.name, progress)
    return results, write_report(results, question_set, out)
