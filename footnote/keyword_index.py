"""BM25 over every stored passage, built once per index version and queried in memory."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import bm25s
import numpy as np

from footnote.store import Passage, parse_sentence_id
from footnote.tokens import tokenize


class KeywordIndex:
    """Scores passages by BM25; sparse matrices keep a query cheap at any corpus size.

    It also keeps the passages it indexes, so vector searches need return ids only, and knows
    which passages hold each stored sentence.
    """

    def __init__(self, passages: Sequence[Passage]):
        self.passages = list(passages)
        self._bm25 = bm25s.BM25()
        self._positions = {p.id: i for i, p in enumerate(self.passages)}
        self._by_source: dict[str, list[Passage]] = {}
        self._by_fingerprint: dict[str, list[Passage]] = {}
        for passage in self.passages:
            self._by_source.setdefault(passage.source, []).append(passage)
            self._by_fingerprint.setdefault(passage.fingerprint, []).append(passage)
        corpus = [tokenize(f"{p.title} {p.text}") or ["\0"] for p in self.passages]
        self._document_frequency = Counter(token for tokens in corpus for token in set(tokens))
        if corpus:
            self._bm25.index(corpus, show_progress=False)

    def passage(self, passage_id: str) -> Passage | None:
        position = self._positions.get(passage_id)
        return None if position is None else self.passages[position]

    def holding_sentence(self, sentence_id: str) -> list[Passage]:
        """The passages that hold a stored sentence (passages overlap by a sentence or so)."""
        fingerprint, number = parse_sentence_id(sentence_id)
        return [
            p
            for p in self._by_fingerprint.get(fingerprint, ())
            if p.first_sentence <= number <= p.last_sentence
        ]

    def frequency(self, token: str) -> int:
        """How many passages use ``token`` (a token from :func:`footnote.tokens.tokenize`)."""
        return self._document_frequency.get(token, 0)

    def idf(self, token: str) -> float:
        """How rare a token is across passages: "podcast" outweighs "said" when matching."""
        n, df = len(self.passages), self._document_frequency.get(token, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every passage, in ``self.passages`` order (zeros for no match)."""
        tokens = tokenize(query)
        if not tokens or not self.passages:
            return np.zeros(len(self.passages), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)

    def score_of(self, scores: np.ndarray, passage_id: str) -> float:
        """A passage's entry in ``scores``; 0 for one indexed after this index was built."""
        position = self._positions.get(passage_id)
        return 0.0 if position is None else float(scores[position])

    def top(self, scores: np.ndarray, k: int) -> list[tuple[Passage, float]]:
        """The ``k`` best-scoring passages with a score above zero, best first."""
        k = min(k, len(self.passages))
        if k == 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(self.passages[i], float(scores[i])) for i in top if scores[i] > 0]
