from __future__ import annotations

from pathlib import Path

from langchain_core.embeddings import Embeddings

from api.service import Footnote
from tests.conftest import indexed_copy, run_ingest


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
