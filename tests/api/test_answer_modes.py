"""The contract every answer mode keeps, over HTTP: extractive, llama.cpp (SmolLM2 in
process) and ``openai`` (llama-cpp-python's own OpenAI-compatible server in front of the same
file). One suite, three modes: answers whose every marker names a citation and every citation
quotes its file exactly, refusals that cite nothing and say why, and streams whose events come
in order.

This tests the wiring, not answer quality: a 135M-parameter model is too small to answer well,
and nothing here pretends so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from langchain_core.embeddings import Embeddings

from footnote.settings import Mode, Settings
from tests.support import LiveServer, read_events

QUESTION = "What ID card was one of the prisoners carrying?"
OFF_TOPIC = "What is the capital of France?"
MODES: list[Mode] = ["extractive", "llamacpp", "openai"]


@pytest.fixture(scope="module")
def openai_client(
    openai_compatible_server: str, indexed_settings: Settings, embeddings: Embeddings
) -> Iterator[httpx.Client]:
    settings = indexed_settings.model_copy(
        update={"openai_base_url": openai_compatible_server, "openai_model": "smollm2"}
    )
    with (
        LiveServer(settings, embeddings) as server,
        httpx.Client(base_url=server.url, timeout=120) as http,
    ):
        yield http


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> Mode:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def http(mode: Mode, request: pytest.FixtureRequest) -> httpx.Client:
    """A server that has the mode: the shared one, or one configured for ``openai``."""
    name = "openai_client" if mode == "openai" else "client"
    return request.getfixturevalue(name)  # type: ignore[no-any-return]


def assert_answer_keeps_the_contract(body: dict, mode: Mode, http: httpx.Client) -> None:
    assert body["mode"] == mode and not body["abstained"]
    ids = [c["id"] for c in body["citations"]]
    if mode == "extractive":  # quotes: numbered in order of use (a model may cite [3] alone)
        assert ids == list(range(1, len(ids) + 1)) and ids
    assert {int(n) for n in re.findall(r"\[(\d+)\]", body["answer"])} <= set(ids)
    for citation in body["citations"]:
        text = http.get(f"/sources/{citation['source']}").json()["text"]
        assert text[citation["start"] : citation["end"]] == citation["quote"]
    assert body["sentences"], "every answer is checked sentence by sentence"
    supported = sum(s["supported"] for s in body["sentences"]) / len(body["sentences"])
    assert body["grounded"] == (supported > 0.5)
    if not body["grounded"]:
        assert "not supported by the sources" in body["answer"]


def test_an_answer_cites_exact_quotes_and_is_checked(http: httpx.Client, mode: Mode) -> None:
    body = http.post("/chat", json={"question": QUESTION, "mode": mode}).json()
    assert_answer_keeps_the_contract(body, mode, http)


def test_a_refusal_cites_nothing_and_says_why(http: httpx.Client, mode: Mode) -> None:
    body = http.post("/chat", json={"question": OFF_TOPIC, "mode": mode}).json()
    assert body["abstained"] and body["citations"] == [] and body["mode"] == mode
    assert body["answer"].startswith("The corpus does not answer this question: ")
    assert 0 <= body["confidence"] < 0.5  # the shared ranking refused: no model was asked
    one = "002_45a7327db3fb7a4e.txt"  # limited to one document, the refusal is for it alone
    limited = http.post("/chat", json={"question": OFF_TOPIC, "mode": mode, "sources": [one]})
    assert limited.json()["answer"].startswith(f"The chosen documents ({one}) do not answer")


def test_a_stream_is_deltas_then_citations_then_done(http: httpx.Client, mode: Mode) -> None:
    request = {"question": QUESTION, "mode": mode, "stream": True}
    with http.stream("POST", "/chat", json=request) as response:
        events = list(read_events(response))
    names = [name for name, _ in events]
    assert names[-2:] == ["citations", "done"] and names.count("citations") == 1
    assert set(names[:-2]) == {"delta"}, "text first, then the citations, then done"
    if mode != "extractive":  # quotes stream a sentence at a time; a model, token by token
        assert names.count("delta") >= 2
    assert_answer_keeps_the_contract(events[-2][1], mode, http)
