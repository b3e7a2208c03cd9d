"""The keyword index is built once per version of the store: the first process to open a
version saves it beside the store, and every later one loads it instead of re-reading and
re-tokenising every passage."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

from footnote.service import KEYWORD_INDEX, Footnote
from footnote.store import WRITING
from footnote.tokens import TOKENS_VERSION, tokenize
from tests.support import calls, indexed_copy, run_ingest

QUESTION = "Where were the two North Korean soldiers captured?"


def tokenised(run: Callable[[], object]) -> int:
    """How many texts were tokenised while ``run`` ran."""
    return len(calls(tokenize, run))


def test_a_version_is_indexed_once_and_loaded_after(tmp_path: Path, embeddings: Embeddings) -> None:
    settings = indexed_copy(tmp_path, embeddings)
    first = Footnote.open(settings, embeddings)
    version = first.index().version
    assert version is not None
    saved = settings.chroma_dir / KEYWORD_INDEX / settings.collection / version
    assert (saved / "complete").exists()

    opened: list[Footnote] = []
    assert tokenised(lambda: opened.append(Footnote.open(settings, embeddings))) == 0
    again = opened[0].index().keywords
    assert [p.id for p in again.passages] == [p.id for p in first.index().keywords.passages]
    assert np.array_equal(again.scores(QUESTION), first.index().keywords.scores(QUESTION))
    assert again.idf("soldier") == first.index().keywords.idf("soldier")

    changed = sorted(settings.corpus_dir.iterdir())[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA closing line.\n", "utf-8")
    run_ingest(settings, embeddings)
    newer = Footnote.open(settings, embeddings).index().version
    assert newer != version and not saved.exists()  # an older version's index is removed
    assert (saved.parent / str(newer) / "complete").exists()


@pytest.mark.parametrize("damage", ["half-written", "another tokenizer's"])
def test_a_saved_index_that_cannot_be_trusted_is_built_again(
    tmp_path: Path, embeddings: Embeddings, damage: str
) -> None:
    """A half-written one names passages it may not hold; one another tokenizer built holds
    other words than a question is now cut into."""
    settings = indexed_copy(tmp_path, embeddings)
    version = Footnote.open(settings, embeddings).index().version
    saved = settings.chroma_dir / KEYWORD_INDEX / settings.collection / str(version)
    assert (saved / "complete").read_text(encoding="ascii") == TOKENS_VERSION
    if damage == "half-written":
        (saved / "complete").unlink()
        (saved / "passages.jsonl").write_text("{not json", encoding="utf-8")
    else:
        (saved / "complete").write_text("an older tokenizer", encoding="ascii")
    assert tokenised(lambda: Footnote.open(settings, embeddings)) > 0  # built, not loaded
    rebuilt = Footnote.open(settings, embeddings).index().keywords
    assert len(rebuilt.passages) > 20
    assert (saved / "complete").read_text(encoding="ascii") == TOKENS_VERSION


def test_nothing_is_saved_while_an_ingest_is_changing_the_store(
    tmp_path: Path, embeddings: Embeddings
) -> None:
    """A killed ingest can leave passages half-replaced under the version it started from;
    an index saved then would name passages that are gone."""
    settings = indexed_copy(tmp_path, embeddings)
    footnote = Footnote.open(settings, embeddings)
    footnote.store.mark_writing()
    changing = Footnote.open(settings, embeddings)
    version = str(changing.index().version)
    assert version.startswith(WRITING)
    assert not (settings.chroma_dir / KEYWORD_INDEX / settings.collection / version).exists()
    assert changing.ask(QUESTION).citations  # built from what the store holds now


def test_a_loaded_index_reads_what_was_built(tmp_path: Path, embeddings: Embeddings) -> None:
    """Word counts come from BM25's own matrix and passages are parsed when asked for: both
    must say exactly what counting and holding them would."""
    settings = indexed_copy(tmp_path, embeddings)
    built = Footnote.open(settings, embeddings).index().keywords
    loaded = Footnote.open(settings, embeddings).index().keywords
    assert isinstance(built.passages, list) and not isinstance(loaded.passages, list)
    counted = Counter(t for p in built.passages for t in set(tokenize(f"{p.title} {p.text}")))
    assert all(loaded.frequency(token) == n for token, n in counted.items())
    assert loaded.frequency("zyzzyva") == 0
    assert list(loaded.passages) == built.passages and loaded.documents == built.documents
    for passage in built.passages:
        assert loaded.passage(passage.id) == passage
    assert loaded.passage(f"{built.passages[0].fingerprint}-99999") is None
