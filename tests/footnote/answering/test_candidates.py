"""A candidate sentence is read once: every later step shares what the first one read."""

from __future__ import annotations

from footnote.answering.question import Expect
from tests.support import made_up


def test_a_sentence_is_read_once_and_its_readings_are_shared() -> None:
    sentence = made_up("Up to 12,000 troops were not returned, the ministry said.")
    assert {"12000", "troop", "returned", "ministry"} <= sentence.words
    assert sentence.numbers == frozenset({"12000"})
    assert sentence.negated and sentence.speaker == "ministry"
    assert [v.text for v in sentence.values(Expect.QUANTITY)] == ["Up to 12,000 troops"]
    assert sentence.words is sentence.words  # computed on first use, then kept
    assert sentence.values(Expect.QUANTITY) is sentence.values(Expect.QUANTITY)
