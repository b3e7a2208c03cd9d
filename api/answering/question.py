"""What a question asks for: the kind of answer, its focus noun and the names it mentions.

Footnote has no language model in extractive mode, so it reads questions the way early
question-answering systems did: the wh-phrase says what kind of value answers ("how many" → a
figure, "when" → a date) and which thing it is about ("how many *tanks*"). That is enough to
notice when the corpus cannot answer: no sentence gives a figure about tanks if the corpus
never mentions tanks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from api.tokens import singular, tokenize


class Expect(StrEnum):
    """The kind of value an answer must contain."""

    QUANTITY = "quantity"
    MONEY = "money"
    DATE = "date"
    YEAR = "year"  # a date that must name its year ("in what year ...")
    DURATION = "duration"
    REASON = "reason"
    ANY = "any"


_KINDS: list[tuple[str, Expect]] = [
    (r"\bhow much\b.*\b(pay|paid|paying|cost|price|worth|money|spen[dt]|fund)", Expect.MONEY),
    (r"\bhow long\b|\bfor how many (day|week|month|year)s\b", Expect.DURATION),
    (
        r"\bhow (many|much|large|big)\b|\bwhat (number|share|percentage|proportion)\b",
        Expect.QUANTITY,
    ),
    (r"\b(what|which) year\b", Expect.YEAR),
    (r"\bwhen\b|\b(what|which) (date|day|month)\b", Expect.DATE),
    (r"\bwhy\b|\bwhat (reason|caused)\b", Expect.REASON),
]

_FOCUS = re.compile(r"\b(?:how many|which|what)\s+((?:[\w’'-]+\s+){0,1}[\w’'-]+)", re.I)
_STOP_FOCUS = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "did",
        "does",
        "do",
        "has",
        "have",
        "had",
        "will",
        "would",
        "can",
        "could",
        "should",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "by",
        "with",
        "from",
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
    ]
)
# Nouns that frame a question rather than name its subject ("what share of ..."), and
# measurable attributes whose values sentences state without the noun ("what colour" -> green).
_FRAME_NOUNS = frozenset(
    (
        "share",
        "percentage",
        "proportion",
        "number",
        "amount",
        "part",
        "fraction",
        "kind",
        "type",
        "sort",
        "date",
        "day",
        "year",
        "month",
        "time",
        "reason",
        "way",
        "extent",
        "size",
        "colour",
        "color",
        "shape",
        "age",
        "height",
        "length",
        "width",
        "weight",
        "price",
        "cost",
        "speed",
        "distance",
        "temperature",
    )
)
_NAME = re.compile(r"(?<![.?!]\s)(?<!^)\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+)+)")


@dataclass(frozen=True)
class QuestionShape:
    expect: Expect
    focus: str | None  # the head noun the question asks about, singular, lower case
    names: tuple[str, ...]  # multi-word proper names it mentions


def _focus(question: str) -> str | None:
    match = _FOCUS.search(question)
    if not match:
        return None
    words = []
    for word in match.group(1).split():
        if word.lower() in _STOP_FOCUS:
            break
        words.append(word)
    if not words:
        return None
    head = singular(words[-1].lower().strip("’'"))
    return None if head in _FRAME_NOUNS or not tokenize(head) else head


def analyse(question: str) -> QuestionShape:
    expect = next(
        (kind for pattern, kind in _KINDS if re.search(pattern, question, re.I)), Expect.ANY
    )
    return QuestionShape(expect, _focus(question), tuple(_NAME.findall(question)))
