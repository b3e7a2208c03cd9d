"""The last step of an extractive answer: claims put into words, each with its footnotes.

A :class:`Claim` is one sentence of the answer (or one disputed value) with every source
sentence that backs it. :func:`render` numbers the footnotes in order of first use, so ``[n]``
always points at the n-th citation; :func:`render_conflict` lays disputed values side by side;
:func:`abstain` is the refusal, saying why and showing what came closest. Every rendered
answer is checked sentence by sentence, as a generated one is, so both modes report
``supported`` the same way.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace

from footnote.answering.base import Answer, Citation, Conflict, ConflictValue, SentenceCheck
from footnote.answering.candidates import Sentence, similarity
from footnote.answering.citations import Support, word_overlap
from footnote.sections import SEPARATOR
from footnote.tokens import reading
from prompts import load_prompt

# A refusal shows this many of the sentences that came nearest. On the held-out SQuAD articles
# the two held the answer of 18 of the 27 answerable questions refused, the first alone of 14.
CLOSEST = 2


@dataclass
class Claim:
    """One answer sentence (or value) and every source sentence that backs it."""

    lead: Sentence
    support: list[Sentence] = field(default_factory=list)
    value: str | None = None  # set when the claim is one value of a disagreement

    @property
    def sentences(self) -> list[Sentence]:
        return [self.lead, *self.support]


def _restates(candidate: Sentence, claim: Claim, same_claim: float) -> bool:
    """Another source saying the same: near-identical wording, no figure the other lacks."""
    theirs, ours = candidate.numbers, claim.lead.numbers
    return (
        candidate.passage.source not in {s.passage.source for s in claim.sentences}
        and similarity(candidate, claim.lead) >= same_claim
        and (theirs <= ours or ours <= theirs)
    )


def _words(sentence: Sentence) -> int:
    return len(sentence.text.split())


def claims(
    ranked: list[Sentence], runner_up_margin: float, max_words: int, same_claim: float
) -> list[Claim]:
    """The best sentence, a runner-up within the model's margin when both fit in
    ``max_words``, and every other source saying the same as either (cosine ``same_claim``
    or more: restatements are footnotes, however they scored)."""
    best = ranked[0]
    chosen = [Claim(best)]
    for candidate in ranked[1:]:
        restated = next((c for c in chosen if _restates(candidate, c, same_claim)), None)
        if restated:
            restated.support.append(candidate)
        elif (
            len(chosen) < 2
            and candidate.relevance >= best.relevance - runner_up_margin
            and _words(best) + _words(candidate) <= max_words
            and similarity(candidate, best) < same_claim
        ):
            chosen.append(Claim(candidate))
    return chosen


def citation_of(sentence: Sentence, number: int) -> Citation:
    """The sentence as footnote ``[number]``, located in its file."""
    return Citation(
        id=number,
        source=sentence.passage.source,
        title=sentence.passage.title,
        quote=sentence.text,
        start=sentence.start,
        end=sentence.end,
        score=round(sentence.similarity, 4),
        page=sentence.page,
        section=sentence.passage.section_at(sentence.start),
    )


def heading_path(citation: Citation) -> str:
    """Where a quote sits, for people: its document's title, then its section if it has one."""
    return SEPARATOR.join(filter(None, (citation.title, citation.section)))


def cite(claim: Claim, citations: list[Citation]) -> str:
    markers = ""
    for sentence in claim.sentences:
        citation = citation_of(sentence, len(citations) + 1)
        citations.append(citation)
        markers += f"[{citation.id}]"
    return markers


def render(claims: list[Claim]) -> Answer:
    """Number citations in order of first use and put the markers after each sentence."""
    citations: list[Citation] = []
    parts = [f"{reading(claim.lead.text)} {cite(claim, citations)}" for claim in claims]
    return Answer(text=" ".join(parts), citations=citations)


def render_conflict(claims: list[Claim]) -> Answer:
    """ "Sources differ: <value> (<who>) [1]; <value> [2]." with structured conflicts."""
    citations: list[Citation] = []
    parts: list[str] = []
    conflict_values: list[ConflictValue] = []
    for claim in claims:
        first = len(citations) + 1
        markers = cite(claim, citations)
        who = claim.lead.speaker
        parts.append(f"{reading(str(claim.value))}{f' ({who})' if who else ''} {markers}")
        conflict_values.append(
            ConflictValue(value=str(claim.value), citations=list(range(first, len(citations) + 1)))
        )
    text = load_prompt("conflict.txt").format(values="; ".join(parts))
    return Answer(text=text, citations=citations, conflicts=[Conflict(conflict_values)])


NAMED_DOCUMENTS = 3  # a refusal names the documents a question was limited to, up to this many


def abstain(
    mode: str = "extractive",
    reason: str = "none of the indexed documents says.",
    ranked: Sequence[Sentence] = (),
    scope: Collection[str] | None = None,
) -> Answer:
    """The refusal, saying why in plain words, with the :data:`CLOSEST` best ranked sentences
    shown apart from the answer: it cites none of them, but the reader can check them. A
    question limited to some documents (``scope``) is refused for those, not for the corpus:
    another document may well answer it."""
    if scope is None:
        text = load_prompt("abstain.txt").format(reason=reason)
    else:
        names = sorted(scope)
        documents = ", ".join(names) if len(names) <= NAMED_DOCUMENTS else f"{len(names)} of them"
        text = load_prompt("abstain_scoped.txt").format(documents=documents, reason=reason)
    closest = [citation_of(s, n) for n, s in enumerate(ranked[:CLOSEST], 1)]
    return Answer(text=text, abstained=True, mode=mode, closest=closest)


def listed(answer: Answer) -> tuple[list[Citation], str]:
    """What a plain-text answer lists under itself, and the heading (a prompt file) that says
    what they are: its citations, or under a refusal the sentences that came closest, headed
    so that no one reads them as the answer."""
    if answer.abstained:
        return answer.closest, load_prompt("closest_heading.txt")
    return answer.citations, load_prompt("sources_heading.txt")


def checked_sentences(answer: Answer, overlap: float) -> list[SentenceCheck]:
    """Each claim tested as a generated one is: its words against the quotes it cites.

    A plain quote passes whole; a disagreement ("Sources differ: …", values with their
    attributions) passes only while its words still come from what it cites."""
    quotes = {c.id: c.quote for c in answer.citations}
    checks = []
    for text, markers in re.findall(r"(.+?)((?:\[\d+\])+)", answer.text):
        cited = [int(n) for n in re.findall(r"\[(\d+)\]", markers)]
        quoted = " ".join(quotes.get(n, "") for n in cited)
        supported = word_overlap(text, quoted) >= overlap
        checks.append(SentenceCheck(text.strip(" ;"), cited, supported))
    return checks


def checked(answer: Answer, support: Support) -> Answer:
    """The answer with its sentence checks, and grounded when enough of them pass."""
    checks = checked_sentences(answer, support.overlap)
    return replace(answer, sentences=checks, grounded=support.grounded(checks))
