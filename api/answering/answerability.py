"""Decides when the retrieved sentences, however on-topic, do not answer the question.

Topical similarity is not an answer: "Which hospital is treating the soldiers?" sits close to
"the soldiers were receiving medical care in Kyiv". Each check below looks for the thing the
question asks about and fails when the corpus plainly lacks it:

- the question's focus noun ("how many *tanks*", "which *hospital*") never occurs in the corpus;
- a multi-word name it mentions ("the United Nations") never occurs in the corpus;
- it asks for a value (money, a figure, a share, a date, a length of time, an age, a
  measurement) and none of the most relevant sentences states one the question does not
  already give (an age, of the person the question names); a question about what *will*
  happen needs a sentence that looks ahead ("will", "expected", "next"): the date of last
  month's exchange does not say when the next one takes place;
- it asks "how many" and no figure, read with the words around it, matches what is counted;
- it asks for the name of someone or something, and no relevant sentence gives a name beside
  that thing ("spokesperson *Dmitry Peskov*") or says what it is "called";
- it asks what someone said ("how did Kim respond?") and no relevant sentence has them speak:
  being talked *about* ("ready to hand the soldiers over to Kim") is not an answer;
- contrastive check: the one or two rare words of the question that the best sentences do not
  contain, taken out of the question, make those sentences match *better*. The model then sees
  the sentences as about the rest of the question, not about what it asks. (More unmatched
  words mean a paraphrase, where the check is unreliable, so it stays silent.)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from langchain_core.embeddings import Embeddings

from api.answering.base import Evidence
from api.answering.question import Expect, QuestionShape
from api.answering.values import PERSON_NAME, asked_keys, holds, values, window
from api.tokens import tokenize

if TYPE_CHECKING:
    from api.answering.claims import Sentence

RARE_IDF = 2.5  # words rarer than this carry the question's specific ask
CONTRAST_SENTENCES = 3
MAX_UNMATCHED_WORDS = 2  # more unmatched words read as a paraphrase, not a missing detail
COUNT_FIT = 0.52  # a figure's own words must match a "how many" question this well
MIN_FOCUS_GAIN = -0.03
CONTRAST_CEILING = 0.7  # best-sentence similarity above which the last two checks are skipped
VALUE_SENTENCES = 5  # how far down the ranking a value of the asked kind may sit
_VALUE_KINDS = {  # what the question asks for, and the kinds of value that may answer it
    Expect.MONEY: ("an amount of money", (Expect.MONEY,)),
    Expect.QUANTITY: ("a figure", (Expect.QUANTITY,)),
    Expect.SHARE: ("a share (a percentage or a fraction)", (Expect.SHARE,)),
    Expect.DATE: ("a date", (Expect.DATE,)),
    # A year may be given as one, or relative to the article's date ("five months ago").
    Expect.YEAR: ("a date", (Expect.DATE,)),
    # "How long is the bridge?" asks for a length, not a time: any figure may answer.
    Expect.DURATION: ("a figure or a length of time", (Expect.DURATION, Expect.QUANTITY)),
    Expect.AGE: ("an age", (Expect.AGE,)),
    Expect.MEASURE: ("a measurement", (Expect.MEASURE,)),
}
NAME_GAP = 3  # words between the thing named and its name ("spokesman, Lt. Col. Chepurnyi")
SPEAKER_BEFORE, SPEAKER_AFTER = 6, 3  # words between a speaker and "said" ("said the NIS")
_SPEECH = re.compile(
    r"(?:said|says|say|saying|told|tells|stated|wrote|writes|added|announced|claimed|responded|"
    r"reacted|replied|commented|refused|declined|confirmed|denied|reported|noted|warned|"
    r"insisted|described|posted|estimated|believes?|quoted)"
)
# "One said", "he told": someone speaks, but who is in another sentence.
_UNNAMED_SPEAKER = re.compile(
    rf"\b(?:he|she|they|one|we|i)\s+(?:\w+ly\s+)?{_SPEECH.pattern}\b", re.I
)
_LOOKS_AHEAD = re.compile(
    r"\b(?:will|would|shall|could|expected|scheduled|planned|plans?|next|upcoming|set to|"
    r"going to|later this|soon)\b|’ll|'ll",
    re.I,
)
_NAME_AFTER = re.compile(r"[A-Z][a-z]+\b")  # "the giraffe Olha", "spokesperson Dmitry Peskov"
_CLAUSE = re.compile(r"[,;:“”\"()]|\.\s")
# An aside between speaker and verb does not end the clause: "the SSO, meanwhile, said".
_ASIDE = re.compile(
    r",\s*(?:meanwhile|however|too|also|though|in turn|for (?:its|his|her|their) part),", re.I
)


def _unknown(evidence: Evidence, words: str) -> bool:
    return any(evidence.terms.frequency(t) == 0 for t in tokenize(words))


def _names(sentence: str, focus: str | None, question: str) -> bool:
    """Whether the sentence names the thing asked about: "named" or "called" a name, a name
    right after it ("spokesperson Dmitry Peskov") or set beside it ("Yuriy Bondar, a soldier").
    A name just before it is a modifier, not its name: "North Korean soldiers". A name set
    beside "a *Ukrainian* soldier" names someone else when the question asks about soldiers
    without saying Ukrainian: the soldiers it has in mind are others."""
    if re.search(r"\b(?:named|called)\s+[A-Z]", sentence):
        return True
    asked = set(tokenize(question))
    words = sentence.split()
    for i, word in enumerate(words):
        if focus and tokenize(word) == [focus]:
            after = " ".join(words[i + 1 : i + 2 + NAME_GAP])
            if word[-1].isalpha() and _NAME_AFTER.match(after):  # not "soldiers,” Zelensky said"
                return True
            before = " ".join(words[max(0, i - 1 - NAME_GAP) : i])
            beside = re.search(rf"{PERSON_NAME.pattern},(.*)$", before)
            if beside and all(
                t in asked for w in beside.group(1).split() if w[:1].isupper() for t in tokenize(w)
            ):
                return True
    return False


def _count_fit(evidence: Evidence, best: Sequence[Sentence], embeddings: Embeddings) -> float:
    """How well the best-fitting figure, read with the words around it, matches the question:
    "how many Ukrainians were swapped?" is not answered by "the two soldiers were taken
    prisoner", though both speak of captives and a number."""
    asked = asked_keys(evidence.question, Expect.QUANTITY)
    windows = [
        window(s.text, v.text)
        for s in best
        for v in values(s.text, Expect.QUANTITY)
        if v.key not in asked
    ]
    return float(np.max(evidence.fit(windows, embeddings))) if windows else 0.0


def _states_value(sentence: str, shape: QuestionShape, question: str) -> bool:
    """Whether the sentence states a value of the kind asked, as the question asks it: looking
    ahead when the question does, and of the person named when it asks an age."""
    _, answering = _VALUE_KINDS[shape.expect]
    return (
        any(holds(sentence, expect, question) for expect in answering)
        and (not shape.future or bool(_LOOKS_AHEAD.search(sentence)))
        and (shape.expect is not Expect.AGE or _names_someone_asked(sentence, shape))
    )


def _names_someone_asked(sentence: str, shape: QuestionShape) -> bool:
    """An age belongs to a person: "How old is Kim Jong Un?" is not answered by the age of
    the man named on an ID card, in a sentence that never mentions Kim."""
    asked = set(tokenize(" ".join(shape.names)))
    return not asked or bool(asked & set(tokenize(sentence)))


def speaks(sentence: str, speaker: set[str]) -> bool:
    """Whether someone the question names is the one speaking in the sentence: named within a
    few words of "said" (or the like) in the same clause, or after "according to"."""
    for clause in _CLAUSE.split(_ASIDE.sub(" ", sentence)):
        words = clause.split()
        tokens = [(tokenize(w) or [""])[0] for w in words]
        for i, word in enumerate(words):
            if _SPEECH.fullmatch(word.lower().rstrip(".")):
                near = (
                    tokens[max(0, i - SPEAKER_BEFORE) : i] + tokens[i + 1 : i + 1 + SPEAKER_AFTER]
                )
                if speaker & set(near):
                    return True
        _, according, source = clause.lower().partition("according to")
        if according and speaker & set(tokenize(source)):
            return True
    return False


def asks_the_same(
    sentence: str, best: str, shape: QuestionShape, question: str, before: str = ""
) -> bool:
    """Whether a second sentence addresses what the question asks as the best one does: it
    states a value of the kind asked, and has the asked-for voice speak when the best one
    does. Sharing the topic is not enough for a supporting claim: "Zelensky offered a swap"
    does not add to "the Kremlin refused to comment"."""
    if shape.expect in _VALUE_KINDS:
        if not _states_value(sentence, shape, question):
            return False
    elif not holds(sentence, shape.expect, question):  # a cause for "why", a name for "name"
        return False
    return same_voice(sentence, best, shape, before)


def same_voice(sentence: str, best: str, shape: QuestionShape, before: str = "") -> bool:
    """Whether the sentence has the voice the question asks for speak, when the best one does:
    "how many did the SSO say they killed?" is not answered by an official's estimate. A
    speaker the sentence leaves unnamed ("One said ...", "he added") is them when the sentence
    ``before`` it in its document names them."""
    voice = shape.voice_words
    return (
        not voice
        or not speaks(best, voice)
        or speaks(sentence, voice)
        or (bool(_UNNAMED_SPEAKER.search(sentence)) and bool(voice & set(tokenize(before))))
    )


def _mentioned(name: str, evidence: Evidence) -> bool:
    """Whether a retrieved passage names ``name``, word for word; keyword retrieval would
    have brought such a passage in if the corpus had one."""
    words = " ".join(tokenize(name))
    return any(words in " ".join(tokenize(hit.passage.text)) for hit in evidence.passages)


def _focus_gain(
    evidence: Evidence, ranked: Sequence[Sentence], embeddings: Embeddings
) -> float | None:
    """How much better the top sentences match the full question than the question without
    its rare, unmatched words; None when there are no such words to take out."""
    best = ranked[:CONTRAST_SENTENCES]
    shared = set.intersection(*(set(tokenize(s.text)) for s in best))
    kept, dropped = [], 0
    for word in evidence.question.split():
        tokens = tokenize(word)
        if tokens and evidence.terms.idf(tokens[0]) >= RARE_IDF and tokens[0] not in shared:
            dropped += 1
            continue
        kept.append(word)
    if not dropped or dropped > MAX_UNMATCHED_WORDS or not kept:
        return None
    topic = np.asarray(embeddings.embed_query(" ".join(kept)), dtype=np.float32)
    return max(s.similarity - float(s.vector @ topic) for s in best)


def unanswerable_reason(
    evidence: Evidence, shape: QuestionShape, ranked: Sequence[Sentence], embeddings: Embeddings
) -> str | None:
    """Why the corpus cannot answer, or None when the best sentences may well answer."""
    if shape.focus and _unknown(evidence, shape.focus):
        return f"the corpus never mentions {shape.focus!r}"
    for name in shape.names:
        if not _mentioned(name, evidence):
            return f"no passage mentions {name}"
    best = ranked[:VALUE_SENTENCES]
    if shape.expect is Expect.NAME and not any(
        _names(s.text, shape.focus, evidence.question) for s in best
    ):
        return "no relevant passage gives a name"
    speaker = set(tokenize(shape.speaker or ""))
    if speaker and not any(speaks(s.text, speaker) for s in best):
        return f"no relevant passage has {shape.speaker} speak"
    if shape.expect in _VALUE_KINDS and not any(
        _states_value(s.text, shape, evidence.question) for s in best
    ):
        return f"no relevant passage states {_VALUE_KINDS[shape.expect][0]}"
    # A sentence that matches this closely is about what is asked; only weaker matches may be
    # on the topic without addressing it, and only they pay for the embeddings that tell.
    if ranked[0].similarity >= CONTRAST_CEILING:
        return None
    if shape.expect is Expect.QUANTITY and _count_fit(evidence, best, embeddings) < COUNT_FIT:
        return "no figure in the passages counts what is asked"
    if not evidence.is_followup:
        gain = _focus_gain(evidence, ranked, embeddings)
        if gain is not None and gain <= MIN_FOCUS_GAIN:
            return "the passages are on the topic but do not address what is asked"
    return None
