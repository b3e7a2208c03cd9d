from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from langchain_core.embeddings import Embeddings

from api.throttle import Throttled


class Watched(Embeddings):
    """The real model, noting the most calls it ever ran at once."""

    def __init__(self, model: Embeddings):
        self.model = model
        self.running = self.most = 0
        self.lock = threading.Lock()

    def _enter(self) -> None:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)

    def _leave(self) -> None:
        with self.lock:
            self.running -= 1

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self._enter()
        try:
            return self.model.embed_documents(texts)
        finally:
            self._leave()

    def embed_query(self, text: str) -> list[float]:
        self._enter()
        try:
            return self.model.embed_query(text)
        finally:
            self._leave()


def _ask_at_once(model: Embeddings) -> list[list[float]]:
    questions = [f"How many troops were sent in week {n}?" for n in range(48)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(model.embed_query, questions))


def test_at_most_limit_embedding_calls_run_at_once(embeddings: Embeddings) -> None:
    free, watched = Watched(embeddings), Watched(embeddings)
    _ask_at_once(free)
    vectors = _ask_at_once(Throttled(watched, limit=2))
    assert free.most > 2 and watched.most <= 2  # sixteen callers overlap; two get in
    assert vectors[5] == embeddings.embed_query("How many troops were sent in week 5?")
