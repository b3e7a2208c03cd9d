"""Turns a follow-up ("and how many were wounded?") into a question that stands on its own.

This is the deterministic rewrite the extractive mode uses: no model, just the earlier turns.
A question that reads as a follow-up (it leans on a pronoun, opens with "and"/"what about", or
has almost no words of its own) gets the previous question and answer appended as context, so
retrieval sees what "they" and "it" refer to while the question's own words still lead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from footnote.lexicon import FOLLOWUP_OPENERS, REFERRING_WORDS, alternation
from footnote.tokens import tokenize

_OPENERS = re.compile(rf"^\s*{alternation(FOLLOWUP_OPENERS)}\b", re.I)
_REFERENCES = frozenset(REFERRING_WORDS)
_MARKERS = re.compile(r"\s*\[\d+\]")
MAX_CONTEXT_CHARS = 400


@dataclass(frozen=True)
class Turn:
    role: str
    content: str


def up_to_question(turns: Sequence[Turn]) -> list[Turn]:
    """The chat up to its latest user turn with text, the question: a chat may end with the
    assistant's or a tool's turn, and the question is still the user's."""
    last = max(
        (n for n, t in enumerate(turns) if t.role == "user" and t.content.strip()), default=-1
    )
    return list(turns[: last + 1])


def is_followup(question: str) -> bool:
    words = set(re.findall(r"[a-z']+", question.lower()))
    return (
        bool(_OPENERS.match(question)) or bool(words & _REFERENCES) or len(tokenize(question)) < 2
    )


def standalone_question(turns: Sequence[Turn]) -> str:
    """The last user turn, with the previous exchange appended when it is a follow-up."""
    question = turns[-1].content.strip()
    earlier = [t for t in turns[:-1] if t.role in ("user", "assistant") and t.content.strip()]
    if not earlier or not is_followup(question):
        return question
    last_user = next((t.content.strip() for t in reversed(earlier) if t.role == "user"), "")
    last_answer = next((t.content for t in reversed(earlier) if t.role == "assistant"), "")
    context = " ".join(part for part in (last_user, _MARKERS.sub("", last_answer).strip()) if part)
    return f"{question} ({context[:MAX_CONTEXT_CHARS]})"
