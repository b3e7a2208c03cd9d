from __future__ import annotations

import re

import httpx
import pytest

CASES = [
    ("What ID card was one of the prisoners carrying?", "001_694d548595b5fff0.txt"),
    (
        "What did the Kremlin spokesperson Peskov say about the proposed swap?",
        "004_17a11fe2648a01fc.txt",
    ),
    (
        "How did Ukrainian soldier Yuriy Bondar describe the North Korean fighters?",
        "002_45a7327db3fb7a4e.txt",
    ),
    ("How long did one prisoner go without food or water?", "003_5ddc3c8b4bd541c6.txt"),
    (
        "Which country mediated the prisoner exchanges between Ukraine and Russia?",
        "000_48ca08dddd09e8b8.txt",
    ),
    ("When did the prisoner say he entered combat?", "004_17a11fe2648a01fc.txt"),
]


def ask(client: httpx.Client, question: str) -> dict:
    response = client.post("/chat", json={"messages": [{"role": "user", "content": question}]})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(("question", "source"), [c for c in CASES if c[1]])
def test_chat_cites_the_source_that_holds_the_answer(
    client: httpx.Client, question: str, source: str
) -> None:
    body = ask(client, question)
    assert not body["abstained"]
    assert body["citations"][0]["source"] == source


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


def test_differing_figures_are_laid_side_by_side(client: httpx.Client) -> None:
    body = ask(client, "How many North Korean soldiers have been killed or wounded?")
    assert body["answer"].startswith("Sources differ:")
    assert "3,800" in body["answer"] and "2,700" in body["answer"]
    (conflict,) = body["conflicts"]
    assert len(conflict["values"]) >= 2
    sources = {c["id"]: c["source"] for c in body["citations"]}
    assert len({sources[v["citations"][0]] for v in conflict["values"]}) >= 2


def test_a_value_in_a_sentence_on_another_topic_still_counts_when_its_noun_is_asked(
    client: httpx.Client,
) -> None:
    """ "... to support its nearly three-year war" sits in a sentence about casualties."""
    body = ask(client, "How long has the war in Ukraine been going on?")
    values = [v["value"] for c in body["conflicts"] for v in c["values"]]
    assert "23-month-old conflict" in values and "nearly three-year war" in values


def test_a_figure_about_something_else_is_not_a_disputed_value(client: httpx.Client) -> None:
    """A sentence on casualties also gives the troops sent: that figure is not a casualty."""
    body = ask(client, "How many casualties have North Korean forces suffered?")
    values = " ".join(v["value"] for c in body["conflicts"] for v in c["values"])
    assert "3,800" in values and "12,000" not in values


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        (
            "How many North Korean soldiers did the Special Operations Forces say they killed "
            "in the daylong assault?",
            "another 17",
        ),
        ("How many North Korean troops do Western assessments say are in Kursk?", "11,000"),
    ],
)
def test_a_figure_asked_of_someone_is_theirs_alone(
    client: httpx.Client, question: str, figure: str
) -> None:
    """Other outlets' figures for other counts are not a disagreement with the one asked."""
    body = ask(client, question)
    assert body["conflicts"] == [] and figure in body["answer"]
    assert len(body["citations"]) == 1


def test_one_source_giving_two_dates_is_not_a_disagreement(client: httpx.Client) -> None:
    body = ask(client, "On what date did the prisoner say he entered combat?")
    assert body["conflicts"] == [] and "Jan. 3" in body["answer"]


@pytest.mark.parametrize(
    "question",
    [
        "How many tanks has North Korea sent to Russia?",
        "Which hospital in Kyiv is treating the captured soldiers?",
        "What did the United Nations say about the prisoners?",
        "How much is Russia paying North Korea for the troops?",
        # named in the corpus, but never speaking: talked about is not an answer
        "How did Kim Jong Un respond to Zelenskyy's offer?",
        "What did Vladimir Putin say about the captured soldiers?",
        # a past exchange's date does not say when the next one will be
        "On what date will the prisoner exchange take place?",
        "What are the names of the two captured North Korean soldiers?",
        "How old is Kim Jong Un?",
        # a figure is there ("the two soldiers"), but it does not count what is asked
        "How many Ukrainians were swapped for them?",
        # figures abound, but no percentage or fraction
        "What percentage of the North Korean troops have been killed?",
    ],
)
def test_on_topic_questions_the_corpus_cannot_answer_abstain(
    client: httpx.Client, question: str
) -> None:
    body = ask(client, question)
    assert body["abstained"] is True and body["citations"] == []


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What is the name of the Kremlin spokesperson?", "Peskov"),
        ("What was Peskov's response to the swap proposal?", "refused to comment"),
        ("What did Yuriy Bondar say about the North Koreans?", "physical training"),
        ("Will there be more North Korean prisoners?", "undoubtedly"),
        # short question, long answering sentence: the rare word it shares is what counts
        ("Which region does Tuva border?", "Mongolia"),
        # a generic noun ("outlet") that the corpus answers by instance
        ("Which outlet said it could not immediately verify the videos?", "ABC News"),
        ("What share of its Kursk gains has Ukraine lost?", "about half"),
    ],
)
def test_names_speakers_and_future_questions_the_corpus_answers_are_answered(
    client: httpx.Client, question: str, expected: str
) -> None:
    body = ask(client, question)
    assert not body["abstained"] and expected in body["answer"]


def test_same_claim_from_two_outlets_is_one_sentence_with_two_markers(
    client: httpx.Client,
) -> None:
    body = ask(client, "How many North Korean soldiers have been killed or wounded?")
    assert re.search(r"\[\d+\]\[\d+\]", body["answer"])


@pytest.mark.parametrize(
    "question", ["What is the capital of France?", "Who is the chief executive of Apple?"]
)
def test_off_topic_question_abstains_without_citations(client: httpx.Client, question: str) -> None:
    body = ask(client, question)
    assert body["abstained"] is True
    assert body["citations"] == []
    assert "corpus does not answer" in body["answer"]


def test_bare_question_field_is_accepted(client: httpx.Client) -> None:
    question = "What ID card was one of the prisoners carrying?"
    response = client.post("/chat", json={"question": question, "top_k": 3})
    assert response.status_code == 200
    assert "Tuva" in response.json()["answer"]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"question": "   "}, "empty"),
        ({"messages": []}, "at least 1"),
        ({}, "send either `messages`"),
        ({"question": "ok", "messages": [{"role": "user", "content": "hi"}]}, "send either"),
        ({"messages": [{"role": "assistant", "content": "hi"}]}, "last message"),
        ({"question": "ok", "top_k": 0}, "top_k"),
        ({"question": "ok", "top_k": "many"}, "top_k"),
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
