"""What a question asks for, read from its wh-phrase: the one place questions are read.

Two readings, for two uses:

- :func:`question_kind`, the coarse wh-kind ("when", "who", "how many" ...): the answer model
  crosses it with what each sentence holds and learns which kinds answer which questions;
- :func:`expected`, the kind of *value* asked for: "how many" a figure, "when" a date, "how
  long" a duration. Outlets report such values differently, so an answer to one of these lays
  the sources' versions side by side when they differ (:mod:`footnote.answering.conflicts`).

Both are read once per answer, into a :class:`Question` the later steps share. Which sentence
answers is not decided here but by the learned answer model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from footnote.lexicon import SUBORDINATORS, alternation, negates

# The question's wh-word, most specific first: "what year" is a "when" question.
QUESTION_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("when", re.compile(r"\bwhen\b|\b(?:what|which) (?:year|date|day|month|century|decade)\b")),
    ("count", re.compile(r"\bhow (?:many|much)\b|\bwhat (?:number|percentage|share)\b")),
    ("measure", re.compile(r"\bhow (?:long|old|tall|high|far|large|big|heavy|wide|deep)\b")),
    ("who", re.compile(r"\bwho(?:m|se)?\b")),
    ("where", re.compile(r"\bwhere\b|\b(?:what|which) (?:city|country|region|place)\b")),
    ("why", re.compile(r"\bwhy\b|\bwhat (?:reason|caused)\b")),
    ("how", re.compile(r"\bhow\b")),
    ("what", re.compile(r"\b(?:what|which)\b")),
]
KIND_NAMES = [name for name, _ in QUESTION_KINDS] + ["other"]


def question_kind(question: str) -> str:
    """The question's wh-kind, one of :data:`KIND_NAMES`: that of its first wh-phrase, since a
    later "when" or "who" opens a clause inside it ("What happens when a call fails?", "Who
    was king when the war began?"); at one place the more specific phrase wins ("what year")."""
    lower = question.lower()
    found = [
        (match.start(), rank, name)
        for rank, (name, pattern) in enumerate(QUESTION_KINDS)
        if (match := pattern.search(lower))
    ]
    return min(found)[2] if found else "other"


# A clause a question's own words open after its first word is a condition or a circumstance:
# "What happens if the file is not found?" asks about what happens, not about a denial.
_SUBORDINATE = re.compile(
    rf"(?<=\w)\W+\b{alternation(SUBORDINATORS)}\b.*", re.IGNORECASE | re.DOTALL
)


def main_clause(question: str) -> str:
    """The question without the subordinate clause that follows its main one."""
    return _SUBORDINATE.sub("", question, count=1)


class Expect(StrEnum):
    """The kind of value an answer must contain."""

    QUANTITY = "quantity"
    SHARE = "share"  # a part of a whole: a percentage, "half", "a third", "one in five"
    MONEY = "money"
    DATE = "date"
    YEAR = "year"  # a date that must name its year ("in what year ...")
    DURATION = "duration"
    AGE = "age"
    MEASURE = "measure"  # a length, height, distance or weight, with its unit
    NAME = "name"  # what someone or something is called
    REASON = "reason"
    ANY = "any"


# Kinds of value that outlets report differently (troop numbers, dates, durations): an answer
# to a question asking for one lays the outlets' versions side by side when they differ.
DISPUTABLE = frozenset((Expect.QUANTITY, Expect.SHARE, Expect.DATE, Expect.YEAR, Expect.DURATION))


# "When" opens a question; inside one it joins clauses ("what did he say when asked?").
_OPENING = r"(?:^|[.?!:]\s+)\W*(?:(?:and|but|so|then)\s+)?"
_KINDS: list[tuple[str, Expect]] = [
    (r"\bhow much\b.*\b(pay|paid|paying|cost|price|worth|money|spen[dt]|fund)", Expect.MONEY),
    (r"\bhow old\b|\bwhat age\b|\bages?\b of\b|\bwhat are (?:the|their) ages\b", Expect.AGE),
    (r"\bhow long\b|\bfor how many (day|week|month|year)s\b", Expect.DURATION),
    (r"\bhow (tall|high|far|heavy|wide|deep)\b", Expect.MEASURE),
    (r"\b(?:what|which) (?:share|percentage|proportion|fraction)\b", Expect.SHARE),
    (r"\bhow (many|much|large|big)\b|\bwhat number\b", Expect.QUANTITY),
    (r"\b(what|which) year\b", Expect.YEAR),
    (rf"{_OPENING}when\b|\b(what|which) (date|day|month)\b", Expect.DATE),
    (
        r"\b(?:what|which)\s+(?:is|are|was|were)\b[^?]*\bnames?\b|\bwhat\b[^?]*\bcalled\b",
        Expect.NAME,
    ),
    (r"\bwhy\b|\bwhat (reason|caused)\b", Expect.REASON),
]


def expected(question: str) -> Expect:
    """The kind of value the question asks for; ``ANY`` when it names none."""
    return next(
        (kind for pattern, kind in _KINDS if re.search(pattern, question, re.I)), Expect.ANY
    )


@dataclass(frozen=True)
class Question:
    """A question as the answer pipeline reads it, once: its words, its wh-kind, the kind of
    value it asks for and whether its main clause asks about what did *not* happen."""

    text: str
    kind: str
    expect: Expect
    negated: bool

    @classmethod
    def read(cls, text: str) -> Question:
        return cls(text, question_kind(text), expected(text), negates(main_clause(text)))
