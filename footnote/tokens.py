"""Word and number tokens shared by keyword search and sentence scoring.

Figures are normalised ("12,000" and "12000" are one token) because questions about numbers
are common and news prose writes them both ways; so are the endings outlets transliterate
names with ("Zelenskyy" and "Zelensky" are one token). An identifier joined by underscores
counts whole as well as in its parts.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer
from bm25s.stopwords import STOPWORDS_EN_PLUS

from footnote.lexicon import QUESTION_WORDS

# A name joined by underscores, as code writes it ("asn1_der_decoding", "MAX_SIZE"): one word
# to a reader of a manual, and far rarer whole than any of its parts
_IDENTIFIER = re.compile(r"(?<!\w)[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+", re.UNICODE)
# a word a wrapped text hyphenated at its line's end ("man-\nagement") reads as one word; a
# hyphenated name ("Jean-\nPaul") keeps its hyphen
_BROKEN_WORD = re.compile(r"(?<=[^\W\d_])-\n(?=[^\W\d_A-Z])")
_HYPHEN_BREAK = re.compile(r"(?<=\w-)\n\s*")
_LINE_BREAK = re.compile(r"[ \t]*\r?\n\s*")
STOPWORDS = frozenset(STOPWORDS_EN_PLUS) | frozenset(QUESTION_WORDS) | {"s", "did", "does", "do"}


def singular(word: str) -> str:
    """A light plural stemmer: "units" and "unit" match, "prisoners" and "prisoner" too.

    Only plural endings are folded; a full stemmer would merge "ranking" into "rank" and so
    make a question about ranks look answered by a sentence about rankings.
    """
    if len(word) <= 3 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    return word[:-1]


_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    """The Snowball (Porter 2) stem of a token: "invented" and "invention" meet at "invent".

    Kept apart from :func:`tokenize`, which folds plurals only (keyword search would merge
    "ranking" with "rank"); the answer model reads overlap both ways and learns how much
    each says.
    """
    return str(_STEMMER.stemWord(token))


# Outlets transliterate the same name differently: Zelensky, Zelenskyy, Zelenskiy; Chepurnyi.
_TRANSLITERATED_ENDING = re.compile(r"(?<=\w\w\w)(?:yy|iy|yi)$")


def _normalise(token: str) -> str:
    token = token.lower()
    if token[0].isdigit():
        return token.replace(",", "")
    return singular(_TRANSLITERATED_ENDING.sub("y", token))


def reading(text: str) -> str:
    """A sentence as it reads, for the model and for an answer: a sentence of a wrapped text
    runs over line breaks (its quote keeps them, as offsets index the file), and may split a
    word with a hyphen there."""
    return _LINE_BREAK.sub(" ", _HYPHEN_BREAK.sub("", _BROKEN_WORD.sub("", text)))


TOKENS_VERSION = "2"  # raise when tokenize changes: saved keyword indexes are rebuilt


def tokenize(text: str) -> list[str]:
    """Lower-cased content words and normalised numbers, stopwords dropped, then each
    underscored identifier whole (:func:`identifiers`)."""
    if "-\n" in text:  # only a wrapped text's sentence can break a word
        text = _BROKEN_WORD.sub("", text)
    text = text.replace("’", "'")
    words = (t for t in _TOKEN.findall(text) if t.lower() not in STOPWORDS)  # "does", not "doe"
    tokens = [t for t in (_normalise(t) for t in words) if t not in STOPWORDS]
    return tokens + identifiers(text)


def identifiers(text: str) -> list[str]:
    """The underscored identifiers a text names, lower-cased. Each is a token besides its
    parts, as search engines keep a compound's original beside its pieces: a question about
    ``asn1_der_decoding`` then finds the passage that names it ahead of one that only says
    "DER decoding", and a passage that names it only in parts does not count as naming it."""
    return [m.lower() for m in _IDENTIFIER.findall(text)]


def numbers(text: str) -> frozenset[str]:
    """The figures a sentence states, normalised; used to tell agreement from conflict."""
    return frozenset(_normalise(t) for t in _TOKEN.findall(text) if t[0].isdigit())
