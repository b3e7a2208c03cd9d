from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from footnote.sentences import _one_sentence, _segmenter, is_contents_entry, wrap_width
from ingest.splitter import SentenceSplitter, pack_sentences, sentence_spans
from tests.support import BUNDLED_CORPUS


def test_every_bundled_passage_is_an_exact_slice_of_its_document() -> None:
    splitter = SentenceSplitter(chunk_size=500, overlap_sentences=1)
    for path in BUNDLED_CORPUS.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        spans = splitter.split_spans(text)
        assert spans, path
        for span, passage in zip(spans, splitter.split_text(text), strict=True):
            assert text[span.start : span.end] == passage


def test_abbreviations_do_not_end_sentences() -> None:
    text = "Officials from the U.S. spoke on Dec. 30 about it. A second sentence follows."
    sentences = [text[s.start : s.end] for s in sentence_spans(text)]
    assert sentences == [
        "Officials from the U.S. spoke on Dec. 30 about it.",
        "A second sentence follows.",
    ]


def test_passages_respect_size_and_overlap_by_one_sentence() -> None:
    text = " ".join(f"Sentence number {i} says something short." for i in range(30))
    spans = SentenceSplitter(chunk_size=200, overlap_sentences=1).split_spans(text)
    assert len(spans) > 3
    assert all(s.end - s.start <= 200 for s in spans)
    for before, after in zip(spans, spans[1:], strict=False):
        assert after.start < before.end, "consecutive passages share a sentence"
    assert spans[0].start == 0 and spans[-1].end == len(text)


def test_a_sentence_longer_than_the_chunk_is_kept_whole() -> None:
    long = "word " * 100 + "end."
    text = f"Short one. {long} Short two."
    passages = SentenceSplitter(chunk_size=100).split_text(text)
    assert long.strip() in passages


def test_a_dot_inside_a_word_does_not_end_a_sentence() -> None:
    text = "Footnote reads .txt and .md files. Settings live in ~/.config/app.toml. Done."
    assert _sentences(text) == [
        "Footnote reads .txt and .md files.",
        "Settings live in ~/.config/app.toml.",
        "Done.",
    ]


def test_a_standards_number_before_a_capitalised_word_does_not_end_a_sentence() -> None:
    """pysbd took the letter of "X.509" for an initial and ended the sentence after it."""
    text = (
        "Certificates use the X.509 Certificate format. The X.25 UNI protocol is old. "
        "Then J. Doe. A.4 Outlook."
    )
    assert _sentences(text) == [
        "Certificates use the X.509 Certificate format.",
        "The X.25 UNI protocol is old.",
        "Then J. Doe.",
        "A.4 Outlook.",
    ]


def test_a_mark_named_in_the_text_does_not_end_its_sentence() -> None:
    """Inline code read without its markup leaves a mark between spaces: the Rust book's "the
    question mark operator ? to make this easier" had been cut after the "?"."""
    text = (
        "Rust provides the operator ? to make this easier. It returns from the last . (period) "
        "on. Is it? Yes. Install it with pip install -e . Then run it."
    )
    assert _sentences(text) == [
        "Rust provides the operator ? to make this easier.",
        "It returns from the last . (period) on.",
        "Is it?",
        "Yes.",
        "Install it with pip install -e .",
        "Then run it.",
    ]


def test_command_line_options_do_not_hide_sentence_ends() -> None:
    """pysbd reads the text between two "--" as one dash-parenthesis; options are not that."""
    text = (
        "Pick a mode with -d/--decode, or it is chosen for you. Several names may be given. "
        "Pass --strict to turn the mapping off. The attack -- a nested one -- is old. It is."
    )
    assert _sentences(text) == [
        "Pick a mode with -d/--decode, or it is chosen for you.",
        "Several names may be given.",
        "Pass --strict to turn the mapping off.",
        "The attack -- a nested one -- is old.",
        "It is.",
    ]


def test_a_line_ending_in_a_colon_keeps_the_short_lines_it_announces() -> None:
    """A command or a line of code after "with pip:" is quoted with it; a blank line, a list
    item, a long line or a fourth line is not."""
    text = (
        "Installing it is simple with pip:\n$ pip install tidy\n\nUse it like this:\n"
        ">>> import tidy\n>>> tidy.run()\n>>> tidy.stop()\n>>> tidy.done()\n"
        "The steps are:\n- one step that is taken first of all here\n"
    )
    assert [text[s.start : s.end] for s in sentence_spans(text)] == [
        "Installing it is simple with pip:\n$ pip install tidy",
        "Use it like this:\n>>> import tidy\n>>> tidy.run()\n>>> tidy.stop()",
        ">>> tidy.done()",
        "The steps are:",
        "- one step that is taken first of all here",
    ]
    assert _sentences("Run this:\n\n$ make") == ["Run this:", "$ make"]
    headed = "Or from the source folder:\npip install -e .\nDependencies\nIt needs numpy 2."
    assert [headed[s.start : s.end] for s in sentence_spans(headed, unwrap=False)] == [
        "Or from the source folder:\npip install -e .",
        "Dependencies",
        "It needs numpy 2.",
    ]
    # a heading the reader located ends it even when it reads as code: "netrc support"
    url = "The address would look like:\nhttps://user@pypi.example.com\nnetrc support\n"
    spans = sentence_spans(url, headings=[url.index("netrc")])
    assert [url[s.start : s.end] for s in spans] == [
        "The address would look like:\nhttps://user@pypi.example.com",
        "netrc support",
    ]


def test_a_line_naming_a_thing_keeps_the_sentence_describing_it() -> None:
    """Reference documentation: a signature, an option or a term on its line, its description
    on the next. Only the description's first sentence joins, and only when the line is a name:
    prose, a heading the reader located, code, output, a rule or a link is not one."""
    text = (
        "debounce _.debounce(function, wait, [immediate])\n"
        "Creates and returns a debounced version of the function. Useful for input.\n"
        "-m, --create-home\nCreate the user's home directory.\n"
        "tidy.config\nThese change what it does.\n"
        "an option of the command line\nIt takes a value.\n"
        "A short title\nIt has no full stop.\n"
        "var ready = _.matcher(attrs);\nThe matcher is a function.\n"
        "=> true\nReturns true for equal objects.\n"
        "-------\nThe history of the tool is long.\n"
        "https://example.org/docs\nThe site has more.\n"
        "supported-versions\nDefault\n"
        "old-versions\nWhat does it hold?\n"
    )
    headings = [text.index("tidy.config")]
    assert [text[s.start : s.end] for s in sentence_spans(text, False, headings)] == [
        "debounce _.debounce(function, wait, [immediate])\n"
        "Creates and returns a debounced version of the function.",
        "Useful for input.",
        "-m, --create-home\nCreate the user's home directory.",
        "tidy.config",
        "These change what it does.",
        "an option of the command line",
        "It takes a value.",
        "A short title",
        "It has no full stop.",
        "var ready = _.matcher(attrs);",
        "The matcher is a function.",
        "=> true",
        "Returns true for equal objects.",
        "-------",
        "The history of the tool is long.",
        "https://example.org/docs",
        "The site has more.",
        "supported-versions",
        "Default",
        "old-versions",
        "What does it hold?",
    ]


def test_a_manual_pages_indented_option_keeps_its_description() -> None:
    text = "       --no-create-home\n              Do not create a home directory. Note this.\n"
    assert [text[s.start : s.end] for s in sentence_spans(text)] == [
        "--no-create-home\n              Do not create a home directory.",
        "Note this.",
    ]


def test_lines_never_merge_into_one_sentence() -> None:
    text = "A headline without a full stop\nThe body starts here. It goes on."
    sentences = [text[s.start : s.end] for s in sentence_spans(text)]
    assert sentences[0] == "A headline without a full stop"


BRIDGE = [
    "The Vltava bridge opened in 1998 after ten years of building by three firms.",
    "It is 312 metres long and carries four lanes of traffic, two tram lines and a cycle path "
    "across the river.",
    "Engineers designed it for a flood twice as high as the one of 2002, which closed the old "
    "bridge for a month.",
]


def _sentences(text: str) -> list[str]:
    return [" ".join(text[s.start : s.end].split()) for s in sentence_spans(text)]


@pytest.mark.parametrize("width", [50, 72, 100])
def test_a_sentence_wrapped_over_lines_is_one_sentence(width: int) -> None:
    """A PDF's text layer or a hard-wrapped file breaks sentences at its column; a heading,
    a paragraph's short last line and a blank line still end where they end."""
    paragraph = textwrap.fill(" ".join(BRIDGE), width)
    closing = textwrap.fill("The city plans a second bridge. " * 4, width)
    text = f"Bridge report\n{paragraph}\n\nNext steps\n{closing}\nShort last line.\n"
    assert wrap_width(text.splitlines()) <= width
    assert _sentences(text) == [
        "Bridge report",
        *BRIDGE,
        "Next steps",
        *["The city plans a second bridge."] * 4,
        "Short last line.",
    ]


def test_a_wrapped_line_before_a_list_item_or_after_a_colon_ends_there() -> None:
    intro = textwrap.fill("The bridge carries several kinds of traffic, listed here: " * 3, 60)
    items = "\n".join(f"- {kind} crossing the river every few minutes all day" for kind in "ABC")
    text = f"{intro}\n{items}\n{textwrap.fill(' '.join(BRIDGE), 60)}\n"
    sentences = _sentences(text)
    assert [s for s in sentences if s.startswith("- ")] == [
        f"- {kind} crossing the river every few minutes all day" for kind in "ABC"
    ]


def test_entries_of_a_table_of_contents_are_lines_of_their_own() -> None:
    """A leader of dots reaches the wrap column, so a PDF's table of contents read as wrapped
    prose ran its entries together, and pysbd ended sentences inside the leaders."""
    entries = [
        "1 Introduction . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . 1",
        "2.1 ASN.1 syntax. . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . 2",
        "asn1_strerror . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . 22",
        "Appendix A ......................................................................... iv",
    ]
    prose = textwrap.fill(" ".join(BRIDGE), 84)
    text = "\n".join(["Table of Contents", *entries, prose]) + "\n"
    assert wrap_width(text.splitlines()) > 0  # read as wrapped, as a PDF's text layer is
    assert _sentences(text) == ["Table of Contents", *entries, *BRIDGE]
    assert all(is_contents_entry(entry) for entry in entries)
    for line in (*BRIDGE, "Wait... then go.", "See section 3.2.1.4 for the grammar."):
        assert not is_contents_entry(line)


def test_a_list_of_lines_of_like_width_is_not_taken_for_wrapped() -> None:
    text = "\n".join(
        f"Ferry {n} leaves the north pier at {n} o'clock for the islands" for n in "12345"
    )
    assert wrap_width(text.splitlines()) == 0
    assert len(sentence_spans(text)) == 5


def test_text_written_a_paragraph_per_line_is_not_taken_for_wrapped() -> None:
    for path in BUNDLED_CORPUS.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        assert wrap_width(text.splitlines()) == 0, path
        assert all("\n" not in text[s.start : s.end] for s in sentence_spans(text))


words = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=400)


@settings(max_examples=150, deadline=None)
@given(words, st.integers(min_value=20, max_value=300), st.integers(min_value=0, max_value=3))
def test_offsets_are_exact_for_any_text(text: str, size: int, overlap: int) -> None:
    sentences = sentence_spans(text)
    for span in sentences:
        assert text[span.start : span.end] == text[span.start : span.end].strip() != ""
    for span in pack_sentences(sentences, size, overlap):
        assert 0 <= span.start < span.end <= len(text)


LINES = [
    "Zelensky says two Chinese citizens captured",  # a headline
    "KYIV, April 8 (Reuters) - Ukraine said on Tuesday it captured two men.",
    "The bridge opened in 1850. It was long.",
    "a) first item b) second item",  # pysbd splits list markers without any full stop
    "The rule applies (b) not here",
    "“Who sent them?” he asked. Nobody knew.",
    "He left…",
    "Ends with quotes!”",  # pysbd cuts the quote off: the line goes to pysbd
    "Done.",
    "Wait...",
]


@pytest.mark.parametrize("line", LINES)
def test_lines_taken_whole_are_what_pysbd_would_say(line: str) -> None:
    """A line without a full stop, question or exclamation mark, ellipsis or bracket before
    its closing punctuation skips pysbd; the spans are the same either way."""
    pieces = [s.strip() for s in _segmenter().segment(line) if s.strip()]
    assert [line[s.start : s.end] for s in sentence_spans(line)] == pieces
    if _one_sentence(line):
        assert pieces == [line.strip()]
