"""What ``footnote train`` learns from: each question's candidate sentences as an answer
finds and measures them, labelled by whether they hold a gold answer span.

The articles are indexed by the same ingest a user runs and every question goes through the
same retrieval and candidate sentences an answer uses, so the answer model is fitted on what
it will read when it serves.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from tqdm import tqdm

from eval.squad import SquadQuestion
from footnote.answering.base import Evidence
from footnote.answering.candidates import candidate_sentences
from footnote.answering.features import measure
from footnote.answering.question import Question
from footnote.embeddings import load_embeddings
from footnote.rewrite import Turn
from footnote.service import Footnote
from footnote.settings import Settings
from ingest.pipeline import ingest_folder

WITHHELD_POOL = 20  # passages retrieved before the withheld paragraph's are taken out


@dataclass
class Example:
    """One question's candidates as the answerer sees them, with their labels."""

    question: SquadQuestion
    kind: str  # the question's wh-kind (Question.kind)
    features: np.ndarray  # one row per candidate sentence
    labels: np.ndarray  # 1 where the candidate holds a gold answer
    signals: np.ndarray  # what the question model reads from retrieval (evidence_signals)
    answerable: bool  # whether the passages it was given answer it
    texts: list[str]  # the candidate sentences
    withheld: bool = False  # asked with its own paragraph taken out of the index
    logits: np.ndarray = field(default_factory=lambda: np.zeros(0))  # out-of-fold


def withheld_evidence(footnote: Footnote, question: SquadQuestion) -> Evidence:
    """What retrieval finds when the paragraph the question was asked of is not indexed.

    SQuAD's unanswerable questions are adversarial: each has a plausible wrong answer in its
    paragraph. A user's unanswerable questions are more often on the topic of the documents
    but about something they never say, which is what an answerable question becomes once its
    paragraph is gone (the rest of its article is still there). Both kinds teach the question
    model when to refuse.
    """
    start, end = question.paragraph
    vector, found = footnote.search(question.question, WITHHELD_POOL)
    kept = [
        hit
        for hit in found
        if hit.passage.source != question.source
        or hit.passage.end <= start
        or hit.passage.start >= end
    ][: footnote.settings.top_k]
    return footnote.gather(question.question, question.question, vector, kept)


def _example(
    evidence: Evidence,
    question: SquadQuestion,
    answerable: bool,
    min_words: int,
    withheld: bool = False,
) -> Example | None:
    sentences = candidate_sentences(evidence, min_words)
    if not sentences:
        return None
    labels = np.array(
        [any(s.start <= a and b <= s.end for a, b in question.spans) for s in sentences],
        dtype=np.int64,
    )
    read = Question.read(question.question)
    features, signals = measure(evidence, read, sentences)
    texts = [s.text for s in sentences]
    return Example(question, read.kind, features, labels, signals, answerable, texts, withheld)


def collect(
    footnote: Footnote, questions: Sequence[SquadQuestion], progress: bool
) -> list[Example]:
    """Retrieve for every question and measure its candidates, as an answer would; each
    answerable question is asked a second time with its paragraph withheld."""
    examples = []
    min_words = footnote.settings.min_sentence_words
    for question in tqdm(
        questions, desc="candidates", unit="q", disable=not progress, file=sys.stderr
    ):
        evidence = footnote.evidence([Turn("user", question.question)], None, "extractive")
        examples.append(_example(evidence, question, question.answerable, min_words))
        if question.answerable:
            withheld = withheld_evidence(footnote, question)
            examples.append(_example(withheld, question, False, min_words, withheld=True))
    return [e for e in examples if e is not None]


def index_and_collect(
    settings: Settings, questions: Sequence[SquadQuestion], progress: bool
) -> list[Example]:
    """Index the articles with ``settings``' embedding model and collect ``questions``."""
    embeddings = load_embeddings(settings)
    ingest_folder(settings, embeddings, progress=progress)
    return collect(Footnote.open(settings, embeddings), questions, progress)
