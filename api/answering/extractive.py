"""Extractive answers: the source sentences that best answer the question, each footnoted.

No language model writes anything, so nothing can be invented: every claim is a verbatim
quote. The work is in choosing:

- the sentence that answers best comes first, and at most one close runner-up follows it;
- a sentence saying the same in another source adds its footnote instead of repeating it;
- when relevant sentences give *different values* for what the question asks (a figure, a
  date, a duration), the answer says the sources differ and lists each value, in the source's
  own words, with its footnote (see :mod:`api.answering.conflicts`);
- when the corpus cannot answer, it says so (see :mod:`api.answering.answerability`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

import numpy as np
from langchain_core.embeddings import Embeddings

from api.answering.answerability import RARE_IDF, asks_the_same, unanswerable_reason
from api.answering.base import (
    Answer,
    Answerer,
    Evidence,
    SentenceCheck,
)
from api.answering.claims import Claim, Sentence, candidate_sentences, render, similarity
from api.answering.conflicts import disagreement, render_conflict
from api.answering.question import Expect, QuestionShape, analyse
from api.answering.values import holds
from api.tokens import numbers, tokenize
from prompts import load_prompt

SUPPORT_MARGIN = 0.1  # a second sentence must score this close to the best one
MAX_WORDS = 60  # ... and fit, with the first, in an answer read at a glance
RUNNER_UP_SIMILARITY = 0.6  # ... and say much the same, unless it matches the question better
SAME_CLAIM = 0.85  # sentence similarity above which two sources say the same thing
KEYWORD_WEIGHT = 0.25
CONTEXT_WEIGHT = 0.1  # how much the whole passage's match lifts each of its sentences
TYPE_WEIGHT = 0.1  # bonus (or penalty) for holding (or lacking) the kind of value asked for
FRAGMENT_PENALTY = 0.2  # headlines, datelines and captions state a topic, not an answer
REPEAT_PENALTY = 0.2  # a follow-up wants something new, not last turn's answer again
REPEATED = 0.7  # share of words two statements must share to say the same


def _repeats(sentence: set[str], previous: set[str]) -> bool:
    """Whether a sentence says what the last answer said, or says all of it again."""
    if not sentence or not previous:
        return False
    shared = len(sentence & previous)
    return shared / len(sentence) >= REPEATED or shared / len(previous) >= REPEATED


_COMPLETE = re.compile(r"[.!?][\"”’')\]]*$")


def is_fragment(sentence: Sentence) -> bool:
    """A document's first line or a line without closing punctuation: a headline, a dateline
    or a caption. Such lines sit close to a question's topic but rarely answer it."""
    return sentence.start == 0 or not _COMPLETE.search(sentence.text.rstrip())


def _words(sentence: Sentence) -> int:
    return len(sentence.text.split())


def _restates(candidate: Sentence, claim: Claim) -> bool:
    """Another source saying the same: near-identical wording, no figure the other lacks."""
    theirs, ours = numbers(candidate.text), numbers(claim.lead.text)
    return (
        candidate.passage.source not in {s.passage.source for s in claim.sentences}
        and similarity(candidate, claim.lead) >= SAME_CLAIM
        and (theirs <= ours or ours <= theirs)
    )


def _before(sentence: Sentence, ranked: list[Sentence]) -> str:
    """The sentence just before this one in its document, when it was retrieved too."""
    earlier = [
        s for s in ranked if s.passage.source == sentence.passage.source and s.end <= sentence.start
    ]
    return max(earlier, key=lambda s: s.end).text if earlier else ""


class ExtractiveAnswerer(Answerer):
    """The default mode: quotes only, chosen by embedding similarity and keyword overlap."""

    def __init__(self, embeddings: Embeddings, min_relevance: float):
        self.embeddings = embeddings  # for the question-side checks only: sentences come embedded
        self.min_relevance = min_relevance

    def score(self, evidence: Evidence, shape: QuestionShape, sentences: list[Sentence]) -> None:
        """Relevance: cosine similarity, plus the rarity-weighted share of the question's
        words the sentence contains, plus a little of its passage's match, plus whether it
        holds the kind of value asked for.

        Weighting words by rarity matters: sharing "podcast" with the question is a far better
        sign than sharing "said". Words the corpus never uses carry no evidence either way.
        """
        vectors = np.stack([s.vector for s in sentences])
        similarities = vectors @ evidence.query_vector.astype(np.float32)
        repeated: set[str] = set()
        if evidence.is_followup:
            # The user's own words say what is new; the context says what it is about.
            own = np.asarray(self.embeddings.embed_query(evidence.question), dtype=np.float32)
            similarities = (similarities + vectors @ own) / 2
            repeated = set(tokenize(evidence.previous_answer))
        weights = {t: evidence.terms.idf(t) for t in set(tokenize(evidence.query))}
        total = sum(weights.values()) or 1.0
        for sentence, vector, cosine in zip(sentences, vectors, similarities, strict=True):
            found = set(tokenize(sentence.text))
            overlap = sum(w for t, w in weights.items() if t in found) / total
            typed = (
                0.0
                if shape.expect is Expect.ANY
                else (1.0 if holds(sentence.text, shape.expect, evidence.question) else -1.0)
            )
            sentence.vector = vector
            sentence.similarity = float(cosine)
            sentence.relevance = (
                float(cosine)
                + KEYWORD_WEIGHT * overlap
                + CONTEXT_WEIGHT * sentence.context
                + TYPE_WEIGHT * typed
                - (REPEAT_PENALTY if _repeats(found, repeated) else 0.0)
                - (FRAGMENT_PENALTY if is_fragment(sentence) else 0.0)
            )

    def choose(self, ranked: list[Sentence], shape: QuestionShape, question: str) -> list[Claim]:
        """The best sentence, one close runner-up at most, and footnotes from restatements."""
        best = ranked[0]
        claims = [Claim(best)]
        for candidate in ranked[1:]:
            if candidate.similarity < self.min_relevance:
                break
            restated = next((c for c in claims if _restates(candidate, c)), None)
            if restated:
                restated.support.append(candidate)
            elif (
                len(claims) < 2
                and candidate.relevance >= best.relevance - SUPPORT_MARGIN
                and _words(best) + _words(candidate) <= MAX_WORDS
                and (
                    similarity(candidate, best) >= RUNNER_UP_SIMILARITY
                    or candidate.similarity >= best.similarity
                )
                and all(similarity(candidate, c.lead) < SAME_CLAIM for c in claims)
                and asks_the_same(
                    candidate.text, best.text, shape, question, _before(candidate, ranked)
                )
            ):
                claims.append(Claim(candidate))
        return claims

    def rank(self, evidence: Evidence) -> tuple[QuestionShape, list[Sentence]]:
        shape = analyse(evidence.question)
        sentences = candidate_sentences(evidence)
        if sentences:
            self.score(evidence, shape, sentences)
        return shape, sorted(sentences, key=lambda s: s.relevance, reverse=True)

    def _relevant(self, evidence: Evidence, best: Sentence) -> bool:
        """Similar enough to the question, or holding every rare word it uses: a short question
        ("Which region does Tuva border?") sits far from a long sentence that answers it."""
        if best.similarity >= self.min_relevance:
            return True
        rare = {t for t in tokenize(evidence.question) if evidence.terms.idf(t) >= RARE_IDF}
        return (
            best.similarity >= self.min_relevance / 2
            and bool(rare)
            and rare <= set(tokenize(best.text))
        )

    def abstention(
        self, evidence: Evidence, shape: QuestionShape, ranked: list[Sentence]
    ) -> str | None:
        """Why the corpus does not answer, or None. LLM modes ask this before generating."""
        if not ranked or not self._relevant(evidence, ranked[0]):
            return "no passage is relevant enough"
        return unanswerable_reason(evidence, shape, ranked, self.embeddings)

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
        shape, ranked = self.rank(evidence)
        if self.abstention(evidence, shape, ranked):
            return abstain()
        conflict = disagreement(evidence, shape, ranked, self.embeddings)
        answer = (
            render_conflict(conflict)
            if conflict
            else render(self.choose(ranked, shape, evidence.question))
        )
        return replace(answer, sentences=quoted_sentences(answer))


def abstain(mode: str = "extractive") -> Answer:
    return Answer(text=load_prompt("abstain.txt"), abstained=True, mode=mode)


def quoted_sentences(answer: Answer) -> list[SentenceCheck]:
    """Every extractive claim is a quote (or a value quoted) from what it cites: supported."""
    return [
        SentenceCheck(text.strip(), [int(n) for n in re.findall(r"\[(\d+)\]", markers)], True)
        for text, markers in re.findall(r"(.+?)((?:\[\d+\])+)", answer.text)
    ]
