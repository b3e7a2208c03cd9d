"""Hybrid retrieval: Chroma's dense neighbours and BM25 keyword hits, fused by a convex mix.

A candidate's dense score is the better of its own vector's match and its best sentence's:
a question about one fact matches the sentence that states it far better than the
800-character passage around it. Only passage vectors are searched; the sentence vectors are
read for the candidates the two searches found, from the passages' metadata. Searching the
sentence vectors as well found no more evidence worth indexing five times as many vectors
for (see the README).

Dense vectors find paraphrases ("troops sent" ~ "soldiers deployed"); BM25 finds the exact
names and rare words embeddings blur ("podcast", "Tuva"). Each candidate gets *both* scores,
exactly: a keyword-only hit has its cosine computed from its stored vector, a dense-only hit
its BM25 score read from the full score array. The two are min-max normalised over the
candidates and mixed with ``dense_weight``. A convex mix of normalised scores beat reciprocal
rank fusion here: RRF flattens a strong keyword match that the dense ranker put at rank 30 to
noise (Bruch et al., "An Analysis of Fusion Functions for Hybrid Retrieval", reach the same
conclusion).

This is not a LangChain ``BaseRetriever``: its ``invoke`` returns ``Document``s, which drop the
two scores and the query vector the answer model reads, so Footnote would never call it, and a
seam nothing calls is one nothing tests. The service builds one retriever per index version.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace

import numpy as np
from langchain_core.embeddings import Embeddings

from footnote.keyword_index import KeywordIndex
from footnote.store import (
    Passage,
    PassageStore,
    SentenceVectors,
    StoredPart,
    sentences_in,
)

CANDIDATES_PER_RANKER = 4  # each ranker proposes this many times top_k before fusion
MIN_CANDIDATES = 20


@dataclass(frozen=True)
class ScoredPassage:
    """A retrieved passage with its fused score and the two scores it came from."""

    passage: Passage
    score: float
    dense: float
    keyword: float
    # the sentences inside it with their vectors, read with the passage: the answer model
    # scores them, and reading them again per answer would be a second Chroma read
    sentences: SentenceVectors = field(default_factory=list)


def _normalise(scores: np.ndarray) -> np.ndarray:
    span = float(scores.max() - scores.min()) if scores.size else 0.0
    return (scores - scores.min()) / span if span > 0 else np.zeros_like(scores)


def fuse(
    candidates: Sequence[Passage],
    dense: np.ndarray,
    keyword: np.ndarray,
    dense_weight: float,
    k: int,
    max_per_source: int = 0,
) -> list[ScoredPassage]:
    """Rank candidates by ``dense_weight * dense' + (1 - dense_weight) * keyword'``.

    With ``max_per_source``, a source's passages beyond that many wait until every other
    source has had its turn: several outlets confirming a fact beat one outlet's neighbouring
    paragraphs, yet a question over a single long file still gets ``k`` passages of it.
    Each passage taken then grows by its best-ranked neighbour (see :func:`_widen`).
    """
    fused = dense_weight * _normalise(dense) + (1 - dense_weight) * _normalise(keyword)
    order = [int(i) for i in np.argsort(-fused, kind="stable")]
    first: list[int] = []
    waiting: list[int] = []
    per_source: dict[str, int] = {}
    for i in order:
        source = candidates[i].source
        if max_per_source and per_source.get(source, 0) >= max_per_source:
            waiting.append(i)
            continue
        per_source[source] = per_source.get(source, 0) + 1
        first.append(i)
    taken = (first + waiting)[:k]
    widened = _widen([candidates[i] for i in taken], [candidates[i] for i in order])
    return [
        ScoredPassage(passage, float(fused[i]), float(dense[i]), float(keyword[i]))
        for passage, i in zip(widened, taken, strict=True)
    ]


def _widen(taken: list[Passage], ranked: list[Passage]) -> list[Passage]:
    """Each taken passage joined with its best-ranked neighbour among the candidates.

    The sentence that answers often sits at a passage's edge, with its attribution ("...,
    Zelensky added") or its figure in the passage next to it, and an article's opening often
    outranks the paragraph that holds the quote. A neighbour that retrieval also found says
    which side of the passage the rest of the answer lies: returning the stretch whole
    (auto-merging retrieval) costs no slot another source could use. Only candidates join,
    so a passage grows toward text that matched the question, never blindly both ways.
    """
    used = {p.id for p in taken}
    widened = []
    for passage in taken:
        neighbour = next((p for p in ranked if p.id not in used and passage.overlaps(p)), None)
        if neighbour is not None:
            used.add(neighbour.id)
            passage = passage.joined(neighbour)
        widened.append(passage)
    return widened


@dataclass(frozen=True)
class HybridRetriever:
    """Dense and keyword search over one version of the index, fused; keeps the scores."""

    store: PassageStore
    keywords: KeywordIndex
    embeddings: Embeddings
    top_k: int = 5
    dense_weight: float = 0.5
    max_per_source: int = 0

    def retrieve(
        self,
        query: str,
        k: int | None = None,
        vector: np.ndarray | None = None,
        sources: AbstractSet[str] | None = None,
    ) -> list[ScoredPassage]:
        """Top ``k`` passages, of the given ``sources`` only when named; pass ``vector`` when
        the caller already embedded the query."""
        k = k or self.top_k
        if vector is None:
            vector = np.asarray(self.embeddings.embed_query(query), dtype=np.float32)
        pool = max(k * CANDIDATES_PER_RANKER, MIN_CANDIDATES)
        dense_hits = self._nearest(vector, pool, sources)
        all_keyword = self.keywords.scores(query, sources)
        candidates = [p for p, _ in dense_hits.values()]
        seen = {p.id for p in candidates}
        candidates += [p for p, _ in self.keywords.top(all_keyword, pool) if p.id not in seen]
        stored = self.store.stored(candidates)
        # an ingest may have replaced a passage since this index was built: it is gone
        candidates = [p for p in candidates if p.id in stored]
        if not candidates:
            return []
        dense = np.array(
            [self._dense(stored[p.id], dense_hits.get(p.id), vector) for p in candidates],
            dtype=np.float32,
        )
        keyword = np.array(
            [self.keywords.score_of(all_keyword, p.id) for p in candidates], dtype=np.float32
        )
        fused = fuse(candidates, dense, keyword, self.dense_weight, k, self.max_per_source)
        return [replace(hit, sentences=sentences_in(hit.passage, stored)) for hit in fused]

    def _nearest(
        self, vector: np.ndarray, pool: int, sources: AbstractSet[str] | None
    ) -> dict[str, tuple[Passage, float | None]]:
        """The dense ranker's candidates, by id, with Chroma's cosine. Documents a question is
        limited to that hold no more than ``pool`` passages are candidates whole, their cosines
        computed exactly from the stored vectors (None here): cheaper than Chroma's filtered
        search, which reads the metadata of every passage first."""
        if sources is not None:
            spans = self.keywords.positions(sources)
            if sum(len(span) for span in spans) <= pool:
                passages = (self.keywords.passages[i] for span in spans for i in span)
                return {p.id: (p, None) for p in passages}
        return {
            id: (passage, similarity)
            for id, similarity in self.store.nearest_ids(vector, pool, sources)
            if (passage := self.keywords.passage(id))  # readers see whole documents only
        }

    @staticmethod
    def _dense(
        stored: StoredPart, hit: tuple[Passage, float | None] | None, vector: np.ndarray
    ) -> float:
        """The better of the passage's cosine (Chroma's, when the dense search found it) and
        its best sentence's."""
        found = hit[1] if hit is not None else None
        own = found if found is not None else float(stored.vector @ vector)
        return max([own, *(float(v @ vector) for _, v in stored.sentences)])
