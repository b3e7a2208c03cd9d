"""The sentences an extractive answer is built from, and the claims it makes of them.

A :class:`Sentence` is a stored sentence of a retrieved passage, located in its file and scored
against the question; a :class:`Claim` is one sentence of the answer (or one disputed value)
with every source sentence that backs it. :func:`render` numbers their footnotes in order of
first use, so ``[n]`` always points at the n-th citation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from footnote.answering.base import Answer, Citation, Evidence
from footnote.store import Passage

MIN_WORDS = 5  # shorter "sentences" are bylines, headings and captions, not answers


@dataclass
class Sentence:
    """A candidate sentence, located in its source file."""

    passage: Passage
    start: int
    end: int
    text: str
    context: float = 0.0  # the dense score of the passage it came from
    page: int = 0
    similarity: float = 0.0
    relevance: float = 0.0
    vector: np.ndarray = field(default_factory=lambda: np.zeros(0))


@dataclass
class Claim:
    """One answer sentence (or value) and every source sentence that backs it."""

    lead: Sentence
    support: list[Sentence] = field(default_factory=list)
    value: str | None = None  # set when the claim is one value of a disagreement

    @property
    def sentences(self) -> list[Sentence]:
        return [self.lead, *self.support]


def candidate_sentences(evidence: Evidence) -> list[Sentence]:
    """The stored sentences of the retrieved passages, each tied to the best passage holding it."""
    sentences: list[Sentence] = []
    for record, vector in evidence.sentences:
        if len(record.text.split()) < MIN_WORDS:
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
                    best.dense,
                    record.page,
                    vector=vector,
                )
            )
    return sentences


def similarity(a: Sentence, b: Sentence) -> float:
    """Cosine similarity of two sentences: their stored vectors are normalised."""
    return float(a.vector @ b.vector)


def cite(claim: Claim, citations: list[Citation]) -> str:
    markers = ""
    for sentence in claim.sentences:
        citation = Citation(
            id=len(citations) + 1,
            source=sentence.passage.source,
            title=sentence.passage.title,
            quote=sentence.text,
            start=sentence.start,
            end=sentence.end,
            score=round(sentence.similarity, 4),
            page=sentence.page,
        )
        citations.append(citation)
        markers += f"[{citation.id}]"
    return markers


def render(claims: list[Claim]) -> Answer:
    """Number citations in order of first use and put the markers after each sentence."""
    citations: list[Citation] = []
    parts = [f"{claim.lead.text} {cite(claim, citations)}" for claim in claims]
    return Answer(text=" ".join(parts), citations=citations)
