"""Sentences of a text as exact character spans: the unit both ingest and citations count in.

Ingest packs these spans into passages and stores each as a sentence record; the answer step
splits a cleaned quote with the same function, so a cited sentence's offsets always agree with
what was indexed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pysbd


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)`` of a document."""

    start: int
    end: int


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


_LINE = re.compile(r"[^\n]+")
# pysbd ends sentences only at these (list markers such as "a)" and "(b)" too), so a line with
# none of them before its closing punctuation is one sentence without asking it: headlines,
# datelines and one-sentence paragraphs, half the characters of news text, at no cost
_MAY_END = re.compile(r"[.?!…()]")
_CLOSING = re.compile(r"[\s.?!…]*$")  # not quotes: pysbd splits 'Done."' in two


def _one_sentence(line: str) -> bool:
    closing = _CLOSING.search(line)
    return not _MAY_END.search(line, 0, closing.start() if closing else len(line))


def sentence_spans(text: str) -> list[Span]:
    """Sentences of ``text`` as spans, stripped of surrounding whitespace.

    Lines are segmented one at a time, so a sentence never runs across a line break (headlines
    and datelines stay sentences of their own). pysbd knows "U.S." and "Dec. 30" are not ends.
    """
    spans: list[Span] = []
    for line in _LINE.finditer(text):
        cursor = line.start()
        pieces = (
            [line.group()] if _one_sentence(line.group()) else _segmenter().segment(line.group())
        )
        for sentence in pieces:
            stripped = sentence.strip()
            if not stripped:
                continue
            start = text.find(stripped, cursor, line.end())
            if start < 0:  # pysbd altered the text: keep the rest of the line as one sentence
                rest = text[cursor : line.end()]
                start = cursor + len(rest) - len(rest.lstrip())
                if rest.strip():
                    spans.append(Span(start, start + len(rest.strip())))
                break
            cursor = start + len(stripped)
            spans.append(Span(start, cursor))
    return spans
