"""The learned answer model: which sentence answers, and whether any does.

Two logistic regressions over :mod:`footnote.answering.features`, fitted by ``footnote train`` on
public question-answer data (SQuAD 2.0 articles that are never reported on):

- the *sentence* model scores each candidate: the log-odds that it holds the answer;
- the *question* model reads the best candidates' scores and says how likely the passages
  answer at all; below a threshold calibrated on the fitted articles, Footnote refuses.

A logistic regression is a few hundred numbers, stored as JSON beside this module (or any
path in ``FOOTNOTE_SELECTOR_MODEL``), applied with one matrix product: it adds well under a
millisecond to an answer, and its weights can be read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from footnote.answering.features import (
    BASE_FEATURES,
    COLUMN,
    SENTENCE_FEATURES,
    SENTENCE_PROPERTIES,
    SIGNALS,
)
from footnote.answering.question import KIND_NAMES
from footnote.errors import FootnoteError

DEFAULT_MODEL = Path(__file__).with_name("selector.json")

# The question model's inputs beyond the question's own SIGNALS: how the sentence model scored
# the best candidates, and whether they hold the kind of thing asked for.
# What usually answers each kind of question; the question model learns how much its absence
# from the best sentences says (a "how many" question answered by no figure).
ANSWER_PROPERTY = {
    "when": "date",
    "count": "figure",
    "measure": "figure",
    "who": "name",
    "where": "place",
    "why": "cause",
}
TOP_SENTENCES = 3  # how far down the ranking the kind of answer asked for may sit
QUESTION_FEATURES = [
    "best_logit",
    "logit_margin",
    "best_cosine",
    "best_overlap",
    "best_passage_overlap",
    "best_window_overlap",
    "best_missing_names",
    "best_window_missing_names",
    "kind_missing",
    "contradicted",
    *SIGNALS,
]


def _kind_missing(kind: str, features: np.ndarray, top: np.ndarray) -> float:
    """1 when the question asks for a kind of thing none of the top sentences holds."""
    wanted = ANSWER_PROPERTY.get(kind)
    if wanted is None:
        return 0.0
    column = (
        len(BASE_FEATURES)
        + KIND_NAMES.index(kind) * len(SENTENCE_PROPERTIES)
        + SENTENCE_PROPERTIES.index(wanted)
    )
    return float(not features[top, column].any())


def question_features(
    kind: str, signals: np.ndarray, features: np.ndarray, logits: np.ndarray
) -> np.ndarray:
    """One row of :data:`QUESTION_FEATURES` for a question of this ``kind``: how well the best
    candidates answer and what they lack, then the question's own ``SIGNALS``."""
    order = np.argsort(-logits)
    best = order[0]
    margin = float(logits[best] - logits[order[1]]) if len(order) > 1 else 0.0
    best_row = features[best]
    head = [
        float(logits[best]),
        margin,
        float(features[:, COLUMN["cosine"]].max()),
        *(
            float(best_row[COLUMN[name]])
            for name in (
                "overlap",
                "passage_overlap",
                "window_overlap",
                "missing_names",
                "window_missing_names",
            )
        ),
        _kind_missing(kind, features, order[:TOP_SENTENCES]),
        max(  # the question denies what its best sentence states, or says the opposite
            signals[SIGNALS.index("question_negated")] * (1.0 - best_row[COLUMN["negated"]]),
            best_row[COLUMN["opposes"]],
        ),
    ]
    return np.concatenate([np.array(head, dtype=np.float64), signals])


class BadSelectorModel(FootnoteError):
    """Raised when the answer model file is missing or not one ``footnote train`` wrote."""

    status = 500
    title = "Answer model unavailable"


@dataclass(frozen=True)
class Linear:
    """A standardised logistic regression: ``logit = ((x - mean) / scale) @ weights + bias``."""

    features: list[str]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float

    def logits(self, rows: np.ndarray) -> np.ndarray:
        return np.asarray(((rows - self.mean) / self.scale) @ self.weights + self.bias)

    def to_json(self) -> dict[str, Any]:
        return {
            "features": self.features,
            "mean": [round(float(v), 6) for v in self.mean],
            "scale": [round(float(v), 6) for v in self.scale],
            "weights": [round(float(v), 6) for v in self.weights],
            "bias": round(self.bias, 6),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], expected: list[str]) -> Linear:
        if data["features"] != expected:
            raise BadSelectorModel(
                "The answer model was trained on other features than this code computes: "
                "rebuild it with `footnote train`."
            )
        return cls(
            list(data["features"]),
            np.asarray(data["mean"], dtype=np.float64),
            np.asarray(data["scale"], dtype=np.float64),
            np.asarray(data["weights"], dtype=np.float64),
            float(data["bias"]),
        )


@dataclass(frozen=True)
class Selector:
    """Both models, the refusal threshold and how close a runner-up must score."""

    sentence: Linear
    question: Linear
    threshold: float  # refuse when P(answerable) falls below this
    runner_up_margin: float  # a second sentence joins when its logit is this close to the best
    provenance: dict[str, Any]

    def answerable(self, row: np.ndarray) -> float:
        """The probability that the passages answer, from one row of :data:`QUESTION_FEATURES`."""
        return float(1 / (1 + np.exp(-self.question.logits(row[None, :])[0])))

    def score(
        self, kind: str, features: np.ndarray, signals: np.ndarray
    ) -> tuple[np.ndarray, float]:
        """Both models in turn: each candidate's log-odds of answering, then the probability
        that any of them does, read from those log-odds and the question's ``signals``."""
        logits = self.sentence.logits(features)
        return logits, self.answerable(question_features(kind, signals, features, logits))

    def save(self, path: Path) -> None:
        data = {
            "sentence": self.sentence.to_json(),
            "question": self.question.to_json(),
            "threshold": round(self.threshold, 6),
            "runner_up_margin": round(self.runner_up_margin, 6),
            "provenance": self.provenance,
        }
        path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


@lru_cache(maxsize=4)
def load_selector(path: Path = DEFAULT_MODEL) -> Selector:
    """Read a model ``footnote train`` wrote; cached, so every answerer shares one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Selector(
            Linear.from_json(data["sentence"], SENTENCE_FEATURES),
            Linear.from_json(data["question"], QUESTION_FEATURES),
            float(data["threshold"]),
            float(data["runner_up_margin"]),
            dict(data.get("provenance", {})),
        )
    except (OSError, json.JSONDecodeError, KeyError, TypeError) as error:
        raise BadSelectorModel(
            f"Cannot read the answer model {path} ({type(error).__name__}): "
            "set FOOTNOTE_SELECTOR_MODEL to a file `footnote train` wrote, or run it."
        ) from None
