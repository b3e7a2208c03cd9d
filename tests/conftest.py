"""Shared fixtures: the real model loaded once, one ingested index, one real uvicorn server."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from langchain_core.embeddings import Embeddings

from api.main import create_app
from eval.server_process import free_port
from footnote.settings import PROJECT_ROOT, Settings
from ingest.embeddings import load_embeddings
from ingest.pipeline import IngestReport, ingest_folder

BUNDLED_CORPUS = PROJECT_ROOT / "data" / "corpus"


@pytest.fixture(scope="session")
def embeddings() -> Embeddings:
    return load_embeddings()


def run_ingest(
    settings: Settings, embeddings: Embeddings, root: Path | None = None
) -> IngestReport:
    return ingest_folder(settings, embeddings, root, progress=False)[0]


def indexed_copy(root: Path, embeddings: Embeddings | None = None, **settings: Any) -> Settings:
    """A copy of the bundled corpus in ``root/corpus``, indexed into ``root/chroma`` (unless
    ``embeddings`` is None), for a test that changes its corpus or its index."""
    corpus = root / "corpus"
    shutil.copytree(BUNDLED_CORPUS, corpus)
    indexed = Settings(corpus_dir=corpus, chroma_dir=root / "chroma", _env_file=None, **settings)
    if embeddings is not None:
        run_ingest(indexed, embeddings)
    return indexed


@pytest.fixture(scope="session")
def indexed_settings(tmp_path_factory: pytest.TempPathFactory, embeddings: Embeddings) -> Settings:
    """The bundled corpus, ingested once into a temporary Chroma that tests only read."""
    return indexed_copy(tmp_path_factory.mktemp("shared"), embeddings)


class LiveServer:
    """A real uvicorn server on a loopback port, in a thread of the test process."""

    def __init__(self, settings: Settings, embeddings: Embeddings):
        self.port = free_port()
        config = uvicorn.Config(
            create_app(settings, embeddings), host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def client(indexed_settings: Settings, embeddings: Embeddings) -> Iterator[httpx.Client]:
    """An HTTP client talking over a socket to a real server on the shared index."""
    with (
        LiveServer(indexed_settings, embeddings) as server,
        httpx.Client(base_url=server.url, timeout=60) as http,
    ):
        yield http
