"""The benchmark's quick mode, as CI runs it: every figure measured, the chart written."""

from __future__ import annotations

import json
from pathlib import Path

from langchain_core.embeddings import Embeddings

from eval.bench import ScaleResult, indexed, run
from footnote.embeddings import model_label
from footnote.settings import Settings
from tests.support import BUNDLED_CORPUS, hand_over


def test_quick_benchmark_measures_every_figure(tmp_path: Path) -> None:
    report = run(tmp_path, quick=True, log=lambda _: None)
    assert report.startswith("| | 1x | 10x |")
    rows = ("floor p50 ms", "answer p50 / floor", "scoped answer p50 ms", "peer p50 ms")
    for row in (*rows, "server peak RSS MB"):
        assert f"| {row} |" in report
    results = json.loads((tmp_path / "bench.json").read_text())
    assert [r["factor"] for r in results] == [1, 10]
    ten = results[1]
    assert ten["passages"] > 10 * results[0]["passages"] * 0.8
    assert ten["reused"] > 0, "the synthetic corpus reuses vectors through the cache"
    for kind in ("floor", "retrieval", "answer", "scoped answer", "peer"):
        assert 0 < ten["latency_ms"][kind]["p50"] <= ten["latency_ms"][kind]["p99"]
    assert ten["server_rss_mb"] > 100 and ten["startup_s"] > 0
    assert ten["changed_reingest_s"] > 0 and ten["index_mb"] > 0
    assert ten["model_texts_per_s"] > 0 and "| one-file-changed re-ingest s |" in report
    assert (tmp_path / "bench.png").stat().st_size > 10_000


def test_an_index_built_by_another_footnote_is_built_again(
    tmp_path: Path, embeddings: Embeddings
) -> None:
    """A recorded index is reused only if this Footnote would build the same one: another
    precision (here) or model, splitter or layout means building it cold again."""
    said: list[str] = []
    settings = Settings(corpus_dir=BUNDLED_CORPUS, chroma_dir=tmp_path / "index", _env_file=None)
    recorded = tmp_path / "index-1x.json"
    built = indexed(ScaleResult(1, "seed"), settings, embeddings, recorded, said.append)
    again = indexed(ScaleResult(1, "seed"), settings, embeddings, recorded, said.append)
    assert again.passages == built.passages > 0 and "using the index built earlier" in said[-1]

    hand_over(settings)  # as if built by a process gone
    other = settings.model_copy(update={"embedding_precision": "float32"})
    if model_label(other) == model_label(settings):  # a CPU without bfloat16: try the other
        other = settings.model_copy(update={"embedding_precision": "bfloat16"})
    indexed(ScaleResult(1, "seed"), other, embeddings, recorded, said.append)
    assert "built differently" in said[-2] and said[-1].startswith("1x: ingesting")
