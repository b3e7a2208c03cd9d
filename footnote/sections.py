"""Which section of its document a passage, or a quote, sits in: the headings above it.

A quote out of a manual often does not name what it is about ("Returns the number of bytes
written.", under the heading of the function it describes); the headings it sits under do.
Readers locate headings (:class:`footnote.formats.Heading`), ingest stores with each passage
the section in force where it starts and wherever a heading inside it begins one, and a
citation names the section its quote starts in.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache

from footnote.formats import Heading

SEPARATOR = " › "
DEPTH = 3  # the innermost headings a section names: deeper paths read as noise


def outline(headings: Sequence[Heading], title: str = "") -> list[tuple[int, str]]:
    """Where each section begins and its name, the headings above it joined outermost
    first. A top heading that only repeats the document's ``title`` is left out: citations
    name the title already."""
    path: list[Heading] = []
    sections = []
    for heading in headings:
        while path and path[-1].level >= heading.level:
            path.pop()
        path.append(heading)
        names = [h.text for h in path if not (h is path[0] and h.text == title)]
        sections.append((heading.start, SEPARATOR.join(names[-DEPTH:])))
    return sections


def sections_between(sections: Sequence[tuple[int, str]], start: int, end: int) -> str:
    """The sections of ``[start, end)``, encoded for a passage's metadata: the one in force at
    ``start``, then each that begins before ``end``. Empty when no heading precedes ``end``."""
    inside = [(offset, name) for offset, name in sections if start < offset < end]
    before = [(start, name) for offset, name in sections if offset <= start][-1:]
    return json.dumps(before + inside, ensure_ascii=False) if before or inside else ""


def section_at(encoded: str, offset: int) -> str:
    """The section in force at ``offset`` of a passage whose sections are ``encoded``."""
    found = [name for start, name in _decoded(encoded) if start <= offset]
    return found[-1] if found else ""


@lru_cache(maxsize=4096)
def _decoded(encoded: str) -> tuple[tuple[int, str], ...]:
    """A passage's sections, decoded once: an answer asks for the section of each of its
    candidate sentences, many to a passage."""
    return tuple((start, name) for start, name in json.loads(encoded)) if encoded else ()


def merged(first: str, second: str) -> str:
    """The sections of two overlapping passages of one document, joined into one."""
    entries: dict[int, str] = dict(json.loads(first or "[]"))
    entries.update(json.loads(second or "[]"))
    return json.dumps(sorted(entries.items()), ensure_ascii=False) if entries else ""
