"""The answer model's inputs and its file, specified on made-up sentences."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from footnote.answering.base import Evidence
from footnote.answering.candidates import Sentence
from footnote.answering.features import (
    COLUMN,
    SENTENCE_FEATURES,
    _share,
    measure,
    missing_names,
    properties,
)
from footnote.answering.question import Question
from footnote.answering.selector import (
    DEFAULT_MODEL,
    QUESTION_FEATURES,
    BadSelectorModel,
    Linear,
    Selector,
    load_selector,
    question_features,
)
from footnote.embeddings import TUNED_LAYERS, file_digest
from footnote.retriever import ScoredPassage
from footnote.store import Passage
from footnote.tokens import tokenize
from tests.support import EveryWordAlike, made_up


def test_sentence_properties_ignore_what_the_question_already_gives() -> None:
    asked = set(tokenize("What happened to the Orla Bridge in 1850?"))
    figure, date, name, cause, place = properties(made_up("The Orla Bridge opened in 1850."), asked)
    assert (figure, name) == (0.0, 0.0)  # its only figure and name are the question's own
    assert date == 1.0  # a year is still a date, whoever names it
    figure, _, name, cause, place = properties(
        made_up("It was closed in 1912 because Mara Venn found cracks near Tolbridge."), asked
    )
    assert (figure, name, cause, place) == (1.0, 1.0, 1.0, 1.0)


def test_missing_names_is_the_share_of_names_and_figures_a_passage_never_states() -> None:
    question = "What did Mara Venn build in 1891?"
    assert missing_names(question, "Mara Venn built a mill in 1891.") == 0.0
    assert missing_names(question, "Mara Venn built a mill in 1887.") == pytest.approx(1 / 3)
    assert missing_names("what did she build?", "She built a mill.") == 0.0  # nothing to miss


def _measured(question: str, texts: list[str], sections: str = "") -> tuple[np.ndarray, np.ndarray]:
    """Made-up candidates in one passage (under ``sections``, encoded as ingest stores
    them), measured as an answer measures them."""
    document = " ".join(texts)
    passage = Passage(
        "p", "made-up.txt", "", 0, 0, len(document), document, "f", 1, sections=sections
    )
    sentences, start = [], 0
    for text in texts:
        vector = np.zeros(4, dtype=np.float32)
        sentences.append(Sentence(passage, start, start + len(text), text, vector=vector))
        start += len(text) + 1
    hits = [ScoredPassage(passage, 0.5, 0.5, 0.5)]
    evidence = Evidence(question, question, np.zeros(4), hits, [], EveryWordAlike())
    return measure(evidence, Question.read(question), sentences)


def test_stem_overlap_meets_a_question_in_other_word_forms() -> None:
    features, _ = _measured(
        "Who invented the spinning loom?",
        ["The invention of the loom is credited to Mara Venn.", "The loom was sold in Tolbridge."],
    )
    overlap, stems = features[:, COLUMN["overlap"]], features[:, COLUMN["stem_overlap"]]
    assert overlap[0] == pytest.approx(1 / 3)  # "loom" only: plurals are all tokens fold
    assert stems[0] == pytest.approx(2 / 3)  # "invented" and "invention" share "invent"
    assert stems[1] == pytest.approx(1 / 3)
    assert features[:, COLUMN["stem_overlap_gap"]].tolist() == pytest.approx([0.0, -1 / 3])


def test_the_heading_a_sentence_sits_under_is_part_of_its_window() -> None:
    """A manual names what a sentence describes in the heading above it."""
    texts = ["The largest number of rows it reads.", "When true, it refuses merged cells."]
    sections = json.dumps([[0, "Options › max_rows"], [len(texts[0]) + 1, "Options › strict"]])
    features, _ = _measured("What does strict do?", texts, sections)
    assert features[:, COLUMN["window_overlap"]].tolist() == [0.0, 1.0]
    unheaded, _ = _measured("What does strict do?", texts)
    assert unheaded[:, COLUMN["window_overlap"]].tolist() == [0.0, 0.0]


@pytest.mark.parametrize(
    ("best", "unmatched"),
    [("The Orla Bridge was repaired in 1912.", 1.0), ("The Veska bridge was never repaired.", 0.0)],
)
def test_a_negated_question_is_flagged_when_its_best_sentence_negates_nothing(
    best: str, unmatched: float
) -> None:
    features, signals = _measured("Which bridge wasn't repaired?", [best, "Trade picked up."])
    row = question_features("what", signals, features, np.array([2.0, -1.0]))
    named = dict(zip(QUESTION_FEATURES, row, strict=True))
    assert named["question_negated"] == 1.0
    assert named["contradicted"] == unmatched


@pytest.mark.parametrize(
    ("best", "contradicted"),
    [
        ("Iron is a common metal in the Veska hills.", 1.0),
        ("Tin is an uncommon metal in the Veska hills.", 0.0),
    ],
)
def test_a_question_is_flagged_when_its_best_sentence_says_the_opposite(
    best: str, contradicted: float
) -> None:
    features, signals = _measured("What is an uncommon metal in the hills?", [best, "Rain."])
    row = question_features("what", signals, features, np.array([2.0, -1.0]))
    assert dict(zip(QUESTION_FEATURES, row, strict=True))["contradicted"] == contradicted


def test_an_opposite_inside_a_name_still_counts() -> None:
    """A swapped compass word is how a question asks about another office, not a direction
    written in capitals to be ignored: SQuAD's unanswerable questions swap names this way."""
    features, _ = _measured(
        "Who founded the Office of Eastern Medicine?",
        ["Mara Venn founded the Office of Western Medicine.", "Rain."],
    )
    assert features[0, COLUMN["opposes"]] == 1.0


def test_a_weighted_share_does_not_depend_on_the_order_of_the_words() -> None:
    weights = {"a": 0.1, "b": 0.2, "c": 0.7, "d": 0.9}
    backwards = dict(reversed(weights.items()))
    assert sum(weights.values()) != sum(backwards.values())  # a plain sum's rounding differs
    for found in ({"a", "b", "c"}, {"b", "c", "d"}):
        assert _share(weights, found) == _share(backwards, found)


def _tiny(features: list[str], seed: int) -> Linear:
    rng = np.random.default_rng(seed)
    n = len(features)
    return Linear(features, rng.normal(size=n), rng.uniform(0.5, 2, n), rng.normal(size=n), 0.3)


def test_a_saved_model_loads_and_scores_the_same(tmp_path: Path) -> None:
    model = Selector(
        _tiny(SENTENCE_FEATURES, 0), _tiny(QUESTION_FEATURES, 1), 0.4, 1.5, {"seed": 0}
    )
    path = tmp_path / "selector.json"
    model.save(path)
    loaded = load_selector(path)
    rows = np.random.default_rng(2).normal(size=(7, len(SENTENCE_FEATURES)))
    assert np.allclose(loaded.sentence.logits(rows), model.sentence.logits(rows), atol=1e-4)
    assert (loaded.threshold, loaded.runner_up_margin) == (0.4, 1.5)


def test_a_model_for_other_features_is_refused_saying_how_to_rebuild(tmp_path: Path) -> None:
    data = json.loads(DEFAULT_MODEL.read_text())
    data["sentence"]["features"] = data["sentence"]["features"][:-1]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data))
    with pytest.raises(BadSelectorModel, match="footnote train"):
        load_selector(path)
    with pytest.raises(BadSelectorModel, match="FOOTNOTE_SELECTOR_MODEL"):
        load_selector(tmp_path / "missing.json")


def test_the_bundled_model_was_fitted_on_no_held_out_article() -> None:
    from eval.squad import HELD_OUT_ARTICLES

    fitted = set(load_selector(DEFAULT_MODEL).provenance["articles"])
    assert fitted and not fitted & HELD_OUT_ARTICLES


def test_the_bundled_model_was_fitted_with_the_bundled_embedding_layers() -> None:
    """Retraining one without the other would score similarities the model never saw."""
    layers = load_selector(DEFAULT_MODEL).provenance["tuned_layers"]
    assert layers == f"{TUNED_LAYERS.name} {file_digest(TUNED_LAYERS)}"
