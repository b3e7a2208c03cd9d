"""The closed-class English words Footnote reads text by: one list per concept, in one place.

Question words, pronouns, speech verbs, negations, causal connectives, opposites and follow-up
openers. Each is general English, written for no document and no question; the modules that
read questions and sentences build their patterns from these lists and keep none of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

QUESTION_WORDS = ("who", "what", "when", "where", "which", "why", "how", "many", "much")
# A question leaning on an earlier turn refers back with these ("how many of *them*?").
THIRD_PERSON = ("it", "its", "they", "them", "their", "theirs", "he", "him", "his", "she", "her")
REFERRING_WORDS = THIRD_PERSON + (
    ("this", "that", "these", "those", "there", "one", "other", "others", "former", "latter")
)
FOLLOWUP_OPENERS = ("and", "but", "so", "also", "then", "what about", "how about")
# Who says a thing: "..., the ministry said." A subject pronoun or a relative word there names
# no one a reader could look up.
SPEECH_VERBS = ("said", "says", "reported", "told", "estimated", "believes", "believe")
SUBJECT_PRONOUNS = ("i", "we", "you", "he", "she", "it", "they")
RELATIVE_WORDS = ("when", "who", "that", "which")
AUXILIARIES = ("was", "were", "is", "are", "has", "have", "had")
NEGATIONS = ("not", "never", "no", "none", "nothing", "cannot", "without", "neither", "nor")
# A statement denies as often with a word that means "not" as with "not" itself: the answer to
# "Why can't X be done?" says X is "prohibited"; to "What if it cannot convert?", "failures are
# reported". Read in sentences only; a question's negation is its grammar (NEGATIONS).
DENYING_WORDS = (
    *("fail", "fails", "failed", "failing", "failure", "failures", "unable", "impossible"),
    *("prohibit", "prohibits", "prohibited", "forbid", "forbids", "forbidden", "disallow"),
    *("disallows", "disallowed", "prevent", "prevents", "prevented", "refuse", "refuses"),
    *("refused", "reject", "rejects", "rejected", "lack", "lacks", "lacked", "invalid"),
    *("illegal", "except", "unless", "instead", "avoid", "avoids", "avoided", "deny", "denied"),
)
# Words that open a subordinate clause: what follows one is a condition or a circumstance of
# the main clause ("what happens *if* it is not found?").
SUBORDINATORS = (
    *("when", "whenever", "if", "unless", "because", "while", "after", "before", "once"),
    *("although", "though"),
)
CAUSAL = ("because", "due to", "caused", "as a result", "owing to", "led to", "so that", "since")
# Words that say the opposite of each other. A question written to look answered by a sentence
# often differs from it by one of these ("an *increase* in the input size" against "a
# *decrease*"), or by a negating prefix (NEGATING_PREFIXES: "uncommon" against "common").
# Sentences and questions are read as tokens, without stop words, so none is a stop word
# ("most" and "least", "before" and "after" are: the tokens never hold them).
OPPOSITES = (
    *(("first", "last"), ("higher", "lower"), ("highest", "lowest"), ("larger", "smaller")),
    *(("largest", "smallest"), ("maximum", "minimum"), ("major", "minor"), ("early", "late")),
    *(("earlier", "later"), ("earliest", "latest"), ("increase", "decrease")),
    *(("increased", "decreased"), ("increasing", "decreasing"), ("rise", "fall")),
    *(("best", "worst"), ("better", "worse"), ("always", "never")),
    *(("north", "south"), ("east", "west"), ("northern", "southern")),
    *(("eastern", "western"), ("positive", "negative"), ("success", "failure")),
    *(("win", "lose"), ("inside", "outside")),
    *(("begin", "end"), ("began", "ended"), ("start", "end"), ("old", "new")),
    *(("oldest", "newest"), ("long", "short"), ("longest", "shortest")),
)
NEGATING_PREFIXES = ("un", "in", "im", "il", "ir", "dis", "non")


def alternation(*lists: Iterable[str]) -> str:
    """A regular-expression group matching any of the words, longest first, so "what about"
    wins over "what"; the words are plain, so nothing needs escaping."""
    words = sorted({w for group in lists for w in group}, key=lambda w: (-len(w), w))
    return "(?:" + "|".join(words) + ")"


_NEGATION = re.compile(rf"n['’]t\b|\b{alternation(NEGATIONS)}\b", re.IGNORECASE)


_DENIAL = re.compile(rf"\b{alternation(DENYING_WORDS)}\b", re.IGNORECASE)


_PAIRED: dict[str, set[str]] = {}
for _pair in OPPOSITES:
    for _word, _other in (_pair, _pair[::-1]):
        _PAIRED.setdefault(_word, set()).add(_other)


@lru_cache(maxsize=16384)
def opposites_of(word: str) -> frozenset[str]:
    """The lower-case words that say the opposite of ``word``: its :data:`OPPOSITES`, and the
    word with a negating prefix added or taken off ("known", "unknown"; the shorter of four
    letters or more, so "in" + "to" is not "into"'s opposite). Spelling now and then pairs
    words that are not opposites ("inform", "form"); the answer model learns how much the
    signal is worth. Cached: a question's words are looked up once per candidate sentence."""
    found = set(_PAIRED.get(word, ()))
    if len(word) >= 4:
        found.update(prefix + word for prefix in NEGATING_PREFIXES)
    found.update(
        word[len(prefix) :]
        for prefix in NEGATING_PREFIXES
        if word.startswith(prefix) and len(word) - len(prefix) >= 4
    )
    return frozenset(found)


def opposite(a: str, b: str) -> bool:
    """Whether two lower-case words say the opposite of each other (:func:`opposites_of`)."""
    return b in opposites_of(a)


def negates(text: str) -> bool:
    """Whether the text denies something: "did not", "never", "won't"."""
    return bool(_NEGATION.search(text))


def denies(text: str) -> bool:
    """Whether a statement denies or excludes something, in grammar or in a word's meaning:
    what answers a negated question ("is prohibited", "fails", "unless")."""
    return negates(text) or bool(_DENIAL.search(text))
