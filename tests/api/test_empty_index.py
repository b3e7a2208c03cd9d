from __future__ import annotations

from pathlib import Path

import httpx
from langchain_core.embeddings import Embeddings

from footnote.settings import Settings
from tests.support import LiveServer


def test_an_empty_index_is_explained_in_the_answer(tmp_path: Path, embeddings: Embeddings) -> None:
    """An empty library is a state, not a failure: a chat UI shows why there is no answer."""
    settings = Settings(corpus_dir=tmp_path, chroma_dir=tmp_path / "chroma", _env_file=None)
    with LiveServer(settings, embeddings) as server, httpx.Client(base_url=server.url) as client:
        assert client.get("/health").json()["status"] == "empty"
        response = client.post("/chat", json={"question": "Anything?"})
        assert response.status_code == 200
        body = response.json()
        assert body["abstained"] and body["citations"] == []
        assert "footnote ingest" in body["answer"] and "POST /documents" in body["answer"]
        search = client.get("/search", params={"q": "x"})
        assert search.status_code == 200 and search.json()["hits"] == []
        assert client.get("/sources").json() == []
