"""The /chat route over a real socket: its contract, whatever the answer."""

from __future__ import annotations

import re

import httpx
import pytest


def ask(client: httpx.Client, question: str) -> dict:
    response = client.post("/chat", json={"messages": [{"role": "user", "content": question}]})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(
    "question",
    ["Where were the soldiers captured?", "How many North Korean troops were sent to Russia?"],
)
def test_every_marker_maps_to_a_citation_quoting_its_file(
    client: httpx.Client, question: str
) -> None:
    body = ask(client, question)
    markers = {int(m) for m in re.findall(r"\[(\d+)\]", body["answer"])}
    assert markers == {c["id"] for c in body["citations"]}
    quotes = {c["id"]: c["quote"] for c in body["citations"]}
    for citation in body["citations"]:
        text = client.get(f"/sources/{citation['source']}").json()["text"]
        assert text[citation["start"] : citation["end"]] == citation["quote"]
    stated = [(v["value"], v["citations"]) for c in body["conflicts"] for v in c["values"]]
    for value, ids in stated:  # a disputed value is quoted from the first source stating it
        assert value in body["answer"] and value in quotes[ids[0]]
    if not stated:
        assert all(quote in body["answer"] for quote in quotes.values())


@pytest.mark.parametrize(
    "question", ["What is the capital of France?", "Who is the chief executive of Apple?"]
)
def test_off_topic_question_abstains_without_citations(client: httpx.Client, question: str) -> None:
    body = ask(client, question)
    assert body["abstained"] is True
    assert body["citations"] == []
    assert 0 <= body["confidence"] < 0.5  # the answer model's, in the response
    assert "corpus does not answer" in body["answer"]
    assert re.search(r"\[\d+\]", body["answer"]) is None


def test_a_refusal_shows_the_closest_sentences_located_in_their_files(
    client: httpx.Client,
) -> None:
    """Not cited as an answer, but where the reader can check the refusal: the sentences the
    answer model ranked first, the first in the file the refusal names."""
    body = ask(client, "What is the capital of France?")
    assert body["abstained"] is True and body["citations"] == []
    closest = body["closest"]
    assert 1 <= len(closest) <= 2
    assert [c["id"] for c in closest] == list(range(1, len(closest) + 1))
    assert f"({closest[0]['source']})" in body["answer"]
    for citation in closest:
        text = client.get(f"/sources/{citation['source']}").json()["text"]
        assert text[citation["start"] : citation["end"]] == citation["quote"]
    answered = ask(client, "Where were the soldiers captured?")
    assert not answered["abstained"] and answered["closest"] == []


@pytest.mark.parametrize("top_k", [3, 3.0], ids=["int", "integral-float"])
def test_bare_question_field_is_accepted(client: httpx.Client, top_k: float) -> None:
    question = "What ID card was one of the prisoners carrying?"
    response = client.post("/chat", json={"question": question, "top_k": top_k})
    assert response.status_code == 200
    assert response.json()["query"] == question


def test_a_chat_ending_with_the_assistant_answers_the_latest_user_question(
    client: httpx.Client,
) -> None:
    question = "What ID card was one of the prisoners carrying?"
    messages = [
        {"role": "user", "content": question},
        {"role": "assistant", "content": "One moment."},
    ]
    body = client.post("/chat", json={"messages": messages}).json()
    assert body["query"] == question and body["citations"]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"question": "   "}, "empty"),
        ({"messages": []}, "at least 1"),
        ({}, "send either `messages`"),
        ({"question": "ok", "messages": [{"role": "user", "content": "hi"}]}, "send either"),
        ({"messages": [{"role": "assistant", "content": "hi"}]}, "needs a message with role"),
        ({"question": "ok", "top_k": 0}, "top_k"),
        ({"question": "ok", "top_k": "many"}, "top_k"),
        ({"question": "ok", "top_k": 2.5}, "top_k"),
        ({"question": "ok", "top_k": True}, "top_k"),
        ({"messages": [{"role": "wizard", "content": "hi"}]}, "role"),
    ],
)
def test_bad_chat_bodies_get_422_saying_what_is_wrong(
    client: httpx.Client, body: dict, says: str
) -> None:
    response = client.post("/chat", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert says in response.json()["detail"]


def test_malformed_json_gets_422(client: httpx.Client) -> None:
    response = client.post(
        "/chat", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert "not valid JSON" in response.json()["detail"]
