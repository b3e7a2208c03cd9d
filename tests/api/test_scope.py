"""Questions limited to chosen documents (``sources``): over ``/chat``, ``/search`` and the
OpenAI-compatible API, on the shared server and index."""

from __future__ import annotations

import httpx
import openai
import pytest
from langchain_core.embeddings import Embeddings

from footnote.errors import SourceNotFound
from footnote.service import Footnote, scope
from footnote.settings import Settings
from tests.support import read_events

# Four outlets give a figure; limited to one, only that one may be quoted.
QUESTION = "How many North Korean troops were sent to Russia?"
ONE = "002_45a7327db3fb7a4e.txt"
OTHER = "003_5ddc3c8b4bd541c6.txt"


def test_a_question_limited_to_one_document_quotes_only_it(client: httpx.Client) -> None:
    everywhere = client.post("/chat", json={"question": QUESTION}).json()
    assert len({c["source"] for c in everywhere["citations"]}) > 1

    limited = client.post("/chat", json={"question": QUESTION, "sources": [ONE]}).json()
    assert not limited["abstained"] and limited["citations"]
    assert {c["source"] for c in limited["citations"]} == {ONE}
    assert "12,000" in limited["answer"]


def test_a_refusal_says_the_chosen_documents_do_not_answer_not_the_corpus(
    client: httpx.Client,
) -> None:
    """Another document may well answer it: the refusal must not send the user to ingest."""
    question = "What is the capital of France?"
    limited = client.post("/chat", json={"question": question, "sources": [ONE]}).json()
    assert limited["abstained"]
    assert limited["answer"].startswith(f"The chosen documents ({ONE}) do not answer")
    assert "Ask all the documents" in limited["answer"]
    everywhere = client.post("/chat", json={"question": question}).json()
    assert everywhere["answer"].startswith("The corpus does not answer")


def test_a_streamed_answer_keeps_to_its_documents(client: httpx.Client) -> None:
    body = {"question": QUESTION, "sources": [ONE, OTHER], "stream": True}
    with client.stream("POST", "/chat", json=body) as response:
        events = dict(read_events(response))
    cited = {c["source"] for c in events["citations"]["citations"]}
    assert cited and cited <= {ONE, OTHER}


def test_search_takes_repeated_source_parameters(client: httpx.Client) -> None:
    """ "Tuva" is a rare word of two files: the keyword ranker finds it nowhere else, and the
    dense one must not bring the others back."""
    params = [("q", "Russian military ID from Tuva"), ("k", "5"), ("source", ONE)]
    hits = client.get("/search", params=params).json()["hits"]
    assert hits and {hit["source"] for hit in hits} == {ONE}


def test_few_passages_are_ranked_exactly_and_many_by_chromas_filtered_search(
    indexed_settings: Settings, embeddings: Embeddings
) -> None:
    """Documents holding no more passages than a search's candidates are all candidates, their
    cosines computed from the stored vectors; more go through Chroma's filter on the source
    metadata, which must rank them as those cosines do. Four articles hold 26 passages: 20
    candidates for k=1, 28 for k=7."""
    footnote = Footnote.open(indexed_settings, embeddings)
    four = [s.source for s in footnote.sources()][1:]
    passages = [p for p in footnote.index().keywords.passages if p.source in four]
    assert len(passages) == 26
    for k in (1, 7):
        vector, hits = footnote.search(QUESTION, k, four)
        assert len(hits) == k and {hit.passage.source for hit in hits} <= set(four)
    stored = footnote.store.stored(passages)
    exact = sorted(((float(stored[p.id].vector @ vector), p.id) for p in passages), reverse=True)
    filtered = footnote.store.nearest_ids(vector, 20, frozenset(four))
    assert [id for id, _ in filtered] == [id for _, id in exact[:20]]
    assert [c for _, c in filtered] == pytest.approx([c for c, _ in exact[:20]], abs=1e-4)


@pytest.mark.parametrize("stream", [False, True])
def test_a_document_the_index_does_not_hold_is_a_404_naming_it(
    client: httpx.Client, stream: bool
) -> None:
    """Answering from every document instead would quote what the user ruled out."""
    body = {"question": QUESTION, "sources": [ONE, "missing.txt"], "stream": stream}
    response = client.post("/chat", json=body)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "'missing.txt'" in response.json()["detail"]
    search = client.get("/search", params={"q": QUESTION, "source": "missing.txt"})
    assert search.status_code == 404 and "'missing.txt'" in search.json()["detail"]


@pytest.mark.parametrize("sources", [[], [" "], ["a"] * 101])
def test_an_empty_or_oversized_list_is_a_422(client: httpx.Client, sources: list[str]) -> None:
    response = client.post("/chat", json={"question": QUESTION, "sources": sources})
    assert response.status_code == 422 and "sources" in response.json()["detail"]


def test_the_openai_client_passes_sources_in_its_extra_body(client: httpx.Client) -> None:
    oai = openai.OpenAI(base_url=f"{client.base_url}/v1", api_key="unused", max_retries=0)
    messages = [{"role": "user", "content": QUESTION}]
    completion = oai.chat.completions.create(
        model="footnote",
        messages=messages,
        extra_body={"sources": [ONE]},  # type: ignore[arg-type]
    )
    extra = completion.model_extra["footnote"]  # type: ignore[index]
    assert extra["citations"] and {c["source"] for c in extra["citations"]} == {ONE}
    with pytest.raises(openai.NotFoundError, match="missing.txt"):
        oai.chat.completions.create(
            model="footnote",
            messages=messages,  # type: ignore[arg-type]
            extra_body={"sources": ["missing.txt"]},
        )


def test_a_folder_ending_in_a_slash_names_every_document_under_it() -> None:
    indexed = ["notes/a.md", "notes/b.md", "notes-old/c.md", "top.txt"]
    assert scope(None, indexed) is None
    assert scope(["notes/"], indexed) == {"notes/a.md", "notes/b.md"}
    assert scope(["notes/b.md", "top.txt"], indexed) == {"notes/b.md", "top.txt"}
    for unheld in (["notes"], ["missing/"], ["top.txt", "TOP.txt"]):
        with pytest.raises(SourceNotFound, match="GET /sources"):
            scope(unheld, indexed)
