"""BM25 over every stored passage, built once per index version and queried in memory.

Building it means reading every passage from Chroma and tokenising it: seconds at 1000x the
bundled corpus, minutes at 10,000x. So the first process to open a version saves the index
beside the store (:func:`saved`), and every later start loads it instead of building it
again: the BM25 matrices and the passages memory-mapped, a passage parsed only when a
question retrieves it. What a loaded index holds in memory grows with the number of
documents and of distinct words, not with the text.
"""

from __future__ import annotations

import json
import math
import mmap
import os
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import overload

import bm25s
import numpy as np

from footnote.store import Passage
from footnote.tokens import TOKENS_VERSION, tokenize

# written last, naming the tokenizer that built the index: a folder without it is
# half-written, and one another tokenizer built holds other words; both are built again
_COMPLETE = "complete"


@dataclass(frozen=True)
class Document:
    """One indexed document version: its passages sit at ``first`` .. ``first + total - 1``,
    in order, so a passage id (fingerprint and index) names its position."""

    fingerprint: str
    source: str
    title: str
    total: int
    ingested_at: str
    first: int


class _SavedPassages(Sequence[Passage]):
    """Passages of a saved index, one JSON line each, parsed when asked for."""

    def __init__(self, path: Path):
        self._offsets = np.load(path.with_suffix(".offsets.npy"), mmap_mode="r")
        with path.open("rb") as file:
            self._lines = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, i: int) -> Passage: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Passage]: ...
    def __getitem__(self, i: int | slice) -> Passage | Sequence[Passage]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        line = self._lines[int(self._offsets[i]) : int(self._offsets[i + 1])]
        return Passage(**json.loads(line))

    def __iter__(self) -> Iterator[Passage]:
        return (self[i] for i in range(len(self)))


def _documents(passages: Sequence[Passage]) -> list[Document]:
    documents: list[Document] = []
    for position, p in enumerate(passages):
        if p.index == 0:
            documents.append(
                Document(p.fingerprint, p.source, p.title, p.total, p.ingested_at, position)
            )
    return documents


class KeywordIndex:
    """Scores passages by BM25; sparse matrices keep a query cheap at any corpus size.

    It also keeps the passages it indexes (whole documents, each in passage order), so vector
    searches need return ids only.
    """

    def __init__(
        self,
        passages: Sequence[Passage],
        built: tuple[bm25s.BM25, list[Document]] | None = None,
    ):
        """Index ``passages``, or take the BM25 model and document table ``built`` for them."""
        self.passages = passages
        if built is not None:
            self._bm25, self.documents = built
        else:
            self.documents = _documents(passages)
            self._bm25 = bm25s.BM25()
            # one string object per distinct word: 10,000x holds some 40 million tokens
            corpus = [
                [sys.intern(t) for t in tokenize(f"{p.title} {p.text}")] or ["\0"] for p in passages
            ]
            if corpus:
                self._bm25.index(corpus, show_progress=False)
        self._by_fingerprint = {d.fingerprint: d for d in self.documents}
        self._by_source: dict[str, list[Document]] = {}
        for document in self.documents:
            self._by_source.setdefault(document.source, []).append(document)

    def save(self, folder: Path) -> None:
        """Write the index to ``folder``; :meth:`load` reads it back."""
        folder.mkdir(parents=True)
        offsets = [0]
        with (folder / "passages.jsonl").open("wb") as out:
            for passage in self.passages:
                line = json.dumps(asdict(passage), ensure_ascii=False).encode() + b"\n"
                out.write(line)
                offsets.append(offsets[-1] + len(line))
        np.save(folder / "passages.offsets.npy", np.asarray(offsets, dtype=np.int64))
        documents = [asdict(d) for d in self.documents]
        (folder / "documents.json").write_text(json.dumps(documents), encoding="utf-8")
        if self.passages:
            self._bm25.save(folder / "bm25", show_progress=False)
        (folder / _COMPLETE).write_text(TOKENS_VERSION, encoding="ascii")

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex:
        """An index :meth:`save` wrote, its passages and BM25 matrices memory-mapped."""
        passages = _SavedPassages(folder / "passages.jsonl")
        documents = json.loads((folder / "documents.json").read_text(encoding="utf-8"))
        if not passages:
            return cls([])
        bm25 = bm25s.BM25.load(folder / "bm25", mmap=True, show_progress=False)
        return cls(passages, (bm25, [Document(**d) for d in documents]))

    def position(self, passage_id: str) -> int | None:
        """Where a passage sits in :attr:`passages`, from its id alone."""
        fingerprint, _, index = passage_id.rpartition("-")
        document = self._by_fingerprint.get(fingerprint)
        if document is None or not index.isdigit() or int(index) >= document.total:
            return None
        return document.first + int(index)

    def passage(self, passage_id: str) -> Passage | None:
        position = self.position(passage_id)
        return None if position is None else self.passages[position]

    def frequency(self, token: str) -> int:
        """How many passages use ``token`` (a token from :func:`footnote.tokens.tokenize`):
        its column's length in BM25's sparse matrix, so no second vocabulary is kept."""
        column = self._bm25.vocab_dict.get(token) if self.passages else None
        if column is None:
            return 0
        indptr = self._bm25.scores["indptr"]
        return int(indptr[column + 1] - indptr[column])

    def idf(self, token: str) -> float:
        """How rare a token is across passages: "podcast" outweighs "said" when matching."""
        n, df = len(self.passages), self.frequency(token)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def scores(self, query: str, sources: AbstractSet[str] | None = None) -> np.ndarray:
        """BM25 score of every passage, in ``self.passages`` order (zeros for no match, and
        for every passage outside ``sources`` when they are named)."""
        tokens = tokenize(query)
        if not tokens or not self.passages:
            return np.zeros(len(self.passages), dtype=np.float32)
        scores = np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)
        if sources is not None:
            kept = np.zeros(len(scores), dtype=bool)
            for span in self.positions(sources):
                kept[span.start : span.stop] = True
            scores = np.where(kept, scores, np.float32(0.0))
        return scores

    def positions(self, sources: AbstractSet[str]) -> list[range]:
        """Where the passages of ``sources`` sit in ``self.passages``: a range per document,
        read from the document table, so a question limited to a few documents of thousands
        costs a few lookups."""
        return [
            range(d.first, d.first + d.total)
            for source in sources
            for d in self._by_source.get(source, ())
        ]

    def score_of(self, scores: np.ndarray, passage_id: str) -> float:
        """A passage's entry in ``scores``; 0 for one indexed after this index was built."""
        position = self.position(passage_id)
        return 0.0 if position is None else float(scores[position])

    def top(self, scores: np.ndarray, k: int) -> list[tuple[Passage, float]]:
        """The ``k`` best-scoring passages with a score above zero, best first."""
        k = min(k, len(self.passages))
        if k == 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(self.passages[int(i)], float(scores[i])) for i in top if scores[i] > 0]


def _complete(folder: Path) -> bool:
    try:
        return (folder / _COMPLETE).read_text(encoding="ascii") == TOKENS_VERSION
    except (OSError, ValueError):
        return False


def saved(folder: Path, passages: Callable[[], Sequence[Passage]]) -> KeywordIndex:
    """The index saved in ``folder``, or one built from ``passages()`` and saved there.

    ``folder`` names one version of the store. A process that finds it complete loads it; one
    that does not builds the index, writes it under a name of its own and renames it into
    place (two processes racing both succeed, one copy stays), then removes other versions'.
    """
    if _complete(folder):
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
