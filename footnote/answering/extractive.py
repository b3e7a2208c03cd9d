"""Extractive answers: the source sentences that best answer the question, each footnoted.

No language model writes anything, so nothing can be invented: every claim is a verbatim
quote. The answer is a pipeline of peers, each a module of its own:

1. read the question and rank the candidate sentences with the learned answer model
   (:mod:`.ranking`, which reads the question once and each sentence once);
2. refuse, saying how confident it was, when the model's confidence that the passages answer
   falls below its calibrated threshold (:mod:`.ranking`);
3. when sources' best sentences state *different values* for what the question asks (a
   figure, a date, a duration), lay them side by side (:mod:`.conflicts`);
4. otherwise the best sentence, a runner-up within the model's margin, and every other source
   saying the same as a footnote (:mod:`.render`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from footnote.answering.base import Answer, Answerer, Evidence
from footnote.answering.citations import Support
from footnote.answering.conflicts import disagreement
from footnote.answering.ranking import Ranker
from footnote.answering.render import abstain, checked, claims, render, render_conflict
from footnote.settings import Settings


class ExtractiveAnswerer(Answerer):
    """The default mode: quotes only, chosen and gated by the learned answer model."""

    def __init__(self, ranker: Ranker, settings: Settings):
        self.ranker = ranker
        self.settings = settings
        self.support = Support.of(settings)

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
        ranking = self.ranker.rank(evidence)
        confidence = round(ranking.confidence, 4)
        if ranking.refusal:
            return replace(
                abstain(reason=ranking.refusal, ranked=ranking.sentences, scope=evidence.scope),
                confidence=confidence,
            )
        tuning = self.settings
        conflict = disagreement(
            ranking,
            tuning.conflict_margin,
            tuning.confirm_similarity,
            tuning.max_conflict_values,
        )
        if conflict:
            answer = render_conflict(conflict)
        else:
            answer = render(
                claims(
                    ranking.sentences,
                    ranking.runner_up_margin,
                    tuning.runner_up_max_words,
                    tuning.same_claim_similarity,
                )
            )
        return replace(checked(answer, self.support), confidence=confidence)
