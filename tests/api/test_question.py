from __future__ import annotations

import pytest

from api.answering.question import Expect, expected
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
    assert expected(question) is expect


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
