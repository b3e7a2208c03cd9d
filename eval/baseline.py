"""The plain LangChain pipeline Footnote is measured against, as an evaluation client.

It is the tutorial recipe: RecursiveCharacterTextSplitter (1000 characters, 200 overlap),
Chroma similarity search with MiniLM as packaged (not tuned to find answers), k=4, and for an
answer the single retrieved sentence that best matches the question. It never abstains.
Running it through the same runner as Footnote puts both on the same questions, in the same
run, with the same metrics.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter

from eval.client import FootnoteClient, Reply, Retrieved
from footnote.sentences import sentence_spans
from ingest.loader import load_corpus

K = 4


class PlainPipeline(FootnoteClient):
    """Chunk, embed, similarity-search, answer with the best sentence: nothing more."""

    def __init__(self, corpus: Path, embeddings: Embeddings):
        self.embeddings = embeddings
        documents, _ = load_corpus(corpus)
        self._texts = {d.source: d.text for d in documents}
        splitter = RecursiveCharacterTextSplitter(
            chunk_size=1000, chunk_overlap=200, add_start_index=True
        )
        chunks = splitter.create_documents(
            [d.text for d in documents], metadatas=[{"source": d.source} for d in documents]
        )
        client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
        self.store = Chroma(
            client=client,
            collection_name=f"baseline-{uuid.uuid4().hex[:8]}",
            embedding_function=embeddings,
        )
        self.store.add_documents(chunks)

    def chat(self, messages: list[dict[str, str]], top_k: int) -> Reply:
        question = messages[-1]["content"]
        started = time.perf_counter()
        question_vector = np.asarray(self.embeddings.embed_query(question))
        chunks = self.store.similarity_search_by_vector(question_vector.tolist(), k=K)
        sentences = [
            (chunk, span) for chunk in chunks for span in sentence_spans(chunk.page_content)
        ]
        texts = [chunk.page_content[span.start : span.end] for chunk, span in sentences]
        vectors = np.asarray(self.embeddings.embed_documents(texts))
        best = int(np.argmax(vectors @ question_vector))
        chunk, span = sentences[best]
        start = int(chunk.metadata["start_index"]) + span.start
        seconds = time.perf_counter() - started
        citation = {
            "id": 1,
            "source": chunk.metadata["source"],
            "quote": texts[best],
            "start": start,
            "end": start + len(texts[best]),
        }
        retrieved = [
            Retrieved(
                str(c.metadata["source"]),
                int(c.metadata["start_index"]),
                int(c.metadata["start_index"]) + len(c.page_content),
            )
            for c in chunks
        ]
        return Reply(f"{texts[best]} [1]", False, [citation], question, retrieved, seconds)

    def source_text(self, name: str) -> str:
        return self._texts[name]
