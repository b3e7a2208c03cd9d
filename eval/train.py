"""``footnote train``: tune the embedding model and fit the answer model, reproducibly.

The data is SQuAD 2.0 (``data/datasets/squad2-dev8`` by default): its articles are
indexed by the same ingest a user runs, every question goes through the same retrieval and
candidate sentences an answer uses, and each candidate is labelled by whether it holds a gold
answer span. Only the *fit* articles are used (:data:`eval.squad.HELD_OUT_ARTICLES` are
never seen). In order:

1. the packaged MiniLM finds each question's candidates; each answerable question, its
   nearest answering sentence and its nearest wrong one are what the embedding model is
   tuned on (:mod:`eval.tuning`);
2. for each fit article, layers tuned without it index the articles again and measure that
   article's candidates, so the answer model learns how far to trust similarity on
   documents the embedding model never saw, not on its own training questions;
3. the answer model is fitted on those, and the two things that need unbiased scores, the
   question model's inputs and the refusal threshold, come from leave-one-article-out
   predictions: each article is scored by a sentence model fitted without it;
4. the layers the server uses are tuned on every fit article's questions.

Nothing is sampled (fixed seeds, a fixed solver, fixed folds) and every weighted sum is exact,
yet the weights can move in the fifth decimal from run to run: Chroma's approximate search
returns a slightly different tail of nearest passages for about 0.5% of queries from one
process to the next, even on the same index.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from tqdm import tqdm

from eval.dataset import BadQuestionSet
from eval.examples import Example
from eval.squad import HELD_OUT_ARTICLES, load_squad
from eval.tuning import tune, tuned_examples
from footnote.answering.features import SENTENCE_FEATURES
from footnote.answering.selector import (
    DEFAULT_MODEL,
    QUESTION_FEATURES,
    Linear,
    Selector,
    load_selector,
    question_features,
)
from footnote.embeddings import file_digest, model_label
from footnote.settings import Settings

# Calibrate the threshold to refuse this share of answerable questions: the most a user is
# asked to accept. Thresholds read this way transfer conservatively: nested leave-one-article-
# out on the fit articles refused 0.089 of the answerable questions at this target.
REFUSED_ANSWERABLE = 0.10
REGULARISATION = 1.0  # inverse L2 strength, the solver's default; standardised inputs
RUNNER_UP_MARGINS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)
RUNNER_UP_COST = 0.25  # a right answer recovered is worth four needless second sentences
# How well a sentence's passage matched says much on SQuAD, where the top passage holds the
# answer 90% of the time, and little among several outlets covering one event: choosing among
# sentences by it would learn one corpus's retrieval, not what answers (it added 0.005 on
# held-out SQuAD articles). The question model reads it for the best sentence, and whether
# that sentence negates or opposes the question, which says nothing of a sentence alone.
SENTENCE_MODEL_IGNORES = ("passage_overlap", "negated", "opposes")


def fit_linear(rows: np.ndarray, labels: np.ndarray, names: list[str]) -> Linear:
    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=REGULARISATION, max_iter=2000, solver="lbfgs")
    model.fit((rows - mean) / scale, labels)
    return Linear(names, mean, scale, model.coef_[0].copy(), float(model.intercept_[0]))


def fit_sentences(examples: Sequence[Example]) -> Linear:
    """The sentence model, on answerable questions' candidates (unanswerable ones have no
    right sentence to learn from). The features in :data:`SENTENCE_MODEL_IGNORES` get weight
    zero (their column is blanked while fitting)."""
    answerable = [e for e in examples if e.answerable]
    rows = np.concatenate([e.features for e in answerable])
    rows[:, [SENTENCE_FEATURES.index(name) for name in SENTENCE_MODEL_IGNORES]] = 0.0
    labels = np.concatenate([e.labels for e in answerable])
    return fit_linear(rows, labels, SENTENCE_FEATURES)


def out_of_fold_logits(examples: Sequence[Example], progress: bool) -> None:
    """Score each article's candidates with a sentence model fitted on the other articles."""
    articles = sorted({e.question.article for e in examples})
    for article in tqdm(articles, desc="folds", disable=not progress, file=sys.stderr):
        model = fit_sentences([e for e in examples if e.question.article != article])
        for example in examples:
            if example.question.article == article:
                example.logits = model.logits(example.features)


def question_rows(examples: Sequence[Example]) -> tuple[np.ndarray, np.ndarray]:
    rows = np.stack([question_features(e.kind, e.signals, e.features, e.logits) for e in examples])
    labels = np.array([e.answerable for e in examples], dtype=np.int64)
    return rows, labels


def calibrate(examples: Sequence[Example]) -> tuple[Linear, float]:
    """The question model, and the refusal threshold read off out-of-fold probabilities:
    the one at which :data:`REFUSED_ANSWERABLE` of the answerable questions are refused."""
    rows, labels = question_rows(examples)
    articles = np.array([e.question.article for e in examples])
    probabilities = np.zeros(len(examples))
    for article in sorted(set(articles)):
        held = articles == article
        model = fit_linear(rows[~held], labels[~held], QUESTION_FEATURES)
        probabilities[held] = 1 / (1 + np.exp(-model.logits(rows[held])))
    threshold = float(np.quantile(probabilities[labels == 1], REFUSED_ANSWERABLE))
    return fit_linear(rows, labels, QUESTION_FEATURES), threshold


def runner_up_margin(examples: Sequence[Example]) -> float:
    """The margin that best trades a right second sentence gained against a wrong one shown,
    on out-of-fold scores of answerable questions."""

    def gain(margin: float) -> float:
        total = 0.0
        for e in examples:
            if not e.answerable or len(e.logits) < 2:
                continue
            first, second = np.argsort(-e.logits)[:2]
            if e.logits[first] - e.logits[second] <= margin:
                if e.labels[second] and not e.labels[first]:
                    total += 1
                elif not e.labels[second]:
                    total -= RUNNER_UP_COST
        return total

    return max(RUNNER_UP_MARGINS, key=gain)


def embedded_with(settings: Settings) -> str:
    """The embeddings an answer model is fitted on, as its provenance records them: the
    packaged model at the configured precision (tuning starts from it)."""
    return model_label(settings.model_copy(update={"embedding_tuning": "none"}))


def unlike_bundled(settings: Settings) -> str | None:
    """Why a model trained with these settings cannot come out as the bundled one, or None.
    The embedding arithmetic is part of the data: ``auto`` precision is bfloat16 only on CPUs
    with bfloat16 instructions, and a model trained under float32 differed from one trained
    under bfloat16 in its tuned layers, its weights (by up to 0.025) and its runner-up margin."""
    bundled = load_selector(DEFAULT_MODEL).provenance.get("embedding_model")
    mine = embedded_with(settings)
    if bundled is None or bundled == mine:
        return None
    return (
        f"the bundled answer model was trained on embeddings from {bundled}, this run embeds "
        f"with {mine}: the model it writes will differ from the bundled one "
        "(FOOTNOTE_EMBEDDING_PRECISION sets the precision; see README, Retraining)."
    )


def writable(path: Path) -> None:
    """Raise OSError now, not after forty minutes of training, if ``path`` cannot be written."""
    if path.parent.exists() and not path.parent.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path.parent))
    path.parent.mkdir(parents=True, exist_ok=True)
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))


def train(
    dataset: Path,
    out: Path,
    model_path: Path,
    layers: Path,
    *,
    settings: Settings | None = None,
    progress: bool = True,
) -> dict[str, Any]:
    """Tune the embedding model and fit the answer model on the dataset's fit articles; write
    the tuned layers to ``layers`` and the answer model to ``model_path``."""
    squad = load_squad(dataset)
    if not squad.select("fit"):
        raise BadQuestionSet(
            f"Every article of {dataset} is held out from fitting "
            f"({', '.join(sorted(HELD_OUT_ARTICLES))}): train on a file with other articles."
        )
    for target in (layers, model_path):
        writable(target)
    base = settings or Settings()
    questions = squad.select("fit")
    examples, found = tuned_examples(squad.indexed(out, base), questions, out / "folds", progress)
    tune(found, layers, progress=progress)
    out_of_fold_logits(examples, progress)
    question_model, threshold = calibrate(examples)
    selector = Selector(
        fit_sentences(examples),
        question_model,
        threshold,
        runner_up_margin(examples),
        provenance={
            "dataset": dataset.name,
            "articles": sorted({e.question.article for e in examples}),
            "questions": sum(not e.withheld for e in examples),
            "withheld_paragraph_questions": sum(e.withheld for e in examples),
            "refused_answerable_target": REFUSED_ANSWERABLE,
            "embedding_model": embedded_with(base),
            "tuned_layers": f"{layers.name} {file_digest(layers)}",
            "tuning_triples": len(found),
        },
    )
    selector.save(model_path)
    return selector.provenance | {"threshold": threshold}
