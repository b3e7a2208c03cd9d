"""The benchmark's quick mode, as CI runs it: every figure measured, the chart written."""

from __future__ import annotations

import json
from pathlib import Path

from eval.bench import run


def test_quick_benchmark_measures_every_figure(tmp_path: Path) -> None:
    report = run(tmp_path, quick=True, log=lambda _: None)
    assert report.startswith("| | 1x | 10x |")
    for row in ("floor p50 ms", "answer p50 / floor", "peer p50 ms", "server peak RSS MB"):
        assert f"| {row} |" in report
    results = json.loads((tmp_path / "bench.json").read_text())
    assert [r["factor"] for r in results] == [1, 10]
    ten = results[1]
    assert ten["passages"] > 10 * results[0]["passages"] * 0.8
    assert ten["reused"] > 0, "the synthetic corpus reuses vectors through the cache"
    for kind in ("floor", "retrieval", "answer", "peer"):
        assert 0 < ten["latency_ms"][kind]["p50"] <= ten["latency_ms"][kind]["p99"]
    assert ten["server_rss_mb"] > 100 and ten["startup_s"] > 0
    assert ten["changed_reingest_s"] > 0 and ten["index_mb"] > 0
    assert ten["model_texts_per_s"] > 0 and "| one-file-changed re-ingest s |" in report
    assert (tmp_path / "bench.png").stat().st_size > 10_000
