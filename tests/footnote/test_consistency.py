"""Readers see each document whole or not at all, even mid-way through an interrupted ingest."""

from __future__ import annotations

import shutil
from pathlib import Path

from langchain_core.embeddings import Embeddings

from footnote.embeddings import model_label
from footnote.service import Footnote
from footnote.settings import Settings
from footnote.store import PassageStore
from ingest.loader import load_corpus
from ingest.pipeline import fingerprint, split_document
from ingest.splitter import SentenceSplitter, sentence_spans
from tests.support import BUNDLED_CORPUS, run_ingest

TARGET = "004_17a11fe2648a01fc.txt"


def test_a_half_written_new_version_stays_invisible(tmp_path: Path, embeddings: Embeddings) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(BUNDLED_CORPUS, corpus)
    settings = Settings(corpus_dir=corpus, chroma_dir=tmp_path / "chroma", _env_file=None)
    run_ingest(settings, embeddings)
    probe = (corpus / TARGET).read_text(encoding="utf-8").splitlines()[-1][:120]
    # An ingest killed after writing the first passage of a new version of TARGET:
    (corpus / TARGET).write_text("Penguin news\nThe penguins of Kursk wore tiny hats.\n" * 30)
    splitter = SentenceSplitter(settings.chunk_size, settings.chunk_overlap_sentences)
    document = next(d for d in load_corpus(corpus)[0] if d.source == TARGET)
    fp = fingerprint(document.source, document.sha256, splitter, model_label(settings))
    partial = split_document(document, splitter, fp, sentence_spans(document.text))[:1]
    store = PassageStore.open(settings, embeddings)
    store.upsert(partial, embeddings.embed_documents([partial[0].text]), [[]])

    footnote = Footnote.open(settings, embeddings)
    _, hits = footnote.search("What did the penguins of Kursk wear?", 5)
    assert all("penguin" not in hit.passage.text.lower() for hit in hits)
    _, hits = footnote.search(probe, 5)  # the complete old version is what is served
    assert any(hit.passage.source == TARGET and probe in hit.passage.text for hit in hits)
