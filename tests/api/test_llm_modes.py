"""What only LLM modes do: their markers are parsed and each generated sentence is checked
against what it cites. Every mode's answers, refusals and streams are held to one contract in
``test_answer_modes.py``."""

from __future__ import annotations

from langchain_core.embeddings import Embeddings

from footnote.answering.citations import Support, check, split_claims
from footnote.rewrite import Turn
from footnote.service import Footnote
from footnote.settings import Settings

QUESTION = "What ID card was one of the prisoners carrying?"


def test_markers_pointing_at_no_source_are_dropped() -> None:
    cleaned, claims = split_claims("Tuva is named [1][7]. Nothing backs this [9].", sources=5)
    assert cleaned == "Tuva is named [1]. Nothing backs this."
    assert [(c.text, c.sources) for c in claims] == [
        ("Tuva is named.", [1]),
        ("Nothing backs this.", []),
    ]


def test_citation_check_tells_supported_from_invented(
    indexed_settings: Settings, embeddings: Embeddings
) -> None:
    footnote = Footnote.open(indexed_settings, embeddings)
    evidence = footnote.evidence([Turn("user", QUESTION)], 5, "extractive")
    holder = next(n for n, hit in enumerate(evidence.passages, 1) if "Tuva" in hit.passage.text)
    text = (
        "One prisoner carried a Russian military ID issued to a person registered in Tuva "
        f"[{holder}]. "
        f"The card was printed on pink paper in Paris [{holder}]."
    )
    answer = check(text, evidence, embeddings, "test", Support.of(indexed_settings))
    assert [s.supported for s in answer.sentences] == [True, False]
    assert answer.grounded is False
    (citation,) = answer.citations
    assert "Tuva" in citation.quote and citation.id == holder
    document = footnote.source_text(citation.source)
    assert document[citation.start : citation.end] == citation.quote
