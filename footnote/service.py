"""Footnote as one in-process object: what the HTTP routes, ``footnote ask`` and eval all call.

It owns the loaded embedding model, the store and the keyword index. The keyword index is
rebuilt only when an ingest changes the collection's version, checked at most once a second,
so a running server picks up a re-ingest without a restart and no query pays for a rebuild.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from footnote import limits
from footnote.answering.base import Answer, Evidence
from footnote.answering.modes import Answerers
from footnote.embeddings import load_embeddings, model_label
from footnote.errors import BadQuestion, FootnoteError, SourceNotFound
from footnote.formats import extract
from footnote.keyword_index import KeywordIndex, saved
from footnote.retriever import HybridRetriever, ScoredPassage
from footnote.rewrite import Turn, followup_vector, standalone_question
from footnote.settings import Mode, Settings
from footnote.store import CORPUS_ROOT_KEY, VERSION_KEY, WRITING, Passage, PassageStore
from prompts import load_prompt

VERSION_CHECK_SECONDS = 1.0
KEYWORD_INDEX = "keyword-index"  # under FOOTNOTE_CHROMA_DIR: collection/version/


@dataclass(frozen=True)
class SourceInfo:
    """An indexed file as the API lists it."""

    source: str
    title: str
    passages: int
    ingested_at: str = ""


@dataclass(frozen=True)
class _Index:
    """Everything derived from one version of the collection, swapped in as a whole."""

    version: str | None
    corpus_root: Path
    keywords: KeywordIndex
    retriever: HybridRetriever
    sources: dict[str, SourceInfo]


@lru_cache(maxsize=32)
def file_text(path: Path, mtime_ns: int, size: int) -> str:
    """A file's extracted text, kept while the file is unchanged (same modification time and
    size): the page fetches a source for every citation it highlights, and reading the
    technical documents' reStructuredText, HTML and Markdown again took 0.16 s a file here."""
    return extract(path).text


def whole_documents(passages: list[Passage]) -> list[Passage]:
    """Only the passages of complete document versions, one version per source, each
    document's passages together and in order (the keyword index finds them by position).

    An ingest interrupted mid-write can leave a source with a partial new version beside its
    old one. Readers see each document whole or not at all: the newest complete version.
    """
    versions: dict[tuple[str, str], list[Passage]] = {}
    for passage in passages:
        versions.setdefault((passage.source, passage.fingerprint), []).append(passage)
    chosen: dict[str, list[Passage]] = {}
    for group in versions.values():
        if len(group) != group[0].total:
            continue
        current = chosen.get(group[0].source)
        if current is None or group[0].ingested_at > current[0].ingested_at:
            chosen[group[0].source] = group
    return [p for group in chosen.values() for p in sorted(group, key=lambda p: p.index)]


def scope(names: Sequence[str] | None, indexed: Collection[str]) -> frozenset[str] | None:
    """The indexed documents a question is limited to, or None for all of them. Each name is
    a document as ``GET /sources`` lists it, or a folder ending in "/" for every document
    under it; one that matches nothing is refused, not ignored."""
    if names is None:
        return None
    chosen: set[str] = set()
    for name in names:
        if name.endswith("/"):
            found = [source for source in indexed if source.startswith(name)]
        else:
            found = [name] if name in indexed else []
        if not found:
            raise SourceNotFound(
                f"No indexed document is named {name!r}: name a document by its path in "
                "the corpus folder, as GET /sources lists it, or a folder ending in '/'."
            )
        chosen.update(found)
    return frozenset(chosen)


class Footnote:
    """Question answering over one Chroma collection."""

    def __init__(self, settings: Settings, embeddings: Embeddings, store: PassageStore):
        self.settings = settings
        self.embeddings = embeddings
        self.store = store
        self.answerers = Answerers(settings, embeddings)
        self._lock = threading.Lock()
        self._checked_at = 0.0
        self._index = self._load_index()

    @classmethod
    def open(cls, settings: Settings, embeddings: Embeddings | None = None) -> Footnote:
        """Load the model (unless given one) and open the store named by ``settings``."""
        embeddings = embeddings or load_embeddings(settings)
        store = PassageStore.open(settings, embeddings)
        return cls(settings, embeddings, store)

    def _load_index(self) -> _Index:
        self.store.check_searchable(model_label(self.settings))
        info = self.store.info()
        version = info.get(VERSION_KEY)
        if version and not version.startswith(WRITING):  # saved once, loaded by the rest
            folder = self.settings.chroma_dir / KEYWORD_INDEX / self.settings.collection / version
            keywords = saved(folder, lambda: whole_documents(self.store.passages()))
        else:
            keywords = KeywordIndex(whole_documents(self.store.passages()))
        sources = {
            d.source: SourceInfo(d.source, d.title, d.total, d.ingested_at)
            for d in keywords.documents
        }
        return _Index(
            version=version,
            corpus_root=Path(info.get(CORPUS_ROOT_KEY, self.settings.corpus_dir)),
            keywords=keywords,
            retriever=HybridRetriever(
                store=self.store,
                keywords=keywords,
                embeddings=self.embeddings,
                top_k=self.settings.top_k,
                dense_weight=self.settings.dense_weight,
                max_per_source=self.settings.max_per_source,
            ),
            sources=dict(sorted(sources.items())),
        )

    def reload(self) -> None:
        """Rebuild the keyword index now: the caller just changed the collection."""
        with self._lock:
            self._index = self._load_index()
            self._checked_at = time.monotonic()

    def index(self) -> _Index:
        """The current index, reloaded if an ingest changed the collection since last look."""
        now = time.monotonic()
        if now - self._checked_at >= VERSION_CHECK_SECONDS:
            with self._lock:
                self._checked_at = now
                if self.store.info().get(VERSION_KEY) != self._index.version:
                    self._index = self._load_index()
        return self._index

    def search(
        self, query: str, k: int | None = None, sources: Sequence[str] | None = None
    ) -> tuple[np.ndarray, list[ScoredPassage]]:
        """The query's vector and its top passages, of the named ``sources`` only (see
        :func:`scope`) when given; empty questions are refused."""
        return self._search(query, k, scope(sources, self.index().sources))

    def _search(
        self, query: str, k: int | None, allowed: frozenset[str] | None
    ) -> tuple[np.ndarray, list[ScoredPassage]]:
        """:meth:`search` for documents already resolved by :func:`scope`."""
        if not query.strip():
            raise BadQuestion("The question is empty: send some text to search for.")
        index = self.index()
        if not index.sources:  # nothing to compare it with: spare the embedding
            return np.zeros(0, dtype=np.float32), []
        vector = np.asarray(self.embeddings.embed_query(query), dtype=np.float32)
        return vector, index.retriever.retrieve(query, k, vector, allowed)

    def standalone(self, turns: Sequence[Turn], mode: Mode) -> str:
        """The question retrieval should use: follow-ups rewritten by the mode's model, or
        deterministically from the earlier turns (extractive mode, or the model failing)."""
        query = standalone_question(turns)
        if mode == "extractive" or query == turns[-1].content.strip():
            return query
        try:
            return self.answerers.generative(mode).rewrite(turns, fallback=query)
        except FootnoteError as error:
            if not error.retryable:
                raise
            return query

    def evidence(
        self,
        turns: Sequence[Turn],
        top_k: int | None,
        mode: Mode,
        allowed: frozenset[str] | None = None,
    ) -> Evidence:
        """What the chat's last question retrieves, from the ``allowed`` documents only when
        given (as :func:`scope` resolved them)."""
        question = turns[-1].content.strip()
        query = self.standalone(turns, mode)
        vector, passages = self._search(query, top_k, allowed)
        if query != question:
            own = np.asarray(self.embeddings.embed_query(question), dtype=np.float32)
            vector = followup_vector(vector, own)
        return self.gather(question, query, vector, passages, allowed)

    def gather(
        self,
        question: str,
        query: str,
        vector: np.ndarray,
        passages: Sequence[ScoredPassage],
        limited_to: frozenset[str] | None = None,
    ) -> Evidence:
        """The :class:`Evidence` for passages already chosen (from the ``limited_to``
        documents, when a question is): the sentences they carry and the corpus' word
        statistics. ``footnote train`` calls it with passages of its choosing."""
        # each once, first seen first (neighbouring hits share a sentence)
        sentences = list({s.id: (s, v) for hit in passages for s, v in hit.sentences}.values())
        keywords = self.index().keywords
        return Evidence(question, query, vector, passages, sentences, keywords, limited_to)

    def stream(
        self,
        question: str | Sequence[Turn],
        top_k: int | None = None,
        mode: Mode | None = None,
        *,
        sources: Sequence[str] | None = None,
    ) -> Iterator[str | Answer]:
        """Answer text as it is produced, then the :class:`Answer`, from the named ``sources``
        only when given (documents, or folders ending in "/": :func:`scope`).

        With ``fallback_to_extractive``, a failing LLM backend is replaced by the extractive
        answer (saying so in ``fallback``) if it failed before producing any text.
        """
        turns = [Turn("user", question)] if isinstance(question, str) else list(question)
        limits.check(self.settings, turns, top_k)
        mode = mode or self.settings.mode
        answerer = self.answerers.get(mode)  # refuses a mode without a backend, before any work
        allowed = scope(sources, self.index().sources)  # a name no index holds: before a rewrite
        if not self.index().sources:  # an empty library is a state to explain, not a failure
            text = load_prompt("empty_index.txt")
            yield Answer(text, abstained=True, query=turns[-1].content.strip(), mode=mode)
            return
        evidence = self.evidence(turns, top_k, mode, allowed)
        produced = False
        try:
            for item in answerer.stream(evidence):
                if isinstance(item, Answer):
                    yield replace(item, query=evidence.query, passages=evidence.passages)
                    return
                produced = True
                yield item
        except FootnoteError as error:
            fallback = self.settings.fallback_to_extractive and mode != "extractive"
            if not error.retryable or produced or not fallback:
                raise
            for item in self.answerers.extractive.stream(evidence):
                if isinstance(item, Answer):
                    yield replace(
                        item,
                        query=evidence.query,
                        passages=evidence.passages,
                        fallback=f"{mode}: {error}",
                    )
                else:
                    yield item

    def ask(
        self,
        question: str | Sequence[Turn],
        top_k: int | None = None,
        mode: Mode | None = None,
        *,
        sources: Sequence[str] | None = None,
    ) -> Answer:
        """Answer a question, or the last user turn of a chat, rewritten to stand alone."""
        for item in self.stream(question, top_k, mode, sources=sources):
            if isinstance(item, Answer):
                return item
        raise RuntimeError("answer stream ended without an answer")

    def sources(self) -> list[SourceInfo]:
        return list(self.index().sources.values())

    def source_text(self, name: str) -> str:
        """The full text of an indexed file; any name not in the index is not found."""
        index = self.index()
        if name not in index.sources:
            raise SourceNotFound(f"No indexed source is named {name!r}: see GET /sources.")
        root = index.corpus_root.resolve()
        path = (root / name).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            raise SourceNotFound(f"Source {name!r} is indexed but its file is gone: re-ingest.")
        stat = path.stat()
        return file_text(path, stat.st_mtime_ns, stat.st_size)

    def health(self) -> dict[str, Any]:
        index = self.index()
        return {
            "status": "ok" if index.sources else "empty",
            "passages": self.store.count(),
            "sources": len(index.sources),
            "embedding_model": model_label(self.settings),
            "collection": self.settings.collection,
            "modes": list(self.answerers.modes),
        }
