"""Footnote as separate processes: one writer per embedded index, graceful shutdown, JSON logs
and ``kill -9`` in the middle of an ingest. Every process here is a real ``footnote`` command."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from langchain_core.embeddings import Embeddings

from footnote.chroma_client import release_folder
from footnote.service import Footnote
from footnote.settings import Settings
from footnote.store import SENTENCE_SPANS, PassageStore
from tests.support import (
    environment,
    footnote_command,
    hand_over,
    indexed_copy,
    run_ingest,
    start_server,
    wait_until_healthy,
)

QUESTION = "Where were the two North Korean soldiers captured?"


@pytest.fixture
def corpus_settings(tmp_path: Path, embeddings: Embeddings) -> Settings:
    return indexed_copy(tmp_path, embeddings)


def test_a_second_process_on_an_embedded_index_fails_fast(corpus_settings: Settings) -> None:
    PassageStore.open(corpus_settings)  # this test process now holds the folder
    ingest = subprocess.run(
        footnote_command("ingest"),
        env=environment(corpus_settings),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ingest.returncode == 1
    assert f"pid {os.getpid()}" in ingest.stderr and "FOOTNOTE_CHROMA_URL" in ingest.stderr
    assert "Traceback" not in ingest.stderr
    workers = subprocess.run(
        footnote_command("serve", "--workers", "2", "--no-ingest"),
        env=environment(corpus_settings),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert workers.returncode == 1 and "FOOTNOTE_CHROMA_URL" in workers.stderr


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """A ``footnote serve`` process of its own (it ingests the corpus when it starts)."""
    url, process = start_server(indexed_copy(tmp_path), FOOTNOTE_LLM_MAX_TOKENS="96")
    try:
        wait_until_healthy(url, process)
        yield url, process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def test_sigterm_lets_the_request_in_flight_finish(
    served: tuple[str, subprocess.Popen[str]],
) -> None:
    url, process = served
    request = {"question": QUESTION, "mode": "llamacpp", "stream": True}
    headers = {"X-Request-ID": "graceful-1"}
    with httpx.stream("POST", f"{url}/chat", json=request, headers=headers, timeout=120) as reply:
        lines = reply.iter_lines()
        assert next(lines).startswith("event: ")  # the answer has started streaming
        process.send_signal(signal.SIGTERM)
        rest = list(lines)
    assert reply.status_code == 200 and reply.headers["x-request-id"] == "graceful-1"
    assert "event: done" in rest, rest[-4:]
    # uvicorn re-raises the signal once shut down, so the exit status still says SIGTERM
    assert process.wait(timeout=60) in (0, -signal.SIGTERM)
    with pytest.raises(httpx.ConnectError):  # and it is gone: nothing listens any more
        httpx.get(f"{url}/health", timeout=2)

    assert process.stderr is not None
    lines = process.stderr.read().splitlines()
    assert any("Application shutdown complete" in line for line in lines)  # not cut short
    records = [json.loads(line) for line in lines if line.startswith("{")]
    chat = next(r for r in records if r.get("path") == "/chat")
    assert chat["request_id"] == "graceful-1" and chat["status"] == 200
    assert chat["mode"] == "llamacpp" and chat["latency_ms"] > 0


def store_contents(settings: Settings) -> list[tuple[str, str]]:
    """Every passage id with the sentence spans stored with it, sorted, duplicates kept."""
    store = PassageStore.open(settings)
    got = store.collection.get(include=["metadatas"])
    spans = [str(m[SENTENCE_SPANS]) for m in got["metadatas"] or []]
    return sorted(zip(got["ids"], spans, strict=True))


def kill_at(step: str, command: list[str], env: dict[str, str], pipe: Path) -> list[str]:
    """Runs ``command`` (an ingest) reporting its steps through the named pipe ``pipe``, and
    SIGKILLs it as soon as it reports ``step``; returns the steps it reported.

    The ingest opens the pipe anew for each step, and an open blocks until this side reads:
    the ingest cannot get past the next step before the kill, so every kill lands inside the
    ingest, at the step named. It fails if the ingest ended (or said ``done``) first.
    """
    pipe.unlink(missing_ok=True)
    os.mkfifo(pipe)
    log = pipe.with_suffix(".log")
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [*command, "--phase-file", str(pipe)], env=env, stdout=subprocess.DEVNULL, stderr=stderr
        )

    def release_reader() -> None:  # should the ingest end without opening the pipe again
        process.wait()
        with contextlib.suppress(OSError):
            os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))

    threading.Thread(target=release_reader, daemon=True).start()
    reported: list[str] = []
    while step not in reported:
        assert process.poll() is None, f"ended before {step!r}: {reported}, {log.read_text()}"
        with pipe.open(encoding="utf-8") as reader:  # blocks until the ingest reports a step
            reported += reader.read().splitlines()
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL
    assert "done" not in reported, reported
    return reported


KILL_STEPS = [  # every step an ingest reports, from start-up to its last write
    "reading",
    "embedding, batch 1",
    "writing passages, batch 1",
    "deleting replaced versions, batch 1",
    "removing",
    "recording",
]


def test_kill_9_at_any_point_of_an_ingest_loses_nothing(
    tmp_path: Path, embeddings: Embeddings
) -> None:
    """The corpus changes (a file edited, one removed, a dozen added); the ingest that brings
    the index in line is killed with SIGKILL at each of its steps, from start-up to its last
    write. After each kill the index still answers; a final run finishes the job exactly."""
    settings = indexed_copy(tmp_path, embeddings)
    corpus = settings.corpus_dir
    first = sorted(corpus.iterdir())
    first[0].write_text(first[0].read_text(encoding="utf-8") + "\nA late correction.\n")
    first[1].unlink()
    for n, source in enumerate(first[2:] * 4):
        text = source.read_text(encoding="utf-8").replace(".", f" (copy {n}).")
        (corpus / f"copy-{n:02d}.txt").write_text(text, encoding="utf-8")

    hand_over(settings)  # the ingests below are other processes
    for step in KILL_STEPS:
        reported = kill_at(
            step, footnote_command("ingest"), environment(settings), tmp_path / "steps"
        )
        assert reported[-1] == step
        footnote = Footnote.open(settings, embeddings)
        answer = footnote.ask(QUESTION)
        assert not answer.abstained and answer.citations, step
        hand_over(settings)  # the next ingest process opens the folder

    finished = subprocess.run(
        footnote_command("ingest"), env=environment(settings), capture_output=True, timeout=600
    )
    assert finished.returncode == 0, finished.stderr
    release_folder(settings.chroma_dir)
    reference = Settings(corpus_dir=corpus, chroma_dir=tmp_path / "fresh", _env_file=None)
    run_ingest(reference, embeddings)
    assert store_contents(settings) == store_contents(reference)
