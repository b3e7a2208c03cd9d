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

from footnote.errors import FootnoteError

DEFAULT_MODEL = Path(__file__).with_name("selector.json")


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
        """The probability that the passages answer the question."""
        return float(1 / (1 + np.exp(-self.question.logits(row[None, :])[0])))

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
    from footnote.answering.features import QUESTION_FEATURES, SENTENCE_FEATURES

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
