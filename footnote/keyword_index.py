"""BM25 over every stored passage, built once per index version and queried in memory.

Building it means reading every passage from Chroma and tokenising it: seconds at 1000x the
bundled corpus, minutes at 10,000x. So the first process to open a version saves the index
beside the store (:func:`saved`), and every later start loads it, the BM25 matrices
memory-mapped, instead of building it again.
"""

from __future__ import annotations

import json
import math
import os
import shutil
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

import bm25s
import numpy as np

from footnote.store import Passage, parse_sentence_id
from footnote.tokens import tokenize

_COMPLETE = "complete"  # written last: a folder without it is half-written and ignored


class KeywordIndex:
    """Scores passages by BM25; sparse matrices keep a query cheap at any corpus size.

    It also keeps the passages it indexes, so vector searches need return ids only, and knows
    which passages hold each stored sentence.
    """

    def __init__(
        self,
        passages: Sequence[Passage],
        built: tuple[bm25s.BM25, Counter[str]] | None = None,
    ):
        """Index ``passages``, or take the BM25 model and word counts ``built`` for them."""
        self.passages = list(passages)
        self._positions = {p.id: i for i, p in enumerate(self.passages)}
        self._by_fingerprint: dict[str, list[Passage]] = {}
        for passage in self.passages:
            self._by_fingerprint.setdefault(passage.fingerprint, []).append(passage)
        if built is not None:
            self._bm25, self._document_frequency = built
            return
        self._bm25 = bm25s.BM25()
        corpus = [tokenize(f"{p.title} {p.text}") or ["\0"] for p in self.passages]
        self._document_frequency = Counter(token for tokens in corpus for token in set(tokens))
        if corpus:
            self._bm25.index(corpus, show_progress=False)

    def save(self, folder: Path) -> None:
        """Write the index to ``folder``; :meth:`load` reads it back."""
        folder.mkdir(parents=True)
        with (folder / "passages.jsonl").open("w", encoding="utf-8") as out:
            for passage in self.passages:
                out.write(json.dumps(asdict(passage), ensure_ascii=False) + "\n")
        frequencies = json.dumps(self._document_frequency, ensure_ascii=False)
        (folder / "frequencies.json").write_text(frequencies, encoding="utf-8")
        if self.passages:
            self._bm25.save(folder / "bm25", show_progress=False)
        (folder / _COMPLETE).touch()

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex:
        """An index :meth:`save` wrote, its BM25 matrices memory-mapped."""
        with (folder / "passages.jsonl").open(encoding="utf-8") as lines:
            passages = [Passage(**json.loads(line)) for line in lines]
        frequencies = json.loads((folder / "frequencies.json").read_text(encoding="utf-8"))
        if not passages:
            return cls([])
        bm25 = bm25s.BM25.load(folder / "bm25", mmap=True, show_progress=False)
        return cls(passages, (bm25, Counter(frequencies)))

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


def saved(folder: Path, passages: Callable[[], Sequence[Passage]]) -> KeywordIndex:
    """The index saved in ``folder``, or one built from ``passages()`` and saved there.

    ``folder`` names one version of the store. A process that finds it complete loads it; one
    that does not builds the index, writes it under a name of its own and renames it into
    place (two processes racing both succeed, one copy stays), then removes other versions'.
    """
    if (folder / _COMPLETE).exists():
        try:
            return KeywordIndex.load(folder)
        except (OSError, ValueError, KeyError, TypeError):
            pass
    shutil.rmtree(folder, ignore_errors=True)  # damaged or incomplete, if there: build again
    index = KeywordIndex(passages())
    partial = folder.with_name(f".{folder.name}.{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        index.save(partial)
        partial.rename(folder)
    except OSError:  # another process saved this version first, or the disk refused
        shutil.rmtree(partial, ignore_errors=True)
        return index
    for other in folder.parent.iterdir():
        if other != folder and not other.name.startswith("."):
            shutil.rmtree(other, ignore_errors=True)
    return index
