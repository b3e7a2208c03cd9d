"""The embedding model's precision: bfloat16 where the CPU has it, never mixed in one index."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from footnote.embeddings import SentenceEmbeddings, model_label, native_bfloat16
from footnote.settings import Settings

TEXTS = [
    "Ukraine said it captured two Chinese citizens fighting for Russia.",
    "The soldiers were caught in the Donetsk region, according to Zelensky.",
    "Kyiv",
]


def test_bfloat16_is_used_only_where_the_cpu_has_it(tmp_path: Path) -> None:
    with_it, without = tmp_path / "with", tmp_path / "without"  # one file each: read once
    with_it.write_text("processor\t: 0\nflags\t\t: fpu sse2 avx2 avx512f avx512_bf16 avx512bw\n")
    assert native_bfloat16(with_it)
    without.write_text("processor\t: 0\nflags\t\t: fpu sse2 avx2 avx512f avx512bw\n")
    assert not native_bfloat16(without)
    assert not native_bfloat16(tmp_path / "missing")


def test_bfloat16_vectors_are_float32_vectors_to_four_decimals(embeddings: Embeddings) -> None:
    assert isinstance(embeddings, SentenceEmbeddings)
    kinds = [
        SentenceEmbeddings(**{**embeddings.model_dump(), "bfloat16": flag})
        for flag in (False, True)
    ]
    single, half = (np.asarray(kind.embed_documents(TEXTS)) for kind in kinds)
    assert np.all((single * half).sum(axis=1) > 0.9999)
    assert not np.array_equal(single, half)  # the autocast did run


def test_a_precision_change_is_a_new_model_for_the_index() -> None:
    """The label is part of every fingerprint and cache key: switching precision re-embeds."""
    single = model_label(Settings(embedding_precision="float32", _env_file=None))
    half = model_label(Settings(embedding_precision="bfloat16", _env_file=None))
    assert single != half and "MiniLM" in single and half.endswith("bfloat16")
