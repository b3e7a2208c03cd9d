"""What a question asks for: the kind of answer, its focus noun, the names it mentions, whose
words it wants and whether it asks about the future.

Footnote has no language model in extractive mode, so it reads questions the way early
question-answering systems did: the wh-phrase says what kind of value answers ("how many" → a
figure, "when" → a date, "how old" → an age) and which thing it is about ("how many *tanks*").
That is enough to notice when the corpus cannot answer: no sentence gives a figure about tanks
if the corpus never mentions tanks, and "how did Kim respond?" is not answered by sentences
that only talk about Kim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from api.tokens import singular, tokenize


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


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


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

_FOCUS = re.compile(
    r"\b(?:what (?:is|was|are|were) the (?=[\w-]+ of\b)|how many|which|what)\s*"
    r"((?:[\w’'-]+\s+){0,3}[\w’'-]+)",
    re.I,
)
# The thing whose name is asked: "the soldiers' names", "the name of the hospital".
_NAMED = re.compile(
    r"\bnames?\s+of\s+((?:[\w’'-]+\s*){1,6})|\b([\w-]+)(?:'s|’s|s'|s’)\s+names?\b"
    r"|\b(?:is|are|was|were)\s+((?:[\w’'-]+\s+){1,4})called\b",
    re.I,
)
# Words that end the noun phrase a question asks about: auxiliaries, prepositions, articles,
# and the verbs that follow it ("which country *mediated*", "which spokesman *said*").
_STOP_FOCUS = _words(
    """
    is are was were be been did does do has have had will would can could should may might of
    in on at to for by with from about into over the a an this that these those one ones other
    others where who whom whose which when that said say says told tell wanted want wants think
    thinks
    """
)
_DETERMINERS = _words("the a an his her their its two both all some")
# Nouns that frame a question rather than name its subject ("what share of ..."), measurable
# attributes whose values sentences state without the noun ("what colour" -> green), and
# abstract and generic nouns a sentence answers without using ("what was the *outcome* of the
# attack", "which *outlet* could not verify the videos": ABC News).
_FRAME_NOUNS = _words(
    """
    result outcome purpose aim goal cause effect impact consequence significance scale nature
    status situation role point meaning content subject topic message view level rate total
    figure estimate response reaction answer position share percentage proportion number amount
    part fraction kind type sort date day year month time reason way extent size colour color
    shape age height length width weight price cost speed distance temperature chance
    opportunity option offer step action measure plan proposal deal term condition thing outlet
    source publication newspaper media report article coverage story account
    """
)
_NAME = re.compile(r"(?<![.?!]\s)(?<!^)\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+)+)")
# "What did X say?", "How did X respond?", "What was X's reaction?": the answer is X speaking.
_SPEAKER = re.compile(
    r"\b(?:what|how)\s+(?:did|does|do|has|have|had)\s+(?P<who>[^?,]+?)\s+(?:say|tell|respond|"
    r"react|reply|comment|announce|claim|state|write)\b"
    r"|\bwhat\s+(?:was|is|were|has been)\s+(?P<whose>[^?,]+?)(?:'s|’s|s'|s’)\s+(?:reaction|"
    r"response|reply|comment|answer|position)\b",
    re.I,
)
# "How many ... did X say they killed?": the figure X gives, not anyone else's.
_COUNTER = re.compile(
    r"\bhow\s+(?:many|much)\b[^?]*?\b(?:do|does|did)\s+([^?,]+?)\s+(?:say|estimate|report|"
    r"claim|believe)\b",
    re.I,
)
_PRONOUNS = _words("he she they it we you i one someone anyone")
_FUTURE = re.compile(r"\b(?:will|would|shall|going to)\b|’ll|'ll", re.I)


@dataclass(frozen=True)
class QuestionShape:
    expect: Expect
    focus: str | None  # the head noun the question asks about, singular, lower case
    names: tuple[str, ...]  # multi-word proper names it mentions
    speaker: str | None = None  # who the question wants to hear from, as it names them
    future: bool = False  # asks about what will (or would) happen, not what did
    counter: str | None = None  # whose figure a "how many" question asks for

    @property
    def voice(self) -> str | None:
        """Whose words answer: the speaker asked about, or whoever gives the figure asked."""
        return self.speaker or self.counter

    @property
    def voice_words(self) -> set[str]:
        """The voice as tokens, to find it speaking in a sentence."""
        return set(tokenize(self.voice or ""))


def _head(phrase: str) -> str | None:
    """The last word of a noun phrase's opening run: "North Korean *fighters* did ...". A verb
    ends the run ("which country *mediated*"), unless it opens it ("the *captured* soldiers")."""
    words: list[str] = []
    for word in phrase.split():
        lower = word.lower().strip("’'")
        if not words and lower in _DETERMINERS:
            continue
        if lower in _STOP_FOCUS or (words and len(lower) > 4 and lower.endswith("ed")):
            break
        words.append(lower)
    if not words:
        return None
    head = singular(words[-1])
    return None if head in _FRAME_NOUNS or not tokenize(head) else head


def _focus(question: str, expect: Expect) -> str | None:
    if expect is Expect.NAME and (named := _NAMED.search(question)):
        return _head(next(group for group in named.groups() if group))
    match = _FOCUS.search(question)
    return _head(match.group(1)) if match else None


def _speaker(question: str) -> str | None:
    match = _SPEAKER.search(question)
    who = match and (match.group("who") or match.group("whose"))
    return None if not who or who.lower() in _PRONOUNS else who


def analyse(question: str) -> QuestionShape:
    expect = next(
        (kind for pattern, kind in _KINDS if re.search(pattern, question, re.I)), Expect.ANY
    )
    names = tuple(_NAME.findall(question))
    counter = _COUNTER.search(question)
    return QuestionShape(
        expect,
        _focus(question, expect),
        names,
        _speaker(question),
        bool(_FUTURE.search(question)),
        counter.group(1) if counter and counter.group(1).lower() not in _PRONOUNS else None,
    )
