"""Steps one to three of every answer mode: read the question, rank the candidate sentences
with the learned answer model, and decide whether the passages answer at all.

The extractive mode renders the ranking as quotes; the LLM modes ask it first whether to call
a model at all, so no mode answers what the corpus does not hold. How each signal counts and
where the refusal threshold sits are learned and calibrated by ``footnote train``
(:mod:`footnote.answering.selector`), not written here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from footnote.answering.base import Evidence
from footnote.answering.candidates import Sentence, candidate_sentences
from footnote.answering.features import measure
from footnote.answering.question import Question
from footnote.answering.selector import Selector


@dataclass(frozen=True)
class Ranking:
    """The question as read, its candidates best first (``relevance`` is the model's
    log-odds), how likely it is that any of them answers, and, when Footnote will not answer,
    why, in plain words."""

    question: Question
    sentences: list[Sentence]
    confidence: float  # P(the passages answer the question), from the question model
    refusal: str | None = None
    runner_up_margin: float = 0.0  # how close in log-odds a second sentence must score to join


class Ranker:
    """The learned answer model and the threshold below which Footnote refuses."""

    def __init__(self, selector: Selector, threshold: float | None, min_words: int):
        self.selector = selector
        self.threshold = selector.threshold if threshold is None else threshold
        self.min_words = min_words

    def rank(self, evidence: Evidence) -> Ranking:
        question = Question.read(evidence.question)
        sentences = candidate_sentences(evidence, self.min_words)
        if not sentences:
            return Ranking(question, [], 0.0, refusal([], 0.0, self.threshold))
        features, signals = measure(evidence, question, sentences)
        logits, confidence = self.selector.score(question.kind, features, signals)
        for sentence, logit in zip(sentences, logits, strict=True):
            sentence.relevance = float(logit)
        ranked = [sentences[i] for i in np.argsort(-logits, kind="stable")]
        return Ranking(
            question,
            ranked,
            confidence,
            refusal(ranked, confidence, self.threshold),
            self.selector.runner_up_margin,
        )


def refusal(ranked: list[Sentence], confidence: float, threshold: float) -> str | None:
    """Why the corpus does not answer, in plain words, or None when it does."""
    if not ranked:
        return "no indexed passage matches the question."
    if confidence < threshold:
        return (
            f"the closest passage ({ranked[0].passage.source}) is only {confidence:.0%} "
            f"likely to answer it, below the {threshold:.0%} Footnote answers at."
        )
    return None
