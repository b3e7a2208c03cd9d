from __future__ import annotations

import pytest

from footnote.answering.question import Expect, Question, expected, question_kind
from footnote.answering.values import values
from footnote.lexicon import OPPOSITES, denies, opposite
from footnote.tokens import STOPWORDS, tokenize


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
def test_the_value_asked_for_is_read_from_the_wh_phrase(question: str, expect: Expect) -> None:
    assert expected(question) is expect


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("In what year did the bridge open?", "when"),
        ("When was it built?", "when"),
        ("How many towers does it have?", "count"),
        ("How long is the bridge?", "measure"),
        ("Who designed it?", "who"),
        ("Where does the river rise?", "where"),
        ("Why was it closed?", "why"),
        ("How was it paid for?", "how"),
        ("Which engineer signed the plans?", "what"),
        ("Name the engineer.", "other"),
        ("What happens when the ferry cannot sail?", "what"),
        ("Who was mayor when the bridge opened?", "who"),
        ("What year did the bridge open?", "when"),
    ],
)
def test_question_kind_is_read_from_the_wh_phrase(question: str, kind: str) -> None:
    assert question_kind(question) == kind


@pytest.mark.parametrize(
    ("question", "negated"),
    [
        ("Which bridge was not rebuilt?", True),
        ("Why can't lorries cross it?", True),
        ("When did the ferry not sail?", True),
        ("What happens when the ferry cannot sail?", False),
        ("What does the council do if the bridge is not safe?", False),
    ],
)
def test_a_question_is_negated_by_its_main_clause(question: str, negated: bool) -> None:
    """A denial inside a condition ("if it is not safe") does not ask what did not happen."""
    assert Question.read(question).negated is negated


def test_a_sentence_denies_in_words_as_well_as_in_grammar() -> None:
    assert denies("Lorries are prohibited on the bridge.")
    assert denies("Crossings that fail are reported.")
    assert denies("The ferry did not sail.")
    assert not denies("The ferry sails every hour.")


def test_stopwords_are_dropped_before_plurals_are_folded() -> None:
    assert tokenize("Which region does Tuva border?") == ["region", "tuva", "border"]


def test_transliterated_name_endings_are_one_token() -> None:
    assert tokenize("Zelenskyy, Zelensky, Zelenskiy") == ["zelensky"] * 3
    assert tokenize("Chepurnyi tiny spy") == ["chepurny", "tiny", "spy"]


@pytest.mark.parametrize(
    ("sentence", "dates"),
    [
        (
            "The edict was revoked in 1685, and the last church closed in the 1690s.",
            ["1685", "1690s"],
        ),
        (
            "Mills spread in the 18th century; steam came in the 19th-century boom.",
            ["18th century", "19th-century"],
        ),
        (
            "They were captured on Jan. 3, 2025, five days ago.",
            ["on Jan. 3, 2025", "five days ago"],
        ),
    ],
)
def test_dates_are_found_in_history_as_in_news(sentence: str, dates: list[str]) -> None:
    assert [v.text for v in values(sentence, Expect.DATE)] == dates


def test_a_share_is_not_a_count() -> None:
    found = values(
        "Kyiv lost about half of the territory; a third of them were hurt; 300 were killed.",
        Expect.QUANTITY,
    )
    assert [v.text for v in found] == ["300"]
    assert [v.text for v in values("about half of the territory", Expect.SHARE)] == ["about half"]


def test_an_area_a_length_or_a_sum_is_not_a_count() -> None:
    """ "How many soldiers?" is not answered by "1,250 square kilometers", nor a conflict."""
    text = "It holds 1,250 square kilometers and a 312 m bridge, cost $5 million and took 40 men."
    assert [v.text for v in values(text, Expect.QUANTITY)] == ["40 men"]
    assert [v.text for v in values(text, Expect.MEASURE)] == ["1,250 square kilometers", "312 m"]


def test_one_of_picks_someone_out_and_counts_nothing() -> None:
    found = values(
        "One of them wants to stay; one soldier died. Some 12,000 troops left", Expect.QUANTITY
    )
    assert [v.text for v in found] == ["one soldier died", "Some 12,000 troops left"]


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


def test_opposites_are_pairs_or_a_negating_prefix() -> None:
    assert opposite("uncommon", "common") and opposite("known", "unknown")
    assert opposite("increase", "decrease") and opposite("decrease", "increase")
    assert not opposite("into", "to") and not opposite("common", "common")


def test_no_opposite_is_a_stop_word_the_tokens_never_hold() -> None:
    assert not {word for pair in OPPOSITES for word in pair} & STOPWORDS
