"""Streaming over a real socket, follow-ups, and LLM backends that fail."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from langchain_core.embeddings import Embeddings

from footnote.settings import Settings
from tests.support import LiveServer, free_port, read_events


def test_extractive_answer_streams_sentence_by_sentence(client: httpx.Client) -> None:
    body = {
        "question": "How many North Korean soldiers have been killed or wounded?",
        "stream": True,
    }
    with client.stream("POST", "/chat", json=body) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        events = list(read_events(response))
    names = [name for name, _ in events]
    assert names[-2:] == ["citations", "done"] and names.count("delta") >= 2
    answer = events[-2][1]
    assert "".join(data["text"] for name, data in events if name == "delta") == answer["answer"]
    assert answer["citations"] and answer["mode"] == "extractive" and answer["grounded"]


def test_streamed_bad_request_is_a_plain_422(client: httpx.Client) -> None:
    response = client.post("/chat", json={"question": " ", "stream": True})
    assert response.status_code == 422


def test_followup_is_rewritten_from_earlier_turns(client: httpx.Client) -> None:
    messages = [
        {"role": "user", "content": "How many North Korean soldiers did South Korea say died?"},
        {"role": "assistant", "content": "Around 300 were killed, South Korea said. [1]"},
        {"role": "user", "content": "And how many were wounded?"},
    ]
    body = client.post("/chat", json={"messages": messages}).json()
    assert body["query"].startswith("And how many were wounded?")
    assert "South Korea" in body["query"]
    assert not body["abstained"] and body["citations"]


def test_a_standalone_question_is_not_rewritten(client: httpx.Client) -> None:
    messages = [
        {"role": "user", "content": "Where were the soldiers captured?"},
        {"role": "assistant", "content": "In Kursk. [1]"},
        {"role": "user", "content": "Which Russian republic is named on the military ID card?"},
    ]
    body = client.post("/chat", json={"messages": messages}).json()
    assert body["query"] == messages[-1]["content"]


def test_a_mode_without_a_backend_is_the_clients_422_naming_the_modes_there_are(
    client: httpx.Client,
) -> None:
    modes = client.get("/health").json()["modes"]
    assert "openai" not in modes and modes[0] == "extractive"
    for stream in (False, True):
        response = client.post(
            "/chat", json={"question": "Who was captured?", "mode": "openai", "stream": stream}
        )
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        detail = response.json()["detail"]
        assert "no openai backend" in detail and "extractive" in detail
        assert "FOOTNOTE_OPENAI_BASE_URL" in detail


@pytest.fixture(scope="module")
def unreachable_llm(
    indexed_settings: Settings, embeddings: Embeddings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[httpx.Client]:
    """A server whose OpenAI-compatible backend is a closed port on loopback."""
    settings = indexed_settings.model_copy(
        update={"openai_base_url": f"http://127.0.0.1:{free_port()}/v1", "llm_timeout": 5.0}
    )
    with (
        LiveServer(settings, embeddings) as server,
        httpx.Client(base_url=server.url, timeout=60) as http,
    ):
        yield http


def test_unreachable_backend_is_a_clear_502_and_the_service_keeps_answering(
    unreachable_llm: httpx.Client,
) -> None:
    question = "What ID card was one of the prisoners carrying?"
    response = unreachable_llm.post("/chat", json={"question": question, "mode": "openai"})
    assert response.status_code == 502
    assert response.headers["content-type"] == "application/problem+json"
    assert "extractive" in response.json()["detail"]
    streamed = unreachable_llm.post(
        "/chat", json={"question": question, "mode": "openai", "stream": True}
    )
    assert streamed.status_code == 502
    still = unreachable_llm.post("/chat", json={"question": question})
    assert still.status_code == 200 and still.json()["citations"]


def test_fallback_serves_the_extractive_answer_and_says_so(
    indexed_settings: Settings, embeddings: Embeddings, tmp_path: Path
) -> None:
    settings = indexed_settings.model_copy(
        update={
            "openai_base_url": f"http://127.0.0.1:{free_port()}/v1",
            "fallback_to_extractive": True,
        }
    )
    with (
        LiveServer(settings, embeddings) as server,
        httpx.Client(base_url=server.url, timeout=60) as http,
    ):
        body = http.post(
            "/chat",
            json={"question": "What ID card was one of the prisoners carrying?", "mode": "openai"},
        ).json()
    assert body["mode"] == "extractive" and body["fallback"].startswith("openai:")
    assert not body["abstained"] and body["citations"]
