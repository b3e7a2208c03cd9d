"""Extractive answers: the source sentences that best answer the question, each footnoted.

No language model writes anything, so nothing can be invented: every claim is a verbatim
quote. The work is in choosing:

- the sentence that answers best comes first, and at most one close runner-up follows it;
- a sentence saying the same in another source adds its footnote instead of repeating it;
- when relevant sentences give *different values* for what the question asks (a figure, a
  date, a duration), the answer says the sources differ and lists each value, in the source's
  own words, with its footnote — and returns the disagreement as structured ``conflicts``;
- when the corpus cannot answer, it says so (see :mod:`api.answering.answerability`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import numpy as np
from langchain_core.embeddings import Embeddings

from api.answering.answerability import RARE_IDF, unanswerable_reason
from api.answering.base import (
    Answer,
    Answerer,
    Citation,
    Conflict,
    ConflictValue,
    Evidence,
    SentenceCheck,
)
from api.answering.question import DISPUTABLE, Expect, QuestionShape, analyse
from api.answering.values import Value, attribution, holds, values
from api.tokens import numbers, tokenize
from ingest.store import Passage
from prompts import load_prompt

MIN_WORDS = 5  # shorter "sentences" are bylines, headings and captions, not answers
SUPPORT_MARGIN = 0.1  # a second sentence must score this close to the best one
MAX_WORDS = 60  # ... and fit, with the first, in an answer read at a glance
RUNNER_UP_SIMILARITY = 0.6  # ... and say much the same, unless it matches the question better
CONFLICT_MARGIN = 0.3  # a differing value counts when its sentence scores this close
CONFLICT_SIMILARITY_MARGIN = 0.06  # ... and matches the question nearly as well as the best
MAX_CONFLICT_VALUES = 4
VALUE_WINDOW = 8  # words either side of a disputed value that say what it is about
VALUE_FIT_MARGIN = 0.3  # ... and a value's window must match the question this close to the best
SAME_CLAIM = 0.85  # sentence similarity above which two sources say the same thing
SAME_TOPIC = 0.45  # sentence similarity above which differing values are a disagreement
KEYWORD_WEIGHT = 0.25
CONTEXT_WEIGHT = 0.1  # how much the whole passage's match lifts each of its sentences
TYPE_WEIGHT = 0.1  # bonus (or penalty) for holding (or lacking) the kind of value asked for
FRAGMENT_PENALTY = 0.1  # headlines, datelines and captions state a topic, not an answer
REPEAT_PENALTY = 0.2  # a follow-up wants something new, not last turn's answer again
REPEATED = 0.7  # share of words two statements must share to say the same
JOIN_GAP = 60  # values closer than this many characters are shown as one phrase


@dataclass
class Sentence:
    """A candidate sentence, located in its source file."""

    passage: Passage
    start: int
    end: int
    text: str
    context: float = 0.0  # the dense score of the passage it came from
    page: int = 0
    similarity: float = 0.0
    relevance: float = 0.0
    vector: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def key(self) -> tuple[str, int]:
        return (self.passage.source, self.start)


@dataclass
class Claim:
    """One answer sentence (or value) and every source sentence that backs it."""

    lead: Sentence
    support: list[Sentence] = field(default_factory=list)
    value: str | None = None  # set when the claim is one value of a disagreement

    @property
    def sentences(self) -> list[Sentence]:
        return [self.lead, *self.support]


def candidate_sentences(evidence: Evidence) -> list[Sentence]:
    """The stored sentences of the retrieved passages, each tied to the best passage holding it."""
    sentences: list[Sentence] = []
    for record, vector in evidence.sentences:
        if len(record.text.split()) < MIN_WORDS:
            continue
        holders = [
            hit
            for hit in evidence.passages
            if hit.passage.source == record.source
            and hit.passage.start <= record.start
            and record.end <= hit.passage.end
        ]
        if holders:
            best = max(holders, key=lambda hit: hit.dense)
            sentences.append(
                Sentence(
                    best.passage,
                    record.start,
                    record.end,
                    record.text,
                    best.dense,
                    record.page,
                    vector=vector,
                )
            )
    return sentences


def _repeats(sentence: set[str], previous: set[str]) -> bool:
    """Whether a sentence says what the last answer said, or says all of it again."""
    if not sentence or not previous:
        return False
    shared = len(sentence & previous)
    return shared / len(sentence) >= REPEATED or shared / len(previous) >= REPEATED


_UNIT_WORD = re.compile(r"(?:day|week|month|year|old|hundred|thousand|million|billion)")
_ADJECTIVAL = re.compile(r"-(?:old|day|week|month|year)$")
_NEXT_WORD = re.compile(r"\s+[a-z]+\b")
_COMPLETE = re.compile(r"[.!?][\"”’')\]]*$")


def is_fragment(sentence: Sentence) -> bool:
    """A document's first line or a line without closing punctuation: a headline, a dateline
    or a caption. Such lines sit close to a question's topic but rarely answer it."""
    return sentence.start == 0 or not _COMPLETE.search(sentence.text.rstrip())


def _words(sentence: Sentence) -> int:
    return len(sentence.text.split())


def _similarity(a: Sentence, b: Sentence) -> float:
    return float(a.vector @ b.vector)


def _restates(candidate: Sentence, claim: Claim) -> bool:
    """Another source saying the same: near-identical wording, no figure the other lacks."""
    theirs, ours = numbers(candidate.text), numbers(claim.lead.text)
    return (
        candidate.passage.source not in {s.passage.source for s in claim.sentences}
        and _similarity(candidate, claim.lead) >= SAME_CLAIM
        and (theirs <= ours or ours <= theirs)
    )


def _disputed_values(
    sentence: Sentence, best: Sentence, question: str, expect: Expect
) -> list[Value]:
    """The values of the asked kind a sentence offers against the best one's.

    A sentence on the best one's topic offers all its values. One mostly about something else
    still offers a value whose own noun the question names: "... to support its nearly
    three-year *war*" answers "how long has the *war* gone on" in a sentence about casualties.
    """
    asked = {v.key for v in values(question, expect)}
    found = [v for v in values(sentence.text, expect) if v.key not in asked]
    if sentence is best or (
        _similarity(sentence, best) >= SAME_TOPIC
        and sentence.similarity >= best.similarity - CONFLICT_SIMILARITY_MARGIN
    ):
        return found
    if expect is Expect.QUANTITY:  # "200 soldiers killed" is not "how many soldiers were sent"
        return []
    asked_words = set(tokenize(question))
    return [v for v in found if _noun(sentence.text, v) in asked_words]


def _noun(sentence: str, value: Value) -> str | None:
    """What a value measures: its own last word when that is not a unit ("since the *raid*"),
    else the word after it ("a nearly three-year *war*")."""
    own = tokenize(value.text)
    if own and not own[-1][0].isdigit() and not _UNIT_WORD.fullmatch(own[-1]):
        return own[-1]
    after = [t for t in tokenize(sentence[value.end :]) if not t[0].isdigit()]
    return after[0] if after else None


def _window(sentence: str, value: str, words: int = VALUE_WINDOW) -> str:
    """A value with the few words either side of it: what the value itself is said about."""
    start = sentence.find(value)
    if start < 0:
        return sentence
    before = sentence[:start].split()[-words:]
    after = sentence[start + len(value) :].split()[:words]
    return " ".join([*before, value, *after])


def value_phrase(sentence: str, found: list[Value]) -> Value:
    """The sentence's figures as one phrase when they sit close together, else the first; a
    value used as an adjective keeps its noun ("a 23-month-old *conflict*")."""
    first, last = found[0], found[-1]
    if last.start - first.end <= JOIN_GAP and all(any(c.isdigit() for c in v.text) for v in found):
        first = Value(sentence[first.start : last.end], first.start, last.end)
    if _ADJECTIVAL.search(first.text) and (noun := _NEXT_WORD.match(sentence, first.end)):
        return Value(sentence[first.start : noun.end()], first.start, noun.end())
    return first


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
        for sentence, vector, similarity in zip(sentences, vectors, similarities, strict=True):
            found = set(tokenize(sentence.text))
            overlap = sum(w for t, w in weights.items() if t in found) / total
            typed = (
                0.0
                if shape.expect is Expect.ANY
                else (1.0 if holds(sentence.text, shape.expect, evidence.question) else -1.0)
            )
            sentence.vector = vector
            sentence.similarity = float(similarity)
            sentence.relevance = (
                float(similarity)
                + KEYWORD_WEIGHT * overlap
                + CONTEXT_WEIGHT * sentence.context
                + TYPE_WEIGHT * typed
                - (REPEAT_PENALTY if _repeats(found, repeated) else 0.0)
                - (FRAGMENT_PENALTY if is_fragment(sentence) else 0.0)
            )

    def disagreement(
        self, evidence: Evidence, shape: QuestionShape, ranked: list[Sentence]
    ) -> list[Claim]:
        """Claims for each distinct value of the kind asked for, if relevant sentences differ."""
        question = evidence.question
        if shape.expect not in DISPUTABLE:
            return []
        best = ranked[0]
        claims: dict[str, Claim] = {}
        for sentence in ranked:
            if sentence.relevance < best.relevance - CONFLICT_MARGIN:
                break
            found = _disputed_values(sentence, best, question, shape.expect)
            if not found:
                continue
            phrase = value_phrase(sentence.text, found)
            if phrase.key in claims:
                if sentence.passage.source not in {
                    s.passage.source for s in claims[phrase.key].sentences
                }:
                    claims[phrase.key].support.append(sentence)
            elif len(claims) < MAX_CONFLICT_VALUES:
                claims[phrase.key] = Claim(sentence, value=phrase.text)
        kept = self._answering(list(claims.values()), evidence.query_vector)
        sources = {s.passage.source for claim in kept for s in claim.sentences}
        speakers = {attribution(claim.lead.text) for claim in kept}
        # One source giving two values is usually two facts (entered combat on the 3rd,
        # captured on the 5th), and one speaker giving two is an update (Zelenskyy's 3,000,
        # then 3,800): sources disagree only when different sources, or speakers, differ.
        differ = len(sources) > 1 and (len(speakers) > 1 or None in speakers)
        return kept if len(kept) > 1 and differ else []

    def _answering(self, claims: list[Claim], question: np.ndarray) -> list[Claim]:
        """The claims whose value, read in its own words, answers the question about as well as
        the best: a sentence on casualties that mentions the troops sent offers a figure, but
        not one about casualties."""
        if len(claims) < 2:
            return claims
        windows = [_window(c.lead.text, c.value or "") for c in claims]
        vectors = np.asarray(self.embeddings.embed_documents(windows), dtype=np.float32)
        fit = vectors @ question.astype(np.float32)
        return [c for c, f in zip(claims, fit, strict=True) if f >= fit.max() - VALUE_FIT_MARGIN]

    def choose(self, ranked: list[Sentence]) -> list[Claim]:
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
                    _similarity(candidate, best) >= RUNNER_UP_SIMILARITY
                    or candidate.similarity >= best.similarity
                )
                and all(_similarity(candidate, c.lead) < SAME_CLAIM for c in claims)
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
        conflict = self.disagreement(evidence, shape, ranked)
        answer = render_conflict(conflict) if conflict else render(self.choose(ranked))
        return replace(answer, sentences=quoted_sentences(answer))


def abstain(mode: str = "extractive") -> Answer:
    return Answer(text=load_prompt("abstain.txt"), abstained=True, mode=mode)


def quoted_sentences(answer: Answer) -> list[SentenceCheck]:
    """Every extractive claim is a quote (or a value quoted) from what it cites: supported."""
    return [
        SentenceCheck(text.strip(), [int(n) for n in re.findall(r"\[(\d+)\]", markers)], True)
        for text, markers in re.findall(r"(.+?)((?:\[\d+\])+)", answer.text)
    ]


def _cite(claim: Claim, citations: list[Citation]) -> str:
    markers = ""
    for sentence in claim.sentences:
        citation = Citation(
            id=len(citations) + 1,
            source=sentence.passage.source,
            title=sentence.passage.title,
            quote=sentence.text,
            start=sentence.start,
            end=sentence.end,
            score=round(sentence.similarity, 4),
            page=sentence.page,
        )
        citations.append(citation)
        markers += f"[{citation.id}]"
    return markers


def render(claims: list[Claim]) -> Answer:
    """Number citations in order of first use and put the markers after each sentence."""
    citations: list[Citation] = []
    parts = [f"{claim.lead.text} {_cite(claim, citations)}" for claim in claims]
    return Answer(text=" ".join(parts), citations=citations)


def render_conflict(claims: list[Claim]) -> Answer:
    """ "Sources differ: <value> (<who>) [1]; <value> [2]." with structured conflicts."""
    citations: list[Citation] = []
    parts: list[str] = []
    conflict_values: list[ConflictValue] = []
    for claim in claims:
        first = len(citations) + 1
        markers = _cite(claim, citations)
        who = attribution(claim.lead.text)
        parts.append(f"{claim.value}{f' ({who})' if who else ''} {markers}")
        conflict_values.append(
            ConflictValue(value=str(claim.value), citations=list(range(first, len(citations) + 1)))
        )
    text = load_prompt("conflict.txt").format(values="; ".join(parts))
    return Answer(text=text, citations=citations, conflicts=[Conflict(conflict_values)])
