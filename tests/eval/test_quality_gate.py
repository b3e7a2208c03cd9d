"""The CI quality gate: the dev set, extractive mode, against thresholds kept in the repo.

The plain LangChain pipeline runs beside it in the same evaluation, as the README shows.

Thresholds are what the code measured when they were set; raise them when quality improves,
never lower them to let a change through.
"""

from __future__ import annotations

import json
from pathlib import Path

from langchain_core.embeddings import Embeddings

from eval.runner import Config, evaluate
from footnote.settings import PROJECT_ROOT, Settings

THRESHOLDS = json.loads((PROJECT_ROOT / "eval" / "thresholds.json").read_text())


def test_dev_set_meets_the_quality_thresholds(
    tmp_path: Path, indexed_settings: Settings, embeddings: Embeddings
) -> None:
    results, table = evaluate(
        PROJECT_ROOT / "eval" / "sets" / "dev.jsonl",
        tmp_path,
        [Config.parse(""), Config.parse("baseline")],
        settings=indexed_settings,
        embeddings=embeddings,
        progress=False,
    )
    overall = results["default"]["overall"]
    misses = []
    for metric, bound in THRESHOLDS["at_least"].items():
        if overall[metric] is None or overall[metric] < bound:
            misses.append(f"{metric} = {overall[metric]} < {bound}")
    for metric, bound in THRESHOLDS["at_most"].items():
        if overall[metric] is None or overall[metric] > bound:
            misses.append(f"{metric} = {overall[metric]} > {bound}")
    assert not misses, "quality gate failed:\n" + "\n".join(misses) + "\n\n" + table
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    stale = [row for row in table.splitlines() if "latency" not in row and row not in readme]
    assert not stale, "README's evaluation table is out of date; these rows changed:\n" + "\n".join(
        stale
    )
