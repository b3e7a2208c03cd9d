"""The ranking and answerability steps every mode shares, stated on made-up sentences."""

from __future__ import annotations

import numpy as np

from footnote.answering.base import Evidence
from footnote.answering.question import Expect, Question
from footnote.answering.ranking import Ranker, refusal
from footnote.answering.selector import DEFAULT_MODEL, load_selector
from footnote.retriever import ScoredPassage
from footnote.store import Passage, SentenceRecord
from tests.support import EveryWordAlike, made_up

TEXT = "The Orla bridge opened in 1850. Mara Venn designed it. Trade along the river doubled."


def _evidence(question: str) -> Evidence:
    """One made-up passage of three sentences; the first sentence's vector is the query's."""
    passage = Passage("p", "orla.txt", "Orla", 0, 0, len(TEXT), TEXT, "f", 1)
    vectors = np.eye(3, dtype=np.float32)
    records, start = [], 0
    for n, text in enumerate(TEXT.replace(". ", ".|").split("|")):
        records.append(
            (SentenceRecord(f"s{n}", "orla.txt", start, start + len(text), text, "f"), vectors[n])
        )
        start += len(text) + 1
    hits = [ScoredPassage(passage, 0.8, 0.8, 0.8)]
    return Evidence(question, question, vectors[0], hits, records, EveryWordAlike())


def test_the_question_is_read_once_into_what_later_steps_ask_of_it() -> None:
    question = Question.read("When didn't the Orla bridge open?")
    assert (question.kind, question.expect, question.negated) == ("when", Expect.DATE, True)


def test_candidates_are_ranked_best_first_by_the_learned_model() -> None:
    ranking = Ranker(load_selector(DEFAULT_MODEL), None, min_words=5).rank(
        _evidence("When did the bridge open?")
    )
    assert ranking.sentences[0].text == "The Orla bridge opened in 1850."
    relevance = [s.relevance for s in ranking.sentences]
    assert relevance == sorted(relevance, reverse=True) and 0.0 < ranking.confidence < 1.0


def test_below_the_threshold_the_refusal_names_the_closest_source_and_the_odds() -> None:
    best = made_up("The Orla bridge opened in 1850.", "orla.txt")
    assert refusal([best], confidence=0.6, threshold=0.5) is None
    assert refusal([best], confidence=0.2, threshold=0.5) == (
        "the closest passage (orla.txt) is only 20% likely to answer it, "
        "below the 50% Footnote answers at."
    )
    assert refusal([], 0.0, 0.5) == "no indexed passage matches the question."


def test_the_ranking_carries_its_own_refusal() -> None:
    evidence = _evidence("When did the bridge open?")
    assert Ranker(load_selector(DEFAULT_MODEL), 0.0, min_words=5).rank(evidence).refusal is None
    refused = Ranker(load_selector(DEFAULT_MODEL), 1.0, min_words=5).rank(evidence)
    assert refused.refusal is not None and "orla.txt" in refused.refusal
