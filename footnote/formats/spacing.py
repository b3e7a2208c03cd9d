"""Spaces OCR dropped, put back from where its letters sit and which English words they spell."""

from __future__ import annotations

import gzip
import itertools
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import wordninja

# The recognition model, trained mostly on Chinese, often drops the spaces of an English line
# ("The lighthouseonSkarvholmenwasbuilt", "inthehills", "quay.Before"). Three readings put
# them back, each only where the gap between two letters' boxes allows:
# - a line whose words run RUN_ON_WORD long on average has lost many: a space goes wherever
#   two letters are SPACE_GAP of a letter apart (half a letter split "auto m ated");
# - a run of letters that is no common English word but splits into common ones ("inthehills")
#   is split, where the letters at each cut are CUT_GAP of a letter apart or more (a rare word,
#   "thyroiditis", would split too, but its letters touch at the cuts);
# - a full stop, comma, semicolon or colon against the next word, or a word against a name
#   ("toSkarvik"), gets its space (:data:`_JOINED`).
# Measured by `python -m eval.ocr_spacing` on 54 scans of news text and 54 of Wikipedia's
# (Helvetica, Times and Courier at 9 to 14 points, at 150 and 300 dpi): the share of their
# words read right goes from 0.807 as the model reads them to 0.948, and from 0.798 to 0.931;
# 1 and 5 scans read slightly worse. With the first reading alone (the code before stop 40,
# compared once on the same scans) it was 0.904 and 0.880, and the other two made no scan
# worse than that.
RUN_ON_WORD = 8  # characters a word, on average
SPACE_GAP = 0.65  # of the median letter's width
CUT_GAP = 0.15
COMMON_WORDS = 20_000  # the most frequent words of English Wikipedia, as wordninja ranks them
_LETTERS = re.compile(r"[A-Za-z]{5,}")
# Where two words were joined: a sentence or clause ending against the next word
# ("quay.Before", "1968,when") or a word against a name ("toSkarvik"); "JavaScript" and
# "McDonald" touch there, so they stay whole. Not a figure against a word: the model reads
# "10,000" as "10,oo0" and "1712" as "17l2", and "32nd" is one word.
_JOINED = re.compile(r"(?<=[a-z])\.(?=[A-Z][a-z])|[,;:](?=[A-Za-z])|(?<=[a-z])(?=[A-Z][a-z])")


def spaced(text: str, boxes: list[Any], letters: list[str]) -> str:
    """``text`` with the spaces the model dropped put back (see :data:`RUN_ON_WORD`);
    ``letters`` are its characters one by one, each in its box."""
    if len(boxes) != len(letters) or "".join(letters) != text:
        return text
    widths = sorted(
        box[1][0] - box[0][0] for box, letter in zip(boxes, letters, strict=True) if letter != " "
    )
    width = widths[len(widths) // 2] if widths else 0

    def gap(i: int) -> float:
        return float(boxes[i][0][0] - boxes[i - 1][1][0])

    def apart(i: int) -> bool:
        return gap(i) >= CUT_GAP * width

    cuts = {i for i in _dictionary_cuts(text) if apart(i)}
    cuts.update(m.end() for m in _JOINED.finditer(text) if apart(m.end()))
    words = text.split()
    if words and sum(map(len, words)) / len(words) > RUN_ON_WORD:
        cuts.update(
            i
            for i in range(1, len(text))
            if " " not in text[i - 1 : i + 1] and gap(i) > SPACE_GAP * width
        )
    return "".join(" " + letter if i in cuts else letter for i, letter in enumerate(text))


def _dictionary_cuts(text: str) -> Iterator[int]:
    """Where runs of letters of ``text`` that are no common word split into common words."""
    common = _common_words()
    for match in _LETTERS.finditer(text):
        if match.group().lower() in common:
            continue
        pieces = wordninja.split(match.group())
        if len(pieces) < 2 or "".join(pieces) != match.group():
            continue
        if not all(p.lower() in common and (len(p) > 1 or p in "aAI") for p in pieces):
            continue
        yield from (match.start() + at for at in itertools.accumulate(map(len, pieces[:-1])))


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """wordninja's English words, most frequent first: the first :data:`COMMON_WORDS`."""
    # where wordninja reads it from itself: a folder beside its module
    listed = Path(wordninja.__file__).with_name("wordninja") / "wordninja_words.txt.gz"
    return frozenset(gzip.decompress(listed.read_bytes()).decode().split()[:COMMON_WORDS])
