from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from langchain_core.embeddings import Embeddings
from pydantic import SecretStr

from eval.dataset import BadQuestionSet
from eval.runner import BadConfig, Config, evaluate
from footnote.errors import BackendUnavailable
from footnote.settings import PROJECT_ROOT, Settings
from footnote.store import PassageStore
from tests.support import LiveServer, indexed_copy

DEV = PROJECT_ROOT / "eval" / "sets" / "dev.jsonl"


@pytest.fixture(scope="module")
def small_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One question of each type, to keep the runner tests quick."""
    seen: dict[str, str] = {}
    for line in DEV.read_text(encoding="utf-8").splitlines():
        seen.setdefault(json.loads(line)["type"], line)
    path = tmp_path_factory.mktemp("sets") / "small.jsonl"
    path.write_text("\n".join(seen.values()) + "\n", encoding="utf-8")
    return path


def test_compare_reports_configs_side_by_side(
    small_set: Path, tmp_path: Path, indexed_settings: Settings, embeddings: Embeddings
) -> None:
    configs = [Config.parse(""), Config.parse("top_k=2"), Config.parse("chunk_size=250")]
    results, table = evaluate(
        small_set,
        tmp_path,
        configs,
        settings=indexed_settings,
        embeddings=embeddings,
        progress=False,
    )
    assert list(results) == ["default", "top_k=2", "chunk_size=250"]
    assert "top_k=2 − default" in table and "| correct |" in table
    assert results["default"]["overall"]["questions"] == 5
    assert set(results["default"]["by_type"]) == {
        "single",
        "multi",
        "conflict",
        "unanswerable",
        "followup",
    }
    for name in ("summary.md", "summary.json", "correct_by_type.png", "overall.png"):
        assert (tmp_path / name).stat().st_size > 0
    rows = [json.loads(line) for line in (tmp_path / "results-1.jsonl").read_text().splitlines()]
    assert all(len(r["retrieved"]) <= 2 for r in rows)
    assert (tmp_path / "indexes" / "chunk-size-250").is_dir(), "own index for a chunk size"


def test_eval_brings_the_index_in_line_with_the_corpus_first(
    small_set: Path, tmp_path: Path, embeddings: Embeddings
) -> None:
    """An index an earlier ingest left (before a file was added, or before ingest itself
    changed) would measure that ingest, not this code's: eval ingests before asking."""
    settings = indexed_copy(tmp_path, embeddings)
    (settings.corpus_dir / "added.txt").write_text(
        "Penguins\nThe penguins of Kursk wore tiny hats.\n", encoding="utf-8"
    )
    evaluate(
        small_set,
        tmp_path / "report",
        [Config.parse("")],
        settings=settings,
        embeddings=embeddings,
        progress=False,
    )
    sources = {p.source for p in PassageStore.open(settings).passages()}
    assert "added.txt" in sources and len(sources) == 6


def test_unknown_setting_is_refused() -> None:
    with pytest.raises(BadConfig, match="KEY=VALUE"):
        Config.parse("temperature=2")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("top_k=abc", "valid integer"),
        ("top_k=0", "greater than or equal to 1"),
        ("dense_weight=0.5,mode=poetry", "'extractive', 'llamacpp' or 'openai'"),
        ("embedding_precision=fp8", "'auto', 'float32' or 'bfloat16'"),
    ],
)
def test_a_value_the_setting_does_not_take_is_refused_before_running(text: str, why: str) -> None:
    with pytest.raises(BadConfig, match=why):
        Config.parse(text)
    assert Config.parse("top_k=7,mode=extractive").overrides == {"top_k": "7", "mode": "extractive"}


def test_cli_eval_over_http_matches_in_process(
    small_set: Path,
    tmp_path: Path,
    client: httpx.Client,
    indexed_settings: Settings,
    embeddings: Embeddings,
) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli.main",
            "eval",
            str(small_set),
            "--out",
            str(tmp_path),
            "--url",
            str(client.base_url),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "| correct |" in done.stdout and "summary.md" in done.stdout
    over_http = json.loads((tmp_path / "summary.json").read_text())["default"]["overall"]
    local, _ = evaluate(
        small_set,
        tmp_path / "local",
        [Config.parse("")],
        settings=indexed_settings,
        embeddings=embeddings,
        progress=False,
    )
    for key in ("correct", "evidence_hit", "citation_precision", "abstained_unanswerable"):
        assert over_http[key] == local["default"]["overall"][key], key


def test_url_with_server_side_settings_is_refused(small_set: Path, tmp_path: Path) -> None:
    with pytest.raises(BadConfig, match="server's settings"):
        evaluate(small_set, tmp_path, [Config.parse("chunk_size=300")], url="http://127.0.0.1:9")


def test_eval_over_http_sends_the_api_key(
    small_set: Path, tmp_path: Path, indexed_settings: Settings, embeddings: Embeddings
) -> None:
    keyed = indexed_settings.model_copy(update={"api_keys": [SecretStr("eval-key-42")]})
    with LiveServer(keyed, embeddings) as live:
        with pytest.raises(BackendUnavailable, match="401"):
            evaluate(small_set, tmp_path / "no-key", [Config.parse("")], url=live.url)
        results, _ = evaluate(
            small_set, tmp_path / "key", [Config.parse("")], url=live.url, api_key="eval-key-42"
        )
    assert results["default"]["overall"]["correct"] is not None


def test_a_corpus_that_is_not_a_folder_is_refused(small_set: Path, tmp_path: Path) -> None:
    """``--corpus`` names the folder a JSONL set asks about; a SQuAD set brings its own."""
    with pytest.raises(BadQuestionSet, match="not a folder of documents"):
        evaluate(small_set, tmp_path, [Config.parse("")], corpus=tmp_path / "missing")
    squad = PROJECT_ROOT / "data" / "datasets" / "squad2-dev8" / "squad2-dev8.json"
    with pytest.raises(BadQuestionSet, match="leave out --corpus"):
        evaluate(squad, tmp_path, [Config.parse("")], corpus=tmp_path)
