"""Splits documents into sentence-aligned passages whose offsets index the original text exactly.

LangChain's stock splitters rebuild chunks by joining pieces with a separator, which can change
whitespace and so break ``text[start:end] == passage``. This splitter keeps LangChain's
``TextSplitter`` interface but cuts only between sentences and never rewrites a character.
"""

from __future__ import annotations

from typing import Any

from langchain_text_splitters import TextSplitter

from footnote.sentences import Span, sentence_spans


def pack_sentences(sentences: list[Span], chunk_size: int, overlap: int) -> list[Span]:
    """Group consecutive sentences into passages of at most ``chunk_size`` characters.

    The last ``overlap`` sentences of a passage open the next one, so a fact that spans two
    sentences is whole in at least one passage. A single sentence longer than ``chunk_size`` is
    a passage of its own rather than being cut mid-sentence.
    """
    passages: list[Span] = []
    group: list[Span] = []
    for sentence in sentences:
        if group and sentence.end - group[0].start > chunk_size:
            passages.append(Span(group[0].start, group[-1].end))
            group = group[len(group) - min(overlap, len(group) - 1) :] if overlap else []
            while group and sentence.end - group[0].start > chunk_size:
                group = group[1:]
        group.append(sentence)
    if group:
        passages.append(Span(group[0].start, group[-1].end))
    return passages


class SentenceSplitter(TextSplitter):
    """LangChain text splitter that cuts on sentence boundaries and reports exact offsets."""

    def __init__(self, chunk_size: int = 500, overlap_sentences: int = 1, **kwargs: Any) -> None:
        super().__init__(chunk_size=chunk_size, chunk_overlap=0, **kwargs)
        self.overlap_sentences = overlap_sentences

    @property
    def signature(self) -> str:
        """Identifies the splitting rules, so a change to them re-ingests every file."""
        return f"sentences-v15:{self._chunk_size}:{self.overlap_sentences}"

    def split_spans(self, text: str, sentences: list[Span] | None = None) -> list[Span]:
        """Passage spans; pass ``sentences`` when the caller already segmented ``text``."""
        sentences = sentence_spans(text) if sentences is None else sentences
        return pack_sentences(sentences, self._chunk_size, self.overlap_sentences)

    def split_text(self, text: str) -> list[str]:
        return [text[span.start : span.end] for span in self.split_spans(text)]
