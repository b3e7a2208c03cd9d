"""Words as keyword search and the answer model read them."""

from __future__ import annotations

import numpy as np

from footnote.keyword_index import KeywordIndex
from footnote.store import Passage
from footnote.tokens import identifiers, reading, tokenize


def test_a_sentence_wrapped_over_lines_reads_on_with_broken_words_joined() -> None:
    wrapped = "Data man-\nagement and\n  encoding, by Jean-\nPaul, from 1990-\n2000:  two  gaps"
    assert reading(wrapped) == (
        "Data management and encoding, by Jean-Paul, from 1990-2000:  two  gaps"
    )
    assert reading("One line  as written.") == "One line  as written."


def test_a_word_hyphenated_at_a_line_end_is_one_token() -> None:
    assert "management" in tokenize("the man-\nagement of the pier")
    assert tokenize("Jean-\nPaul") == tokenize("Jean-Paul")


def test_an_underscored_identifier_is_a_word_whole_and_in_parts() -> None:
    tokens = tokenize("Returns ASN1_SUCCESS; see asn1_der_decoding, self.max_size or __init__.")
    assert {"asn1_success", "asn1_der_decoding", "max_size"} <= set(tokens)
    assert {"der", "decoding", "max", "size"} <= set(tokens)  # its parts still match
    assert "__init__" not in tokens and "init" in tokens
    assert identifiers("snake_case and Z_DEFAULT_COMPRESSION, not a_ or _b") == [
        "snake_case",
        "z_default_compression",
    ]


def test_a_question_naming_an_identifier_finds_the_passage_that_names_it() -> None:
    """The parts of ``asn1_der_decoding`` are common words of its manual; named whole, it is
    the rarest word of the question, and only its own passage holds it."""
    texts = [
        "int asn1_der_decoding (asn1_node *element, const void *ider, int len)",
        "Expands an element made by asn1 DER decoding: the asn1 decoding of DER structures.",
        "asn1_der_coding is the DER encoding of asn1 structures, the inverse of DER decoding.",
    ]
    passages = [
        Passage(f"p:{i}", "manual.pdf", "Manual", i, 0, len(t), t, "f", 1)
        for i, t in enumerate(texts)
    ]
    scores = KeywordIndex(passages).scores("What does asn1_der_decoding return?")
    assert int(np.argmax(scores)) == 0
