"""The seam every answer mode implements, and the answer it returns."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from footnote.retriever import ScoredPassage
from footnote.store import SentenceRecord


@dataclass(frozen=True)
class Citation:
    """Footnote ``[id]``: ``quote == text_of(source)[start:end]``, so a UI can highlight it."""

    id: int
    source: str
    title: str
    quote: str
    start: int
    end: int
    score: float
    page: int = 0  # for paged formats (PDF): the page the quote starts on
    section: str = ""  # the headings the quote sits under, "Usage › Options"


@dataclass(frozen=True)
class ConflictValue:
    """One source's version of a disputed value, in its own words, with its footnotes."""

    value: str
    citations: list[int]


@dataclass(frozen=True)
class Conflict:
    """Sources that give different values for the thing a question asks about."""

    values: list[ConflictValue]


@dataclass(frozen=True)
class SentenceCheck:
    """One answer sentence, the citations its markers name, and whether they back it."""

    text: str
    citations: list[int]
    supported: bool


@dataclass(frozen=True)
class Answer:
    """An answer whose ``[n]`` markers each name a citation; abstentions carry none, but show
    the sentences that came ``closest``: the refusal is a judgement that can be wrong (5 to 11
    of 100 answerable questions held out), and the reader can then check it in one click."""

    text: str
    citations: list[Citation] = field(default_factory=list)
    abstained: bool = False
    query: str = ""  # the standalone question retrieval used
    conflicts: list[Conflict] = field(default_factory=list)
    sentences: list[SentenceCheck] = field(default_factory=list)
    grounded: bool = True  # False when most sentences are not backed by what they cite
    mode: str = "extractive"
    fallback: str | None = None  # why another mode answered instead of the one asked for
    confidence: float | None = None  # P(the passages answer), when the answer model judged
    closest: list[Citation] = field(default_factory=list)  # a refusal's nearest sentences
    # what retrieval ranked for ``query``: eval measures retrieval from the run it scores
    passages: Sequence[ScoredPassage] = ()


class TermStats(Protocol):
    """How the corpus uses a word; the keyword index answers both cheaply."""

    def idf(self, token: str) -> float: ...

    def frequency(self, token: str) -> int: ...


@dataclass(frozen=True)
class Evidence:
    """What retrieval found for a question: all an answer mode may draw on."""

    question: str  # the user's own words, last turn
    query: str  # the standalone question retrieval used (differs for follow-ups)
    question_vector: np.ndarray  # what the answer model compares sentences with
    passages: Sequence[ScoredPassage]
    sentences: Sequence[tuple[SentenceRecord, np.ndarray]]  # those inside the passages
    terms: TermStats
    scope: frozenset[str] | None = None  # the documents the question is limited to, if any

    @property
    def is_followup(self) -> bool:
        return self.query != self.question


class Answerer(ABC):
    """Turns a question and its retrieved passages into an :class:`Answer`.

    One method to implement, :meth:`stream`: text as it is produced, then the finished
    :class:`Answer`. :meth:`answer` is the same without the pieces.
    """

    @abstractmethod
    def stream(self, evidence: Evidence) -> Iterator[str | Answer]:
        """Yield pieces of answer text, then the :class:`Answer` (always last, always once)."""

    def answer(self, evidence: Evidence) -> Answer:
        """Answer from ``evidence.passages`` only; abstain when they do not hold the answer."""
        for item in self.stream(evidence):
            if isinstance(item, Answer):
                return item
        raise RuntimeError(f"{type(self).__name__}.stream ended without an Answer")
