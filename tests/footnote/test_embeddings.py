"""The embedding model: its tuned layers and its precision, each a new model for the index."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings
from safetensors.torch import load_file, save_file

from footnote.embeddings import (
    TUNED_LAYERS,
    BadTunedLayers,
    EmbeddingModelUnavailable,
    SentenceEmbeddings,
    load_embeddings,
    model_label,
    native_bfloat16,
)
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


def test_the_bundled_model_is_minilm_with_the_tuned_layers_over_it(
    embeddings: Embeddings, tmp_path: Path
) -> None:
    """Tuning moved every transformer layer, not the word embeddings; `none` is the package."""
    plain = load_embeddings(Settings(embedding_tuning="none", _env_file=None))
    assert isinstance(embeddings, SentenceEmbeddings) and isinstance(plain, SentenceEmbeddings)
    tuned_state = embeddings._client[0].auto_model.state_dict()
    plain_state = plain._client[0].auto_model.state_dict()
    layers = load_file(str(TUNED_LAYERS))
    assert set(layers) == {name for name in tuned_state if not name.startswith("embeddings.")}
    assert all(tuned_state[n].equal(plain_state[n]) for n in tuned_state if n not in layers)
    assert not tuned_state["encoder.layer.5.output.dense.weight"].equal(
        plain_state["encoder.layer.5.output.dense.weight"]
    )
    labels = {
        model_label(Settings(embedding_tuning=tuning, _env_file=None))
        for tuning in (None, "none", str(tmp_path / "other.safetensors"))
    }
    assert len(labels) == 3  # each is an index of its own


def test_layers_of_another_model_are_refused_saying_what_to_do(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.safetensors"
    layers = load_file(str(TUNED_LAYERS))
    save_file({name: layers[name] for name in sorted(layers)[:3]}, str(wrong))
    garbage = tmp_path / "garbage.safetensors"
    garbage.write_bytes(b"not a tensor file")
    for path in (wrong, garbage, tmp_path / "missing.safetensors"):
        with pytest.raises(BadTunedLayers, match="FOOTNOTE_EMBEDDING_TUNING"):
            load_embeddings(Settings(embedding_tuning=str(path), _env_file=None))


def test_a_model_that_cannot_be_loaded_is_refused_saying_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")  # a folder, but not a model's
    for name in (str(tmp_path), str(tmp_path / "missing"), "not/a-model-here"):
        with pytest.raises(EmbeddingModelUnavailable, match="FOOTNOTE_EMBEDDING_MODEL"):
            load_embeddings(Settings(embedding_model=name, _env_file=None))
