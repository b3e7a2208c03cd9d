"""Extractive answers: the source sentences that best answer the question, each footnoted.

No language model writes anything, so nothing can be invented: every claim is a verbatim
quote. Which sentence answers, and whether any does, is decided by the learned answer model
(:mod:`footnote.answering.selector`), fitted on public question-answer data rather than written
for particular questions:

- the sentence the model scores highest comes first, and a runner-up follows it only when
  it scores within the margin fitted with the model;
- a sentence saying the same in another source adds its footnote instead of repeating it;
- when sources' best sentences state *different values* for what the question asks (a
  figure, a date, a duration), the answer lays them side by side (:mod:`.conflicts`);
- when the model's confidence that the passages answer falls below its calibrated
  threshold, Footnote refuses, and says how confident it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np

from footnote.answering.base import Answer, Answerer, Evidence, SentenceCheck
from footnote.answering.citations import GROUNDED_SHARE, SUPPORT_OVERLAP, word_overlap
from footnote.answering.claims import Claim, Sentence, candidate_sentences, render, similarity
from footnote.answering.conflicts import disagreement, render_conflict
from footnote.answering.features import measure, question_features
from footnote.answering.question import Expect, expected, question_kind
from footnote.answering.selector import Selector
from footnote.tokens import numbers
from prompts import load_prompt

MAX_WORDS = 60  # a runner-up must fit, with the first, in an answer read at a glance
SAME_CLAIM = 0.85  # sentence similarity above which two sources say the same thing


@dataclass(frozen=True)
class Ranking:
    """Candidates best first (``relevance`` is the model's log-odds), and how likely it is
    that any of them answers."""

    sentences: list[Sentence]
    expect: Expect
    confidence: float  # P(the passages answer the question), from the question model


def _restates(candidate: Sentence, claim: Claim) -> bool:
    """Another source saying the same: near-identical wording, no figure the other lacks."""
    theirs, ours = numbers(candidate.text), numbers(claim.lead.text)
    return (
        candidate.passage.source not in {s.passage.source for s in claim.sentences}
        and similarity(candidate, claim.lead) >= SAME_CLAIM
        and (theirs <= ours or ours <= theirs)
    )


def _words(sentence: Sentence) -> int:
    return len(sentence.text.split())


class ExtractiveAnswerer(Answerer):
    """The default mode: quotes only, chosen and gated by the learned answer model."""

    def __init__(self, selector: Selector, threshold: float | None = None):
        self.selector = selector
        self.threshold = selector.threshold if threshold is None else threshold

    def rank(self, evidence: Evidence) -> Ranking:
        expect = expected(evidence.question)
        sentences = candidate_sentences(evidence)
        if not sentences:
            return Ranking([], expect, 0.0)
        features, signals = measure(evidence, sentences)
        logits = self.selector.sentence.logits(features)
        for sentence, logit in zip(sentences, logits, strict=True):
            sentence.relevance = float(logit)
        kind = question_kind(evidence.question)
        row = question_features(kind, signals, features, logits)
        ranked = [sentences[i] for i in np.argsort(-logits, kind="stable")]
        return Ranking(ranked, expect, self.selector.answerable(row))

    def abstention(self, ranking: Ranking) -> str | None:
        """Why the corpus does not answer, in plain words, or None. LLM modes ask this first."""
        if not ranking.sentences:
            return "no indexed passage matches the question."
        if ranking.confidence < self.threshold:
            best = ranking.sentences[0]
            return (
                f"the closest passage ({best.passage.source}) is only {ranking.confidence:.0%} "
                f"likely to answer it, below the {self.threshold:.0%} Footnote answers at."
            )
        return None

    def choose(self, ranked: list[Sentence]) -> list[Claim]:
        """The best sentence, a runner-up within the model's margin, and every other source
        saying the same as either (restatements are footnotes, however they scored)."""
        best = ranked[0]
        claims = [Claim(best)]
        for candidate in ranked[1:]:
            restated = next((c for c in claims if _restates(candidate, c)), None)
            if restated:
                restated.support.append(candidate)
            elif (
                len(claims) < 2
                and candidate.relevance >= best.relevance - self.selector.runner_up_margin
                and _words(best) + _words(candidate) <= MAX_WORDS
                and similarity(candidate, best) < SAME_CLAIM
            ):
                claims.append(Claim(candidate))
        return claims

    def stream(self, evidence: Evidence) -> Iterator[str | Answer]:
        """Streams the finished answer a sentence (or a disputed value) at a time."""
        answer = self.answer(evidence)
        start = 0
        for marker in re.finditer(r"(?:\[\d+\])+[.;]?\s*", answer.text):
            yield answer.text[start : marker.end()]
            start = marker.end()
        if start < len(answer.text):
            yield answer.text[start:]
        yield answer

    def answer(self, evidence: Evidence) -> Answer:
        ranking = self.rank(evidence)
        confidence = round(ranking.confidence, 4)
        reason = self.abstention(ranking)
        if reason:
            return replace(abstain(reason=reason), confidence=confidence)
        conflict = disagreement(ranking.sentences, ranking.expect, evidence.question)
        answer = render_conflict(conflict) if conflict else render(self.choose(ranking.sentences))
        checks = checked_sentences(answer)
        grounded = sum(c.supported for c in checks) > GROUNDED_SHARE * len(checks)
        return replace(answer, sentences=checks, grounded=grounded, confidence=confidence)


def abstain(
    mode: str = "extractive", reason: str = "none of the indexed documents says."
) -> Answer:
    """The refusal, saying why in plain words."""
    text = load_prompt("abstain.txt").format(reason=reason)
    return Answer(text=text, abstained=True, mode=mode)


def checked_sentences(answer: Answer) -> list[SentenceCheck]:
    """Each claim tested as a generated one is: its words against the quotes it cites.

    A plain quote passes whole; a disagreement ("Sources differ: …", values with their
    attributions) passes only while its words still come from what it cites."""
    quotes = {c.id: c.quote for c in answer.citations}
    checks = []
    for text, markers in re.findall(r"(.+?)((?:\[\d+\])+)", answer.text):
        cited = [int(n) for n in re.findall(r"\[(\d+)\]", markers)]
        quoted = " ".join(quotes.get(n, "") for n in cited)
        supported = word_overlap(text, quoted) >= SUPPORT_OVERLAP
        checks.append(SentenceCheck(text.strip(" ;"), cited, supported))
    return checks
