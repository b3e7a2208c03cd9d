"""Brings a collection in line with a corpus folder, writing only what changed.

Sentences (and titles) are embedded through a cache of vectors by text, so no text is
embedded twice; a passage's vector is made from its sentences' (:func:`passage_vector`) and
stored with them (see :mod:`footnote.store`). A passage's id is derived from its file's
fingerprint (path, bytes, readers, splitting rules, embedding model, store layout and how
passage vectors are made), so an unchanged file maps to ids already stored and is skipped
without being read, and a changed file's new passages are written *before* the old ones are
deleted: a crash at any point leaves the previous version queryable, and the next run
finishes the job. Changed files are read, embedded and written a batch at a time, so memory
holds one batch of vectors, not the corpus'.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings
from tqdm import tqdm

from footnote.embeddings import model_label
from footnote.formats import READERS_VERSION
from footnote.sections import outline, sections_between
from footnote.sentences import Span
from footnote.settings import Settings
from footnote.store import (
    STORE_LAYOUT,
    Passage,
    PassageStore,
    SentenceRecord,
    SourceState,
    passage_id,
    sentence_id,
)
from footnote.tokens import reading
from ingest.embedding_cache import CachedEmbeddings
from ingest.loader import SkippedFile, SourceDocument, SourceFile, find_files
from ingest.manifest import Manifest
from ingest.segmenting import segmented, worker_count
from ingest.splitter import SentenceSplitter

# texts per model call: sentence-transformers sorts a call's texts by length, so a larger call
# pads less (64 -> 256: 53 -> 65 texts/s on this 2-core machine, mixed passages and sentences)
EMBED_BATCH = 256
CACHE_FILE = "embedding-cache.sqlite3"
MANIFEST = "indexed-sources"  # under FOOTNOTE_CHROMA_DIR: collection.json (ingest.manifest)
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
    embedded: int = 0  # texts (sentences and titles) the model embedded
    reused: int = 0  # texts whose vectors came from the cache

    def summary(self) -> str:
        return (
            f"added {len(self.added)}, replaced {len(self.replaced)}, "
            f"removed {len(self.removed)}, unchanged {len(self.unchanged)}, "
            f"skipped {len(self.skipped)} ({self.passages_written} passages written; "
            f"{self.embedded} texts embedded, {self.reused} reused)"
        )


# How vectors are made: a passage's from its sentences' vectors and its document's title, not
# by running the model over its text (see passage_vector); a sentence's from its reading
# (footnote.tokens.reading: one line, words hyphenated at a line's end joined)
PASSAGE_VECTORS = "sentence-mean:reading"


def ingest_signature(splitter: SentenceSplitter, model: str) -> str:
    """How documents are read, split, embedded and stored: a change to any re-ingests all."""
    return "\0".join((READERS_VERSION, splitter.signature, model, STORE_LAYOUT, PASSAGE_VECTORS))


def splitter_for(settings: Settings) -> SentenceSplitter:
    return SentenceSplitter(settings.chunk_size, settings.chunk_overlap_sentences)


def fingerprint(source: str, sha256: str, splitter: SentenceSplitter, model: str) -> str:
    """What a document's passages are keyed by: its path and bytes, and the signature."""
    key = "\0".join((source, sha256, ingest_signature(splitter, model)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def split_document(
    document: SourceDocument, splitter: SentenceSplitter, fp: str, sentences: list[Span]
) -> list[Passage]:
    spans = splitter.split_spans(document.text, sentences)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    sections = outline(document.headings, document.title)
    number = {span.start: n for n, span in enumerate(sentences)}
    ends = {span.end: n for n, span in enumerate(sentences)}
    return [
        Passage(
            id=passage_id(fp, index),
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
            sections=sections_between(sections, span.start, span.end),
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


def passage_vector(sentences: np.ndarray, title: np.ndarray | None) -> np.ndarray:
    """The normalised mean of a passage's sentence vectors, with its document's title as one
    more sentence past the first passage (which holds the title already): the title gives a
    passage the context its sentences leave implicit ("the two men").

    The model is not run over the passage's own text. Its sentences are embedded anyway (the
    answer model scores them), and a passage of 800 characters costs the model as much as
    its five sentences together, so this halves what a cold ingest of new text spends in the
    model. The passage vector only proposes candidates to Chroma's nearest-neighbour search:
    a candidate's dense score is the better of it and its best sentence's cosine
    (:mod:`footnote.retriever`). Measured once, on dense search alone over squad2-dev8, the
    passage holding the answer was among the 20 nearest 0.969 of the time this way against
    0.979 with the model's own passage vectors (0.982 and 0.984 on the three held-out
    articles); through the whole retriever, `make eval` found it in the top five 0.966 of
    the time on the held-out articles, against 0.964 before.
    """
    rows = sentences if title is None else np.vstack([sentences, title])
    mean = rows.astype(np.float64).mean(axis=0)
    norm = float(np.linalg.norm(mean))
    unit: np.ndarray = (mean / norm if norm else mean).astype(np.float32)
    return unit


def _embed(texts: list[str], embeddings: Embeddings) -> list[list[float]]:
    vectors: list[list[float]] = []
    for i in range(0, len(texts), EMBED_BATCH):
        vectors.extend(embeddings.embed_documents(texts[i : i + EMBED_BATCH]))
    return vectors


WRITE_BATCH = 4000  # records per Chroma write: one call per document costs ten times more
Prepared = tuple[SourceDocument, list[Passage], list[SentenceRecord]]


def _prepare(
    document: SourceDocument, fp: str, splitter: SentenceSplitter, spans: list[Span]
) -> Prepared:
    """Passages and sentence records from a document's sentences, segmented once."""
    passages = split_document(document, splitter, fp, spans)
    return document, passages, split_sentences(document, fp, spans)


def _write(
    batch: list[Prepared],
    number: int,
    store: PassageStore,
    embeddings: Embeddings,
    states: dict[str, SourceState],
    phase: Phase,
) -> int:
    """Embed whole documents and write them, each passage with its sentences, then delete
    what they replace."""
    passages = [p for _, document_passages, _ in batch for p in document_passages]
    sentences = [s for _, _, document_sentences in batch for s in document_sentences]
    titles = sorted({p.title for p in passages if p.index and p.title.strip()})
    phase(f"embedding, batch {number}")
    texts = [reading(s.text) for s in sentences] + titles
    vectors = np.asarray(_embed(texts, embeddings), np.float32)
    row = {s.id: i for i, s in enumerate(sentences)}
    title_row = {title: len(sentences) + i for i, title in enumerate(titles)}
    numbers = [
        [row[s.id] for s in document_sentences[p.first_sentence : p.last_sentence + 1]]
        for _, document_passages, document_sentences in batch
        for p in document_passages
    ]
    held = [[(sentences[i], vectors[i]) for i in rows] for rows in numbers]
    passage_vectors = np.stack(
        [
            passage_vector(
                vectors[rows],
                vectors[title_row[p.title]] if p.index and p.title in title_row else None,
            )
            for p, rows in zip(passages, numbers, strict=True)
        ]
    )
    phase(f"writing passages, batch {number}")
    store.upsert(passages, passage_vectors, held)
    phase(f"deleting replaced versions, batch {number}")
    for document, written, _ in batch:
        if document.source in states:
            keep = {p.id for p in written}
            store.delete([i for i in states[document.source].ids if i not in keep])
    return len(passages)


def _triage(
    files: list[SourceFile],
    states: dict[str, SourceState],
    splitter: SentenceSplitter,
    model: str,
    report: IngestReport,
) -> tuple[dict[str, str], list[tuple[SourceFile, str]]]:
    """Each file's fingerprint once this run is done, and the files to (re)write: an unchanged
    file is never read, its bytes say it is indexed."""
    current: dict[str, str] = {}
    changed: list[tuple[SourceFile, str]] = []
    for file in files:
        fp = current[file.source] = fingerprint(file.source, file.sha256, splitter, model)
        state = states.get(file.source)
        if state is not None and state.is_complete(fp):
            report.unchanged.append(file.source)
        else:
            changed.append((file, fp))
    return current, changed


def _keep_unreadable(
    skipped: list[SkippedFile],
    states: dict[str, SourceState],
    current: dict[str, str],
    report: IngestReport,
) -> None:
    """Report the files left out; one that is indexed keeps its indexed version."""
    for skip in skipped:
        if skip.source in states:
            current[skip.source] = ",".join(sorted(states[skip.source].fingerprints))
            skip = SkippedFile(skip.source, f"{skip.reason}; its indexed version is kept")
        report.skipped.append(skip)


def ingest_corpus(
    root: Path,
    store: PassageStore,
    embeddings: Embeddings,
    splitter: SentenceSplitter,
    model: str,
    *,
    progress: bool = True,
    phase: Phase = _quiet,
    batch_records: int = WRITE_BATCH,
    manifest: Path | None = None,
    workers: int = 1,
) -> IngestReport:
    """Sync ``store`` to the files under ``root``: add, replace and remove whole documents,
    embedding and writing about ``batch_records`` passages and sentences at a time.
    ``manifest`` keeps what the store holds between runs (:mod:`ingest.manifest`);
    ``workers`` processes read and split changed files (:mod:`ingest.segmenting`).

    ``phase`` hears each step as it starts (``footnote ingest --phase-file`` writes them down),
    ending with ``done``: what a process supervisor, or a test that kills the ingest, reads to
    know where it is."""
    phase("reading")
    files, skipped = find_files(root)
    saved = Manifest(manifest)
    states = saved.load(store)
    report = IngestReport()
    current, changed = _triage(files, states, splitter, model, report)
    if changed or set(states) - set(current):
        store.mark_writing()  # before the first change: readers must not save what follows
        store.drop_legacy()
    batch: list[Prepared] = []
    written_states: dict[str, SourceState] = {}  # what the store holds once batches are written
    size = written = 0  # records in the batch; batches written
    with tqdm(
        total=len(changed), desc="Ingesting", unit="file", disable=not progress, file=sys.stderr
    ) as bar:  # counts files once they are written (or skipped), not when they are read

        def flush() -> None:
            nonlocal written
            written += 1
            report.passages_written += _write(batch, written, store, embeddings, states, phase)
            bar.update(len(batch))

        for file, fp, (document, spans) in segmented(changed, workers):
            if isinstance(document, SkippedFile):
                skipped.append(document)
                del current[file.source]
                bar.update(1)
                continue
            state = states.get(file.source)
            (report.replaced if state else report.added).append(file.source)
            if state is not None and fp in state.fingerprints:
                report.repaired.append(file.source)  # an interrupted run left it part-written
            batch.append(prepared := _prepare(document, fp, splitter, spans))
            written_states[file.source] = SourceState(
                [p.id for p in prepared[1]], {fp}, len(prepared[1])
            )
            size += len(prepared[1]) + len(prepared[2])
            if size >= batch_records:
                flush()
                batch, size = [], 0
        if batch:
            flush()

    _keep_unreadable(skipped, states, current, report)
    phase("removing")
    for source in sorted(set(states) - set(current)):
        store.delete(states[source].ids)
        report.removed.append(source)

    version = hashlib.sha256(repr(sorted(current.items())).encode()).hexdigest()[:16]
    phase("recording")
    store.mark_ingested(root, version, model)
    saved.save(version, {s: written_states.get(s) or states[s] for s in current})
    phase("done")
    return report


def ingest_folder(
    settings: Settings,
    embeddings: Embeddings,
    root: Path | None = None,
    *,
    progress: bool = True,
    phase: Phase | None = None,
    batch_records: int = WRITE_BATCH,
) -> tuple[IngestReport, PassageStore]:
    """Ingest ``root`` (default: the configured corpus) as ``settings`` describe."""
    label = model_label(settings)
    store = PassageStore.open(settings, embeddings)
    cached = CachedEmbeddings(embeddings, settings.chroma_dir / CACHE_FILE, label)
    splitter = splitter_for(settings)
    report = ingest_corpus(
        root or settings.corpus_dir,
        store,
        cached,
        splitter,
        label,
        progress=progress,
        phase=phase or _quiet,
        batch_records=batch_records,
        manifest=settings.chroma_dir / MANIFEST / f"{settings.collection}.json",
        workers=worker_count(settings.ingest_workers),
    )
    report.embedded, report.reused = cached.misses, cached.hits
    return report, store
