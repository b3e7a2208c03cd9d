"""Caps how many embedding calls run at once in a server answering many requests.

The embedding model already spreads one call over every core. The threadpool that answers
requests can run forty calls at once, and on a small machine they then fight over the cores,
each call slowed by the others' context switches and cache misses. Admitting two calls per core
keeps every core busy while callers wait their turn instead.
"""

from __future__ import annotations

import os
import threading

from langchain_core.embeddings import Embeddings

CALLS_PER_CORE = 2


class Throttled(Embeddings):
    """``embeddings`` admitting at most ``limit`` calls at once."""

    def __init__(self, embeddings: Embeddings, limit: int | None = None):
        self.embeddings = embeddings
        self.limit = limit or CALLS_PER_CORE * (os.cpu_count() or 1)
        self._turns = threading.BoundedSemaphore(self.limit)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        with self._turns:
            return self.embeddings.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        with self._turns:
            return self.embeddings.embed_query(text)
