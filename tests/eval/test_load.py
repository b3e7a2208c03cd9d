"""The load script, briefly: its own server process, a few clients, every figure reported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from footnote.settings import Settings


def test_load_script_reports_throughput_latency_errors_and_memory(
    tmp_path: Path, indexed_settings: Settings
) -> None:
    env = {
        **os.environ,
        "FOOTNOTE_CORPUS_DIR": str(indexed_settings.corpus_dir),
        "FOOTNOTE_CHROMA_DIR": str(tmp_path / "index"),
    }
    subprocess.run(  # an index of its own: the test process holds the shared one
        [sys.executable, "-m", "cli.main", "ingest"], env=env, check=True, timeout=300
    )
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", "load", "--clients", "4", "--seconds", "12"]
        + ["--out", str(tmp_path / "load")],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads((tmp_path / "load" / "load.json").read_text())
    assert report["requests"] > 4 and report["server_errors"] == 0
    assert report["statuses"] == {"200": report["requests"]}
    assert 0 < report["latency_ms"]["p50"] <= report["latency_ms"]["p99"]
    assert report["rss_first_mb"] > 100 and report["rss_last_mb"] > 100
    assert (tmp_path / "load" / "load.png").stat().st_size > 10_000
    assert "| throughput req/s |" in done.stdout

    refused = subprocess.run(
        [sys.executable, "-m", "cli.main", "load", "--url", "http://example.com"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 1 and "loopback" in refused.stderr
