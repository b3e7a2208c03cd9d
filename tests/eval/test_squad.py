"""SQuAD-format sets: read into a corpus, evaluated on unseen articles, trained on reproducibly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from langchain_core.embeddings import Embeddings

from eval.dataset import BadQuestionSet
from eval.runner import BadConfig, Config, evaluate
from eval.squad import HELD_OUT_ARTICLES, load_squad
from eval.train import train, unlike_bundled
from footnote.answering.selector import load_selector
from footnote.embeddings import file_digest
from footnote.settings import Settings

# Made-up articles: three paragraphs each, every fact invented so no model has seen it.
ARTICLES = {
    "Orla_Bridge": [
        "The Orla Bridge crosses the river Senn at Tolbridge. It was designed by the engineer "
        "Mara Venn. Construction began in 1846 and the bridge opened in 1850. Its main span is "
        "212 metres long.",
        "The bridge was closed in 1912 because inspectors found cracks in its chains. It "
        "reopened in 1919 after the chains were replaced with steel cables. Today it carries "
        "about 9,000 cyclists a day.",
        "Tolls paid for the bridge until 1871. The toll house now holds a museum of river "
        "trade. A statue of Mara Venn stands at the northern end.",
    ],
    "Gallen_Moth": [
        "The Gallen moth is a small moth found only in the Veska hills. Its wings are pale "
        "green with two black spots. Adults fly at night in late summer.",
        "The caterpillars feed on the leaves of the dwarf rowan. A female lays up to 40 eggs "
        "on a single plant. The eggs hatch after eleven days.",
        "The moth was first described in 1932 by the naturalist Ivo Brandt. It is threatened by "
        "the loss of rowan scrub to grazing sheep.",
    ],
    "Kessin_Choir": [
        "The Kessin Choir is a boys' choir based in the town of Kessin. It was founded in 1788 "
        "by the organist Lena Marsk. The choir has about 60 singers.",
        "The choir tours abroad every second year. Its best-known recording is a set of winter "
        "carols made in 1964. The singers rehearse in the old grain hall.",
        "Boys join the choir at the age of eight. They attend the choir's own school, which "
        "teaches music alongside the usual subjects.",
    ],
}
QUESTIONS = {  # (question, answer or None when unanswerable), per paragraph
    "Orla_Bridge": [
        [
            ("Who designed the Orla Bridge?", "Mara Venn"),
            ("When did the bridge open?", "1850"),
            ("Who painted the Orla Bridge?", None),
        ],
        [
            ("Why was the bridge closed in 1912?", "inspectors found cracks in its chains"),
            ("How many cyclists use the bridge each day?", "about 9,000"),
            ("How many cars crossed the bridge in 1919?", None),
        ],
        [
            ("Until what year did tolls pay for the bridge?", "1871"),
            ("What is in the toll house now?", "a museum of river trade"),
            ("What is at the southern end of the bridge?", None),
        ],
    ],
    "Gallen_Moth": [
        [
            ("Where is the Gallen moth found?", "the Veska hills"),
            ("What colour are the moth's wings?", "pale green"),
            ("What colour are the Gallen moth's eggs?", None),
        ],
        [
            ("What do the caterpillars feed on?", "the leaves of the dwarf rowan"),
            ("How many eggs does a female lay?", "up to 40"),
            ("How long do the caterpillars live?", None),
        ],
        [
            ("Who first described the moth?", "Ivo Brandt"),
            ("What threatens the moth?", "the loss of rowan scrub to grazing sheep"),
            ("Who first photographed the moth?", None),
        ],
    ],
    "Kessin_Choir": [
        [
            ("Who founded the Kessin Choir?", "Lena Marsk"),
            ("How many singers does the choir have?", "about 60"),
            ("Who conducts the Kessin Choir today?", None),
        ],
        [
            ("How often does the choir tour abroad?", "every second year"),
            ("Where do the singers rehearse?", "the old grain hall"),
            ("Where did the choir record its carols?", None),
        ],
        [
            ("At what age do boys join the choir?", "eight"),
            ("What does the choir's school teach?", "music alongside the usual subjects"),
            ("How much does the choir's school cost?", None),
        ],
    ],
}


def squad_json(titles: list[str]) -> dict[str, Any]:
    data = []
    for title in titles:
        paragraphs = []
        for number, (context, asked) in enumerate(
            zip(ARTICLES[title], QUESTIONS[title], strict=True)
        ):
            qas = [
                {
                    "id": f"{title}-{number}-{i}",
                    "question": question,
                    "answers": [{"text": answer, "answer_start": context.index(answer)}]
                    if answer
                    else [],
                    "is_impossible": answer is None,
                }
                for i, (question, answer) in enumerate(asked)
            ]
            paragraphs.append({"context": context, "qas": qas})
        data.append({"title": title, "paragraphs": paragraphs})
    return {"version": "v2.0", "data": data}


@pytest.fixture(scope="module")
def tiny_squad(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("squad") / "tiny.json"
    path.write_text(json.dumps(squad_json(list(ARTICLES))), encoding="utf-8")
    return path


def test_articles_become_documents_whose_offsets_hold_the_answers(tiny_squad: Path) -> None:
    squad = load_squad(tiny_squad)
    document = squad.documents["Orla_Bridge.txt"]
    assert document.startswith("Orla Bridge\n\nThe Orla Bridge crosses")
    assert "212 metres long.\n\nThe bridge was closed" in document
    for question in squad.questions:
        for answer, (start, end) in zip(question.answers, question.spans, strict=True):
            assert squad.documents[question.source][start:end] == answer
    assert sum(not q.answerable for q in squad.questions) == 9


def test_a_file_that_is_not_squad_is_refused_saying_what_it_needs(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"data": [{"title": "x"}]}))
    with pytest.raises(BadQuestionSet, match=r"paragraphs\[\]\.context"):
        load_squad(path)


def test_eval_reads_squad_and_reports_answerable_and_unanswerable(
    tiny_squad: Path, tmp_path: Path, embeddings: Embeddings
) -> None:
    settings = Settings(chroma_dir=tmp_path / "unused", _env_file=None)
    results, _ = evaluate(
        tiny_squad,
        tmp_path,
        [Config.parse("")],
        settings=settings,
        embeddings=embeddings,
        progress=False,
    )
    by_type = results["default"]["by_type"]
    assert by_type["single"]["questions"] == 18 and by_type["unanswerable"]["questions"] == 9
    assert by_type["single"]["evidence_hit"] == 1.0  # three small articles: always retrieved
    assert by_type["single"]["correct"] >= 0.7  # invented facts: nothing was fitted on them
    assert (tmp_path / "squad" / "corpus" / "Kessin_Choir.txt").is_file()
    rows = [json.loads(line) for line in (tmp_path / "results-0.jsonl").read_text().splitlines()]
    assert all(0 <= row["confidence"] <= 1 for row in rows)
    assert (tmp_path / "refusal.png").stat().st_size > 0  # both kinds of question: a trade-off


def test_articles_wrapped_at_a_column_are_answered_as_they_are_unwrapped(
    tiny_squad: Path, tmp_path: Path, embeddings: Embeddings
) -> None:
    """As a PDF's text layer reads: sentences broken over lines are still found whole."""
    squad = load_squad(tiny_squad).wrapped(40)
    document = squad.documents["Orla_Bridge.txt"]
    assert max(len(line) for line in document.splitlines()) <= 40
    for question in squad.questions:
        for answer, (start, end) in zip(question.answers, question.spans, strict=True):
            assert squad.documents[question.source][start:end].replace("\n", " ") == answer
    settings = Settings(chroma_dir=tmp_path / "unused", _env_file=None)
    single = {}
    for wrap in (0, 40):
        results, _ = evaluate(
            tiny_squad,
            tmp_path / str(wrap),
            [Config.parse("")],
            settings=settings,
            embeddings=embeddings,
            progress=False,
            wrap=wrap,
        )
        single[wrap] = results["default"]["by_type"]["single"]
    assert single[40]["correct"] == single[0]["correct"] >= 0.7
    assert single[40]["citation_precision"] == single[0]["citation_precision"]
    with pytest.raises(BadConfig, match="at least 20 columns"):
        evaluate(tiny_squad, tmp_path / "narrow", [Config.parse("")], progress=False, wrap=-3)


def test_an_article_the_model_was_fitted_on_is_never_reported(tmp_path: Path) -> None:
    fitted = load_selector().provenance["articles"][0]
    data = squad_json(["Orla_Bridge"])
    data["data"][0]["title"] = fitted
    path = tmp_path / "fitted.json"
    path.write_text(json.dumps(data))
    with pytest.raises(BadQuestionSet, match="fit the answer model"):
        evaluate(path, tmp_path, [Config.parse("")], progress=False)


def test_training_twice_writes_the_same_model(tiny_squad: Path, tmp_path: Path) -> None:
    """The answer model and the tuned embedding layers, byte for byte; the model names the
    layers it was fitted with."""
    settings = Settings(_env_file=None)
    written = []
    for run in ("first", "second"):
        model, layers = tmp_path / run / "model.json", tmp_path / run / "layers.safetensors"
        train(tiny_squad, tmp_path / "work", model, layers, settings=settings, progress=False)
        written.append((model.read_bytes(), layers.read_bytes()))
    assert written[0] == written[1]
    model = load_selector(tmp_path / "first" / "model.json")
    assert model.provenance["articles"] == sorted(ARTICLES)
    assert model.provenance["tuned_layers"] == f"layers.safetensors {file_digest(layers)}"
    assert 0 < model.threshold < 1


def test_training_to_a_path_it_cannot_write_stops_before_training(
    tiny_squad: Path, tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(OSError, match="a-file"):  # footnote prints it as one line
        train(tiny_squad, tmp_path / "work", tmp_path / "a-file" / "model.json", tmp_path / "l")
    assert not (tmp_path / "work").exists()  # nothing indexed, nothing tuned


def test_training_on_held_out_articles_only_is_refused(tmp_path: Path) -> None:
    data = squad_json(["Orla_Bridge"])
    data["data"][0]["title"] = sorted(HELD_OUT_ARTICLES)[0]
    path = tmp_path / "held.json"
    path.write_text(json.dumps(data))
    with pytest.raises(BadQuestionSet, match="held out from fitting"):
        train(path, tmp_path / "work", tmp_path / "model.json", tmp_path / "layers", progress=False)
    assert not (tmp_path / "model.json").exists() and not (tmp_path / "layers").exists()


def test_training_says_when_it_cannot_rebuild_the_bundled_model() -> None:
    """The bundled model records the embeddings it was trained on; another precision (auto
    picks by CPU) writes another model, and ``footnote train`` says so before it starts."""
    bundled = load_selector().provenance["embedding_model"]
    same = "bfloat16" if bundled.endswith(", bfloat16") else "float32"
    other = "float32" if same == "bfloat16" else "bfloat16"
    assert unlike_bundled(Settings(embedding_precision=same, _env_file=None)) is None
    said = unlike_bundled(Settings(embedding_precision=other, _env_file=None))
    assert said is not None and bundled in said and "will differ" in said
