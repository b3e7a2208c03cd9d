"""The passage store: one persistent Chroma collection, read through LangChain's ``Chroma``.

Each passage is stored with the exact offsets of its text in the source file, so whoever
reads it back can cite and highlight without re-reading the file.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any
from uuid import uuid4

import numpy as np
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from footnote.chroma_client import chroma_client
from footnote.settings import Settings

CORPUS_ROOT_KEY = "footnote:corpus_root"
VERSION_KEY = "footnote:version"
# The version while an ingest writes: what a reader saves per version (the keyword index) must
# not be saved for a state that is still changing, or that a killed ingest left half-changed.
WRITING = "writing-"


def sentence_id(fingerprint: str, number: int) -> str:
    """The id of a document's ``number``-th sentence: passages find theirs without a search."""
    return f"{fingerprint}-s{number:05d}"


def parse_sentence_id(id: str) -> tuple[str, int]:
    """The fingerprint and number a :func:`sentence_id` was made from."""
    fingerprint, _, number = id.rpartition("-s")
    return fingerprint, int(number)


@dataclass(frozen=True)
class Passage:
    """A sentence-aligned slice of one source: ``document_text[start:end] == text``."""

    id: str
    source: str
    title: str
    index: int
    start: int
    end: int
    text: str
    fingerprint: str
    total: int
    page: int = 0  # page where it starts, for paged formats (PDF); 0 otherwise
    ingested_at: str = ""  # ISO time it was written
    first_sentence: int = 0  # numbers of the sentences it holds, so they are fetched by id
    last_sentence: int = 0

    def metadata(self) -> dict[str, str | int]:
        fields = asdict(self)
        del fields["id"], fields["text"]
        return fields

    def overlaps(self, other: Passage) -> bool:
        """Whether the two share text of the same version of the same document."""
        return (
            (self.source, self.fingerprint) == (other.source, other.fingerprint)
            and self.start < other.end
            and other.start < self.end
        )

    def joined(self, other: Passage) -> Passage:
        """This passage and an overlapping one of the same source as one exact slice."""
        if not self.overlaps(other):
            raise ValueError(f"{self.id} and {other.id} do not overlap")
        first, second = sorted((self, other), key=lambda p: (p.start, -p.end))
        if second.end <= first.end:
            return first
        return replace(
            first,
            id=f"{first.id}+{second.id}",
            end=second.end,
            text=first.text + second.text[first.end - second.start :],
            last_sentence=second.last_sentence,
        )

    @classmethod
    def from_record(cls, id: str, text: str, metadata: Any) -> Passage:
        keys = ("source", "title", "index", "start", "end", "fingerprint", "total")
        optional = {"page": 0, "ingested_at": "", "first_sentence": 0, "last_sentence": -1}
        extra = {key: metadata.get(key, default) for key, default in optional.items()}
        return cls(id=id, text=text, **extra, **{k: metadata[k] for k in keys})


@dataclass(frozen=True)
class SentenceRecord:
    """One sentence of a document with its own vector: retrieval and answers match facts
    sentence by sentence, which a passage-sized vector blurs."""

    id: str
    source: str
    start: int
    end: int
    text: str
    fingerprint: str
    page: int = 0

    def metadata(self) -> dict[str, str | int]:
        return {
            "source": self.source,
            "start": self.start,
            "end": self.end,
            "fingerprint": self.fingerprint,
            "page": self.page,
        }

    @classmethod
    def from_record(cls, id: str, text: str, metadata: Any) -> SentenceRecord:
        keys = ("source", "start", "end", "fingerprint")
        page = int(metadata.get("page", 0))
        return cls(id=id, text=text, page=page, **{key: metadata[key] for key in keys})


@dataclass
class SourceState:
    """What the store holds for one source: enough to tell whether it is current and whole."""

    ids: list[str] = field(default_factory=list)
    fingerprints: set[str] = field(default_factory=set)
    total: int = 0

    def is_complete(self, fingerprint: str) -> bool:
        return self.fingerprints == {fingerprint} and len(self.ids) == self.total


class PassageStore:
    """Reads and writes passages: the only module that reads or writes Chroma (which Chroma,
    embedded or a server, is decided in :mod:`footnote.chroma_client`)."""

    def __init__(self, client: Any, collection: str, embeddings: Embeddings | None = None):
        self.client = client
        self.collection = self.client.get_or_create_collection(
            name=collection, configuration={"hnsw": {"space": "cosine"}}
        )
        self.vectorstore = Chroma(
            client=self.client, collection_name=collection, embedding_function=embeddings
        )
        self.sentences = self.client.get_or_create_collection(
            name=f"{collection}-sentences", configuration={"hnsw": {"space": "cosine"}}
        )

    @classmethod
    def open(cls, settings: Settings, embeddings: Embeddings | None = None) -> PassageStore:
        """The configured store: a Chroma server's when FOOTNOTE_CHROMA_URL is set, else the
        embedded one in FOOTNOTE_CHROMA_DIR (locked to this process)."""
        client = chroma_client(settings.chroma_dir, settings.chroma_url)
        return cls(client, settings.collection, embeddings)

    def count(self) -> int:
        return int(self.collection.count())

    def _records(self, include_text: bool) -> Iterator[tuple[str, str, Any]]:
        """Every stored record, in pages, so a large collection is never one giant query."""
        page = 5000
        include: Any = ["metadatas", "documents"] if include_text else ["metadatas"]
        for offset in range(0, self.count(), page):
            batch = self.collection.get(include=include, limit=page, offset=offset)
            documents = batch["documents"] or [""] * len(batch["ids"])
            yield from zip(batch["ids"], documents, batch["metadatas"] or [], strict=True)

    def source_states(self) -> dict[str, SourceState]:
        states: dict[str, SourceState] = {}
        for id, _, metadata in self._records(include_text=False):
            state = states.setdefault(str(metadata["source"]), SourceState())
            state.ids.append(id)
            state.fingerprints.add(str(metadata["fingerprint"]))
            state.total = int(metadata["total"])
        return states

    def passages(self) -> list[Passage]:
        return [Passage.from_record(*record) for record in self._records(include_text=True)]

    def _upsert(
        self,
        collection: Any,
        records: Sequence[Passage] | Sequence[SentenceRecord],
        vectors: Sequence[Sequence[float]],
    ) -> None:
        """Write records in the largest batches Chroma accepts."""
        step = self.client.get_max_batch_size()
        for i in range(0, len(records), step):
            chunk = records[i : i + step]
            collection.upsert(
                ids=[r.id for r in chunk],
                documents=[r.text for r in chunk],
                metadatas=[r.metadata() for r in chunk],
                embeddings=np.asarray(vectors[i : i + step], dtype=np.float32),
            )

    def upsert(self, passages: Sequence[Passage], vectors: Sequence[Sequence[float]]) -> None:
        self._upsert(self.collection, passages, vectors)

    def upsert_sentences(
        self, sentences: Sequence[SentenceRecord], vectors: Sequence[Sequence[float]]
    ) -> None:
        self._upsert(self.sentences, sentences, vectors)

    def delete(self, ids: Sequence[str]) -> None:
        step = self.client.get_max_batch_size()
        for i in range(0, len(ids), step):
            self.collection.delete(ids=list(ids[i : i + step]))

    def delete_source(self, source: str, ids: Sequence[str], keep: str | None = None) -> None:
        """Delete a source's passages ``ids`` and its sentences, except those of ``keep``."""
        where: Any = {"source": source}
        if keep is not None:
            where = {"$and": [where, {"fingerprint": {"$ne": keep}}]}
        self.sentences.delete(where=where)
        self.delete(ids)

    def nearest_ids(self, vector: np.ndarray, k: int, sentences: bool) -> list[tuple[str, float]]:
        """Ids and cosine similarities of the ``k`` passages (or sentences) nearest ``vector``.

        Only ids: the caller holds the passages in memory, and sentence ids say which passages
        hold them, so moving texts and metadata out of Chroma would cost more than the search.
        Chroma returns fewer than ``k`` when it holds fewer, so no count is needed first.
        """
        collection = self.sentences if sentences else self.collection
        got = collection.query(
            query_embeddings=vector.astype(np.float32).reshape(1, -1),
            n_results=k,
            include=["distances"],
        )
        return list(
            zip(got["ids"][0], (1.0 - d for d in (got["distances"] or [[]])[0]), strict=True)
        )

    def sentences_within(
        self, passages: Sequence[Passage]
    ) -> list[tuple[SentenceRecord, np.ndarray]]:
        """Every stored sentence inside the given passages, with its vector: looked up by id
        (each passage knows its sentences' numbers), never by scanning metadata."""
        ids = list(
            dict.fromkeys(
                sentence_id(p.fingerprint, n)
                for p in passages
                for n in range(p.first_sentence, p.last_sentence + 1)
            )
        )
        if not ids:
            return []
        got = self.sentences.get(ids=ids, include=["documents", "metadatas", "embeddings"])
        embeddings = got["embeddings"] if got["embeddings"] is not None else []
        return [
            (SentenceRecord.from_record(i, d, m), np.asarray(e, np.float32))
            for i, d, m, e in zip(
                got["ids"], got["documents"] or [], got["metadatas"] or [], embeddings, strict=True
            )
        ]

    def dense_search(self, vector: np.ndarray, k: int) -> list[tuple[Passage, float]]:
        """Nearest passages by cosine similarity (1 - Chroma's cosine distance)."""
        hits = self.vectorstore.similarity_search_by_vector_with_relevance_scores(
            [float(x) for x in vector], k
        )
        return [
            (Passage.from_record(str(doc.id), doc.page_content, doc.metadata), 1.0 - distance)
            for doc, distance in hits
        ]

    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored embeddings by id, for scoring passages another ranker proposed."""
        if not ids:
            return {}
        got = self.collection.get(ids=list(ids), include=["embeddings"])
        embeddings = got["embeddings"] if got["embeddings"] is not None else []
        return {
            i: np.asarray(v, dtype=np.float32) for i, v in zip(got["ids"], embeddings, strict=True)
        }

    def info(self) -> dict[str, Any]:
        """The collection's metadata as stored now; another process may have ingested."""
        return dict(self.client.get_collection(self.collection.name).metadata or {})

    def mark_writing(self) -> None:
        """Say, before the first change, that the collection is changing: a version of its
        own, never saved by readers, until :meth:`mark_ingested` names the finished state."""
        metadata = self.info()
        self.collection.modify(metadata={**metadata, VERSION_KEY: WRITING + uuid4().hex[:12]})

    def mark_ingested(self, corpus_root: Path, version: str) -> None:
        """Record which folder the collection mirrors and a version readers can watch."""
        marks = {CORPUS_ROOT_KEY: str(corpus_root.resolve()), VERSION_KEY: version}
        metadata = self.info()
        if any(metadata.get(key) != value for key, value in marks.items()):
            self.collection.modify(metadata={**metadata, **marks})
