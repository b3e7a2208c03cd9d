"""The render step, stated on made-up sentences: which ranked sentences become claims, and
how their footnotes are numbered."""

from __future__ import annotations

from footnote.answering.candidates import Sentence
from footnote.answering.citations import Support
from footnote.answering.render import Claim, abstain, checked, claims, render
from tests.support import made_up

WORDS, SAME = 60, 0.85  # the settings' defaults: an answer read at a glance; one claim


def _claims(ranked: list[Sentence], runner_up_margin: float) -> list[Claim]:
    return claims(ranked, runner_up_margin, max_words=WORDS, same_claim=SAME)


def test_a_runner_up_joins_only_within_the_models_margin() -> None:
    best = made_up("The bridge over the Orla opened in 1850 after six years.", relevance=2.0)
    close = made_up("Its designer, Mara Venn, was paid in grain and salt.", relevance=1.5)
    far = made_up("Trade along the river doubled within a decade.", relevance=-1.0)
    assert [c.lead for c in _claims([best, close, far], runner_up_margin=1.0)] == [best, close]
    assert [c.lead for c in _claims([best, close, far], runner_up_margin=0.1)] == [best]


def test_another_source_saying_the_same_is_a_footnote_not_a_second_claim() -> None:
    best = made_up("The bridge opened in 1850.", "a.txt", relevance=2.0)
    same = made_up("The bridge opened in 1850.", "b.txt", relevance=-5.0, like=best)
    other_figure = made_up("The bridge opened in 1851.", "c.txt", relevance=-5.0, like=best)
    (claim,) = claims(
        [best, same, other_figure], runner_up_margin=0.0, max_words=WORDS, same_claim=SAME
    )
    assert claim.sentences == [best, same]  # 1851 is not the same claim, however alike


def test_footnotes_are_numbered_in_order_of_first_use_and_quote_their_sentence() -> None:
    best = made_up("The bridge opened in 1850.", "a.txt", relevance=2.0)
    same = made_up("The bridge opened in 1850.", "b.txt", like=best)
    answer = checked(
        render(_claims([best, same], runner_up_margin=0.0)),
        Support(similarity=0.6, overlap=0.6, grounded_share=0.5),
    )
    assert answer.text == "The bridge opened in 1850. [1][2]"
    assert [(c.id, c.source, c.quote) for c in answer.citations] == [
        (1, "a.txt", best.text),
        (2, "b.txt", best.text),
    ]
    assert answer.grounded and all(check.supported for check in answer.sentences)


def test_a_refusal_says_why_and_cites_nothing() -> None:
    refusal = abstain(reason="no indexed passage matches the question.")
    assert refusal.abstained and not refusal.citations
    assert "no indexed passage matches the question." in refusal.text


def test_a_runner_up_that_would_make_the_answer_long_is_left_out() -> None:
    best = made_up("The bridge over the Orla opened in 1850 after six years.", relevance=2.0)
    close = made_up("Its designer, Mara Venn, was paid in grain and salt.", relevance=1.5)
    words = len(best.text.split()) + len(close.text.split())
    assert len(claims([best, close], 1.0, max_words=words, same_claim=SAME)) == 2
    assert len(claims([best, close], 1.0, max_words=words - 1, same_claim=SAME)) == 1
