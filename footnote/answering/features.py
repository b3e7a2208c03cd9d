"""What the answer model sees of a question and each candidate sentence: plain numbers.

Every signal here is general, measured the same way on any corpus, and cheap: sentence
vectors come precomputed from ingest, so a question costs one embedding (already made for
retrieval) and a few dot products. How much each signal counts is not written here; it is
learned from public question-answer data by ``footnote train`` (see :mod:`eval.train`).

- how close the sentence is in meaning (cosine) and in words (the rarity-weighted share of
  the question's words it holds, as written and as stems), absolutely and against the best
  candidate;
- how much of the question its passage holds;
- whether it adds anything to the question (an answer states something the question lacks);
- the kind of thing it holds (a figure, a date, a name, a cause, a place) crossed with the
  kind of question ("when", "who", "how many" ...), so the model learns which kinds answer
  which questions instead of a rule saying so;
- whether it is a headline or caption;
- whether a question that asks about what did *not* happen meets a best sentence that
  negates nothing, or the question uses the opposite of one of the sentence's words ("a
  decrease" where it says "an increase"): common ways to ask what the documents never say.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from footnote.answering.base import Evidence
from footnote.answering.question import KIND_NAMES, Question
from footnote.answering.values import DATE
from footnote.lexicon import CAUSAL, alternation, opposites_of
from footnote.tokens import identifiers, stem, tokenize

if TYPE_CHECKING:
    from footnote.answering.candidates import Sentence


_CAPITAL = re.compile(r"(?<=\s)[A-Z][\w’'-]+")  # not the sentence's first word
_CAUSE = re.compile(rf"\b{alternation(CAUSAL)}\b")
_PLACE = re.compile(r"\b(?:in|at|near|from|to)\s+(?:the\s+)?[A-Z]")
_COMPLETE = re.compile(r"[.!?][\"”’')\]]*$")
SENTENCE_PROPERTIES = ["figure", "date", "name", "cause", "place"]

BASE_FEATURES = [
    "cosine",
    "cosine_gap",
    "overlap",
    "overlap_gap",
    "stem_overlap",
    "stem_overlap_gap",
    "passage_overlap",
    "novelty",
    "log_words",
    "fragment",
    "missing_names",
    "neighbour_overlap",
    "neighbour_cosine",
    "window_overlap",
    "window_missing_names",
    "negated",
    "opposes",
]
SENTENCE_FEATURES = BASE_FEATURES + [
    f"{kind}*{prop}" for kind in KIND_NAMES for prop in SENTENCE_PROPERTIES
]
# What the question model reads from the question and retrieval alone (evidence_signals); the
# rest of its inputs come from the sentence model's scores (footnote.answering.selector).
SIGNALS = ["missing_rare", "top_passage_score", "question_words", "question_negated"]
COLUMN = {name: i for i, name in enumerate(SENTENCE_FEATURES)}
RARE_IDF = 2.0  # a question word this rare says what it is specifically about


def properties(sentence: Sentence, question_tokens: AbstractSet[str]) -> list[float]:
    """What kind of thing the sentence holds that the question does not already give."""
    text = sentence.text
    figures = {t for t in sentence.words if t[0].isdigit()} - question_tokens
    names = capitalised(text) - question_tokens
    return [
        float(bool(figures)),
        float(bool(DATE.search(text))),
        float(bool(names)),
        float(bool(_CAUSE.search(text.lower()))),
        float(bool(_PLACE.search(text))),
    ]


@lru_cache(maxsize=4096)
def passage_words(text: str) -> frozenset[str]:
    """A passage's tokens: read by the sentence and the question features of every answer
    that retrieves it, so tokenised once, not once per feature and question."""
    return frozenset(tokenize(text))


def _weights(evidence: Evidence) -> dict[str, float]:
    """Each asked word's rarity. A follow-up's standalone query also carries the earlier turns:
    their words count as asked (a sentence repeating them adds nothing new) but weigh nothing,
    or the sentence that answered the last question wins again by repeating it."""
    own = set(tokenize(evidence.question))
    return {t: evidence.terms.idf(t) if t in own else 0.0 for t in set(tokenize(evidence.query))}


def _stem_weights(weights: dict[str, float]) -> dict[str, float]:
    stems: dict[str, float] = {}
    for token, weight in weights.items():
        root = stem(token)
        stems[root] = max(stems.get(root, 0.0), weight)
    return stems


def _share(weights: dict[str, float], found: AbstractSet[str]) -> float:
    """The weighted share of ``weights``' words in ``found``, summed exactly (``fsum``): the
    words come from sets, whose order changes from run to run, and a plain sum's rounding
    with it, which made ``footnote train`` write slightly different weights each time."""
    total = math.fsum(weights.values())
    return math.fsum(w for t, w in weights.items() if t in found) / total if total else 0.0


def opposes(found: AbstractSet[str], asked: AbstractSet[str]) -> bool:
    """Whether the sentence has the opposite of a question word it lacks ("increase" for a
    question's "decrease"), in a word the question lacks. Words inside names count too: a
    question about the "Office of Eastern Medicine" over a sentence about the "Office of
    Western Medicine" is one SQuAD's unanswerable questions ask (eval/README.md, "Tried and
    not adopted")."""
    mine = found - asked
    return any(not opposites_of(word).isdisjoint(mine) for word in asked - found)


def measure(
    evidence: Evidence, question: Question, sentences: Sequence[Sentence]
) -> tuple[np.ndarray, np.ndarray]:
    """Everything the answer model reads: one row of :data:`SENTENCE_FEATURES` per candidate
    and the question's :data:`SIGNALS`, from one reading of the question's word weights."""
    weights = _weights(evidence)
    return (
        sentence_features(evidence, question, sentences, weights),
        evidence_signals(evidence, question, weights),
    )


def sentence_features(
    evidence: Evidence,
    question: Question,
    sentences: Sequence[Sentence],
    weights: dict[str, float],
) -> np.ndarray:
    """One row of :data:`SENTENCE_FEATURES` per candidate; sets each ``similarity``."""
    matrix = np.zeros((len(sentences), len(SENTENCE_FEATURES)))
    cosines = np.stack([s.vector for s in sentences]) @ evidence.question_vector.astype(np.float32)
    stem_weights = _stem_weights(weights)
    asked = set(weights)
    passages = {
        id(hit.passage): (
            _share(weights, passage_words(hit.passage.text)),
            missing_names(evidence.query, hit.passage.text),
        )
        for hit in evidence.passages
    }
    kinds = len(BASE_FEATURES) + KIND_NAMES.index(question.kind) * len(SENTENCE_PROPERTIES)
    for row, (sentence, cosine) in enumerate(zip(sentences, cosines, strict=True)):
        found = sentence.words
        sentence.similarity = float(cosine)
        overlap, missing = passages.get(id(sentence.passage), (0.0, 0.0))
        own = {
            "cosine": float(cosine),
            "overlap": _share(weights, found),
            "stem_overlap": _share(stem_weights, sentence.stems),
            "passage_overlap": overlap,
            "novelty": len(found - asked) / len(found) if found else 0.0,
            "log_words": math.log(1 + len(sentence.text.split())),
            "fragment": float(sentence.start == 0 or not _COMPLETE.search(sentence.text.rstrip())),
            "missing_names": missing,
            "negated": float(sentence.negated),
            "opposes": float(opposes(found, asked)),
        }
        matrix[row, [COLUMN[name] for name in own]] = list(own.values())
        matrix[row, kinds : kinds + len(SENTENCE_PROPERTIES)] = properties(sentence, asked)
    for name in ("cosine", "overlap", "stem_overlap"):  # against the best candidate
        values = matrix[:, COLUMN[name]]
        matrix[:, COLUMN[f"{name}_gap"]] = values - values.max()
    _neighbours(matrix, sentences, weights, names_of(evidence.query))
    return matrix


def _neighbours(
    matrix: np.ndarray, sentences: Sequence[Sentence], weights: dict[str, float], names: set[str]
) -> None:
    """The sentences either side of each candidate, and the heading it sits under: an answer
    often sits next to the one that repeats the question's words ("It was built in 1850."
    after the sentence naming it), or under the heading that names its subject."""
    order = sorted(
        range(len(sentences)), key=lambda i: (sentences[i].passage.source, sentences[i].start)
    )
    words = [s.words for s in sentences]
    for position, i in enumerate(order):
        around = [
            order[j]
            for j in (position - 1, position + 1)
            if 0 <= j < len(order)
            and sentences[order[j]].passage.source == sentences[i].passage.source
        ]
        window = words[i].union(sentences[i].heading_words, *(words[j] for j in around))
        matrix[i, COLUMN["neighbour_overlap"]] = max(
            (matrix[j, COLUMN["overlap"]] for j in around), default=0.0
        )
        matrix[i, COLUMN["neighbour_cosine"]] = max(
            (matrix[j, COLUMN["cosine"]] for j in around), default=0.0
        )
        matrix[i, COLUMN["window_overlap"]] = _share(weights, window)
        matrix[i, COLUMN["window_missing_names"]] = (
            len(names - window) / len(names) if names else 0.0
        )


def evidence_signals(
    evidence: Evidence, question: Question, weights: dict[str, float]
) -> np.ndarray:
    """The :data:`SIGNALS`: whether the passages hold the question's rare words at all
    (adversarial questions often swap in one the documents never use), how well the top
    passage matched, how long the question is and whether it negates."""
    rare = {t: w for t, w in weights.items() if w >= RARE_IDF}
    retrieved = frozenset().union(*(passage_words(hit.passage.text) for hit in evidence.passages))
    missing = _share(rare, {t for t in rare if t not in retrieved}) if rare else 0.0
    top = max((hit.dense for hit in evidence.passages), default=0.0)
    negated = float(question.negated)
    return np.array([missing, top, math.log(1 + len(weights)), negated], dtype=np.float64)


def capitalised(text: str) -> set[str]:
    """The tokens of the text's capitalised words after its first: mostly parts of names."""
    return {token for word in _CAPITAL.findall(text) for token in tokenize(word)}


def names_of(question: str) -> set[str]:
    """The names and figures a question uses: its capitalised words after the first, its
    numbers and its underscored identifiers, as tokens."""
    names = capitalised(" " + question.split(" ", 1)[-1])
    return names | {t for t in tokenize(question) if t[0].isdigit()} | set(identifiers(question))


def missing_names(question: str, text: str) -> float:
    """The share of the question's :func:`names_of` that the text never states: "What did Mara
    Venn build in 1891?" over a passage about 1887 is probably not answered there."""
    names = names_of(question)
    return len(names - passage_words(text)) / len(names) if names else 0.0
