"""The load script, briefly: its own server process, a few clients, every figure reported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from langchain_core.embeddings import Embeddings

from footnote.settings import Settings
from tests.support import environment, hand_over, indexed_copy


def test_load_script_reports_throughput_latency_errors_and_memory(
    tmp_path: Path, embeddings: Embeddings
) -> None:
    settings = indexed_copy(tmp_path, embeddings)  # the test process holds the shared index
    hand_over(settings)
    env = environment(settings)
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
    server_log = (tmp_path / "load" / "server.log").read_text()  # a 5xx's traceback, if any
    assert report["requests"] > 4 and report["server_errors"] == 0, server_log[-4000:]
    assert report["statuses"] == {"200": report["requests"]}, (report, server_log[-4000:])
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


def test_workers_share_one_chroma_server(tmp_path: Path, indexed_settings: Settings) -> None:
    """``footnote load --workers 1,2``: a ``chroma run`` server holds the corpus, and one and
    then two uvicorn workers answer from it; the two are both measured."""
    env = {
        **os.environ,
        "FOOTNOTE_CORPUS_DIR": str(indexed_settings.corpus_dir),
        "FOOTNOTE_CHROMA_DIR": str(tmp_path / "unused"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", "load", "--workers", "1,2", "--clients", "4"]
        + ["--seconds", "6", "--out", str(tmp_path / "load")],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads((tmp_path / "load" / "workers.json").read_text())
    one, two = report["1"], report["2"]
    logs = sorted((tmp_path / "load").glob("*.log"))
    assert [log.name for log in logs] == [
        "chroma-server.log", "server-1-workers.log", "server-2-workers.log"
    ]  # fmt: skip
    for run in (one, two):
        assert run["requests"] > 4 and run["statuses"] == {"200": run["requests"]}, "\n".join(
            f"{log.name}:\n{log.read_text(errors='replace')[-2000:]}" for log in logs
        )
    assert two["rss_last_mb"] > 1.5 * one["rss_last_mb"]  # each worker holds its own model
    assert not (tmp_path / "unused").exists()  # the store was the server's
    assert (tmp_path / "load" / "chroma-server" / "chroma.sqlite3").is_file()
    assert (tmp_path / "load" / "workers.png").stat().st_size > 10_000
    assert "| throughput req/s |" in done.stdout
