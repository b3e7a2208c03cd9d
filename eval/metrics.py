"""Scores one reply against its gold question, and aggregates scores overall and per type.

Each per-question score is a plain dict of numbers (or None where a metric does not apply to
that question, e.g. citation precision for an abstention), so aggregation is a mean over the
questions where it applies and the per-question JSONL shows exactly what was counted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from statistics import mean
from typing import Any

import numpy as np

from eval.client import Reply, Retrieved
from eval.dataset import TYPES, EvalQuestion
from footnote.tokens import tokenize

Score = dict[str, float | None]

EVIDENCE_OVERLAP = 0.5  # a passage "holds" a quote when it covers half of it or more
SUPPORTED_RECALL = 0.6  # an answer sentence is supported when its words are in what it cites
_SENTENCE = re.compile(r"(.+?)((?:\s*\[\d+\])+)(?=[\s.;,]|$)", re.S)
_MARKER = re.compile(r"\[(\d+)\]")


def _contains(answer: str, options: Sequence[str]) -> bool:
    folded = answer.casefold()
    return any(option.casefold() in folded for option in options)


def _holds(passage: Retrieved, span: tuple[int, int]) -> bool:
    overlap = min(passage.end, span[1]) - max(passage.start, span[0])
    return overlap >= EVIDENCE_OVERLAP * (span[1] - span[0])


def retrieval_scores(
    question: EvalQuestion, retrieved: list[Retrieved], text_of: Callable[[str], str]
) -> Score:
    """Gold-source recall@k, evidence-quote hit@k and MRR of the first passage with evidence."""
    if not question.sources:
        return {"source_recall": None, "evidence_hit": None, "mrr": None}
    found = {r.source for r in retrieved}
    spans: dict[str, tuple[int, int]] = {}
    for source, quote in question.evidence.items():
        start = text_of(source).find(quote)
        if start >= 0:
            spans[source] = (start, start + len(quote))
    hits = [
        any(p.source == source and _holds(p, span) for p in retrieved)
        for source, span in spans.items()
    ]
    first = next(
        (
            rank
            for rank, p in enumerate(retrieved, 1)
            if p.source in spans and _holds(p, spans[p.source])
        ),
        None,
    )
    return {
        "source_recall": len(found & set(question.sources)) / len(question.sources),
        "evidence_hit": mean(hits) if hits else 0.0,
        "mrr": 1 / first if first else 0.0,
    }


def supported_share(reply: Reply) -> float | None:
    """Share of answer sentences whose words are found in the quotes they cite."""
    quotes = {int(c["id"]): c["quote"] for c in reply.citations}
    sentences = _SENTENCE.findall(reply.answer)
    if not sentences:
        return 0.0
    supported = 0
    for text, markers in sentences:
        cited = " ".join(quotes.get(int(n), "") for n in _MARKER.findall(markers))
        words = set(tokenize(text))
        if words and len(words & set(tokenize(cited))) / len(words) >= SUPPORTED_RECALL:
            supported += 1
    return supported / len(sentences)


def conflict_shown(question: EvalQuestion, reply: Reply) -> bool:
    """Whether the answer puts two different values side by side, each from its own source:
    two of its claims (text up to a run of ``[n]`` markers) hold different must-include
    groups and cite different gold sources. Citing two sources is not enough, nor is one
    claim holding both values ("between 10,000 and 12,000")."""
    sources = {int(c["id"]): str(c["source"]) for c in reply.citations}
    gold = set(question.sources)
    claims = []
    for text, markers in _SENTENCE.findall(reply.answer):
        cited = {sources.get(int(n)) for n in _MARKER.findall(markers)} & gold
        groups = {g for g, options in enumerate(question.must_include) if _contains(text, options)}
        claims.append((groups, cited))
    return any(
        g1 != g2 and s1 != s2
        for i, (groups1, cited1) in enumerate(claims)
        for groups2, cited2 in claims[i + 1 :]
        for g1 in groups1
        for g2 in groups2
        for s1 in cited1
        for s2 in cited2
    )


def _in_closest(question: EvalQuestion, reply: Reply) -> float:
    """Whether the sentences a refusal shows as closest hold the whole answer: the refusal was
    wrong, but the reader who opens them finds it."""
    shown = " ".join(str(c["quote"]) for c in reply.closest)
    return float(all(_contains(shown, group) for group in question.must_include))


def answer_scores(question: EvalQuestion, reply: Reply) -> Score:
    groups = [_contains(reply.answer, group) for group in question.must_include]
    cited = {str(c["source"]) for c in reply.citations}
    gold = set(question.sources)
    answered = not reply.abstained
    score: Score = {
        "answer_groups": mean(groups) if groups else None,
        "correct": float(not answered)
        if not question.answerable
        else float(answered and all(groups)),
        "answered_right": float(answered and all(groups)) if question.answerable else None,
        "abstained_unanswerable": None if question.answerable else float(not answered),
        "wrongly_abstained": float(not answered) if question.answerable else None,
        "answer_in_closest": _in_closest(question, reply)
        if question.answerable and not answered
        else None,
        "citation_precision": len(cited & gold) / len(cited) if cited and gold else None,
        "citation_recall": len(cited & gold) / len(gold) if gold and answered else None,
        "supported": supported_share(reply) if answered else None,
        "conflict_shown": None,
        "words": float(len(_MARKER.sub("", reply.answer).split())),
        "seconds": reply.seconds,
    }
    if question.type == "conflict":
        score["conflict_shown"] = float(answered and conflict_shown(question, reply))
    if not question.answerable:
        score["citation_precision"] = None
    return score


def score(question: EvalQuestion, reply: Reply, text_of: Callable[[str], str]) -> Score:
    return {
        **retrieval_scores(question, reply.retrieved, text_of),
        **answer_scores(question, reply),
    }


def aggregate(rows: Sequence[tuple[EvalQuestion, Score]]) -> dict[str, Any]:
    """Means per metric, overall and per question type, plus latency percentiles."""

    def summarise(scores: list[Score]) -> dict[str, float | int | None]:
        keys = [k for k in scores[0] if k != "seconds"] if scores else []
        summary: dict[str, float | int | None] = {"questions": len(scores)}
        for key in keys:
            values = [s[key] for s in scores if s[key] is not None]
            summary[key] = (
                round(float(mean(v for v in values if v is not None)), 4) if values else None
            )
        seconds = [s["seconds"] or 0.0 for s in scores]
        if seconds:
            summary["latency_p50_ms"] = round(float(np.percentile(seconds, 50)) * 1000, 1)
            summary["latency_p95_ms"] = round(float(np.percentile(seconds, 95)) * 1000, 1)
            words = [s["words"] or 0.0 for s in scores]
            summary["under_60_words"] = round(float(mean(w < 60 for w in words)), 4)
        return summary

    by_type = {t: summarise([s for q, s in rows if q.type == t]) for t in TYPES}
    return {
        "overall": summarise([s for _, s in rows]),
        "by_type": {t: v for t, v in by_type.items() if v["questions"]},
    }
