"""The OpenAI-compatible API, driven by the official ``openai`` client over a real socket."""

from __future__ import annotations

import re

import httpx
import openai
import pytest

from api.routes.openai_compat import sources_block
from footnote.answering.base import Answer, Citation

QUESTION = "What ID card was one of the prisoners carrying?"


@pytest.fixture(scope="module")
def oai(client: httpx.Client) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{client.base_url}/v1", api_key="unused", max_retries=0)


def test_models_list_the_modes_this_server_has(oai: openai.OpenAI) -> None:
    ids = [m.id for m in oai.models.list()]
    assert ids == ["footnote", "footnote-extractive", "footnote-llamacpp"]  # no OpenAI backend
    with pytest.raises(openai.NotFoundError, match="footnote-llamacpp"):
        oai.chat.completions.create(
            model="footnote-openai", messages=[{"role": "user", "content": "Who was captured?"}]
        )


def test_the_schema_offers_only_the_modes_this_server_has(client: httpx.Client) -> None:
    schema = client.get("/openapi.json").json()["components"]["schemas"]["ChatRequest"]
    (enum,) = [v["enum"] for v in schema["properties"]["mode"]["anyOf"] if "enum" in v]
    assert enum == ["extractive", "llamacpp"]


def test_completion_carries_markers_a_sources_list_and_structured_citations(
    oai: openai.OpenAI,
) -> None:
    completion = oai.chat.completions.create(
        model="footnote", messages=[{"role": "user", "content": QUESTION}]
    )
    content = completion.choices[0].message.content or ""
    extra = completion.model_extra["footnote"]  # type: ignore[index]
    first = extra["citations"][0]
    assert content.startswith(extra["answer"])  # the answer, then the list a plain UI shows
    assert f"\n\nSources:\n[1] {first['source']}" in content
    assert {int(n) for n in re.findall(r"\[(\d+)\]", extra["answer"])} == {
        c["id"] for c in extra["citations"]
    }


def test_a_refusal_lists_the_closest_passages_under_a_heading_saying_they_do_not_answer(
    oai: openai.OpenAI,
) -> None:
    completion = oai.chat.completions.create(
        model="footnote", messages=[{"role": "user", "content": "What is the capital of France?"}]
    )
    content = completion.choices[0].message.content or ""
    extra = completion.model_extra["footnote"]  # type: ignore[index]
    assert extra["abstained"] and extra["citations"] == [] and extra["closest"]
    assert "Sources:" not in content
    assert f"\n\nClosest passages (not an answer):\n[1] {extra['closest'][0]['source']}" in content


def test_streamed_completion_reassembles_to_the_same_answer(oai: openai.OpenAI) -> None:
    messages = [{"role": "user", "content": QUESTION}]
    whole = oai.chat.completions.create(model="footnote-extractive", messages=messages)
    stream = oai.chat.completions.create(
        model="footnote-extractive", messages=messages, stream=True
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == whole.choices[0].message.content
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].model_extra["footnote"]["citations"]  # type: ignore[index]


def test_conversation_history_and_content_parts_are_understood(oai: openai.OpenAI) -> None:
    completion = oai.chat.completions.create(
        model="footnote",
        messages=[
            {"role": "system", "content": "You are helpful."},
            {"role": "user", "content": "How many North Korean soldiers did South Korea say died?"},
            {"role": "assistant", "content": "Around 300 were killed, South Korea said. [1]"},
            {"role": "user", "content": [{"type": "text", "text": "And how many were wounded?"}]},
        ],
    )
    extra = completion.model_extra["footnote"]  # type: ignore[index]
    assert extra["query"].startswith("And how many were wounded?")  # the text part, read
    assert "South Korea" in extra["query"] and extra["citations"]  # and the history used


def test_unknown_model_and_bad_messages_are_clear_errors(oai: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError, match="footnote-extractive"):
        oai.chat.completions.create(model="gpt-9", messages=[{"role": "user", "content": "hi"}])
    with pytest.raises(openai.UnprocessableEntityError, match="needs a `user` message"):
        oai.chat.completions.create(
            model="footnote",
            messages=[
                {"role": "assistant", "content": "hi"},
                {"role": "user", "content": [{"type": "text", "text": "  "}]},
            ],
        )


def test_a_chat_ending_with_a_tool_or_assistant_turn_answers_the_latest_user_question(
    oai: openai.OpenAI,
) -> None:
    completion = oai.chat.completions.create(
        model="footnote",
        messages=[
            {"role": "user", "content": "What ID card was one of the prisoners carrying?"},
            {"role": "assistant", "content": "Let me look that up."},
            {"role": "tool", "tool_call_id": "call-1", "content": "search done"},
        ],
    )
    assert completion.choices[0].message.content
    assert completion.model_extra and completion.model_extra["footnote"]["citations"]
    assert (
        completion.model_extra["footnote"]["query"]
        == "What ID card was one of the prisoners carrying?"
    )


def test_a_quote_wrapped_over_lines_is_one_line_in_the_sources_list() -> None:
    """A chat UI renders the list as Markdown: a line break inside a quote would end its item."""
    wrapped = "The city council took over the manage-\nment of the pier."
    answer = Answer("It did. [1]", [Citation(1, "pier.pdf", "Pier", wrapped, 0, 55, 0.5)])
    assert sources_block(answer).splitlines()[-1] == (
        "[1] pier.pdf — Pier: “The city council took over the management of the pier.”"
    )
