"""The passage store: one persistent Chroma collection, read through LangChain's ``Chroma``.

Each passage is stored with the exact offsets of its text in the source file, so whoever
reads it back can cite and highlight without re-reading the file, and with its sentences'
offsets and vectors. Those vectors are read only for the passages a question retrieved (the
answer model scores each sentence), never searched: kept in the passage's metadata, outside
Chroma's HNSW index, they cost ingest no graph insertions, which were 80% of the vectors.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any
from uuid import uuid4

import numpy as np
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from footnote.chroma_client import chroma_client
from footnote.errors import IndexOutdated
from footnote.sections import merged, section_at
from footnote.settings import Settings

CORPUS_ROOT_KEY = "footnote:corpus_root"
VERSION_KEY = "footnote:version"
LAYOUT_KEY = "footnote:layout"
MODEL_KEY = "footnote:embedding_model"  # what embedded the vectors (embeddings.model_label)
# How records are laid out; a change re-writes every document on the next ingest (it is part
# of each fingerprint), and readers refuse a store of another layout until then.
# 2: sentence vectors in passage metadata, not in a collection of their own.
STORE_LAYOUT = "2"
# The version while an ingest writes: what a reader saves per version (the keyword index) must
# not be saved for a state that is still changing, or that a killed ingest left half-changed.
WRITING = "writing-"


# metadata keys of a passage's sentences: "start,end,page" per sentence, ";"-joined, and
# their vectors as float16 bytes in base64 (a 384-d vector: 1 KB of text)
SENTENCE_SPANS = "sentence_spans"
SENTENCE_VECTORS = "sentence_vectors"


def passage_id(fingerprint: str, index: int) -> str:
    """The id of a document version's ``index``-th passage: an unchanged file's are known."""
    return f"{fingerprint}-{index:05d}"


def sentence_id(fingerprint: str, number: int) -> str:
    """The id of a document's ``number``-th sentence: the same in every passage holding it."""
    return f"{fingerprint}-s{number:05d}"


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
    sections: str = ""  # the headings it sits under, where each begins (footnote.sections)

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

    def parts(self) -> list[str]:
        """The ids of the stored passages this one is made of: itself, or those it joined."""
        return self.id.split("+")

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
            sections=merged(first.sections, second.sections),
        )

    def section_at(self, offset: int) -> str:
        """The headings above ``offset`` of its document, "Usage › Options"; empty if none."""
        return section_at(self.sections, offset)

    @classmethod
    def from_record(cls, id: str, text: str, metadata: Any) -> Passage:
        keys = ("source", "title", "index", "start", "end", "fingerprint", "total")
        optional = {
            "page": 0,
            "ingested_at": "",
            "first_sentence": 0,
            "last_sentence": -1,
            "sections": "",
        }
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


@dataclass
class SourceState:
    """What the store holds for one source: enough to tell whether it is current and whole."""

    ids: Sequence[str] = field(default_factory=list)
    fingerprints: set[str] = field(default_factory=set)
    total: int = 0

    def is_complete(self, fingerprint: str) -> bool:
        return self.fingerprints == {fingerprint} and len(self.ids) == self.total


SentenceVectors = list[tuple[SentenceRecord, np.ndarray]]


@dataclass(frozen=True)
class StoredPart:
    """What the store holds for one passage besides its text: its vector, and its sentences
    with theirs (texts cut from the passage that was read)."""

    vector: np.ndarray
    sentences: SentenceVectors


def sentences_in(passage: Passage, stored: dict[str, StoredPart]) -> SentenceVectors:
    """The sentences of ``passage``, each once, from its stored parts; those of a part another
    passage holds too are the same sentences (ids are per document and sentence number)."""
    found: dict[str, tuple[SentenceRecord, np.ndarray]] = {}
    for part in passage.parts():
        if part in stored:
            for record, vector in stored[part].sentences:
                found.setdefault(record.id, (record, vector))
    return list(found.values())


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
        ids: dict[str, list[str]] = {}
        for id, _, metadata in self._records(include_text=False):
            source = str(metadata["source"])
            state = states.setdefault(source, SourceState(ids.setdefault(source, [])))
            ids[source].append(id)
            state.fingerprints.add(str(metadata["fingerprint"]))
            state.total = int(metadata["total"])
        return states

    def passages(self) -> list[Passage]:
        return [Passage.from_record(*record) for record in self._records(include_text=True)]

    def upsert(
        self,
        passages: Sequence[Passage],
        vectors: Sequence[Sequence[float]] | np.ndarray,
        sentences: Sequence[Sequence[tuple[SentenceRecord, Sequence[float] | np.ndarray]]],
    ) -> None:
        """Write passages with their vectors and, per passage, the sentences it holds with
        theirs, in the largest batches Chroma accepts."""
        step = self.client.get_max_batch_size()
        for i in range(0, len(passages), step):
            chunk = passages[i : i + step]
            self.collection.upsert(
                ids=[p.id for p in chunk],
                documents=[p.text for p in chunk],
                metadatas=[
                    {**p.metadata(), **_encode(held)}
                    for p, held in zip(chunk, sentences[i : i + step], strict=True)
                ],
                embeddings=np.asarray(vectors[i : i + step], dtype=np.float32),
            )

    def delete(self, ids: Sequence[str]) -> None:
        step = self.client.get_max_batch_size()
        for i in range(0, len(ids), step):
            self.collection.delete(ids=list(ids[i : i + step]))

    def nearest_ids(
        self, vector: np.ndarray, k: int, sources: AbstractSet[str] | None = None
    ) -> list[tuple[str, float]]:
        """Ids and cosine similarities of the ``k`` passages nearest ``vector``, of the given
        ``sources`` only when named (Chroma filters on the metadata before it ranks).

        Only ids: the caller has the passages (the keyword index keeps them), so moving texts
        and metadata out of Chroma would cost more than the search. Chroma returns fewer than
        ``k`` when it holds fewer, so no count is needed first.
        """
        got = self.collection.query(
            query_embeddings=vector.astype(np.float32).reshape(1, -1),
            n_results=k,
            where={"source": {"$in": sorted(sources)}} if sources is not None else None,
            include=["distances"],
        )
        return list(
            zip(got["ids"][0], (1.0 - d for d in (got["distances"] or [[]])[0]), strict=True)
        )

    def stored(self, passages: Sequence[Passage]) -> dict[str, StoredPart]:
        """The stored vector and sentences of every part of the given passages (a widened
        passage joins two), by part id, in one read. Parts an ingest has replaced since the
        passages were read are missing."""
        by_part = {part: p for p in passages for part in p.parts()}
        if not by_part:
            return {}
        got = self.collection.get(ids=list(by_part), include=["metadatas", "embeddings"])
        embeddings = got["embeddings"] if got["embeddings"] is not None else []
        return {
            id: StoredPart(np.asarray(vector, dtype=np.float32), _decode(by_part[id], metadata))
            for id, vector, metadata in zip(
                got["ids"], embeddings, got["metadatas"] or [], strict=True
            )
        }

    def dense_search(self, vector: np.ndarray, k: int) -> list[tuple[Passage, float]]:
        """Nearest passages by cosine similarity (1 - Chroma's cosine distance)."""
        hits = self.vectorstore.similarity_search_by_vector_with_relevance_scores(
            [float(x) for x in vector], k
        )
        return [
            (Passage.from_record(str(doc.id), doc.page_content, doc.metadata), 1.0 - distance)
            for doc, distance in hits
        ]

    def info(self) -> dict[str, Any]:
        """The collection's metadata as stored now; another process may have ingested."""
        return dict(self.client.get_collection(self.collection.name).metadata or {})

    def drop_legacy(self) -> None:
        """Remove the sentence collection stores before layout 2 kept (its vectors now live
        in passage metadata): derived data, rebuilt by the re-ingest that calls this."""
        legacy = f"{self.collection.name}-sentences"
        if legacy in {c.name for c in self.client.list_collections()}:
            self.client.delete_collection(legacy)

    def mark_writing(self) -> None:
        """Say, before the first change, that the collection is changing: a version of its
        own, never saved by readers, until :meth:`mark_ingested` names the finished state."""
        metadata = self.info()
        self.collection.modify(metadata={**metadata, VERSION_KEY: WRITING + uuid4().hex[:12]})

    def unsearchable(self, model: str) -> str | None:
        """Why this Footnote cannot search the store, and what to do, or ``None`` when it can:
        records of another layout, or embedded by another model than ``model`` (its label) or
        by one never recorded. The collection's metadata is read once."""
        if self.count() == 0:
            return None
        info = self.info()
        if info.get(LAYOUT_KEY) != STORE_LAYOUT:
            return (
                f"The index in collection {self.collection.name!r} was written by an older "
                "Footnote, which stored sentences differently: run `footnote ingest` to "
                "rewrite it. Vectors come from the cache, so it is quick, and nothing is lost."
            )
        if info.get(MODEL_KEY) == model:
            return None
        return (
            f"The index in collection {self.collection.name!r} was embedded by "
            f"{info.get(MODEL_KEY) or 'an unrecorded model'}, and questions would be embedded "
            f"by {model}: their vectors cannot be compared. Run `footnote ingest` to re-embed "
            "it (nothing stored is lost), or set the embedding settings it was built with."
        )

    def outdated(self, model: str) -> bool:
        """Whether the store holds records this Footnote cannot search (:meth:`unsearchable`)."""
        return self.unsearchable(model) is not None

    def check_searchable(self, model: str) -> None:
        """Raise :class:`IndexOutdated`, saying what to do, when the store cannot be searched."""
        if reason := self.unsearchable(model):
            raise IndexOutdated(reason)

    def mark_ingested(self, corpus_root: Path, version: str, model: str) -> None:
        """Record which folder the collection mirrors, its layout, the model that embedded it
        and a version readers can watch."""
        marks = {
            CORPUS_ROOT_KEY: str(corpus_root.resolve()),
            VERSION_KEY: version,
            LAYOUT_KEY: STORE_LAYOUT,
            MODEL_KEY: model,
        }
        metadata = self.info()
        if any(metadata.get(key) != value for key, value in marks.items()):
            self.collection.modify(metadata={**metadata, **marks})


def _encode(
    sentences: Sequence[tuple[SentenceRecord, Sequence[float] | np.ndarray]],
) -> dict[str, str]:
    """A passage's sentences as two metadata strings: spans, and float16 vectors (the answer
    model's cosines move by about 1e-4, far below what changes a ranking)."""
    spans = ";".join(f"{s.start},{s.end},{s.page}" for s, _ in sentences)
    vectors = np.asarray([v for _, v in sentences], dtype=np.float16)
    return {SENTENCE_SPANS: spans, SENTENCE_VECTORS: base64.b64encode(vectors.tobytes()).decode()}


def _decode(passage: Passage, metadata: Any) -> SentenceVectors:
    """The sentences a stored part of ``passage`` holds, their texts cut from ``passage``."""
    spans = str(metadata.get(SENTENCE_SPANS, ""))
    if not spans:
        return []
    raw = base64.b64decode(str(metadata[SENTENCE_VECTORS]))
    vectors = np.frombuffer(raw, dtype=np.float16).reshape(len(spans.split(";")), -1)
    first, fingerprint = int(metadata["first_sentence"]), str(metadata["fingerprint"])
    decoded = []
    for number, (span, vector) in enumerate(zip(spans.split(";"), vectors, strict=True)):
        start, end, page = (int(x) for x in span.split(","))
        record = SentenceRecord(
            id=sentence_id(fingerprint, first + number),
            source=passage.source,
            start=start,
            end=end,
            text=passage.text[start - passage.start : end - passage.start],
            fingerprint=fingerprint,
            page=page,
        )
        decoded.append((record, vector.astype(np.float32)))
    return decoded
