"""A content-addressed cache of vectors, so the model never embeds the same text twice.

Renaming a file, moving a folder, or a sentence shared by many documents (a boilerplate line,
a quote repeated across outlets) then costs a lookup instead of a model call. It wraps any
LangChain ``Embeddings`` and keeps vectors in one SQLite file beside the Chroma database,
keyed by the model and the text's hash; queries are never cached.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings


class CachedEmbeddings(Embeddings):
    def __init__(self, embeddings: Embeddings, path: Path, model: str):
        self.embeddings = embeddings
        self.model = model
        self.hits = 0
        self.misses = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB)")
        self._lock = threading.Lock()

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.model}\0{text}".encode()).hexdigest()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        keys = [self._key(t) for t in texts]
        found: dict[str, list[float]] = {}
        with self._lock:
            for i in range(0, len(keys), 500):
                batch = keys[i : i + 500]
                marks = ",".join("?" * len(batch))
                rows = self._db.execute(
                    f"SELECT key, vector FROM vectors WHERE key IN ({marks})", batch
                )
                found.update((k, np.frombuffer(v, dtype=np.float32).tolist()) for k, v in rows)
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in found}.items())
        if missing:
            fresh = self.embeddings.embed_documents([t for _, t in missing])
            with self._lock, self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                    [
                        (k, np.asarray(v, np.float32).tobytes())
                        for (k, _), v in zip(missing, fresh, strict=True)
                    ],
                )
            found.update((k, list(v)) for (k, _), v in zip(missing, fresh, strict=True))
        self.hits += len(texts) - len(missing)
        self.misses += len(missing)
        return [found[k] for k in keys]

    def embed_query(self, text: str) -> list[float]:
        return self.embeddings.embed_query(text)
