"""An LLM backend that misbehaves over a real socket: one that never answers, one that hangs up
halfway through its answer. Footnote answers 504 or 502 (an ``error`` event once streaming),
never a hung connection, and keeps serving."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from langchain_core.embeddings import Embeddings

from footnote.settings import Settings
from tests.support import LiveServer, read_events

QUESTION = "What ID card was one of the prisoners carrying?"
TIMEOUT_S = 2.0


def _stall(connection: socket.socket) -> None:
    connection.recv(65536)
    time.sleep(TIMEOUT_S * 5)  # reads the request, never answers


def _hang_up_midway(connection: socket.socket) -> None:
    connection.recv(65536)
    chunk = {
        "id": "x",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "m",
        "choices": [{"index": 0, "delta": {"role": "assistant", "content": "One prisoner"}}],
    }
    connection.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    event = f"data: {json.dumps(chunk)}\n\n".encode()
    connection.sendall(f"{len(event):x}\r\n".encode() + event + b"\r\n")
    time.sleep(0.2)  # ...and the backend goes away without finishing


@pytest.fixture
def backend() -> Iterator[Callable[[Callable[[socket.socket], None]], str]]:
    """Starts a loopback server that treats each connection with the given behaviour."""
    listeners: list[socket.socket] = []

    def start(behaviour: Callable[[socket.socket], None]) -> str:
        listener = socket.create_server(("127.0.0.1", 0))
        listeners.append(listener)

        def serve() -> None:
            while True:
                try:
                    connection, _ = listener.accept()
                except OSError:
                    return
                with connection:
                    behaviour(connection)

        threading.Thread(target=serve, daemon=True).start()
        return f"http://127.0.0.1:{listener.getsockname()[1]}/v1"

    yield start
    for listener in listeners:
        listener.close()


def serve_with(url: str, settings: Settings, embeddings: Embeddings) -> LiveServer:
    update = {"openai_base_url": url, "llm_timeout": TIMEOUT_S, "openai_api_key": None}
    return LiveServer(settings.model_copy(update=update), embeddings)


def test_a_backend_that_never_answers_is_a_504_in_time(
    backend: Callable, indexed_settings: Settings, embeddings: Embeddings
) -> None:
    with (
        serve_with(backend(_stall), indexed_settings, embeddings) as live,
        httpx.Client(base_url=live.url, timeout=60) as http,
    ):
        started = time.monotonic()
        response = http.post("/chat", json={"question": QUESTION, "mode": "openai"})
        assert response.status_code == 504, response.text
        assert time.monotonic() - started < TIMEOUT_S * 4
        assert "in time" in response.json()["detail"]
        assert http.post("/chat", json={"question": QUESTION}).status_code == 200


def test_a_backend_hanging_up_midway_ends_the_stream_with_an_error(
    backend: Callable, indexed_settings: Settings, embeddings: Embeddings
) -> None:
    with (
        serve_with(backend(_hang_up_midway), indexed_settings, embeddings) as live,
        httpx.Client(base_url=live.url, timeout=60) as http,
    ):
        whole = http.post("/chat", json={"question": QUESTION, "mode": "openai"})
        assert whole.status_code == 502, whole.text
        streamed = http.post("/chat", json={"question": QUESTION, "mode": "openai", "stream": True})
        assert streamed.status_code == 200  # the answer had begun: the failure is an event
        events = list(read_events(streamed))
        assert events[0][0] == "delta" and events[-1][0] == "error"
        assert events[-1][1]["status"] == 502
