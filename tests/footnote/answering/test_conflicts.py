"""The disagreement step, stated on made-up sentences: sources whose answering sentences give
different values of the kind asked are laid side by side; anything less is not a dispute."""

from __future__ import annotations

from footnote.answering.conflicts import disagreement
from footnote.answering.question import Question
from footnote.answering.ranking import Ranking
from footnote.answering.render import Claim, render_conflict
from tests.support import made_up

HOW_MANY = Question.read("How many soldiers were captured near Kursk?")
MARGIN = 3.0  # log-odds: the conflict_margin setting's default


def _ranking(*sentences: object, question: Question = HOW_MANY) -> Ranking:
    return Ranking(question, list(sentences), 0.9)  # type: ignore[arg-type]


def _disagreement(ranking: Ranking) -> list[Claim]:
    return disagreement(ranking, MARGIN, confirm_similarity=0.6, max_values=4)


def test_two_sources_giving_different_figures_disagree_each_in_its_own_words() -> None:
    first = made_up("Ukraine said up to 12,000 soldiers were captured.", "a.txt", 2.0)
    second = made_up("About 11,000 soldiers were captured, the agency said.", "b.txt", 1.0)
    found = _disagreement(_ranking(first, second))
    assert [c.value for c in found] == ["up to 12,000 soldiers", "About 11,000 soldiers"]
    answer = render_conflict(found)
    assert answer.text == (
        "Sources differ: up to 12,000 soldiers (Ukraine) [1]; About 11,000 soldiers (agency) [2]."
    )
    assert [v.citations for v in answer.conflicts[0].values] == [[1], [2]]


def test_one_source_giving_two_figures_is_not_a_disagreement() -> None:
    first = made_up("At first 300 soldiers were captured, later 500 soldiers.", "a.txt", 2.0)
    second = made_up("By March, 500 more soldiers were captured there.", "a.txt", 1.0)
    assert _disagreement(_ranking(first, second)) == []


def test_a_value_from_a_sentence_the_model_does_not_score_as_an_answer_is_left_out() -> None:
    first = made_up("Ukraine said 12,000 soldiers were captured.", "a.txt", 2.0)
    off_topic = made_up("The region covers 1,250 square kilometers of land.", "b.txt", -2.0)
    assert _disagreement(_ranking(first, off_topic)) == []
    assert MARGIN < 2.0 - (-2.0)


def test_only_questions_asking_for_a_value_can_be_disputed() -> None:
    who = Question.read("Who captured the soldiers near Kursk?")
    first = made_up("Ukraine said 12,000 soldiers were captured.", "a.txt", 2.0)
    second = made_up("About 11,000 soldiers were captured, the agency said.", "b.txt", 1.0)
    assert _disagreement(_ranking(first, second, question=who)) == []


def test_a_value_the_question_itself_gives_is_not_an_answer_to_it() -> None:
    asked = Question.read("How many of the 12,000 soldiers were captured?")
    first = made_up("Of 12,000 soldiers, Ukraine said 300 were captured.", "a.txt", 2.0)
    second = made_up("Of the 12,000 soldiers, 200 were captured.", "b.txt", 1.0)
    assert [c.value for c in _disagreement(_ranking(first, second, question=asked))] == [
        "300",
        "200",
    ]
