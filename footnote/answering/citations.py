"""Checks a generated answer against the sources it cites, sentence by sentence.

A language model's ``[n]`` is a claim, not a proof. Each marker is kept only if source ``n``
exists; each sentence is then tested against the sentences of the passages it cites, by
embedding similarity and by word overlap, and the best-matching source sentence becomes the
citation's quote, so the UI highlights the words that back the claim rather than a whole
passage. An answer whose sentences are mostly unsupported is marked ``grounded = False``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from footnote.answering.base import Answer, Citation, Evidence, SentenceCheck
from footnote.sentences import sentence_spans
from footnote.settings import Settings
from footnote.store import SentenceRecord
from footnote.tokens import tokenize
from prompts import load_prompt

_MARKERS = re.compile(r"\s*((?:\[\d+\])+)")
_NUMBER = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True)
class Support:
    """When a sentence counts as backed by what it cites, and an answer as grounded: the
    ``support_*`` and ``grounded_share`` settings, for generated and quoted answers alike."""

    similarity: float  # cosine between a sentence and a cited source sentence
    overlap: float  # or: the share of the sentence's words found in what it cites
    grounded_share: float  # more than this share of the sentences must be backed

    @classmethod
    def of(cls, settings: Settings) -> Support:
        return cls(settings.support_similarity, settings.support_overlap, settings.grounded_share)

    def grounded(self, checks: Sequence[SentenceCheck]) -> bool:
        return bool(checks) and sum(c.supported for c in checks) > self.grounded_share * len(checks)


@dataclass(frozen=True)
class CitedSentence:
    """A sentence of generated text and the sources its markers name."""

    text: str  # without markers
    sources: list[int]  # 1-based source numbers it cites, valid ones only


def split_claims(text: str, sources: int) -> tuple[str, list[CitedSentence]]:
    """The answer with invalid markers removed, and its sentences with the sources they cite."""
    cleaned = re.sub(
        r"\s*\[(\d+)\]", lambda m: m.group() if 1 <= int(m.group(1)) <= sources else "", text
    )
    claims = []
    for span in sentence_spans(cleaned):
        sentence = cleaned[span.start : span.end]
        cited = sorted({int(n) for n in _NUMBER.findall(sentence)})
        bare = _MARKERS.sub("", sentence).strip()
        if bare and any(c.isalnum() for c in bare):
            claims.append(CitedSentence(bare, cited))
    return cleaned.strip(), claims


def check(
    text: str,
    evidence: Evidence,
    embeddings: Embeddings,
    mode: str,
    support: Support,
) -> Answer:
    """Turn generated text into an :class:`Answer` with verified, quote-level citations."""
    passages = list(evidence.passages)
    cleaned, claims = split_claims(text, len(passages))
    by_passage = _sentences_by_passage(evidence)
    vectors = (
        np.asarray(embeddings.embed_documents([c.text for c in claims]), dtype=np.float32)
        if claims
        else np.zeros((0, 0), dtype=np.float32)
    )
    citations: dict[int, Citation] = {}  # source number -> citation
    checks: list[SentenceCheck] = []
    for claim, vector in zip(claims, vectors, strict=True):
        supported = False
        for number in claim.sources:
            passage = passages[number - 1].passage
            record, similarity = _best_sentence(vector, by_passage.get(passage.id, []))
            overlap = word_overlap(claim.text, passage.text)
            supported |= similarity >= support.similarity or overlap >= support.overlap
            if number not in citations:
                quote = record.text if record else passage.text
                start = record.start if record else passage.start
                citations[number] = Citation(
                    number, passage.source, passage.title, quote, start, start + len(quote),
                    round(similarity, 4), record.page if record else passage.page,
                    passage.section_at(start),
                )  # fmt: skip
        checks.append(SentenceCheck(claim.text, claim.sources, supported))
    grounded = support.grounded(checks)
    if not grounded:  # plain chat clients see only the text: the warning belongs in it
        cleaned = f"{cleaned}\n\n{load_prompt('ungrounded.txt')}"
    return Answer(
        text=cleaned,
        citations=[citations[n] for n in sorted(citations)],
        sentences=checks,
        grounded=grounded,
        mode=mode,
    )


def _sentences_by_passage(evidence: Evidence) -> dict[str, list[tuple[SentenceRecord, np.ndarray]]]:
    grouped: dict[str, list[tuple[SentenceRecord, np.ndarray]]] = {}
    for record, vector in evidence.sentences:
        for hit in evidence.passages:
            p = hit.passage
            if p.source == record.source and p.start <= record.start and record.end <= p.end:
                grouped.setdefault(p.id, []).append((record, vector))
    return grouped


def _best_sentence(
    vector: np.ndarray, candidates: Sequence[tuple[SentenceRecord, np.ndarray]]
) -> tuple[SentenceRecord | None, float]:
    if not candidates:
        return None, 0.0
    scores = [float(v @ vector) for _, v in candidates]
    best = int(np.argmax(scores))
    return candidates[best][0], scores[best]


def word_overlap(claim: str, passage: str) -> float:
    """The share of the claim's words that the passage holds."""
    words = set(tokenize(claim))
    return len(words & set(tokenize(passage))) / len(words) if words else 0.0
