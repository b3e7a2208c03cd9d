"""Words as keyword search and the answer model read them."""

from __future__ import annotations

from footnote.tokens import reading, tokenize


def test_a_sentence_wrapped_over_lines_reads_on_with_broken_words_joined() -> None:
    wrapped = "Data man-\nagement and\n  encoding, by Jean-\nPaul, from 1990-\n2000:  two  gaps"
    assert reading(wrapped) == (
        "Data management and encoding, by Jean-Paul, from 1990-2000:  two  gaps"
    )
    assert reading("One line  as written.") == "One line  as written."


def test_a_word_hyphenated_at_a_line_end_is_one_token() -> None:
    assert "management" in tokenize("the man-\nagement of the pier")
    assert tokenize("Jean-\nPaul") == tokenize("Jean-Paul")
