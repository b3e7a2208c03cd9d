"""Decides when the retrieved sentences, however on-topic, do not answer the question.

Topical similarity is not an answer: "Which hospital is treating the soldiers?" sits close to
"the soldiers were receiving medical care in Kyiv". Each check below looks for the thing the
question asks about and fails when the corpus plainly lacks it:

- the question's focus noun ("how many *tanks*", "which *hospital*") never occurs in the corpus;
- a multi-word name it mentions ("the United Nations") never occurs in the corpus;
- it asks for a value (an amount of money, a figure, a date, a length of time) and none of
  the most relevant sentences states one the question does not already give;
- contrastive check: the one or two rare words of the question that the best sentences do not
  contain, taken out of the question, make those sentences match *better*. The model then sees
  the sentences as about the rest of the question, not about what it asks. (More unmatched
  words mean a paraphrase, where the check is unreliable, so it stays silent.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from langchain_core.embeddings import Embeddings

from api.answering.base import Evidence
from api.answering.question import Expect, QuestionShape
from api.answering.values import holds
from api.tokens import tokenize

if TYPE_CHECKING:
    from api.answering.extractive import Sentence

RARE_IDF = 2.5  # words rarer than this carry the question's specific ask
CONTRAST_SENTENCES = 3
MAX_UNMATCHED_WORDS = 2  # more unmatched words read as a paraphrase, not a missing detail
MIN_FOCUS_GAIN = -0.01
VALUE_SENTENCES = 5  # how far down the ranking a value of the asked kind may sit
_VALUE_KINDS = {  # what the question asks for, and the kinds of value that may answer it
    Expect.MONEY: ("an amount of money", (Expect.MONEY,)),
    Expect.QUANTITY: ("a figure", (Expect.QUANTITY,)),
    Expect.DATE: ("a date", (Expect.DATE,)),
    # A year may be given as one, or relative to the article's date ("five months ago").
    Expect.YEAR: ("a date", (Expect.DATE,)),
    # "How long is the bridge?" asks for a length, not a time: any figure may answer.
    Expect.DURATION: ("a figure or a length of time", (Expect.DURATION, Expect.QUANTITY)),
}


def _unknown(evidence: Evidence, words: str) -> bool:
    return any(evidence.terms.frequency(t) == 0 for t in tokenize(words))


def _mentioned(name: str, evidence: Evidence) -> bool:
    """Whether a retrieved passage names ``name``, word for word; keyword retrieval would
    have brought such a passage in if the corpus had one."""
    words = " ".join(tokenize(name))
    return any(words in " ".join(tokenize(hit.passage.text)) for hit in evidence.passages)


def _focus_gain(
    evidence: Evidence, ranked: Sequence[Sentence], embeddings: Embeddings
) -> float | None:
    """How much better the top sentences match the full question than the question without
    its rare, unmatched words; None when there are no such words to take out."""
    best = ranked[:CONTRAST_SENTENCES]
    shared = set.intersection(*(set(tokenize(s.text)) for s in best))
    kept, dropped = [], 0
    for word in evidence.question.split():
        tokens = tokenize(word)
        if tokens and evidence.terms.idf(tokens[0]) >= RARE_IDF and tokens[0] not in shared:
            dropped += 1
            continue
        kept.append(word)
    if not dropped or dropped > MAX_UNMATCHED_WORDS or not kept:
        return None
    topic = np.asarray(embeddings.embed_query(" ".join(kept)), dtype=np.float32)
    return max(s.similarity - float(s.vector @ topic) for s in best)


def unanswerable_reason(
    evidence: Evidence, shape: QuestionShape, ranked: Sequence[Sentence], embeddings: Embeddings
) -> str | None:
    """Why the corpus cannot answer, or None when the best sentences may well answer."""
    if shape.focus and _unknown(evidence, shape.focus):
        return f"the corpus never mentions {shape.focus!r}"
    for name in shape.names:
        if not _mentioned(name, evidence):
            return f"no passage mentions {name}"
    if shape.expect in _VALUE_KINDS:
        kind, answering = _VALUE_KINDS[shape.expect]
        if not any(
            holds(s.text, expect, evidence.question)
            for s in ranked[:VALUE_SENTENCES]
            for expect in answering
        ):
            return f"no relevant passage states {kind}"
    if not evidence.is_followup:
        gain = _focus_gain(evidence, ranked, embeddings)
        if gain is not None and gain <= MIN_FOCUS_GAIN:
            return "the passages are on the topic but do not address what is asked"
    return None
