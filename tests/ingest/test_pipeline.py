from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

from footnote.embeddings import LazyEmbeddings, load_embeddings, model_label
from footnote.errors import BadCorpus, IndexOutdated
from footnote.formats import extract
from footnote.service import Footnote
from footnote.settings import Settings
from footnote.store import LAYOUT_KEY, PassageStore, SentenceRecord, sentences_in
from footnote.tokens import reading
from ingest import pipeline
from ingest.pipeline import ingest_folder
from tests.support import BUNDLED_CORPUS, calls, pdf_bytes, run_ingest


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    corpus = tmp_path / "corpus"
    shutil.copytree(BUNDLED_CORPUS, corpus)
    return Settings(corpus_dir=corpus, chroma_dir=tmp_path / "chroma", _env_file=None)


def store_of(settings: Settings, embeddings: Embeddings) -> PassageStore:
    return PassageStore.open(settings, embeddings)


def snapshot(store: PassageStore) -> dict[str, tuple[str, object]]:
    got = store.collection.get(include=["documents", "metadatas"])
    return {
        i: (doc, meta)
        for i, doc, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
    }


def test_offsets_index_the_source_file_exactly(settings: Settings, embeddings: Embeddings) -> None:
    run_ingest(settings, embeddings)
    passages = store_of(settings, embeddings).passages()
    assert len(passages) > 20
    for p in passages:
        text = (settings.corpus_dir / p.source).read_text(encoding="utf-8")
        assert text[p.start : p.end] == p.text
        assert p.title == text.splitlines()[0].strip()


def test_reingest_unchanged_corpus_writes_nothing(
    settings: Settings, embeddings: Embeddings
) -> None:
    first = run_ingest(settings, embeddings)
    assert len(first.added) == 5
    store = store_of(settings, embeddings)
    before = snapshot(store)
    second = run_ingest(settings, embeddings)
    assert (second.added, second.replaced, second.removed) == ([], [], [])
    assert len(second.unchanged) == 5 and second.passages_written == 0
    assert snapshot(store) == before


def test_the_model_is_loaded_only_when_some_text_is_new(
    settings: Settings, embeddings: Embeddings
) -> None:
    """The command line's model loads on first use: an unchanged re-ingest never needs it."""
    run_ingest(settings, embeddings)
    lazy = LazyEmbeddings(settings)
    unchanged = run_ingest(settings, lazy)
    assert len(unchanged.unchanged) == 5 and not lazy.loaded

    target = settings.corpus_dir / "002_45a7327db3fb7a4e.txt"
    target.write_text("A new title\nThe penguins of Kursk wore tiny hats.\n", encoding="utf-8")
    changed = run_ingest(settings, lazy)
    assert changed.replaced == [target.name] and lazy.loaded
    vector = lazy.embed_query("penguins in hats")
    assert np.allclose(vector, embeddings.embed_query("penguins in hats"), atol=1e-5)


def test_changed_file_replaces_its_passages_only(
    settings: Settings, embeddings: Embeddings
) -> None:
    run_ingest(settings, embeddings)
    store = store_of(settings, embeddings)
    before = snapshot(store)
    target = settings.corpus_dir / "002_45a7327db3fb7a4e.txt"
    target.write_text("A new title\nThe penguins of Kursk wore tiny hats.\n", encoding="utf-8")

    report = run_ingest(settings, embeddings)

    assert report.replaced == ["002_45a7327db3fb7a4e.txt"] and len(report.unchanged) == 4
    after = snapshot(store)
    mine = {i: v for i, v in after.items() if v[1]["source"] == target.name}  # type: ignore[index]
    assert [doc for doc, _ in mine.values()] == [
        "A new title\nThe penguins of Kursk wore tiny hats."
    ]
    others = {i: v for i, v in before.items() if v[1]["source"] != target.name}  # type: ignore[index]
    assert {i: after[i] for i in others} == others


def test_removed_file_disappears(settings: Settings, embeddings: Embeddings) -> None:
    run_ingest(settings, embeddings)
    (settings.corpus_dir / "004_17a11fe2648a01fc.txt").unlink()
    report = run_ingest(settings, embeddings)
    assert report.removed == ["004_17a11fe2648a01fc.txt"]
    sources = set(store_of(settings, embeddings).source_states())
    assert "004_17a11fe2648a01fc.txt" not in sources and len(sources) == 4


def test_bad_files_are_skipped_with_a_reason_and_the_rest_go_in(
    settings: Settings, embeddings: Embeddings
) -> None:
    nested = settings.corpus_dir / "notes" / "deep"
    nested.mkdir(parents=True)
    (nested / "good.md").write_text("# Field notes\nThe bridge opened in 1998.\n")
    (settings.corpus_dir / "latin1.txt").write_bytes("Caf\xe9 cr\xe8me".encode("latin-1"))
    (settings.corpus_dir / "blank.txt").write_text("  \n\n")
    (settings.corpus_dir / "image.png").write_bytes(b"\x89PNG")
    (nested / "minutes.doc").write_bytes(b"\xd0\xcf\x11\xe0 Word 97-2003")
    (settings.corpus_dir / "tool.exe").write_bytes(b"MZ")  # not a document: passed over
    # a stream compressed by a filter pypdf does not know: it raises NotImplementedError,
    # which no reader declares
    (settings.corpus_dir / "damaged.pdf").write_bytes(
        pdf_bytes("The bridge opened in 1998.").replace(b"/FlateDecode", b"/FlateDecodX")
    )

    report = run_ingest(settings, embeddings)

    reasons = {s.source: s.reason for s in report.skipped}
    assert reasons.keys() == {
        "latin1.txt",
        "blank.txt",
        "damaged.pdf",
        "image.png",
        "notes/deep/minutes.doc",
    }
    assert "save it as .docx" in reasons["notes/deep/minutes.doc"]
    assert reasons["image.png"].startswith("not a readable picture")
    assert "UTF-8" in reasons["latin1.txt"] and "empty" in reasons["blank.txt"]
    assert reasons["damaged.pdf"].startswith("not a readable pdf file (NotImplementedError")
    assert "notes/deep/good.md" in report.added and len(report.added) == 6
    titles = {p.source: p.title for p in store_of(settings, embeddings).passages()}
    assert titles["notes/deep/good.md"] == "Field notes"


def test_a_file_that_turns_unreadable_keeps_its_indexed_version(
    settings: Settings, embeddings: Embeddings
) -> None:
    run_ingest(settings, embeddings)
    (settings.corpus_dir / "000_48ca08dddd09e8b8.txt").write_bytes(b"\xff\xfe broken")
    report = run_ingest(settings, embeddings)
    assert report.removed == []
    assert "kept" in report.skipped[0].reason
    assert "000_48ca08dddd09e8b8.txt" in store_of(settings, embeddings).source_states()


def test_missing_corpus_folder_is_a_clear_error(settings: Settings, embeddings: Embeddings) -> None:
    with pytest.raises(BadCorpus, match="does not exist"):
        run_ingest(settings, embeddings, root=settings.corpus_dir / "nope")


def test_collection_uses_cosine_space(settings: Settings, embeddings: Embeddings) -> None:
    run_ingest(settings, embeddings)
    store = store_of(settings, embeddings)
    vector = embeddings.embed_query(store.passages()[0].text)
    (_, similarity), *_ = store.dense_search(vector, 1)
    assert similarity > 0.8  # cosine of a passage's vector with its own text, near 1


def test_a_passage_vector_is_the_mean_of_its_sentences_and_title(
    settings: Settings, embeddings: Embeddings
) -> None:
    """The model is never run over a passage's text: its vector is the normalised mean of its
    sentences' vectors, with its document's title as one more past the first passage."""
    run_ingest(settings, embeddings)
    store = store_of(settings, embeddings)
    passages = store.passages()
    stored = store.stored(passages)
    assert any(p.index > 0 for p in passages) and any(p.index == 0 for p in passages)
    for passage in passages:
        texts = [record.text for record, _ in sentences_in(passage, stored)]
        texts += [passage.title] if passage.index else []
        expected = np.mean(embeddings.embed_documents(texts), axis=0)
        assert float(stored[passage.id].vector @ expected) / np.linalg.norm(expected) > 0.999


def test_sentence_vectors_follow_their_documents(
    settings: Settings, embeddings: Embeddings
) -> None:
    run_ingest(settings, embeddings)
    store = store_of(settings, embeddings)
    target = "002_45a7327db3fb7a4e.txt"
    (settings.corpus_dir / target).write_text("A new title\nPenguins wore hats. They were warm.\n")
    (settings.corpus_dir / "004_17a11fe2648a01fc.txt").unlink()
    run_ingest(settings, embeddings)

    passages = store.passages()
    stored = store.stored(passages)
    sentences: dict[str, tuple[SentenceRecord, np.ndarray]] = {}
    for passage in passages:
        held = sentences_in(passage, stored)
        assert len({record.id for record, _ in held}) == len(held)  # each once per passage
        sentences.update({record.id: (record, vector) for record, vector in held})
    by_source: dict[str, list[str]] = {}
    for record, vector in sentences.values():
        by_source.setdefault(record.source, []).append(record.text)
        document = (settings.corpus_dir / record.source).read_text(encoding="utf-8")
        assert document[record.start : record.end] == record.text
        expected = np.asarray(embeddings.embed_documents([record.text])[0])
        assert float(vector @ expected) > 0.999  # float16 keeps the cosine
    assert sorted(by_source[target]) == ["A new title", "Penguins wore hats.", "They were warm."]
    assert "004_17a11fe2648a01fc.txt" not in by_source


def test_a_sentence_wrapped_over_lines_is_embedded_as_it_reads(
    settings: Settings, embeddings: Embeddings
) -> None:
    """A PDF's text layer or a hard-wrapped file: the sentence keeps its exact offsets and
    line breaks, the model reads it whole, with a word hyphenated at a line's end joined."""
    lines = [
        "The harbour authority introduced a new",
        "timetable for the ferries crossing the",
        "bay, with departures every twenty min-",
        "utes in summer and hourly otherwise.",
        "The city council took over the manage-",
        "ment of the pier in the same year.",
    ]
    (settings.corpus_dir / "ferries.txt").write_text("\n".join(["Ferry news", *lines]) + "\n")
    run_ingest(settings, embeddings)
    store = store_of(settings, embeddings)
    passages = [p for p in store.passages() if p.source == "ferries.txt"]
    held = sentences_in(passages[0], store.stored(passages))
    assert [reading(record.text) for record, _ in held] == [
        "Ferry news",
        "The harbour authority introduced a new timetable for the ferries crossing the bay, "
        "with departures every twenty minutes in summer and hourly otherwise.",
        "The city council took over the management of the pier in the same year.",
    ]
    for record, vector in held:
        expected = np.asarray(embeddings.embed_documents([reading(record.text)])[0])
        assert float(vector @ expected) > 0.999


def test_a_store_of_an_older_layout_is_refused_then_rewritten(
    settings: Settings, embeddings: Embeddings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stores before layout 2 kept sentences in a collection of their own and said no layout:
    readers refuse them with what to do, and the next ingest rewrites every document (from
    cached vectors) and drops that collection."""
    first = run_ingest(settings, embeddings)
    store = store_of(settings, embeddings)
    store.client.create_collection(f"{settings.collection}-sentences")
    old = {k: v for k, v in store.info().items() if k != LAYOUT_KEY}
    store.collection.modify(metadata=old)
    with pytest.raises(IndexOutdated, match="run `footnote ingest`"):
        Footnote(settings, embeddings, store)
    monkeypatch.setattr(pipeline, "STORE_LAYOUT", "next")  # as in every fingerprint
    report = run_ingest(settings, embeddings)
    assert sorted(report.replaced) == sorted(first.added) and report.embedded == 0
    assert [c.name for c in store.client.list_collections()] == [settings.collection]
    assert (
        Footnote(settings, embeddings, store)
        .ask("Where were the two North Korean soldiers captured?")
        .citations
    )


def test_an_index_embedded_by_another_model_is_refused_then_re_embedded(
    settings: Settings, embeddings: Embeddings
) -> None:
    """Questions embedded by the tuned model cannot be compared with vectors the packaged one
    made (an index from before tuning, or FOOTNOTE_EMBEDDING_TUNING changed): readers refuse
    it, saying what to do, and the next ingest re-embeds every document."""
    first = run_ingest(settings, embeddings)
    plain = settings.model_copy(update={"embedding_tuning": "none"})
    plain_embeddings = load_embeddings(plain)
    store = store_of(plain, plain_embeddings)
    assert store.outdated(model_label(plain)) and not store.outdated(model_label(settings))
    with pytest.raises(IndexOutdated, match="re-embed"):
        Footnote(plain, plain_embeddings, store)
    report = run_ingest(plain, plain_embeddings)
    assert sorted(report.replaced) == sorted(first.added) and report.embedded > 0
    answer = Footnote(plain, plain_embeddings, store).ask("Where were the soldiers captured?")
    assert answer.citations


def test_a_renamed_file_reuses_its_vectors(settings: Settings, embeddings: Embeddings) -> None:
    first = run_ingest(settings, embeddings)
    assert first.embedded > 0  # (a title that is also its first sentence is embedded once)
    old = settings.corpus_dir / "001_694d548595b5fff0.txt"
    old.rename(settings.corpus_dir / "renamed.txt")
    report = run_ingest(settings, embeddings)
    assert report.added == ["renamed.txt"] and report.removed == ["001_694d548595b5fff0.txt"]
    assert report.embedded == 0 and report.reused > 0


def test_a_half_written_document_is_repaired_and_reported(
    settings: Settings, embeddings: Embeddings
) -> None:
    run_ingest(settings, embeddings)
    store = store_of(settings, embeddings)
    target = "003_5ddc3c8b4bd541c6.txt"
    (settings.corpus_dir / target).write_text(
        "New title\nA wholly new first fact. A second fact.\n"
    )
    # What an ingest killed between writing the new passages and deleting the old leaves:
    from ingest.loader import load_corpus
    from ingest.pipeline import fingerprint, split_document
    from ingest.splitter import SentenceSplitter, sentence_spans

    splitter = SentenceSplitter(settings.chunk_size, settings.chunk_overlap_sentences)
    document = next(d for d in load_corpus(settings.corpus_dir)[0] if d.source == target)
    fp = fingerprint(document.source, document.sha256, splitter, model_label(settings))
    new = split_document(document, splitter, fp, sentence_spans(document.text))
    store.mark_writing()  # as ingest does before its first write
    store.upsert(new[:1], embeddings.embed_documents([new[0].text]), [[]])

    report = run_ingest(settings, embeddings)
    assert report.repaired == [target] and report.replaced == [target]
    states = store.source_states()
    assert states[target].is_complete(fp)


def files_read(run: Callable[[], object]) -> list[str]:
    """The files whose text was extracted while ``run`` ran: the calls of the one function
    every reader is reached through."""
    return [Path(call["path"]).name for call in calls(extract, run)]


def test_an_unchanged_file_is_not_read_again(settings: Settings, embeddings: Embeddings) -> None:
    assert len(files_read(lambda: run_ingest(settings, embeddings))) == 5
    assert files_read(lambda: run_ingest(settings, embeddings)) == []
    changed = sorted(settings.corpus_dir.iterdir())[2]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA closing line.\n", "utf-8")
    assert files_read(lambda: run_ingest(settings, embeddings)) == [changed.name]


def test_a_large_corpus_is_embedded_and_written_a_batch_at_a_time(
    settings: Settings, embeddings: Embeddings, tmp_path: Path
) -> None:
    phases: list[str] = []
    ingest_folder(settings, embeddings, progress=False, phase=phases.append, batch_records=1)
    batches = [p for p in phases if p.startswith("embedding, batch")]
    assert batches == [f"embedding, batch {n}" for n in range(1, 6)]  # documents stay whole
    whole = settings.model_copy(update={"chroma_dir": tmp_path / "whole"})
    run_ingest(whole, embeddings)
    assert (
        snapshot(store_of(settings, embeddings)).keys()
        == snapshot(store_of(whole, embeddings)).keys()
    )
