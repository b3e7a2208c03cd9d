from __future__ import annotations

import numpy as np
from langchain_core.embeddings import Embeddings

from api.answering.base import Evidence
from api.keyword_index import KeywordIndex


class Counted(Embeddings):
    """The real model, counting the texts it is asked to embed."""

    def __init__(self, model: Embeddings):
        self.model = model
        self.embedded: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded += texts
        return self.model.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.model.embed_query(text)


def test_each_text_is_embedded_once_per_answer(embeddings: Embeddings) -> None:
    """The count check and the conflict check read the same values' words: the second
    asks for what the first already embedded, and pays nothing."""
    question = "How many troops were sent?"
    vector = np.asarray(embeddings.embed_query(question), dtype=np.float32)
    evidence = Evidence(question, question, vector, [], [], KeywordIndex([]))
    counted = Counted(embeddings)
    first = evidence.fit(["up to 12,000 troops were sent", "two soldiers were captured"], counted)
    again = evidence.fit(["two soldiers were captured", "about 10,000 troops"], counted)
    assert counted.embedded == [
        "up to 12,000 troops were sent",
        "two soldiers were captured",
        "about 10,000 troops",
    ]
    assert again[0] == first[1] and first[0] > first[1]
