"""What only LLM modes do: their markers are parsed and each generated sentence is checked
against what it cites. Every mode's answers, refusals and streams are held to one contract in
``test_answer_modes.py``."""

from __future__ import annotations

import pytest
from langchain_core.embeddings import Embeddings
from langchain_openai import ChatOpenAI

from footnote.answering.citations import Support, check, split_claims
from footnote.answering.modes import chat_model
from footnote.rewrite import Turn
from footnote.service import Footnote
from footnote.settings import Settings

QUESTION = "What ID card was one of the prisoners carrying?"


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
    answer = check(text, evidence, embeddings, "test", Support.of(indexed_settings))
    assert [s.supported for s in answer.sentences] == [True, False]
    assert answer.grounded is False
    (citation,) = answer.citations
    assert "Tuva" in citation.quote and citation.id == holder
    document = footnote.source_text(citation.source)
    assert document[citation.start : citation.end] == citation.quote


def test_an_openai_compatible_server_is_held_to_the_answer_length(
    openai_compatible_server: str,
) -> None:
    """llama-cpp-python's server ignores ``max_completion_tokens``, the only name ChatOpenAI
    sends: unbounded, SmolLM2 once wrote 2,268 tokens for one answer."""
    settings = Settings(
        openai_base_url=openai_compatible_server, openai_model="smollm2", llm_max_tokens=16,
        llm_temperature=0.0, _env_file=None,
    )  # fmt: skip
    reply = chat_model("openai", settings).invoke("Count from 1 to 500, one number per line.")
    usage = reply.response_metadata["token_usage"]
    assert usage["completion_tokens"] == 16 and reply.response_metadata["finish_reason"] == "length"


@pytest.mark.parametrize(
    ("base_url", "limit"),
    [
        (None, {"max_completion_tokens": 64}),
        ("https://api.openai.com/v1", {"max_completion_tokens": 64}),
        ("http://127.0.0.1:8080/v1", {"extra_body": {"max_tokens": 64}}),
    ],
)
def test_each_backend_is_sent_the_limit_by_the_name_it_reads(
    base_url: str | None, limit: dict[str, object]
) -> None:
    """OpenAI refuses ``max_tokens`` beside ``max_completion_tokens``; servers of one's own
    read ``max_tokens``, and some refuse the newer name."""
    settings = Settings(
        openai_base_url=base_url, openai_api_key="sk-test", llm_max_tokens=64, _env_file=None
    )
    model = chat_model("openai", settings)
    assert isinstance(model, ChatOpenAI)
    payload = model._get_request_payload("Hello")  # what is sent
    sent = {
        k: payload[k] for k in ("max_tokens", "max_completion_tokens", "extra_body") if k in payload
    }
    assert sent == limit
