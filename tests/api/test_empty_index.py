from __future__ import annotations

from pathlib import Path

import httpx
from langchain_core.embeddings import Embeddings

from footnote.settings import Settings
from tests.conftest import LiveServer


def test_no_index_answers_503_saying_to_ingest(tmp_path: Path, embeddings: Embeddings) -> None:
    settings = Settings(corpus_dir=tmp_path, chroma_dir=tmp_path / "chroma", _env_file=None)
    with LiveServer(settings, embeddings) as server, httpx.Client(base_url=server.url) as client:
        assert client.get("/health").json()["status"] == "empty"
        response = client.post("/chat", json={"question": "Anything?"})
        assert response.status_code == 503
        assert "footnote ingest" in response.json()["detail"]
        assert client.get("/search", params={"q": "x"}).status_code == 503
        assert client.get("/sources").json() == []
