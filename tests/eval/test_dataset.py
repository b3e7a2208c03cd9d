from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from eval.dataset import TYPES, BadQuestionSet, load_questions, select
from footnote.formats import extract
from footnote.settings import PROJECT_ROOT
from tests.support import BUNDLED_CORPUS

SETS = PROJECT_ROOT / "eval" / "sets"
DEV = SETS / "dev.jsonl"
DOCS = SETS / "docs.jsonl"  # questions on technical documents, about the files in DOCS_CORPUS
DOCS_CORPUS = SETS / "docs"


def test_dev_set_has_enough_questions_of_every_type() -> None:
    questions = load_questions(DEV)
    counts = Counter(q.type for q in questions)
    assert len(questions) >= 40
    assert all(counts[t] >= 5 for t in TYPES), counts
    assert len({q.id for q in questions}) == len(questions)


def test_every_evidence_quote_is_verbatim_in_its_file() -> None:
    for question in load_questions(DEV):
        assert set(question.evidence) == set(question.sources), question.id
        for source, quote in question.evidence.items():
            assert quote in (BUNDLED_CORPUS / source).read_text(encoding="utf-8"), question.id


def test_docs_evidence_is_verbatim_in_the_text_footnote_reads() -> None:
    """The documents are HTML, Markdown, reStructuredText and wrapped text: a quote is
    located in what the readers make of them, as the metrics locate it."""
    texts = {path.name: extract(path).text for path in DOCS_CORPUS.iterdir()}
    for question in load_questions(DOCS):
        assert question.document in texts, question.id
        assert set(question.evidence) <= {question.document}, question.id
        for source, quote in question.evidence.items():
            assert quote in texts[source], question.id


def test_docs_set_is_split_by_document() -> None:
    """Every question on a document falls on the same side, and both sides have documents."""
    questions = load_questions(DOCS)
    held_out = {q.document for q in select(questions, "heldout")}
    fitted = {q.document for q in select(questions, "fit")}
    assert held_out and fitted and not held_out & fitted
    assert len({q.id for q in questions}) == len(questions)


@pytest.mark.parametrize("path", [DEV, DOCS], ids=["dev", "docs"])
def test_answerable_questions_have_gold_and_followups_have_history(path: Path) -> None:
    for question in load_questions(path):
        assert bool(question.sources) == question.answerable, question.id
        assert bool(question.must_include) == question.answerable, question.id
        assert bool(question.history) == (question.type == "followup"), question.id


def test_malformed_set_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(DEV.read_text().splitlines()[0] + '\n{"id": "x", "type": "nonsense"}\n')
    with pytest.raises(BadQuestionSet, match="line 2"):
        load_questions(path)
    with pytest.raises(BadQuestionSet, match="does not exist"):
        load_questions(tmp_path / "missing.jsonl")


def test_conflict_questions_can_show_a_conflict() -> None:
    """conflict_shown needs two values from two sources: a conflict question names at least
    two sources and two must-include groups (one value each)."""
    conflicts = [q for q in load_questions(DEV) if q.type == "conflict"]
    for question in conflicts:
        assert len(question.sources) >= 2 and len(question.must_include) >= 2, question.id
