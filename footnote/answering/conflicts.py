"""Where the sources disagree: different values of the kind a question asks for.

Outlets report figures, dates and durations differently ("up to 12,000" troops, "about
10,000"). When relevant sentences from different sources give different values, the answer
lays them side by side, each in its source's own words with its footnotes
(:func:`footnote.answering.render.render_conflict`), and returns the disagreement as
structured ``conflicts``. It is read from the ranked sentences (the values and the words
around them), never from a list of known topics.
"""

from __future__ import annotations

import re

from footnote.answering.candidates import similarity
from footnote.answering.question import DISPUTABLE
from footnote.answering.ranking import Ranking
from footnote.answering.render import Claim
from footnote.answering.values import Value, asked_keys

# The margin, the confirming similarity and the most values shown are settings
# (``conflict_margin``, ``confirm_similarity``, ``max_conflict_values``). The margin was tuned
# on the fit half of the dev set only, when five of its questions were typed conflict: they
# showed 1 disagreement at 2.0, 2 at 3.0, 3 at 4.0, with citation precision falling as the
# margin grows (eval/README.md). Three were re-typed since (one source, or one value, cannot
# disagree): two fit conflict questions are too few to tune it again.
JOIN_GAP = 60  # values closer than this many characters are shown as one phrase
_ADJECTIVAL = re.compile(r"-(?:old|day|week|month|year)$")
_NEXT_WORD = re.compile(r"\s+[a-z]+\b")


def disagreement(
    ranking: Ranking, margin: float, confirm_similarity: float, max_values: int
) -> list[Claim]:
    """One claim per distinct value, when sources' answering sentences state different ones.

    Each source puts forward the value of the kind asked (one the question does not already
    give) of its best-scored sentence that states one, if the model scores that sentence as an
    answer (within ``margin`` log-odds of the best); it may also confirm values other sources
    put forward, adding its footnote. One source alone never disagrees with itself: two of its
    values are usually two facts, or an update.
    """
    ranked, expect = ranking.sentences, ranking.question.expect
    if expect not in DISPUTABLE or not ranked:
        return []
    floor = ranked[0].relevance - margin
    asked = asked_keys(ranking.question.text, expect)
    claims: dict[str, Claim] = {}
    heard: set[str] = set()
    for sentence in ranked:
        found = [v for v in sentence.values(expect) if v.key not in asked]
        if not found:
            continue
        source = sentence.passage.source
        phrase = value_phrase(sentence.text, found)
        claim = claims.get(phrase.key)
        if claim is not None:
            if source not in {s.passage.source for s in claim.sentences} and (
                sentence.relevance >= floor
                or similarity(sentence, claim.lead) >= confirm_similarity
            ):
                claim.support.append(sentence)
        elif sentence.relevance >= floor and source not in heard and len(claims) < max_values:
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
