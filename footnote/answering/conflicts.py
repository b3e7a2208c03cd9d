"""Where the sources disagree: different values of the kind a question asks for.

Outlets report figures, dates and durations differently ("up to 12,000" troops, "about
10,000"). When relevant sentences from different sources give different values, the answer
lays them side by side, each in its source's own words with its footnotes, and returns the
disagreement as structured ``conflicts``. It is read from the passages (the values and the
words around them), never from a list of known topics.
"""

from __future__ import annotations

import re

from footnote.answering.base import Answer, Citation, Conflict, ConflictValue
from footnote.answering.claims import Claim, Sentence, cite, similarity
from footnote.answering.question import DISPUTABLE, Expect
from footnote.answering.values import Value, asked_keys, attribution, values
from prompts import load_prompt

# A source's sentence is one of the answers when the answer model scores it within this many
# log-odds of the best (odds at least 5% of the best's). Tuned on the fit half of the dev set
# only, when five of its questions were typed conflict: they showed 1 disagreement at 2.0, 2 at
# 3.0, 3 at 4.0, with citation precision falling as the margin grows (eval/README.md). Three
# were re-typed since (one source, or one value, cannot disagree): two fit conflict questions
# are too few to tune it again.
CONFLICT_MARGIN = 3.0
MAX_CONFLICT_VALUES = 4
# Another source stating the same value in a sentence this similar confirms it, however the
# model scored that sentence: the same figure about the same thing is the same claim.
CONFIRMS = 0.6
JOIN_GAP = 60  # values closer than this many characters are shown as one phrase
_ADJECTIVAL = re.compile(r"-(?:old|day|week|month|year)$")
_NEXT_WORD = re.compile(r"\s+[a-z]+\b")


def disagreement(ranked: list[Sentence], expect: Expect, question: str) -> list[Claim]:
    """One claim per distinct value, when sources' answering sentences state different ones.

    Each source puts forward the value of the kind asked (one the question does not already
    give) of its best-scored sentence that states one, if the model scores that sentence as an
    answer; it may also confirm values other sources put forward, adding its footnote. One
    source alone never disagrees with itself: two of its values are usually two facts, or an
    update.
    """
    if expect not in DISPUTABLE or not ranked:
        return []
    floor = ranked[0].relevance - CONFLICT_MARGIN
    asked = asked_keys(question, expect)
    claims: dict[str, Claim] = {}
    heard: set[str] = set()
    for sentence in ranked:
        found = [v for v in values(sentence.text, expect) if v.key not in asked]
        if not found:
            continue
        source = sentence.passage.source
        phrase = value_phrase(sentence.text, found)
        claim = claims.get(phrase.key)
        if claim is not None:
            if source not in {s.passage.source for s in claim.sentences} and (
                sentence.relevance >= floor or similarity(sentence, claim.lead) >= CONFIRMS
            ):
                claim.support.append(sentence)
        elif (
            sentence.relevance >= floor
            and source not in heard
            and len(claims) < MAX_CONFLICT_VALUES
        ):
            claims[phrase.key] = Claim(sentence, value=phrase.text)
        if sentence.relevance >= floor:
            heard.add(source)
    return list(claims.values()) if len(claims) > 1 and len(heard) > 1 else []


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
