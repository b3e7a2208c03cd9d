"""Finds the figures, dates and durations a sentence states, as verbatim phrases.

Used to lay conflicting values side by side ("up to 12,000 [1]; about 10,000 [2]") in the
sources' own words, so each value can be highlighted where it stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from footnote.answering.question import Expect
from footnote.lexicon import (
    AUXILIARIES,
    RELATIVE_WORDS,
    SPEECH_VERBS,
    SUBJECT_PRONOUNS,
    alternation,
)

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    "forty|fifty|hundred|thousand|dozens?|hundreds|thousands|half|several hundred|a third"
)
_MONTHS = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
    r"Aug(?:ust|\.)?|Sep(?:t(?:ember)?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_MODIFIER = (
    r"(?:up to|at least|more than|over|about|around|approximately|some|nearly|almost|roughly|"
    r"fewer than|less than|as many as|between|another)"
)
_FIGURE = (
    rf"(?:\d[\d,.]*\d|\d)(?![\w])(?:\s+(?:million|billion|thousand))?|(?:{_NUMBER_WORDS})\b(?!-)"
)
_UNIT = r"(?:day|week|month|year)s?"

_DATE_LEAD = r"(?:(?:since|until|on|in|at the end of|end of|by)\s+)?(?:last\s+)?"
_YEAR_DIGITS = r"(?:1\d|20)\d\d"  # 1000 to 2099: news and history alike
DATE = re.compile(
    rf"\b{_DATE_LEAD}{_MONTHS}(?:\s+\d{{1,2}})?(?:,?\s+{_YEAR_DIGITS})?\b"
    rf"|\b{_YEAR_DIGITS}s?\b|\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b"
    rf"|\b(?:{_FIGURE})\s+{_UNIT}\s+ago\b|\blast (?:week|month|year)\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)[ -]century\b"
)
DURATION = re.compile(  # "five days", "a week", "23-month-old", "three-year" (war)
    rf"\b(?:{_MODIFIER}\s+)?(?:{_FIGURE}|(?:{_NUMBER_WORDS})(?=-)|a)[\s-]+{_UNIT}(?:-old)?\b"
    rf"|\b(?:{_FIGURE})\s+{_UNIT}\s+ago\b",
    re.I,
)
QUANTITY = re.compile(
    rf"\b((?:{_MODIFIER}\s+)?(?:{_FIGURE})(?:\s*(?:and|to|or|-|–)\s*(?:{_FIGURE}))?)"
    r"((?:\s+[A-Za-z][\w’'-]*){0,3})",
    re.I,
)
MONEY = re.compile(
    r"[$€£¥₽]\s?\d|\b\d[\d,.]*\s*(?:million|billion)?\s*(?:dollars|euros|rubles|roubles|won|"
    r"pounds|yuan)\b",
    re.I,
)
AGE = re.compile(
    rf"\b(?:{_FIGURE})[\s-]+years?[\s-]+old\b|\baged\s+\d+|\bages? of\s+\d+"
    r"|\bin (?:his|her|their) (?:teens|twenties|thirties|forties|fifties)\b",
    re.I,
)
MEASURE = re.compile(
    rf"\b(?:{_FIGURE})\s*(?:(?:square|cubic|sq\.?)\s+)?"
    r"(?:cm|centimet(?:er|re)s?|met(?:er|re)s?|m|feet|foot|ft|inch(?:es)?|"
    r"km|kilomet(?:er|re)s?|miles?|kg|kilo(?:gram)?s?|pounds|lbs?|tons?|tonnes?)\b",
    re.I,
)
SHARE = re.compile(
    r"\b\d[\d.]*\s*(?:%|percent\b|per cent\b)|\b(?:about |nearly |almost |more than |over )?"
    r"(?:half|(?:a|one|two)[- ]thirds?|(?:a|one|three)[- ]quarters?|(?:a|one)[- ]fifth|"
    r"one in (?:two|three|four|five|ten|\d+))\b",
    re.I,
)
_PATTERNS = {
    Expect.MONEY: MONEY,
    Expect.AGE: AGE,
    Expect.MEASURE: MEASURE,
    Expect.SHARE: SHARE,
}
_DIGITS = re.compile(r"\d[\d,.]*")
_YEAR = re.compile(rf"\b{_YEAR_DIGITS}\b")
_WORD_NUMBER = re.compile(rf"\b(?:{_NUMBER_WORDS})\b")
# "One of them wants to stay" picks someone out; it counts nothing.
_PARTITIVE = re.compile(r"one\s+of\b", re.I)
_STOP_AFTER = re.compile(
    rf"\s+{alternation(AUXILIARIES, SPEECH_VERBS, ('to', 'in', 'on', 'at', 'by'))}\b.*$"
)


@dataclass(frozen=True)
class Value:
    """A value as a sentence states it: ``text == sentence[start:end]``."""

    text: str
    start: int
    end: int

    @property
    def key(self) -> str:
        """What two values must share to agree: their digits (or number words), normalised."""
        digits = [d.replace(",", "").rstrip(".") for d in _DIGITS.findall(self.text)]
        if digits:
            return " ".join(digits)
        words = _WORD_NUMBER.findall(self.text.lower())
        return " ".join(words) if words else self.text.lower()


def _not_counts(sentence: str) -> list[tuple[int, int]]:
    """Where the sentence's figures say something other than how many: a day of the month or
    a year (a date), a length, an area, a weight or a sum of money (an amount of something,
    not a number of things), so never the answer to "how many"."""
    return [(m.start(), m.end()) for p in (DATE, MEASURE, MONEY) for m in p.finditer(sentence)]


def values(sentence: str, expect: Expect) -> list[Value]:
    """The values of the expected kind in ``sentence``, in order."""
    if expect in (Expect.DATE, Expect.YEAR):
        found = [Value(m.group(), m.start(), m.end()) for m in DATE.finditer(sentence)]
        if expect is Expect.YEAR:  # "August" does not say which year; "August 2023" does
            found = [v for v in found if _YEAR.search(v.text)]
    elif expect is Expect.DURATION:
        found = [Value(m.group(), m.start(), m.end()) for m in DURATION.finditer(sentence)]
    elif expect in _PATTERNS:
        pattern = _PATTERNS[expect]
        found = [Value(m.group(), m.start(), m.end()) for m in pattern.finditer(sentence)]
    elif expect is Expect.QUANTITY:
        found = []
        not_counts = _not_counts(sentence)  # read once, not once per figure
        for match in QUANTITY.finditer(sentence):
            if (
                any(start <= match.start() < end for start, end in not_counts)
                or _PARTITIVE.match(match.group())
                or SHARE.fullmatch(match.group(1).strip())  # "about half of the territory"
            ):
                continue
            text = match.group(1) + _STOP_AFTER.sub("", match.group(2)).rstrip(" ,;")
            found.append(Value(text, match.start(), match.start() + len(text)))
    else:
        return []
    return [v for v in found if v.text.strip()]


@lru_cache(maxsize=64)
def asked_keys(question: str, expect: Expect) -> frozenset[str]:
    """The values the question itself gives: read once, not once per sentence scored."""
    return frozenset(v.key for v in values(question, expect))


_ACCORDING = re.compile(r"\baccording to (?:the )?([^,.;]{3,70})", re.I)
_SAID_AT_END = re.compile(
    rf",\s*(?:the\s+)?([^,]{{3,70}}?)\s+{alternation(SPEECH_VERBS)}\b[^,]*\.?[”\"]?$"
)
_SAID_AT_START = re.compile(
    r"^(?:Meanwhile,\s*|However,\s*)?(?:the\s+)?([^,]{3,90}?)\s+(?:\w+ly\s+)?"
    rf"(?:have |has |had )?{alternation(SPEECH_VERBS)}\b"
)
MAX_ATTRIBUTION_WORDS = 12
_NOT_A_SOURCE = re.compile(rf"\b{alternation(SUBJECT_PRONOUNS, RELATIVE_WORDS)}\b", re.I)


def attribution(sentence: str) -> str | None:
    """Who a sentence says a claim comes from, in its own words, when it says so plainly."""
    for pattern in (_ACCORDING, _SAID_AT_END, _SAID_AT_START):
        match = pattern.search(sentence)
        if match and len(match.group(1).split()) <= MAX_ATTRIBUTION_WORDS:
            who = match.group(1).strip(' ,“”"')
            if who and not who[0].isdigit() and not _NOT_A_SOURCE.search(who):
                return who
    return None
