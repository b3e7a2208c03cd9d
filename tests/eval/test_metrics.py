"""The metrics measure what their names say, on made-up replies."""

from __future__ import annotations

from typing import Any

import pytest

from eval.client import Reply
from eval.dataset import EvalQuestion
from eval.metrics import answer_scores

QUESTION = EvalQuestion(
    id="made-up",
    type="conflict",
    question="How many bridges does Tolbridge have?",
    answer="Accounts differ: four or five",
    must_include=[["four"], ["five"]],
    sources=["a.txt", "b.txt"],
    evidence={"a.txt": "four bridges", "b.txt": "five bridges"},
)


def reply(answer: str, *sources: str) -> Reply:
    citations: list[dict[str, Any]] = [
        {"id": n, "source": source, "quote": ""} for n, source in enumerate(sources, 1)
    ]
    return Reply(answer, False, citations, "", [], 0.0)


@pytest.mark.parametrize(
    ("answer", "sources", "shown"),
    [
        ("Sources differ: four bridges [1]; five bridges [2].", ("a.txt", "b.txt"), True),
        # two sources cited, but one value: no disagreement is shown
        ("Tolbridge has four bridges [1][2].", ("a.txt", "b.txt"), False),
        # both values, but from one source
        ("It has four bridges [1]. Some count five [2].", ("a.txt", "a.txt"), False),
        # both values in one claim, cited together
        ("Between four and five bridges [1][2].", ("a.txt", "b.txt"), False),
        # the second value's source is not a gold one
        ("Four bridges [1]; five bridges [2].", ("a.txt", "c.txt"), False),
    ],
)
def test_a_conflict_is_shown_only_by_two_values_from_two_sources(
    answer: str, sources: tuple[str, ...], shown: bool
) -> None:
    assert answer_scores(QUESTION, reply(answer, *sources))["conflict_shown"] == float(shown)


def test_conflict_shown_applies_to_conflict_questions_only() -> None:
    single = QUESTION.model_copy(update={"type": "single"})
    answer = reply("Four bridges [1]; five bridges [2].", "a.txt", "b.txt")
    assert answer_scores(single, answer)["conflict_shown"] is None


@pytest.mark.parametrize(
    ("closest", "found"),
    [
        (["Tolbridge has four bridges.", "Old maps show five."], 1.0),  # every group, over two
        (["Tolbridge has four bridges."], 0.0),  # one group of two
        ([], 0.0),
    ],
)
def test_a_refused_answerable_question_counts_its_answer_in_the_closest_sentences(
    closest: list[str], found: float
) -> None:
    refused = Reply("The corpus does not answer this question.", True, [], "", [], 0.0)
    refused.closest = [{"id": n, "source": "a.txt", "quote": q} for n, q in enumerate(closest, 1)]
    assert answer_scores(QUESTION, refused)["answer_in_closest"] == found


def test_answer_in_closest_applies_to_refused_answerable_questions_only() -> None:
    answered = reply("Sources differ: four bridges [1]; five bridges [2].", "a.txt", "b.txt")
    assert answer_scores(QUESTION, answered)["answer_in_closest"] is None
    unanswerable = QUESTION.model_copy(update={"type": "unanswerable", "must_include": []})
    refused = Reply("The corpus does not answer this question.", True, [], "", [], 0.0)
    assert answer_scores(unanswerable, refused)["answer_in_closest"] is None
