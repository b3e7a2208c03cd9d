"""Where the sources disagree: different values of the kind a question asks for.

Outlets report figures, dates and durations differently ("up to 12,000" troops, "about
10,000"). When relevant sentences from different sources give different values, the answer
lays them side by side, each in its source's own words with its footnotes, and returns the
disagreement as structured ``conflicts``. It is read from the passages (the values and the
words around them), never from a list of known topics.
"""

from __future__ import annotations

import re

from langchain_core.embeddings import Embeddings

from api.answering.answerability import speaks
from api.answering.base import Answer, Citation, Conflict, ConflictValue, Evidence
from api.answering.claims import Claim, Sentence, cite, similarity
from api.answering.question import DISPUTABLE, Expect, QuestionShape
from api.answering.values import Value, asked_keys, attribution, values, window
from api.tokens import tokenize
from prompts import load_prompt

CONFLICT_MARGIN = 0.3  # a differing value counts when its sentence scores this close
CONFLICT_SIMILARITY_MARGIN = 0.06  # ... and matches the question nearly as well as the best
SAME_TOPIC = 0.45  # sentence similarity above which differing values are a disagreement
MAX_CONFLICT_VALUES = 4
VALUE_FIT_MARGIN = 0.3  # ... and a value's window must match the question this close to the best
JOIN_GAP = 60  # values closer than this many characters are shown as one phrase
_UNIT_WORD = re.compile(r"(?:day|week|month|year|old|hundred|thousand|million|billion)")
_ADJECTIVAL = re.compile(r"-(?:old|day|week|month|year)$")
_NEXT_WORD = re.compile(r"\s+[a-z]+\b")


def disagreement(
    evidence: Evidence, shape: QuestionShape, ranked: list[Sentence], embeddings: Embeddings
) -> list[Claim]:
    """Claims for each distinct value of the kind asked for, if relevant sentences differ."""
    question = evidence.question
    if shape.expect not in DISPUTABLE:
        return []
    best = ranked[0]
    asked = asked_keys(question, shape.expect)
    claims: dict[str, Claim] = {}
    for sentence in ranked:
        if sentence.relevance < best.relevance - CONFLICT_MARGIN:
            break
        found = _disputed_values(sentence, best, question, shape.expect, asked)
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
    kept = _answering(_voiced(list(claims.values()), shape), evidence, embeddings)
    sources = {s.passage.source for claim in kept for s in claim.sentences}
    speakers = {attribution(claim.lead.text) for claim in kept}
    # One source giving two values is usually two facts (entered combat on the 3rd,
    # captured on the 5th), and one speaker giving two is an update (Zelenskyy's 3,000,
    # then 3,800): sources disagree only when different sources, or speakers, differ.
    differ = len(sources) > 1 and (len(speakers) > 1 or None in speakers)
    return kept if len(kept) > 1 and differ else []


def _voiced(claims: list[Claim], shape: QuestionShape) -> list[Claim]:
    """The values the voice the question names gives, if it gives any: "how many did the SSO
    say they killed?" wants the SSO's figure, not an official's estimate beside it."""
    voice = shape.voice_words
    voiced = [c for c in claims if voice and speaks(c.lead.text, voice)]
    return voiced or claims


def _answering(claims: list[Claim], evidence: Evidence, embeddings: Embeddings) -> list[Claim]:
    """The claims whose value, read in its own words, answers the question about as well as
    the best: a sentence on casualties that mentions the troops sent offers a figure, but
    not one about casualties."""
    if len(claims) < 2:
        return claims
    fit = evidence.fit([window(c.lead.text, c.value or "") for c in claims], embeddings)
    return [c for c, f in zip(claims, fit, strict=True) if f >= fit.max() - VALUE_FIT_MARGIN]


def _disputed_values(
    sentence: Sentence, best: Sentence, question: str, expect: Expect, asked: frozenset[str]
) -> list[Value]:
    """The values of the asked kind a sentence offers against the best one's.

    A sentence on the best one's topic offers all its values. One mostly about something else
    still offers a value whose own noun the question names: "... to support its nearly
    three-year *war*" answers "how long has the *war* gone on" in a sentence about casualties.
    """
    found = [v for v in values(sentence.text, expect) if v.key not in asked]
    if sentence is best or (
        similarity(sentence, best) >= SAME_TOPIC
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


def value_phrase(sentence: str, found: list[Value]) -> Value:
    """The sentence's figures as one phrase when they sit close together, else the first; a
    value used as an adjective keeps its noun ("a 23-month-old *conflict*")."""
    first, last = found[0], found[-1]
    if last.start - first.end <= JOIN_GAP and all(any(c.isdigit() for c in v.text) for v in found):
        first = Value(sentence[first.start : last.end], first.start, last.end)
    if _ADJECTIVAL.search(first.text) and (noun := _NEXT_WORD.match(sentence, first.end)):
        return Value(sentence[first.start : noun.end()], first.start, noun.end())
    return first


def render_conflict(claims: list[Claim]) -> Answer:
    """ "Sources differ: <value> (<who>) [1]; <value> [2]." with structured conflicts."""
    citations: list[Citation] = []
    parts: list[str] = []
    conflict_values: list[ConflictValue] = []
    for claim in claims:
        first = len(citations) + 1
        markers = cite(claim, citations)
        who = attribution(claim.lead.text)
        parts.append(f"{claim.value}{f' ({who})' if who else ''} {markers}")
        conflict_values.append(
            ConflictValue(value=str(claim.value), citations=list(range(first, len(citations) + 1)))
        )
    text = load_prompt("conflict.txt").format(values="; ".join(parts))
    return Answer(text=text, citations=citations, conflicts=[Conflict(conflict_values)])
