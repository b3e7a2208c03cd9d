"""The extractive answer's behaviour, on a made-up corpus no model was fitted on."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from footnote.answering.base import Answer, Citation
from footnote.answering.render import checked_sentences
from footnote.rewrite import Turn
from footnote.service import Footnote
from footnote.settings import Settings
from tests.support import run_ingest

OUTLETS = {
    "river_post.txt": (
        "Orla Bridge reopens after repairs\n\n"
        "The Orla Bridge in Tolbridge reopened on Monday after two years of repairs. "
        "The city council said about 9,000 cyclists cross the bridge every day. "
        "The repairs cost the city 4 million euros. "
        "The bridge was designed by the engineer Mara Venn and opened in 1850.\n"
    ),
    "valley_news.txt": (
        "Cyclists return to the Orla Bridge\n\n"
        "Cyclists returned to the Orla Bridge this week. "
        "Some 12,000 cyclists cross the bridge every day, according to the Tolbridge cycling club. "
        "The bridge was designed by the engineer Mara Venn and opened in 1850. "
        "Local shops near the bridge said trade had already picked up.\n"
    ),
    "garden_weekly.txt": (
        "The Gallen moth returns to Veska\n\n"
        "The Gallen moth has been seen again in the Veska hills. "
        "Its caterpillars feed only on the leaves of the dwarf rowan. "
        "Naturalists counted 40 adults in August and 25 in September.\n"
    ),
}


@pytest.fixture(scope="module")
def footnote(tmp_path_factory: pytest.TempPathFactory, embeddings: Embeddings) -> Footnote:
    root = tmp_path_factory.mktemp("outlets")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in OUTLETS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    settings = Settings(corpus_dir=corpus, chroma_dir=root / "chroma", _env_file=None)
    run_ingest(settings, embeddings)
    return Footnote.open(settings, embeddings)


@pytest.fixture(scope="module")
def answering(footnote: Footnote) -> Footnote:
    """The same index with refusals off: for how answers are put together."""
    settings = footnote.settings.model_copy(update={"answer_threshold": 0.0})
    return Footnote(settings, footnote.embeddings, footnote.store)


def test_the_answering_sentence_is_quoted_and_footnoted(footnote: Footnote) -> None:
    answer = footnote.ask("What do the caterpillars of the Gallen moth feed on?")
    assert not answer.abstained
    assert answer.confidence is not None
    assert answer.confidence >= footnote.answerers.ranker.threshold
    first = answer.citations[0]
    assert first.source == "garden_weekly.txt" and "dwarf rowan" in first.quote
    assert answer.text.startswith(first.quote) and "[1]" in answer.text


def test_sources_giving_different_figures_are_laid_side_by_side(answering: Footnote) -> None:
    answer = answering.ask("How many cyclists cross the Orla Bridge every day?")
    (conflict,) = answer.conflicts
    stated = " | ".join(v.value for v in conflict.values)
    assert "about 9,000 cyclists" in stated and "Some 12,000 cyclists" in stated
    cited = {c.id: c.source for c in answer.citations}
    assert {cited[v.citations[0]] for v in conflict.values} == {
        "river_post.txt",
        "valley_news.txt",
    }
    assert answer.text.startswith("Sources differ:")
    # each value is checked against the quote it cites, like a generated sentence
    assert answer.grounded and all(check.supported for check in answer.sentences)


def test_a_claim_whose_words_are_not_in_what_it_cites_is_unsupported() -> None:
    quote = "Some 12,000 cyclists cross the bridge every day."
    cited = Citation(1, "valley_news.txt", "", quote, 0, len(quote), 1.0)
    answer = Answer(
        text=f"{quote} [1] The mayor resigned over the repair costs last winter. [1]",
        citations=[cited],
    )
    first, second = checked_sentences(answer, overlap=0.6)
    assert first.supported and first.citations == [1]
    assert not second.supported


def test_one_source_giving_two_figures_is_not_a_disagreement(answering: Footnote) -> None:
    answer = answering.ask("How many Gallen moths did naturalists count in August?")
    assert answer.conflicts == [] and "40 adults" in answer.text


def test_the_same_sentence_in_two_sources_is_one_claim_with_two_footnotes(
    answering: Footnote,
) -> None:
    answer = answering.ask("Who designed the Orla Bridge?")
    assert "Mara Venn" in answer.text
    assert {c.source for c in answer.citations} == {"river_post.txt", "valley_news.txt"}
    assert answer.text.count("designed by the engineer Mara Venn") == 1


def test_a_question_the_documents_do_not_answer_is_refused_saying_why(
    footnote: Footnote,
) -> None:
    answer = footnote.ask("What is the boiling point of liquid nitrogen?")
    assert answer.abstained and answer.citations == []
    threshold = footnote.answerers.ranker.threshold
    assert answer.confidence is not None and 0 <= answer.confidence < threshold
    assert "likely to answer it" in answer.text and "%" in answer.text


@pytest.mark.parametrize(("threshold", "refused"), [(0.0, False), (1.0, True)])
def test_the_refusal_threshold_is_a_setting(
    footnote: Footnote, embeddings: Embeddings, threshold: float, refused: bool
) -> None:
    settings = footnote.settings.model_copy(update={"answer_threshold": threshold})
    strict = Footnote(settings, embeddings, footnote.store)
    assert strict.ask("Who designed the Orla Bridge?").abstained is refused


def test_a_missing_answer_model_is_a_clear_error(footnote: Footnote, tmp_path: Path) -> None:
    from footnote.answering.selector import BadSelectorModel

    settings = footnote.settings.model_copy(update={"selector_model": tmp_path / "none.json"})
    broken = Footnote(settings, footnote.embeddings, footnote.store)
    with pytest.raises(BadSelectorModel, match="footnote train"):
        broken.ask("Who designed the Orla Bridge?")


@pytest.mark.parametrize(("margin", "disputed"), [(3.0, True), (0.0, False)])
def test_the_conflict_margin_is_a_setting(
    answering: Footnote, margin: float, disputed: bool
) -> None:
    """At 0 log-odds only the best sentence's own source may state a value: no dispute."""
    settings = answering.settings.model_copy(update={"conflict_margin": margin})
    tuned = Footnote(settings, answering.embeddings, answering.store)
    answer = tuned.ask("How many cyclists cross the Orla Bridge every day?")
    assert bool(answer.conflicts) is disputed


def test_a_follow_up_is_answered_with_something_the_last_answer_did_not_say(
    footnote: Footnote,
) -> None:
    """The standalone query carries the last exchange, whose own sentence would match it best."""
    turns = [
        Turn("user", "Who designed the Orla Bridge?"),
        Turn("assistant", "The bridge was designed by the engineer Mara Venn and opened in 1850."),
        Turn("user", "How much did its repairs cost?"),
    ]
    answer = footnote.ask(turns)
    assert "Mara Venn" in answer.query
    assert not answer.abstained
    assert "4 million euros" in answer.citations[0].quote
    assert "Mara Venn" not in answer.text
