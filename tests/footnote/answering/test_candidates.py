"""A candidate sentence is read once: every later step shares what the first one read."""

from __future__ import annotations

import numpy as np

from footnote.answering.base import Evidence
from footnote.answering.candidates import candidate_sentences
from footnote.answering.question import Expect
from footnote.keyword_index import KeywordIndex
from footnote.retriever import ScoredPassage
from footnote.store import Passage, SentenceRecord
from tests.support import made_up


def test_a_sentence_is_read_once_and_its_readings_are_shared() -> None:
    sentence = made_up("Up to 12,000 troops were not returned, the ministry said.")
    assert {"12000", "troop", "returned", "ministry"} <= sentence.words
    assert sentence.numbers == frozenset({"12000"})
    assert sentence.negated and sentence.speaker == "ministry"
    assert [v.text for v in sentence.values(Expect.QUANTITY)] == ["Up to 12,000 troops"]
    assert sentence.words is sentence.words  # computed on first use, then kept
    assert sentence.values(Expect.QUANTITY) is sentence.values(Expect.QUANTITY)


def test_entries_of_a_table_of_contents_are_never_candidates() -> None:
    """ "What does asn1_strerror return?" once quoted "asn1_strerror . . . . 22" from a
    manual's index: where a thing is described, not what it is."""
    entry = "asn1_strerror . . . . . . . . . . . . . . . . . . . . . . . . . . 22"
    prose = "The function asn1_strerror returns a string describing the error code."
    text = f"{entry}\n{prose}"
    passage = Passage("m:0", "manual.pdf", "Manual", 0, 0, len(text), text, "f", 1)
    records = [
        SentenceRecord("m-1", "manual.pdf", 0, len(entry), entry, "f"),
        SentenceRecord("m-2", "manual.pdf", len(entry) + 1, len(text), prose, "f"),
    ]
    vector = np.ones(4, dtype=np.float32) / 2
    evidence = Evidence(
        "What does asn1_strerror return?",
        "What does asn1_strerror return?",
        vector,
        [ScoredPassage(passage, 1.0, 1.0, 1.0)],
        [(record, vector) for record in records],
        KeywordIndex([passage]),
    )
    assert [s.text for s in candidate_sentences(evidence, min_words=3)] == [prose]
