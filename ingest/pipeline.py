"""Brings a collection in line with a corpus folder, writing only what changed.

Passages and their sentences are embedded through a cache of vectors by text, so no text is
embedded twice. A passage's id is derived from its file's fingerprint (path, content,
splitting rules and embedding model), so an unchanged file maps to ids already stored and is
skipped, and a changed file's new passages are written *before* the old ones are deleted: a
crash at any point leaves the previous version queryable, and the next run finishes the job.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from langchain_core.embeddings import Embeddings
from tqdm import tqdm

from footnote.embeddings import model_label
from footnote.sentences import Span, sentence_spans
from footnote.settings import Settings
from footnote.store import Passage, PassageStore, SentenceRecord, sentence_id
from ingest.embedding_cache import CachedEmbeddings
from ingest.loader import SkippedFile, SourceDocument, load_corpus
from ingest.splitter import SentenceSplitter

EMBED_BATCH = 64
CACHE_FILE = "embedding-cache.sqlite3"
Phase = Callable[[str], None]  # told each step as it starts: "embedding", "writing 1/3", ...


def _quiet(_: str) -> None:
    pass


@dataclass
class IngestReport:
    """Counts of files by what happened to them; ``skipped`` keeps each reason."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)  # found half-written, now whole
    skipped: list[SkippedFile] = field(default_factory=list)
    passages_written: int = 0
    embedded: int = 0  # texts (passages and sentences) the model embedded
    reused: int = 0  # texts whose vectors came from the cache

    def summary(self) -> str:
        return (
            f"added {len(self.added)}, replaced {len(self.replaced)}, "
            f"removed {len(self.removed)}, unchanged {len(self.unchanged)}, "
            f"skipped {len(self.skipped)} ({self.passages_written} passages written; "
            f"{self.embedded} texts embedded, {self.reused} reused)"
        )


def fingerprint(document: SourceDocument, splitter: SentenceSplitter, model: str) -> str:
    key = "\0".join((document.source, document.sha256, splitter.signature, model))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def split_document(
    document: SourceDocument, splitter: SentenceSplitter, fp: str, sentences: list[Span]
) -> list[Passage]:
    spans = splitter.split_spans(document.text, sentences)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    number = {span.start: n for n, span in enumerate(sentences)}
    ends = {span.end: n for n, span in enumerate(sentences)}
    return [
        Passage(
            id=f"{fp}-{index:05d}",
            source=document.source,
            title=document.title,
            index=index,
            start=span.start,
            end=span.end,
            text=document.text[span.start : span.end],
            fingerprint=fp,
            total=len(spans),
            page=document.page_at(span.start),
            ingested_at=now,
            first_sentence=number[span.start],
            last_sentence=ends[span.end],
        )
        for index, span in enumerate(spans)
    ]


def split_sentences(document: SourceDocument, fp: str, spans: list[Span]) -> list[SentenceRecord]:
    return [
        SentenceRecord(
            id=sentence_id(fp, index),
            source=document.source,
            start=span.start,
            end=span.end,
            text=document.text[span.start : span.end],
            fingerprint=fp,
            page=document.page_at(span.start),
        )
        for index, span in enumerate(spans)
    ]


def embedding_text(passage: Passage) -> str:
    """The title gives a passage the context its sentences leave implicit ("the two men")."""
    if passage.index == 0:
        return passage.text
    return f"{passage.title}\n{passage.text}"


def _embed(texts: list[str], embeddings: Embeddings, progress: bool) -> list[list[float]]:
    vectors: list[list[float]] = []
    with tqdm(
        total=len(texts),
        desc="Embedding",
        unit="text",
        disable=not progress or len(texts) < EMBED_BATCH,
        file=sys.stderr,
    ) as bar:
        for i in range(0, len(texts), EMBED_BATCH):
            batch = texts[i : i + EMBED_BATCH]
            vectors.extend(embeddings.embed_documents(batch))
            bar.update(len(batch))
    return vectors


WRITE_BATCH = 4000  # records per Chroma write: one call per document costs ten times more


def _batches(
    pending: list[tuple[SourceDocument, list[Passage], list[SentenceRecord]]],
) -> Iterator[list[tuple[SourceDocument, list[Passage], list[SentenceRecord]]]]:
    """Whole documents, grouped until a group holds about WRITE_BATCH records."""
    batch: list[tuple[SourceDocument, list[Passage], list[SentenceRecord]]] = []
    size = 0
    for item in pending:
        batch.append(item)
        size += len(item[1]) + len(item[2])
        if size >= WRITE_BATCH:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def ingest_corpus(
    root: Path,
    store: PassageStore,
    embeddings: Embeddings,
    splitter: SentenceSplitter,
    model: str,
    *,
    progress: bool = True,
    phase: Phase = _quiet,
) -> IngestReport:
    """Sync ``store`` to the files under ``root``: add, replace and remove whole documents.

    ``phase`` hears each step as it starts (``footnote ingest --phase-file`` writes them down),
    ending with ``done``: what a process supervisor, or a test that kills the ingest, reads to
    know where it is."""
    phase("reading")
    documents, skipped = load_corpus(root)
    states = store.source_states()
    report = IngestReport()
    pending: list[tuple[SourceDocument, list[Passage], list[SentenceRecord]]] = []
    current: dict[str, str] = {}  # source -> fingerprint once this run is done
    for document in documents:
        fp = current[document.source] = fingerprint(document, splitter, model)
        state = states.get(document.source)
        if state is not None and state.is_complete(fp):
            report.unchanged.append(document.source)
            continue
        (report.replaced if state else report.added).append(document.source)
        if state is not None and fp in state.fingerprints:
            report.repaired.append(document.source)  # an interrupted run left it part-written
        spans = sentence_spans(document.text)  # segmenting is the slow part: once per document
        passages = split_document(document, splitter, fp, spans)
        pending.append((document, passages, split_sentences(document, fp, spans)))

    passage_texts = [embedding_text(p) for _, passages, _ in pending for p in passages]
    sentence_texts = [s.text for _, _, sentences in pending for s in sentences]
    phase("embedding")
    vectors = _embed(passage_texts + sentence_texts, embeddings, progress)
    passage_vectors = iter(vectors[: len(passage_texts)])
    sentence_vectors = iter(vectors[len(passage_texts) :])
    for number, batch in enumerate(_batches(pending), 1):
        # Sentences first: a source whose passages are complete has its sentences too.
        phase(f"writing sentences, batch {number}")
        sentences = [s for _, _, document_sentences in batch for s in document_sentences]
        store.upsert_sentences(sentences, [next(sentence_vectors) for _ in sentences])
        phase(f"writing passages, batch {number}")
        passages = [p for _, document_passages, _ in batch for p in document_passages]
        store.upsert(passages, [next(passage_vectors) for _ in passages])
        report.passages_written += len(passages)
        phase(f"deleting replaced versions, batch {number}")
        for document, written, _ in batch:  # then what the new version replaces, if any
            if document.source in states:
                keep = {p.id for p in written}
                stale = [i for i in states[document.source].ids if i not in keep]
                store.delete_source(document.source, stale, keep=written[0].fingerprint)

    for skip in skipped:
        if skip.source in states:
            current[skip.source] = ",".join(sorted(states[skip.source].fingerprints))
            skip = SkippedFile(skip.source, f"{skip.reason}; its indexed version is kept")
        report.skipped.append(skip)
    phase("removing")
    for source in sorted(set(states) - set(current)):
        store.delete_source(source, states[source].ids)
        report.removed.append(source)

    version = hashlib.sha256(repr(sorted(current.items())).encode()).hexdigest()[:16]
    phase("recording")
    store.mark_ingested(root, version)
    phase("done")
    return report


def ingest_folder(
    settings: Settings,
    embeddings: Embeddings,
    root: Path | None = None,
    *,
    progress: bool = True,
    phase: Phase | None = None,
) -> tuple[IngestReport, PassageStore]:
    """Ingest ``root`` (default: the configured corpus) as ``settings`` describe."""
    label = model_label(settings.embedding_model)
    store = PassageStore.open(settings, embeddings)
    cached = CachedEmbeddings(embeddings, settings.chroma_dir / CACHE_FILE, label)
    splitter = SentenceSplitter(settings.chunk_size, settings.chunk_overlap_sentences)
    report = ingest_corpus(
        root or settings.corpus_dir,
        store,
        cached,
        splitter,
        label,
        progress=progress,
        phase=phase or _quiet,
    )
    report.embedded, report.reused = cached.misses, cached.hits
    return report, store
