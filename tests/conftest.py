"""Shared fixtures: the real model loaded once, one ingested index, one real uvicorn server.

The helpers they are built from are in ``tests/support.py``."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from langchain_core.embeddings import Embeddings

from footnote.embeddings import load_embeddings
from footnote.settings import Settings
from tests.support import LiveServer, indexed_copy


@pytest.fixture(scope="session")
def embeddings() -> Embeddings:
    return load_embeddings()


@pytest.fixture(scope="session")
def indexed_settings(tmp_path_factory: pytest.TempPathFactory, embeddings: Embeddings) -> Settings:
    """The bundled corpus, ingested once into a temporary Chroma that tests only read."""
    return indexed_copy(tmp_path_factory.mktemp("shared"), embeddings)


@pytest.fixture(scope="session")
def client(indexed_settings: Settings, embeddings: Embeddings) -> Iterator[httpx.Client]:
    """An HTTP client talking over a socket to a real server on the shared index."""
    with (
        LiveServer(indexed_settings, embeddings) as server,
        httpx.Client(base_url=server.url, timeout=60) as http,
    ):
        yield http
