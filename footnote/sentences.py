"""Sentences of a text as exact character spans: the unit both ingest and citations count in.

Ingest packs these spans into passages and stores each as a sentence record; the answer step
splits a cleaned quote with the same function, so a cited sentence's offsets always agree with
what was indexed.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Collection
from dataclasses import dataclass

import pysbd

from footnote.tokens import reading


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)`` of a document."""

    start: int
    end: int


_local = threading.local()


def _segmenter() -> pysbd.Segmenter:
    """This thread's segmenter. A pysbd ``Segmenter`` keeps the text it is splitting on
    itself (``original_text``) and locates its sentences in it afterwards, so one shared by
    threads (an upload being read while a generated answer's claims are split) drops or
    misplaces sentences when two texts overlap in time."""
    segmenter: pysbd.Segmenter | None = getattr(_local, "segmenter", None)
    if segmenter is None:
        segmenter = _local.segmenter = pysbd.Segmenter(language="en", clean=False)
    return segmenter


_LINE = re.compile(r"[^\n]+")
# pysbd ends sentences only at these (list markers such as "a)" and "(b)" too), so a line with
# none of them before its closing punctuation is one sentence without asking it: headlines,
# datelines and one-sentence paragraphs, half the characters of news text, at no cost
_MAY_END = re.compile(r"[.?!…()]")
_CLOSING = re.compile(r"[\s.?!…]*$")  # not quotes: pysbd splits 'Done."' in two
# pysbd reads two "--" in one paragraph as a dash-parenthesis and never ends a sentence between
# them, but in technical text "--" opens a command-line option ("use --decode ... pass
# --strict"). Such dashes, before a letter and after no word, are hidden from pysbd (replaced by
# as many underscores, so every offset holds) while an em-dash written "--" between spaces stays.
_OPTION_DASHES = re.compile(r"(?<![\w-])--(?=[A-Za-z])")
# pysbd ends a sentence after a standard's number when a capitalised word follows ("the X.509
# Certificate", "The X.25 UNI protocol"), reading the letter as an initial: the dot between a
# lone capital and a digit is hidden from it the same way.
_LETTER_DOT_DIGIT = re.compile(r"(?<![\w.])([A-Z])\.(?=\d)")
# A sentence's end follows its last word; a mark standing alone between spaces, with a
# lowercase word or a bracket after it, is one named in the text, as inline code reads once
# its markup is gone ("the ? operator to make this easier", "from the last . (period)"):
# hidden from pysbd the same way.
_NAMED_MARK = re.compile(r"(?<=\s)[.?!](?=\s+[a-z(])")


# An entry of a table of contents or an index: a title, a leader of dots (". . . ." in a PDF's
# text layer, "....." in a text file) and a page number. Its line is one sentence, never run on
# into the next (a leader reaches the wrap column) and never a candidate answer: it is where a
# thing is, not what it is.
_CONTENTS_ENTRY = re.compile(r"(?:\s?\.){4,}\s*(?:\d{1,4}|[ivxlc]{1,7})\s*$", re.IGNORECASE)


def is_contents_entry(text: str) -> bool:
    """Whether ``text``, a line, is an entry of a table of contents or an index."""
    return _CONTENTS_ENTRY.search(text) is not None


def _one_sentence(line: str) -> bool:
    closing = _CLOSING.search(line)
    return not _MAY_END.search(line, 0, closing.start() if closing else len(line))


# A text wrapped at a fixed width (a PDF's text layer, an RFC, an e-mail, a hard-wrapped
# .txt) breaks its sentences across lines. Such a text is recognised by its lines: most are no
# wider than WRAP_MAX and many end near one width, the wrap column. News files, one paragraph
# per line, have neither. Its lines are then read as one paragraph while the next line's first
# word would not have fitted on the line before (so the break was the wrapping's, not the
# writer's): a short line, a heading or a paragraph's last line, still ends where it ends.
WRAP_MAX = 160  # characters; wider lines were never wrapped to a column
WRAP_MIN_LINES = 4
WRAP_FULL = 0.9  # a line this close to the wrap column (by characters) counts as full
WRAP_GOES_ON = 0.2  # share of lines opening in lower case: 0.34 to 0.76 in wrapped prose
_LIST_ITEM = re.compile(r"\s*(?:[-*•–]|\d{1,3}[.)]|[a-z][.)]|\(\w{1,3}\))\s")


def wrap_width(lines: list[str]) -> int:
    """The column ``lines`` were wrapped at, or 0 when they were not wrapped: the width nine in
    ten of them stay within, when most are narrow, at least a third end near it, and enough
    lines go on in lower case (wrapping breaks mid-sentence; a list of names, an address or a
    poem does not)."""
    written = [line.strip() for line in lines if line.strip()]
    lengths = sorted(len(line) for line in written)
    narrow = [n for n in lengths if n <= WRAP_MAX]
    if len(narrow) < max(WRAP_MIN_LINES, 0.6 * len(lengths)):
        return 0
    if sum(line[0].islower() for line in written[1:]) < WRAP_GOES_ON * (len(written) - 1):
        return 0
    width = narrow[int(0.9 * (len(narrow) - 1))]
    full = sum(1 for n in narrow if n >= WRAP_FULL * width)
    return width if full >= len(narrow) / 3 else 0


def _wrapped(line: str, following: str, width: int) -> bool:
    """Whether the break between two adjacent lines is the wrapping's."""
    words = following.split(maxsplit=1)
    return (
        bool(words)
        and len(line.strip()) + 1 + len(words[0]) > WRAP_FULL * width  # as wrap_width counts
        and not line.rstrip().endswith(":")
        and not _LIST_ITEM.match(following)
    )


def _paragraphs(text: str, unwrap: bool) -> list[tuple[int, int]]:
    """The ranges to split into sentences: each line, or the lines of a wrapped paragraph."""
    lines = list(_LINE.finditer(text))
    width = wrap_width([line.group() for line in lines]) if unwrap else 0
    entries = [is_contents_entry(line.group()) for line in lines] if width else []
    ranges: list[tuple[int, int]] = []
    start: int | None = None
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        start = line.start() if start is None else start
        if (
            width
            and following is not None
            and text.count("\n", line.end(), following.start()) == 1
            and _wrapped(line.group(), following.group(), width)
            and not (entries[index] or entries[index + 1])  # a contents entry is a line
        ):
            continue  # the paragraph goes on
        ranges.append((start, line.end()))
        start = None
    return ranges


def unwrapped(text: str) -> str:
    """A text that may be wrapped at a column with each paragraph on one line, for a reader
    that joins it with text of another kind (an e-mail's wrapped body after its header
    lines, a PDF attached to it), where the lines of the whole would not show the wrapping."""
    return "\n".join(reading(text[start:end]) for start, end in _paragraphs(text, unwrap=True))


def sentence_spans(text: str, unwrap: bool = True, headings: Collection[int] = ()) -> list[Span]:
    """Sentences of ``text`` as spans, stripped of surrounding whitespace.

    Lines are segmented one at a time, so a sentence never runs across a line break (headlines
    and datelines stay sentences of their own), except where a wrapped text's wrapping broke
    it (:func:`wrap_width`), unless ``unwrap`` is False: a block format's reader writes a line
    per paragraph, list item or table row, and rows of like width are not a wrapped paragraph.
    pysbd knows "U.S." and "Dec. 30" are not ends. A line ending in a colon keeps the short
    lines it announces (:func:`_announced`), and a line naming a thing keeps the sentence
    that describes it (:func:`_introduced`), unless either is one of the ``headings`` (where
    the reader located them).
    """
    # the same offsets, for pysbd and for finding its pieces
    flat = _OPTION_DASHES.sub("__", text.replace("\n", " "))
    flat = _NAMED_MARK.sub("_", _LETTER_DOT_DIGIT.sub(r"\1_", flat))
    spans: list[Span] = []
    for start, end in _paragraphs(text, unwrap):
        cursor = start
        paragraph = flat[start:end]
        whole = _one_sentence(paragraph) or is_contents_entry(paragraph)
        pieces = [paragraph] if whole else _segmenter().segment(paragraph)
        for sentence in pieces:
            stripped = sentence.strip()
            if not stripped:
                continue
            found = flat.find(stripped, cursor, end)
            if found < 0:  # pysbd altered the text: keep the rest of the line as one sentence
                rest = text[cursor:end]
                found = cursor + len(rest) - len(rest.lstrip())
                if rest.strip():
                    spans.append(Span(found, found + len(rest.strip())))
                break
            cursor = found + len(stripped)
            if spans and spans[-1].end == found and _glued(text, found):
                spans[-1] = Span(spans[-1].start, cursor)
            else:
                spans.append(Span(found, cursor))
    starts = set(headings)
    return _introduced(text, _announced(text, spans, starts), starts)


# A line that ends with a colon announces what follows it: "Install it with pip:" and the
# command, "here is the program:" and its first lines. What follows is often too short to be a
# sentence of its own (a command, a line of code, a value), so it is quoted with the line that
# announces it: up to ATTACHED_LINES lines of at most ATTACHED_CHARS, up to a blank line, a
# list item, another colon or a line that reads as prose or a heading.
ATTACHED_LINES = 3
ATTACHED_CHARS = 80
# What was announced ends at a heading or a sentence of prose, a line opening with a
# capitalised word ("Dependencies", "Joblib supports ..."); commands and code open otherwise
# ("$ pip", ">>> import", "make doc", "XML_ERROR").
_PROSE = re.compile(r"[A-Z][a-z]")


def _line_end(text: str, position: int) -> int:
    end = text.find("\n", position)
    return len(text) if end < 0 else end


def _announces(text: str, following: Span, end: int) -> bool:
    """Whether ``following``, the sentence after ``end`` (a colon's, or a line it already
    announced), is a short whole line on the next line that it announces."""
    gap = text[end : following.start]
    line = text[following.start : following.end]
    return (
        gap.count("\n") == 1
        and not gap.strip()
        and _line_end(text, following.start) == following.end
        and len(line) <= ATTACHED_CHARS
        and not line.endswith(":")
        and not _LIST_ITEM.match(line)  # a list's items are sentences of their own
        and not _PROSE.match(line)
    )


def _announced(text: str, spans: list[Span], headings: set[int]) -> list[Span]:
    """``spans`` with each sentence that ends a line with a colon joined to the short whole
    lines that follow it, up to a heading (a lowercase one, "netrc support", reads as code)."""
    joined: list[Span] = []
    index = 0
    while index < len(spans):
        span, end, taken = spans[index], spans[index].end, 0
        if text[span.start : span.end].endswith(":") and _line_end(text, span.end) == span.end:
            for following in spans[index + 1 : index + 1 + ATTACHED_LINES]:
                if following.start in headings or not _announces(text, following, end):
                    break
                end, taken = following.end, taken + 1
        joined.append(Span(span.start, end))
        index += 1 + taken
    return joined


# Reference documentation names a thing on a line of its own and describes it on the next: a
# function's signature ("debounce_.debounce(function, wait, [immediate])"), a command-line
# option ("-m, --create-home"), a term of a definition list ("supported-versions"). The
# description alone does not say what it describes ("Creates and returns a new debounced
# version of the passed function."), and the name alone is too short to be a sentence, so "What
# does _.debounce do?" found neither. Such a line, a name and not prose, a heading, code or
# output, is one sentence with the sentence of prose that opens the next line.
INTRODUCING_CHARS = 120
# how a name opens and what it holds: code, output, numbered headings and rules open otherwise
_NAME = re.compile(r"[A-Za-z_-][^\n]*[A-Za-z]")
_NOT_A_NAME = re.compile(
    r"[.?!:;,{}\[=(]$"  # ends a sentence, a statement or a block, or goes on
    r"|: "  # a term with its definition on the same line
    r"|[a-z]+ [a-z]+ [a-z]+( |$)"  # three plain words: prose
    r"|^[A-Z]+(\s|$)"  # a word in capitals: "A new title", "END" (not "XML_FEATURE_RESET")
    r"|://"  # a link
    r"|\n"  # more than a line
)
DESCRIPTION_WORDS = 3


def _is_name(line: str) -> bool:
    return (
        len(line) <= INTRODUCING_CHARS
        and _NAME.match(line) is not None
        and not _PROSE.match(line)
        and not _LIST_ITEM.match(line)
        and not _NOT_A_NAME.search(line)
        and not is_contents_entry(line)
    )


def _introduces(text: str, span: Span, following: Span) -> bool:
    """Whether ``span``, a whole line (indented, as a manual page's options are, or not),
    names what ``following``, the sentence of prose that opens the next line, describes."""
    description = text[following.start : following.end]
    return (
        not text[text.rfind("\n", 0, span.start) + 1 : span.start].strip()  # opens its line
        and _line_end(text, span.end) == span.end
        and _is_name(text[span.start : span.end])
        and text.count("\n", span.end, following.start) == 1
        and not text[span.end : following.start].strip()
        and _PROSE.match(description) is not None
        and description[-1] in ".!"
        and len(description.split()) >= DESCRIPTION_WORDS
    )


def _introduced(text: str, spans: list[Span], headings: set[int]) -> list[Span]:
    """``spans`` with each line that names a thing joined to the sentence describing it; a
    heading neither names nor describes (sections say what a sentence sits under)."""
    joined: list[Span] = []
    index = 0
    while index < len(spans):
        span = spans[index]
        following = spans[index + 1] if index + 1 < len(spans) else None
        if (
            following is not None
            and not {span.start, following.start} & headings
            and _introduces(text, span, following)
        ):
            joined.append(Span(span.start, following.end))
            index += 2
        else:
            joined.append(span)
            index += 1
    return joined


def _glued(text: str, start: int) -> bool:
    """Whether a sentence pysbd starts at ``start`` is the rest of a word after a dot: a
    sentence ends before a space, never inside ".txt" or "~/.config", where pysbd cuts."""
    return text[start - 1] == "." and text[start].isalnum()
