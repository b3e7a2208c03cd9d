"""SQuAD 2.0 question sets: a corpus folder and Footnote questions from one JSON file.

Many public question-answering sets use the SQuAD format (``data[].title``,
``paragraphs[].context``, ``qas[]`` with ``answers`` and ``is_impossible``), so ``footnote
eval`` reads it as well as its own JSONL. Each article becomes one plain-text document: its
title, a blank line, then its paragraphs separated by blank lines. Every gold answer keeps
its character offsets in that document, so evidence hit@k and training labels are exact.

Articles are split into a *fit* part, which the answer model is trained and calibrated on,
and a *held-out* part, on which figures are reported (see eval/README.md).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from eval.dataset import BadQuestionSet, EvalQuestion
from footnote.settings import Settings

Split = Literal["fit", "heldout", "all"]

# squad2-dev8: reported on these three, never fitted or tuned on them. The other five are
# fitted on (and the refusal threshold calibrated on them, article by article).
HELD_OUT_ARTICLES = frozenset({"Packet_switching", "Immune_system", "Warsaw"})
EVIDENCE_CONTEXT = 40  # characters either side of an answer that make its evidence quote unique


@dataclass(frozen=True)
class SquadQuestion:
    """A question with its gold answers located in the article's document."""

    id: str
    article: str
    source: str  # the document's file name in the corpus folder
    question: str
    answers: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]  # each answer's [start, end) in the document
    answerable: bool
    paragraph: tuple[int, int] = (0, 0)  # the [start, end) of the paragraph it was asked of

    def as_eval_question(self, document: str) -> EvalQuestion:
        """The same question in Footnote's own format, for the common runner and metrics."""
        if not self.answerable:
            return EvalQuestion(
                id=self.id,
                type="unanswerable",
                question=self.question,
                answer="",
                must_include=[],
                sources=[],
                evidence={},
            )
        start, end = self.spans[0]
        quote = document[max(0, start - EVIDENCE_CONTEXT) : end + EVIDENCE_CONTEXT]
        return EvalQuestion(
            id=self.id,
            type="single",
            question=self.question,
            answer=self.answers[0],
            must_include=[sorted(set(self.answers))],
            sources=[self.source],
            evidence={self.source: quote.strip()},
        )


@dataclass(frozen=True)
class SquadSet:
    """The documents built from a SQuAD file and every question about them."""

    documents: dict[str, str]  # file name -> text
    questions: list[SquadQuestion]

    def select(self, split: Split) -> list[SquadQuestion]:
        if split == "all":
            return self.questions
        held = split == "heldout"
        return [q for q in self.questions if (q.article in HELD_OUT_ARTICLES) == held]

    def wrapped(self, columns: int) -> SquadSet:
        """The same articles hard-wrapped at ``columns``, as a PDF's text layer or a wrapped
        .txt file reads: only spaces become line breaks, so every answer span stays put."""
        documents = {name: hard_wrap(text, columns) for name, text in self.documents.items()}
        return SquadSet(documents, self.questions)

    def indexed(self, folder: Path, base: Settings) -> Settings:
        """Settings for an index of the articles under ``folder``: the documents are written
        as .txt files (only those that changed, so a second run re-ingests nothing) to
        ``folder/corpus``, the index lives in ``folder/chroma``."""
        corpus = folder / "corpus"
        corpus.mkdir(parents=True, exist_ok=True)
        for name, text in self.documents.items():
            path = corpus / name
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
        return base.model_copy(update={"corpus_dir": corpus, "chroma_dir": folder / "chroma"})


def hard_wrap(text: str, columns: int) -> str:
    """``text`` with a space turned into a line break wherever a line would pass ``columns``
    characters (a word longer than that keeps its own line): the offsets do not move."""
    characters = list(text)
    line_start, space = 0, -1
    for index, character in enumerate(text):
        if character == "\n":
            line_start, space = index + 1, -1
            continue
        if character == " ":
            space = index
        if index - line_start >= columns and space > line_start:
            characters[space] = "\n"
            line_start, space = space + 1, -1
    return "".join(characters)


def is_squad(path: Path) -> bool:
    return path.suffix.lower() == ".json"


def file_name(title: str) -> str:
    return re.sub(r"[^\w.-]+", "_", title).strip("_")[:80] + ".txt"


def _document(article: dict[str, Any]) -> tuple[str, list[int]]:
    """The article's text and where each paragraph starts in it."""
    text = article["title"].replace("_", " ")
    starts = []
    for paragraph in article["paragraphs"]:
        text += "\n\n"
        starts.append(len(text))
        text += paragraph["context"]
    return text + "\n", starts


def _questions(article: dict[str, Any], source: str, starts: list[int]) -> Iterable[SquadQuestion]:
    for paragraph, offset in zip(article["paragraphs"], starts, strict=True):
        for qa in paragraph["qas"]:
            answers = [] if qa.get("is_impossible") else qa["answers"]
            yield SquadQuestion(
                id=qa["id"],
                article=article["title"],
                source=source,
                question=qa["question"].strip(),
                answers=tuple(a["text"] for a in answers),
                spans=tuple(
                    (offset + a["answer_start"], offset + a["answer_start"] + len(a["text"]))
                    for a in answers
                ),
                answerable=bool(answers),
                paragraph=(offset, offset + len(paragraph["context"])),
            )


def load_squad(path: Path) -> SquadSet:
    """Read a SQuAD 1.1 or 2.0 JSON file; a malformed one is refused with what is wrong."""
    if not path.is_file():
        raise BadQuestionSet(f"Question set {path} does not exist: pass a SQuAD .json file.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))["data"]
        documents: dict[str, str] = {}
        questions: list[SquadQuestion] = []
        for article in data:
            source = file_name(article["title"])
            text, starts = _document(article)
            documents[source] = text
            questions.extend(_questions(article, source, starts))
    except (json.JSONDecodeError, KeyError, TypeError) as error:
        raise BadQuestionSet(
            f"{path} is not SQuAD JSON ({type(error).__name__}: {error}): expected "
            "data[].title, data[].paragraphs[].context and .qas[] with question and answers."
        ) from None
    if not questions:
        raise BadQuestionSet(f"{path} holds no questions.")
    return SquadSet(documents, questions)
