"""The candidate sentences of an answer: the stored sentences of the retrieved passages.

A :class:`Sentence` is located in its file, scored against the question, and read once: its
words, stems, figures, values, speaker and whether it negates are computed when a step first
asks and shared by every later step (scoring, disagreement, rendering), never re-read from
the raw text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from footnote.answering.base import Evidence
from footnote.answering.question import Expect
from footnote.answering.values import Value, attribution, values
from footnote.lexicon import denies
from footnote.sections import SEPARATOR
from footnote.sentences import is_contents_entry
from footnote.store import Passage
from footnote.tokens import numbers, stem, tokenize


@dataclass
class Sentence:
    """A candidate sentence, located in its source file; its readings are cached."""

    passage: Passage
    start: int
    end: int
    text: str
    page: int = 0
    similarity: float = 0.0
    relevance: float = 0.0
    vector: np.ndarray = field(default_factory=lambda: np.zeros(0))
    _values: dict[Expect, list[Value]] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def words(self) -> frozenset[str]:
        """Its content words and figures, as :func:`footnote.tokens.tokenize` reads them."""
        return frozenset(tokenize(self.text))

    @cached_property
    def heading_words(self) -> frozenset[str]:
        """The words of the heading it sits under, the innermost one: in a manual, what a
        sentence describes is often named only there ("When true, it refuses merged cells."
        under "strict")."""
        section = self.passage.section_at(self.start)
        return frozenset(tokenize(section.rsplit(SEPARATOR, 1)[-1])) if section else frozenset()

    @cached_property
    def stems(self) -> frozenset[str]:
        return frozenset(stem(word) for word in self.words)

    @cached_property
    def numbers(self) -> frozenset[str]:
        return numbers(self.text)

    @cached_property
    def negated(self) -> bool:
        return denies(self.text)

    @cached_property
    def speaker(self) -> str | None:
        """Who it says its claim comes from, in its own words, when it says so plainly."""
        return attribution(self.text)

    def values(self, expect: Expect) -> list[Value]:
        """The values of the ``expect`` kind it states, in order."""
        if expect not in self._values:
            self._values[expect] = values(self.text, expect)
        return self._values[expect]


def candidate_sentences(evidence: Evidence, min_words: int) -> list[Sentence]:
    """The stored sentences of the retrieved passages of at least ``min_words`` words (shorter
    ones are bylines, headings and captions) and not entries of a table of contents, each
    tied to the best passage holding it."""
    sentences: list[Sentence] = []
    for record, vector in evidence.sentences:
        if len(record.text.split()) < min_words or is_contents_entry(record.text):
            continue
        holders = [
            hit
            for hit in evidence.passages
            if hit.passage.source == record.source
            and hit.passage.start <= record.start
            and record.end <= hit.passage.end
        ]
        if holders:
            best = max(holders, key=lambda hit: hit.dense)
            sentences.append(
                Sentence(
                    best.passage,
                    record.start,
                    record.end,
                    record.text,
                    record.page,
                    vector=vector,
                )
            )
    return sentences


def similarity(a: Sentence, b: Sentence) -> float:
    """Cosine similarity of two sentences: their stored vectors are normalised."""
    return float(a.vector @ b.vector)
