"""The seam every answer mode implements, and the answer it returns."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from api.retriever import ScoredPassage


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


@dataclass(frozen=True)
class Answer:
    """An answer whose ``[n]`` markers each name a citation; abstentions carry none."""

    text: str
    citations: list[Citation] = field(default_factory=list)
    abstained: bool = False
    query: str = ""  # the standalone question retrieval used


@dataclass(frozen=True)
class Evidence:
    """What retrieval found for a question: all an answer mode may draw on."""

    question: str
    query_vector: np.ndarray
    passages: Sequence[ScoredPassage]
    term_weight: Callable[[str], float]  # rarity of a word in the corpus (IDF)


class Answerer(ABC):
    """Turns a question and its retrieved passages into an :class:`Answer`."""

    @abstractmethod
    def answer(self, evidence: Evidence) -> Answer:
        """Answer from ``evidence.passages`` only; abstain when they do not hold the answer."""
