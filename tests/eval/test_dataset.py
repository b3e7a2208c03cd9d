from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from eval.dataset import TYPES, BadQuestionSet, load_questions
from footnote.settings import PROJECT_ROOT
from tests.support import BUNDLED_CORPUS

DEV = PROJECT_ROOT / "eval" / "sets" / "dev.jsonl"


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


def test_answerable_questions_have_gold_and_followups_have_history() -> None:
    for question in load_questions(DEV):
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
