"""Evaluation question sets: JSONL, one question per line (the format is in eval/README.md)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from footnote.errors import FootnoteError
from footnote.settings import PROJECT_ROOT

QuestionType = Literal["single", "multi", "conflict", "unanswerable", "followup"]
Split = Literal["all", "fit", "heldout"]
DEV_SET = PROJECT_ROOT / "eval" / "sets" / "dev.jsonl"  # the news questions, for bench and load
HELD_OUT_BYTE = 128  # half the ids hash below this
TYPES: tuple[QuestionType, ...] = ("single", "multi", "conflict", "unanswerable", "followup")


class Message(BaseModel):
    role: Literal["system", "user", "assistant"]
    content: str


class EvalQuestion(BaseModel):
    id: str
    type: QuestionType
    question: str = Field(min_length=1)
    answer: str
    must_include: list[list[str]] = Field(
        description="Groups of acceptable strings; a correct answer has one of every group."
    )
    sources: list[str] = Field(description="Files that hold (or confirm) the answer.")
    evidence: dict[str, str] = Field(description="A verbatim quote per gold source.")
    history: list[Message] = Field(default_factory=list)
    document: str | None = Field(
        default=None,
        description="The file the question is about, in a set over several documents: "
        "questions that name one fall on the same side of the split.",
    )

    @property
    def held_out(self) -> bool:
        """Whether the question is in the held-out half: chosen by hashing its id, so the
        split needs no list and a new question falls on either side by chance, not by choice.
        A question that names its ``document`` is split by that name instead, so a whole
        document is either fitted on or held out: what is measured on it is then measured on
        a document nobody tuned on, not only on questions nobody tuned on.
        Nothing may be fitted or tuned on held-out questions (eval/README.md)."""
        key = self.document or self.id
        return hashlib.sha256(key.encode()).digest()[0] < HELD_OUT_BYTE

    @property
    def answerable(self) -> bool:
        return self.type != "unanswerable"

    def messages(self) -> list[dict[str, str]]:
        return [m.model_dump() for m in self.history] + [{"role": "user", "content": self.question}]


class BadQuestionSet(FootnoteError):
    """Raised when a question set file is missing or a line of it is malformed."""

    status = 400
    title = "Bad question set"


def load_questions(path: Path) -> list[EvalQuestion]:
    if not path.is_file():
        raise BadQuestionSet(f"Question set {path} does not exist: pass a .jsonl file.")
    questions: list[EvalQuestion] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            questions.append(EvalQuestion.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as error:
            reason = str(error).splitlines()[0] if isinstance(error, ValidationError) else error
            raise BadQuestionSet(f"{path}, line {number}: {reason}") from None
    if not questions:
        raise BadQuestionSet(f"{path} holds no questions.")
    return questions


def select(questions: list[EvalQuestion], split: Split) -> list[EvalQuestion]:
    """The questions of one half of the set (or all of them)."""
    if split == "all":
        return questions
    return [q for q in questions if q.held_out == (split == "heldout")]
