from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

from footnote.retriever import fuse
from footnote.service import Footnote
from footnote.store import Passage
from tests.support import indexed_copy, run_ingest


def test_one_long_file_still_fills_every_slot(tmp_path: Path, embeddings: Embeddings) -> None:
    """One passage per file comes first, then the best of what is left: a corpus of a single
    file gets all ``k`` of its best passages, not one."""
    settings = indexed_copy(tmp_path, max_per_source=1)
    for other in sorted(settings.corpus_dir.glob("*.txt"))[1:]:
        other.unlink()
    run_ingest(settings, embeddings)
    _, hits = Footnote.open(settings, embeddings).search("How many troops were sent to Russia?", 4)
    assert len(hits) == 4 and len({hit.passage.source for hit in hits}) == 1
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    document = (settings.corpus_dir / hits[0].passage.source).read_text(encoding="utf-8")
    for hit in hits:  # each carries its sentences, read with it, in order and each once
        spans = [(record.start, record.end) for record, _ in hit.sentences]
        assert spans == sorted(set(spans)) and all(
            hit.passage.start <= a < b <= hit.passage.end for a, b in spans
        )
        assert all(document[r.start : r.end] == r.text for r, _ in hit.sentences)
        assert "".join(r.text for r, _ in hit.sentences).replace(" ", "").replace(
            "\n", ""
        ) == hit.passage.text.replace(" ", "").replace("\n", "")


DOCUMENT = "First sentence here. Second one follows. Third closes it. Fourth stands apart."


def _passage(source: str, start: int, end: int, first: int, last: int) -> Passage:
    return Passage(
        id=f"{source}:{start}",
        source=source,
        title=source,
        index=start,
        start=start,
        end=end,
        text=DOCUMENT[start:end],
        fingerprint=source,
        total=4,
        first_sentence=first,
        last_sentence=last,
    )


def test_a_passage_absorbs_its_overlapping_runner_up_as_an_exact_slice() -> None:
    """The answer often sits at a passage's edge: a source's two best passages, when they
    overlap, come back as one stretch of text, still ``document[start:end]``."""
    first = _passage("a.txt", 0, 57, 0, 2)  # sentences 1-3
    neighbour = _passage("a.txt", 41, 78, 2, 3)  # sentences 3-4
    other = _passage("b.txt", 0, 40, 0, 1)
    hits = fuse([first, other, neighbour], np.array([0.9, 0.5, 0.8]), np.zeros(3), 1.0, 2, 1)
    joined = hits[0].passage
    assert (joined.start, joined.end, joined.text) == (0, 78, DOCUMENT)
    assert (joined.first_sentence, joined.last_sentence) == (0, 3)
    assert hits[1].passage == other


def test_a_distant_runner_up_is_not_joined() -> None:
    opening = _passage("a.txt", 0, 20, 0, 0)
    distant = _passage("a.txt", 58, 78, 3, 3)
    hits = fuse([opening, distant], np.array([0.9, 0.8]), np.zeros(2), 1.0, 1, 1)
    assert [hit.passage for hit in hits] == [opening]
    with pytest.raises(ValueError, match="do not overlap"):
        opening.joined(distant)
