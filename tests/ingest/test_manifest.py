"""The saved list of indexed sources: trusted only at the version it was saved for, and always
equal to what listing the store would say."""

from __future__ import annotations

from pathlib import Path

from langchain_core.embeddings import Embeddings

from footnote.settings import Settings
from footnote.store import PassageStore
from ingest.manifest import Manifest
from ingest.pipeline import MANIFEST, IngestReport
from tests.support import calls, indexed_copy, run_ingest


def manifest_of(settings: Settings) -> Path:
    return settings.chroma_dir / MANIFEST / f"{settings.collection}.json"


def test_an_unchanged_reingest_lists_nothing(tmp_path: Path, embeddings: Embeddings) -> None:
    settings = indexed_copy(tmp_path, embeddings)
    written = manifest_of(settings).stat().st_mtime_ns
    listed = calls(PassageStore.source_states, lambda: run_ingest(settings, embeddings))
    assert listed == [] and manifest_of(settings).stat().st_mtime_ns == written  # not rewritten
    manifest_of(settings).unlink()  # a cache: without it, the store is listed once
    reports: list[IngestReport] = []
    listed = calls(
        PassageStore.source_states, lambda: reports.append(run_ingest(settings, embeddings))
    )
    assert len(listed) == 1 and reports[0].passages_written == 0
    assert manifest_of(settings).is_file()


def test_the_manifest_says_what_listing_says(tmp_path: Path, embeddings: Embeddings) -> None:
    """Added, replaced, removed, unreadable-but-kept and unreadable-new files all end in the
    manifest exactly as the store holds them."""
    settings = indexed_copy(tmp_path, embeddings)
    corpus = settings.corpus_dir
    files = sorted(corpus.glob("*.txt"))
    files[0].write_text("Replaced\nThe bridge opened in 1850. It was long.\n", encoding="utf-8")
    files[1].unlink()
    (corpus / "new.md").write_text("# New\nA new file about ferries.\n", encoding="utf-8")
    files[2].write_bytes(b"\xff\xfe\x00broken")  # unreadable now: its indexed version stays
    (corpus / "blank.txt").write_text("", encoding="utf-8")  # unreadable, never indexed
    report = run_ingest(settings, embeddings)
    assert report.skipped and report.removed and report.added and report.replaced

    store = PassageStore.open(settings, embeddings)
    listed = store.source_states()
    saved = Manifest(manifest_of(settings)).load(store)
    assert {s: (sorted(st.ids), st.fingerprints, st.total) for s, st in saved.items()} == {
        s: (sorted(st.ids), st.fingerprints, st.total) for s, st in listed.items()
    }


def test_a_store_changed_elsewhere_is_listed(tmp_path: Path, embeddings: Embeddings) -> None:
    """Another writer (here: an ingest killed after marking the store) moves the version on:
    the manifest no longer describes the store, so the next ingest lists it."""
    settings = indexed_copy(tmp_path, embeddings)
    PassageStore.open(settings, embeddings).mark_writing()
    listed = calls(PassageStore.source_states, lambda: run_ingest(settings, embeddings))
    assert len(listed) == 1
