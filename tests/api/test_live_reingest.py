from __future__ import annotations

import shutil
import time
from pathlib import Path

import httpx
from langchain_core.embeddings import Embeddings

from footnote.settings import Settings
from tests.conftest import BUNDLED_CORPUS, LiveServer, run_ingest


def test_running_server_answers_from_a_new_ingest_without_restart(
    tmp_path: Path, embeddings: Embeddings
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(BUNDLED_CORPUS, corpus)
    settings = Settings(corpus_dir=corpus, chroma_dir=tmp_path / "chroma", _env_file=None)
    run_ingest(settings, embeddings)
    with LiveServer(settings, embeddings) as server, httpx.Client(base_url=server.url) as client:
        assert len(client.get("/sources").json()) == 5
        (corpus / "zoo.md").write_text(
            "# Zoo news\nThe Kyiv zoo welcomed a baby giraffe named Olha.\n"
        )
        (corpus / "004_17a11fe2648a01fc.txt").unlink()
        run_ingest(settings, embeddings)
        time.sleep(1.1)  # the server checks the index version at most once a second

        names = [s["source"] for s in client.get("/sources").json()]
        assert "zoo.md" in names and "004_17a11fe2648a01fc.txt" not in names
        body = client.post("/chat", json={"question": "What was the baby giraffe called?"}).json()
        assert body["citations"][0]["source"] == "zoo.md" and "Olha" in body["answer"]
