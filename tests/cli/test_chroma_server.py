"""Footnote on a real Chroma server (``chroma run`` on loopback): ingest into it, serve it with
several uvicorn workers, and restart it with more than a thousand passages in it."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

from eval.server_process import ChromaServer, free_port
from footnote.settings import Settings
from footnote.store import Passage, PassageStore
from tests.support import (
    environment,
    footnote_command,
    indexed_copy,
    start_server,
    wait_until_healthy,
)

WORKERS = 2


@pytest.fixture
def chroma(tmp_path: Path) -> Iterator[ChromaServer]:
    server = ChromaServer(tmp_path / "chroma-server").start()
    yield server
    server.stop()


def test_several_workers_answer_from_one_chroma_server(
    tmp_path: Path, chroma: ChromaServer, embeddings: Embeddings
) -> None:
    settings = indexed_copy(tmp_path, embeddings, chroma_url=chroma.url)  # into the server
    url, api = start_server(settings, "--workers", str(WORKERS), FOOTNOTE_CHROMA_URL=chroma.url)
    try:
        wait_until_healthy(url, api)
        time.sleep(5)  # every worker loads its model; /health answered for the first one
        # A new connection per request, so the kernel spreads them over the workers.
        with httpx.Client(base_url=url, timeout=120, headers={"Connection": "close"}) as http:
            for _ in range(12):
                body = http.post("/chat", json={"question": "Who captured the soldiers?"}).json()
                assert body["citations"] and not body["abstained"]
            note = ("files", ("zoo.md", b"# Zoo\nThe Kyiv zoo named its baby giraffe Olha.\n"))
            assert http.post("/documents", files=[note]).status_code == 201
            time.sleep(1.5)  # each worker sees the new index version within a second
            for _ in range(8):  # whichever worker answers knows the new document
                body = http.post("/chat", json={"question": "What is the giraffe called?"}).json()
                assert body["citations"][0]["source"] == "zoo.md", body
            # four articles hold more passages than a search's candidates: the server's
            # filter on the source metadata ranks them, and the giraffe is none of them
            four = sorted(p.name for p in settings.corpus_dir.glob("*.txt"))[1:]
            question = "What is the giraffe called?"
            hits = http.get("/search", params=[("q", question), *(("source", f) for f in four)])
            assert {hit["source"] for hit in hits.json()["hits"]} <= set(four)
            assert http.post("/chat", json={"question": question, "sources": four}).json()[
                "abstained"
            ]
    finally:
        api.terminate()
        api.wait(timeout=60)
    assert api.stderr is not None
    records = [json.loads(line) for line in api.stderr if line.startswith("{")]
    served_by = {r["pid"] for r in records if r.get("path") == "/chat"}
    assert len(served_by) == WORKERS, "every worker answered some of the questions"


def test_workers_that_cannot_load_the_model_are_refused_in_one_line(
    tmp_path: Path, chroma: ChromaServer
) -> None:
    """The model is tried before uvicorn starts its workers: each would otherwise stop with a
    traceback of its own. An index embedded by a model folder that has since gone is the case
    the index check cannot see; an empty one stands for it here."""
    settings = indexed_copy(tmp_path, chroma_url=chroma.url)
    gone = tmp_path / "moved-model"
    served = subprocess.run(
        footnote_command("serve", "--workers", "2", "--no-ingest", "--port", str(free_port())),
        env=environment(
            settings, FOOTNOTE_CHROMA_URL=chroma.url, FOOTNOTE_EMBEDDING_MODEL=str(gone)
        ),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert served.returncode == 1 and "Traceback" not in served.stderr, served.stderr
    last = served.stderr.splitlines()[-1]
    assert last.startswith(f"footnote: Cannot load the embedding model '{gone}'"), last
    assert "FOOTNOTE_EMBEDDING_MODEL" in last


def test_restarted_chroma_server_still_finds_its_passages(
    chroma: ChromaServer, tmp_path: Path
) -> None:
    """More than a thousand passages: past Chroma's in-memory batch, so the restarted server
    must load its vector index from disk (a known failure: it came back empty)."""
    settings = Settings(chroma_dir=tmp_path / "cache", chroma_url=chroma.url, _env_file=None)
    count, dimensions = 1_500, 384
    vectors = np.random.default_rng(7).normal(size=(count, dimensions)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    passages = [
        Passage(f"p{n:05d}", f"doc-{n // 10}.txt", "t", n % 10, 0, 5, f"text {n}", "fp", 10)
        for n in range(count)
    ]
    store = PassageStore.open(settings)
    for start in range(0, count, 500):
        store.upsert(
            passages[start : start + 500], vectors[start : start + 500].tolist(), [[]] * 500
        )

    chroma.stop()
    chroma.start()
    store = PassageStore.open(settings)
    assert store.count() == count
    for n in (0, 777, count - 1):
        best, _ = store.dense_search(vectors[n], 1)[0]
        assert best.id == f"p{n:05d}"
