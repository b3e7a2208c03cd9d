from __future__ import annotations

import pytest

from api.answering.answerability import asks_the_same
from api.answering.question import Expect, analyse
from api.answering.values import values
from api.tokens import tokenize


@pytest.mark.parametrize(
    ("question", "expect"),
    [
        ("When were the soldiers captured?", Expect.DATE),
        ("Ignore that. When did they arrive?", Expect.DATE),
        # "when" joining clauses does not make a question about a date
        ("What was the Kremlin's reaction when journalists asked about the swap?", Expect.ANY),
        ("What weapons were the soldiers carrying when captured?", Expect.ANY),
        ("How old is Kim Jong Un?", Expect.AGE),
        ("How tall is the soldier?", Expect.MEASURE),
        ("What share of its Kursk gains has Ukraine lost?", Expect.SHARE),
        ("Which part of Russia is Kursk in?", Expect.ANY),
        ("What are the soldiers' names?", Expect.NAME),
        ("What is the name of the Kremlin spokesperson?", Expect.NAME),
        ("How many troops were sent?", Expect.QUANTITY),
    ],
)
def test_question_kind_is_read_from_its_wh_phrase(question: str, expect: Expect) -> None:
    assert analyse(question).expect is expect


@pytest.mark.parametrize(
    ("question", "focus"),
    [
        ("How many North Korean fighters did Ukraine's forces kill?", "fighter"),
        ("Which country mediated the exchanges?", "country"),
        ("Which Ukrainian army spokesman said they blow themselves up?", "spokesman"),
        ("What are the names of the two captured North Korean soldiers?", "soldier"),
        ("What is the name of the hospital where they are treated?", "hospital"),
        ("What is the population of North Korea?", "population"),
        ("What is the baby giraffe called?", "giraffe"),
        ("What was the outcome of the offensive?", None),  # abstract: answered without the word
        ("What share of the territory has Kyiv lost?", None),
        ("Which one wanted to stay?", None),
    ],
)
def test_focus_is_the_head_of_the_asked_noun_phrase(question: str, focus: str | None) -> None:
    assert analyse(question).focus == focus


@pytest.mark.parametrize(
    ("question", "speaker"),
    [
        ("How did Kim Jong Un respond to Zelenskyy's offer?", "Kim Jong Un"),
        ("What did the United Nations say about the prisoners?", "the United Nations"),
        ("What was Peskov's response to the proposal?", "Peskov"),
        ("What did he say about it?", None),  # a pronoun: the follow-up rewrite resolves it
        ("What did the soldiers believe?", None),
    ],
)
def test_speaker_is_who_the_question_wants_to_hear_from(question: str, speaker: str | None) -> None:
    assert analyse(question).speaker == speaker


def test_whose_figure_a_count_asks_for() -> None:
    shape = analyse("How many soldiers did the special forces say they killed?")
    assert shape.counter == "the special forces" and shape.voice == "the special forces"
    assert shape.speaker is None  # a figure, not their words: no refusal when they never speak
    assert analyse("How many did they say were killed?").counter is None


def test_future_questions_are_told_from_past_ones() -> None:
    assert analyse("On what date will the exchange take place?").future
    assert not analyse("On what date did the exchange take place?").future


def test_stopwords_are_dropped_before_plurals_are_folded() -> None:
    assert tokenize("Which region does Tuva border?") == ["region", "tuva", "border"]


def test_transliterated_name_endings_are_one_token() -> None:
    assert tokenize("Zelenskyy, Zelensky, Zelenskiy") == ["zelensky"] * 3
    assert tokenize("Chepurnyi tiny spy") == ["chepurny", "tiny", "spy"]


def test_one_of_picks_someone_out_and_counts_nothing() -> None:
    found = values(
        "One of them wants to stay; one soldier died. Some 12,000 troops left", Expect.QUANTITY
    )
    assert [v.text for v in found] == ["one soldier died", "Some 12,000 troops left"]


@pytest.mark.parametrize(
    ("question", "second", "supports"),
    [
        ("What was the Kremlin's reaction?", "Zelensky offered a swap.", False),
        ("What was the Kremlin's reaction?", "The Kremlin said it had no comment.", True),
        ("How many troops died?", "The soldiers fought hard.", False),
        ("How many troops died?", "Some 300 troops died.", True),
    ],
)
def test_a_supporting_sentence_must_address_the_ask_as_the_first_does(
    question: str, second: str, supports: bool
) -> None:
    best = "Kremlin spokesperson Dmitry Peskov refused to comment, saying 200 were held."
    assert asks_the_same(second, best, analyse(question), question) is supports


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("Kyiv lost about half of the 1,250 square kilometers", "about half"),
        ("some 40% of the troops", "40%"),
        ("one in five soldiers", "one in five"),
        ("two-thirds of the land", "two-thirds"),
    ],
)
def test_shares_are_percentages_and_fractions(text: str, share: str) -> None:
    assert [v.text for v in values(text, Expect.SHARE)] == [share]
    assert values("the two soldiers", Expect.SHARE) == []


@pytest.mark.parametrize(
    ("before", "supports"),
    [
        ("The Kremlin was asked about the swap.", True),
        ("Zelensky spoke of his offer to Kim.", False),
    ],
)
def test_an_unnamed_speaker_is_whoever_the_sentence_before_names(
    before: str, supports: bool
) -> None:
    question = "What was the Kremlin's reaction?"
    best = "Kremlin spokesperson Dmitry Peskov refused to comment."
    assert (
        asks_the_same(
            "He said there was nothing to add.", best, analyse(question), question, before
        )
        is supports
    )
