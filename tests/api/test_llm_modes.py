"""LLM modes with real models: SmolLM2 through llama-cpp-python, and the same file behind
llama-cpp-python's own OpenAI-compatible server for ``openai`` mode.

These test the wiring (prompting, streaming, marker parsing, the citation check), not answer
quality: a 135M-parameter model is too small to answer well, and nothing here pretends so.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from langchain_core.embeddings import Embeddings

from footnote.answering.citations import check, split_claims
from footnote.answering.llamacpp import demo_model_path
from footnote.rewrite import Turn
from footnote.service import Footnote
from footnote.settings import Settings
from tests.support import LiveServer, free_port, read_events

QUESTION = "What ID card was one of the prisoners carrying?"


def assert_well_formed(body: dict, mode: str) -> None:
    assert body["mode"] == mode and not body["abstained"]
    ids = {c["id"] for c in body["citations"]}
    assert {int(n) for n in re.findall(r"\[(\d+)\]", body["answer"])} <= ids
    assert body["sentences"], "every answer is checked sentence by sentence"
    supported = sum(s["supported"] for s in body["sentences"]) / len(body["sentences"])
    assert body["grounded"] == (supported > 0.5)
    if not body["grounded"]:
        assert "not supported by the sources" in body["answer"]


def test_markers_pointing_at_no_source_are_dropped() -> None:
    cleaned, claims = split_claims("Tuva is named [1][7]. Nothing backs this [9].", sources=5)
    assert cleaned == "Tuva is named [1]. Nothing backs this."
    assert [(c.text, c.sources) for c in claims] == [
        ("Tuva is named.", [1]),
        ("Nothing backs this.", []),
    ]


def test_citation_check_tells_supported_from_invented(
    indexed_settings: Settings, embeddings: Embeddings
) -> None:
    footnote = Footnote.open(indexed_settings, embeddings)
    evidence = footnote.evidence([Turn("user", QUESTION)], 5, "extractive")
    holder = next(n for n, hit in enumerate(evidence.passages, 1) if "Tuva" in hit.passage.text)
    text = (
        "One prisoner carried a Russian military ID issued to a person registered in Tuva "
        f"[{holder}]. "
        f"The card was printed on pink paper in Paris [{holder}]."
    )
    answer = check(text, evidence, embeddings, "test")
    assert [s.supported for s in answer.sentences] == [True, False]
    assert answer.grounded is False
    (citation,) = answer.citations
    assert "Tuva" in citation.quote and citation.id == holder
    document = footnote.source_text(citation.source)
    assert document[citation.start : citation.end] == citation.quote


def test_llamacpp_mode_end_to_end(client: httpx.Client) -> None:
    body = client.post("/chat", json={"question": QUESTION, "mode": "llamacpp"}).json()
    assert_well_formed(body, "llamacpp")


def test_llamacpp_mode_streams(client: httpx.Client) -> None:
    request = {"question": QUESTION, "mode": "llamacpp", "stream": True}
    with client.stream("POST", "/chat", json=request) as response:
        events = list(read_events(response))
    names = [name for name, _ in events]
    assert names.count("delta") >= 2, "tokens arrive as they are generated"
    assert names[-2:] == ["citations", "done"]
    assert_well_formed(events[-2][1], "llamacpp")


def test_llm_mode_abstains_without_calling_the_model(client: httpx.Client) -> None:
    body = client.post(
        "/chat", json={"question": "What is the capital of France?", "mode": "llamacpp"}
    ).json()
    assert body["abstained"] and body["citations"] == [] and body["mode"] == "llamacpp"


@pytest.fixture(scope="module")
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


def test_openai_mode_against_a_real_compatible_server(
    openai_compatible_server: str, indexed_settings: Settings, embeddings: Embeddings
) -> None:
    settings = indexed_settings.model_copy(
        update={"openai_base_url": openai_compatible_server, "openai_model": "smollm2"}
    )
    with (
        LiveServer(settings, embeddings) as server,
        httpx.Client(base_url=server.url, timeout=120) as http,
    ):
        body = http.post("/chat", json={"question": QUESTION, "mode": "openai"}).json()
        assert_well_formed(body, "openai")
        request = {"question": QUESTION, "mode": "openai", "stream": True}
        with http.stream("POST", "/chat", json=request) as response:
            names = [name for name, _ in read_events(response)]
        assert names.count("delta") >= 2 and names[-2:] == ["citations", "done"]
