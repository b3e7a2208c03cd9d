"""Extractive answers: the source sentences that best answer the question, each footnoted.

No language model writes anything, so nothing can be invented: every sentence of the answer is
a verbatim quote. The work is in choosing: the sentence that answers best comes first; other
sentences join when they add to it; a sentence that says the same as a chosen one in another
source adds its footnote instead of repeating it; a sentence that gives a *different figure*
for the same thing is kept beside the first, so disagreements between sources stay visible.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from langchain_core.embeddings import Embeddings

from api.answering.base import Answer, Answerer, Citation, Evidence
from api.retriever import ScoredPassage
from api.tokens import numbers, tokenize
from ingest.splitter import sentence_spans
from ingest.store import Passage
from prompts import load_prompt

MIN_WORDS = 5  # shorter "sentences" are bylines, headings and captions, not answers
MAX_SENTENCES = 3  # sentences that answer; conflicting figures may add up to MAX_CONFLICTS
MAX_CONFLICTS = 2
RELEVANCE_MARGIN = 0.12  # a supporting sentence must be this close to the best one
SAME_CLAIM = 0.85  # sentence similarity above which two sources say the same thing
SAME_TOPIC = 0.55  # sentence similarity above which differing figures are a conflict
KEYWORD_WEIGHT = 0.2


@dataclass
class Sentence:
    """A candidate sentence, located in its source file."""

    passage: Passage
    start: int
    end: int
    text: str
    similarity: float = 0.0
    relevance: float = 0.0
    vector: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def key(self) -> tuple[str, int]:
        return (self.passage.source, self.start)


@dataclass
class Claim:
    """One answer sentence and every source sentence that backs it."""

    lead: Sentence
    support: list[Sentence] = field(default_factory=list)

    @property
    def sentences(self) -> list[Sentence]:
        return [self.lead, *self.support]


class SentenceVectorCache:
    """Embeds sentences once: the same passages come back for related questions."""

    def __init__(self, embeddings: Embeddings, capacity: int = 50_000):
        self.embeddings = embeddings
        self.capacity = capacity
        self._vectors: OrderedDict[tuple[str, str, int], np.ndarray] = OrderedDict()

    def vectors(self, sentences: Sequence[Sentence]) -> np.ndarray:
        keys = [(s.passage.fingerprint, s.passage.source, s.start) for s in sentences]
        missing = [i for i, key in enumerate(keys) if key not in self._vectors]
        if missing:
            fresh = self.embeddings.embed_documents([sentences[i].text for i in missing])
            for i, vector in zip(missing, fresh, strict=True):
                self._vectors[keys[i]] = np.asarray(vector, dtype=np.float32)
        for key in keys:
            self._vectors.move_to_end(key)
        while len(self._vectors) > self.capacity:
            self._vectors.popitem(last=False)
        return np.stack([self._vectors[key] for key in keys])


def candidate_sentences(passages: Sequence[ScoredPassage]) -> list[Sentence]:
    """Every sentence of the retrieved passages once, with offsets in its source file."""
    seen: set[tuple[str, int]] = set()
    sentences: list[Sentence] = []
    for hit in passages:
        passage = hit.passage
        for span in sentence_spans(passage.text):
            text = passage.text[span.start : span.end]
            sentence = Sentence(passage, passage.start + span.start, passage.start + span.end, text)
            if len(text.split()) < MIN_WORDS or sentence.key in seen:
                continue
            seen.add(sentence.key)
            sentences.append(sentence)
    return sentences


def conflicts_with(candidate: Sentence, chosen: Sentence) -> bool:
    """Same topic, different figures: the sources disagree and both versions belong in."""
    theirs, ours = numbers(candidate.text), numbers(chosen.text)
    return bool(theirs and ours and theirs != ours) and _similarity(candidate, chosen) >= SAME_TOPIC


def _similarity(a: Sentence, b: Sentence) -> float:
    return float(a.vector @ b.vector)


def _restates(candidate: Sentence, claim: Claim) -> bool:
    """Another source saying the same: near-identical wording, no figure the other lacks."""
    theirs, ours = numbers(candidate.text), numbers(claim.lead.text)
    return (
        candidate.passage.source not in {s.passage.source for s in claim.sentences}
        and _similarity(candidate, claim.lead) >= SAME_CLAIM
        and (theirs <= ours or ours <= theirs)
    )


class ExtractiveAnswerer(Answerer):
    """The default mode: quotes only, chosen by embedding similarity and keyword overlap."""

    def __init__(self, embeddings: Embeddings, min_relevance: float):
        self.cache = SentenceVectorCache(embeddings)
        self.min_relevance = min_relevance

    def score(self, evidence: Evidence, sentences: list[Sentence]) -> None:
        """Relevance = cosine similarity plus the rarity-weighted share of the question's words.

        Weighting by rarity matters: a sentence sharing "podcast" with the question is a far
        better sign than one sharing "said".
        """
        vectors = self.cache.vectors(sentences)
        similarities = vectors @ evidence.query_vector.astype(np.float32)
        weights = {t: evidence.term_weight(t) for t in set(tokenize(evidence.question))}
        total = sum(weights.values()) or 1.0
        for sentence, vector, similarity in zip(sentences, vectors, similarities, strict=True):
            found = set(tokenize(sentence.text))
            overlap = sum(w for t, w in weights.items() if t in found) / total
            sentence.vector = vector
            sentence.similarity = float(similarity)
            sentence.relevance = float(similarity) + KEYWORD_WEIGHT * overlap

    def choose(self, ranked: list[Sentence]) -> list[Claim]:
        best = ranked[0]
        claims = [Claim(best)]
        conflicts = 0
        for candidate in ranked[1:]:
            if candidate.similarity < self.min_relevance:
                break
            restated = next((c for c in claims if _restates(candidate, c)), None)
            if restated:
                restated.support.append(candidate)
            elif any(conflicts_with(candidate, c.lead) for c in claims):
                if conflicts < MAX_CONFLICTS:
                    claims.append(Claim(candidate))
                    conflicts += 1
            elif (
                len(claims) - conflicts < MAX_SENTENCES
                and candidate.relevance >= best.relevance - RELEVANCE_MARGIN
                and all(_similarity(candidate, c.lead) < SAME_CLAIM for c in claims)
            ):
                claims.append(Claim(candidate))
        return claims

    def answer(self, evidence: Evidence) -> Answer:
        sentences = candidate_sentences(evidence.passages)
        if sentences:
            self.score(evidence, sentences)
        ranked = sorted(sentences, key=lambda s: s.relevance, reverse=True)
        if not ranked or ranked[0].similarity < self.min_relevance:
            return Answer(text=load_prompt("abstain.txt"), abstained=True)
        return render(self.choose(ranked))


def render(claims: list[Claim]) -> Answer:
    """Number citations in order of first use and put the markers after each sentence."""
    citations: list[Citation] = []
    parts: list[str] = []
    for claim in claims:
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
            )
            citations.append(citation)
            markers += f"[{citation.id}]"
        parts.append(f"{claim.lead.text} {markers}")
    return Answer(text=" ".join(parts), citations=citations)
