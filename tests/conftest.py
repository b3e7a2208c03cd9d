"""Shared fixtures: the real model loaded once, one ingested index, one real uvicorn server,
and one OpenAI-compatible server in front of the demonstration GGUF.

The helpers they are built from are in ``tests/support.py``."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from langchain_core.embeddings import Embeddings

from footnote.answering.llamacpp import demo_model_path
from footnote.embeddings import load_embeddings
from footnote.settings import Settings
from tests.support import LiveServer, free_port, indexed_copy


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


@pytest.fixture(scope="session")
def openai_compatible_server() -> Iterator[str]:
    """llama-cpp-python's OpenAI-compatible server, serving SmolLM2 on loopback."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(demo_model_path()),
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096",
         "--model_alias", "smollm2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("llama_cpp.server did not start")
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
