"""Writes an evaluation's summary as JSON, Markdown and PNG charts, side by side per config."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from eval.plots import plt, save

HEADLINE = [
    ("correct", "correct"),
    ("answered_right", "answerable answered right"),
    ("answer_groups", "must-include groups present"),
    ("evidence_hit", "evidence hit@k"),
    ("source_recall", "gold-source recall@k"),
    ("mrr", "MRR"),
    ("citation_precision", "citation precision"),
    ("citation_recall", "citation recall"),
    ("supported", "sentences supported"),
    ("abstained_unanswerable", "unanswerable abstained"),
    ("wrongly_abstained", "answerable wrongly abstained"),
    ("answer_in_closest", "of those, answer in the closest passages shown"),
    ("conflict_shown", "conflicts shown"),
    ("words", "answer words (mean)"),
    ("under_60_words", "answers under 60 words"),
    ("latency_p50_ms", "latency p50 (ms)"),
    ("latency_p95_ms", "latency p95 (ms)"),
]
LOWER_IS_BETTER = {"wrongly_abstained", "words", "latency_p50_ms", "latency_p95_ms"}


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table: every report's, and so the README's, are written by this one."""

    def line(cells: Sequence[str]) -> str:
        return "|" + "|".join(f" {cell} " if cell else " " for cell in cells) + "|"

    return "\n".join([line(header), "|" + " --- |" * len(header), *map(line, rows)])


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def summary_table(results: dict[str, dict[str, Any]]) -> str:
    """Overall metrics, one column per configuration, with deltas against the first."""
    names = list(results)
    header = ["metric", *names, *(f"{n} − {names[0]}" for n in names[1:])]
    rows = []
    for key, label in HEADLINE:
        values = [results[n]["overall"].get(key) for n in names]
        base = values[0]
        deltas = ["–" if v is None or base is None else f"{v - base:+.3f}" for v in values[1:]]
        rows.append([label, *map(_cell, values), *deltas])
    return markdown_table(header, rows)


def type_table(result: dict[str, Any]) -> str:
    keys = ["questions", "correct", "evidence_hit", "citation_precision", "supported"]
    rows = [
        [kind, *(_cell(values.get(k)) for k in keys)] for kind, values in result["by_type"].items()
    ]
    return markdown_table(["type", *keys], rows)


def _bars(ax: Any, groups: list[str], series: dict[str, list[float]], title: str) -> None:
    width = 0.8 / max(len(series), 1)
    for i, (name, values) in enumerate(series.items()):
        positions = [g + i * width for g in range(len(groups))]
        ax.bar(positions, values, width, label=name)
    ax.set_xticks([g + width * (len(series) - 1) / 2 for g in range(len(groups))], groups)
    ax.set_ylim(0, 1.05)
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8)


def charts(results: dict[str, dict[str, Any]], out: Path) -> list[Path]:
    types = list(next(iter(results.values()))["by_type"])
    fig, ax = plt.subplots(figsize=(9, 4.5))
    _bars(
        ax,
        types,
        {n: [r["by_type"][t]["correct"] or 0.0 for t in types] for n, r in results.items()},
        "Correct answers by question type",
    )
    by_type = out / "correct_by_type.png"
    save(fig, by_type, dpi=120)

    keys = [k for k, _ in HEADLINE if k not in LOWER_IS_BETTER and k != "under_60_words"]
    fig, ax = plt.subplots(figsize=(11, 4.5))
    _bars(
        ax,
        [k.replace("_", "\n") for k in keys],
        {n: [r["overall"].get(k) or 0.0 for k in keys] for n, r in results.items()},
        "Overall quality (higher is better)",
    )
    overall = out / "overall.png"
    save(fig, overall, dpi=120)
    return [by_type, overall]


def refusal_chart(results: Path, path: Path) -> Path | None:
    """The share of answerable and of unanswerable questions each refusal threshold would
    refuse, from one configuration's per-question confidences: the trade-off to choose
    ``FOOTNOTE_ANSWER_THRESHOLD`` by. None when the set lacks either kind of question."""
    rows = [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines()]
    scored = [r for r in rows if r.get("confidence") is not None]
    answerable = np.array([r["confidence"] for r in scored if r["type"] != "unanswerable"])
    unanswerable = np.array([r["confidence"] for r in scored if r["type"] == "unanswerable"])
    if not len(answerable) or not len(unanswerable):
        return None
    thresholds = np.linspace(0, 1, 101)
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    for label, values in (("answerable", answerable), ("unanswerable", unanswerable)):
        refused = [float((values < t).mean()) for t in thresholds]
        ax.plot(thresholds, refused, label=f"{label} refused ({len(values)} questions)")
    ax.set(
        xlabel="refusal threshold (FOOTNOTE_ANSWER_THRESHOLD)",
        ylabel="share refused",
        title="What each refusal threshold would refuse",
        ylim=(0, 1.02),
    )
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    save(fig, path, dpi=120)
    return path


def write_report(results: dict[str, dict[str, Any]], question_set: Path, out: Path) -> str:
    """Write summary.json, summary.md and the charts; return the Markdown summary table."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    table = summary_table(results)
    images = charts(results, out)
    if refusal := refusal_chart(out / "results-0.jsonl", out / "refusal.png"):
        images.append(refusal)
    parts = [f"# Evaluation of `{question_set.name}`", "", table, ""]
    for name, result in results.items():
        parts += [f"## {name}: by question type", "", type_table(result), ""]
    parts += [f"![{p.stem}]({p.name})" for p in images]
    (out / "summary.md").write_text("\n".join(parts) + "\n", encoding="utf-8")
    return table
