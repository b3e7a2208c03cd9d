"""The performance benchmark: ingest, query latency against the floor and a peer, start-up,
memory, at 1x the bundled corpus and at 10x, 100x and 1000x synthetic scale.

The floor is measured in the same run, on the same vectors: embedding the query plus a
brute-force NumPy cosine search — what any retrieval must at least spend. The peer is the
LangChain tutorial pipeline (:mod:`eval.baseline`). Figures print as a table and are written
as JSON, Markdown and a PNG chart. Synthetic corpora and their indexes are cached in the output
folder, so only the first run pays for building them.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx
import numpy as np
from langchain_core.embeddings import Embeddings

from eval import synthetic
from eval.baseline import PlainPipeline
from eval.dataset import DEV_SET, load_questions
from eval.plots import plt, save
from eval.report import markdown_table
from eval.server_process import serve
from footnote.chroma_client import release_folder
from footnote.embeddings import load_embeddings, model_label
from footnote.rewrite import Turn
from footnote.sentences import sentence_spans
from footnote.service import Footnote
from footnote.settings import PROJECT_ROOT, Settings
from footnote.store import PassageStore
from ingest.embedding_cache import CachedEmbeddings
from ingest.loader import load_corpus
from ingest.pipeline import (
    CACHE_FILE,
    EMBED_BATCH,
    ingest_folder,
    ingest_signature,
    splitter_for,
)

WARM_UP = 3
ROUNDS = 3


@dataclass
class ScaleResult:
    factor: int
    corpus: str = "recombined"  # how the synthetic corpus was made (eval.synthetic.KINDS)
    documents: int = 0
    passages: int = 0
    megabytes: float = 0.0
    ingest_s: float = 0.0
    embedded: int = 0
    reused: int = 0
    reingest_s: float = 0.0
    changed_reingest_s: float = 0.0  # one file edited: found, read, embedded, replaced
    index_mb: float = 0.0  # the Chroma folder on disk, vector cache excluded
    model_texts_per_s: float = 0.0  # the embedding model's own batch rate on this machine
    latency_ms: dict[str, dict[str, float]] = field(default_factory=dict)
    startup_s: float = 0.0
    server_rss_mb: float = 0.0

    @property
    def label(self) -> str:
        return f"{self.factor}x" + (" written" if self.corpus == "written" else "")

    @property
    def passages_per_s(self) -> float:
        return self.passages / self.ingest_s if self.ingest_s else 0.0

    @property
    def embedded_per_s(self) -> float:
        """Texts embedded fresh per second of cold ingest, to set against the model's rate."""
        return self.embedded / self.ingest_s if self.ingest_s else 0.0

    def ratio(self, kind: str) -> float:
        floor = self.latency_ms.get("floor", {}).get("p50")
        value = self.latency_ms.get(kind, {}).get("p50")
        return round(value / floor, 2) if value and floor else float("nan")


def percentiles(seconds: Sequence[float]) -> dict[str, float]:
    ms = np.asarray(seconds) * 1000
    return {p: round(float(np.percentile(ms, int(p[1:]))), 2) for p in ("p50", "p95", "p99")}


def timed(
    questions: Sequence[str], calls: dict[str, Callable[[str], object]]
) -> dict[str, dict[str, float]]:
    """Percentiles per call, over ``ROUNDS`` rounds in which each call answers every question
    in turn. A call runs a whole pass at a time, as a server would, with its own data in the
    caches; repeating the rounds means no call is always the one timed last, on the warmest
    machine: timed once each, one after another, that alone moved the 1x ratio by 0.5x."""
    seconds: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(ROUNDS):
        for name, call in calls.items():
            for question in questions[:WARM_UP]:
                call(question)
            for question in questions:
                started = time.perf_counter()
                call(question)
                seconds[name].append(time.perf_counter() - started)
    return {name: percentiles(taken) for name, taken in seconds.items()}


def floor_search(store: PassageStore, embeddings: Embeddings) -> Callable[[str], object]:
    """Embed the query, then brute-force cosine over every passage vector in one matrix."""
    vectors = np.asarray(store.collection.get(include=["embeddings"])["embeddings"], np.float32)

    def search(question: str) -> object:
        query = np.asarray(embeddings.embed_query(question), dtype=np.float32)
        scores = vectors @ query
        return np.argpartition(-scores, 5)[:5]

    return search


def answer_model(footnote: Footnote, questions: Sequence[str]) -> Callable[[str], object]:
    """The answer model's own share of an answer: measuring the candidate sentences and
    scoring them, on evidence retrieved beforehand."""
    ranker = footnote.answerers.ranker
    evidence = {q: footnote.evidence([Turn("user", q)], 5, "extractive") for q in questions}
    return lambda q: ranker.rank(evidence[q])


def model_rate(embeddings: Embeddings, texts: Sequence[str]) -> float:
    """Texts a second the embedding model embeds by itself, in ingest's batches: the ceiling
    for ingest throughput on this machine."""
    embeddings.embed_documents(list(texts[:EMBED_BATCH]))  # warm up
    started = time.perf_counter()
    for i in range(0, len(texts), EMBED_BATCH):
        embeddings.embed_documents(list(texts[i : i + EMBED_BATCH]))
    return round(len(texts) / (time.perf_counter() - started), 1)


def ingest_texts(corpus: Path) -> list[str]:
    """What ingest embeds for a corpus: its sentences and its documents' titles (a passage's
    vector is made from theirs, :func:`ingest.pipeline.passage_vector`)."""
    texts: list[str] = []
    for document in load_corpus(corpus)[0]:
        texts += [document.text[s.start : s.end] for s in sentence_spans(document.text)]
        texts.append(document.title)
    return texts


def folder_mb(folder: Path, leave_out: str = CACHE_FILE) -> float:
    files = (p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(leave_out))
    return round(sum(p.stat().st_size for p in files) / 1e6, 1)


def changed_reingest(settings: Settings, embeddings: Embeddings) -> float:
    """Seconds to re-ingest after one file gained a sentence; the file is then restored and
    re-ingested (untimed), so the cached index stays the corpus'."""
    path = min(p for p in settings.corpus_dir.rglob("*.txt"))
    original = path.read_text(encoding="utf-8")
    path.write_text(original + "\nA sentence the benchmark added to one file.\n", "utf-8")
    try:
        started = time.perf_counter()
        report, _ = ingest_folder(settings, embeddings, progress=False)
        seconds = time.perf_counter() - started
        assert report.replaced == [path.relative_to(settings.corpus_dir).as_posix()]
    finally:
        path.write_text(original, encoding="utf-8")
        ingest_folder(settings, embeddings, progress=False)
    return round(seconds, 3)


def corpus_size(root: Path) -> tuple[int, float]:
    files = [p for p in root.rglob("*") if p.suffix in (".txt", ".md")]
    return len(files), sum(p.stat().st_size for p in files) / 1e6


def measure_server(settings: Settings, questions: Sequence[str]) -> tuple[float, float]:
    """Seconds from launch to a ready ``/health``, and the server's peak RSS after queries."""
    with serve(settings) as server, httpx.Client(base_url=server.url, timeout=60) as http:
        for question in questions:
            http.post("/chat", json={"question": question})
        return server.startup_s, server.memory_mb("VmHWM")


def indexed(
    result: ScaleResult,
    settings: Settings,
    embeddings: Embeddings,
    recorded: Path,
    log: Callable[[str], None],
) -> ScaleResult:
    """The scale's index built cold, its figures recorded in ``recorded``; or the one a run
    before built, with its figures, if this Footnote would build the same (another model,
    precision, splitter or store layout would have its unchanged re-ingest rewrite it all)."""
    signature = ingest_signature(splitter_for(settings), model_label(settings))
    if recorded.exists():
        saved = json.loads(recorded.read_text())
        if saved.pop("signature", None) == signature:
            log(f"{result.label}: using the index built earlier ({recorded.name})")
            return ScaleResult(**{**asdict(result), **saved})
        log(f"{result.label}: the index built earlier was built differently; building it again")
        shutil.rmtree(settings.chroma_dir, ignore_errors=True)
    log(f"{result.label}: ingesting {result.documents} documents ({result.megabytes:.1f} MB)")
    started = time.perf_counter()
    report, store = ingest_folder(settings, embeddings, progress=True)
    result.ingest_s = round(time.perf_counter() - started, 2)
    result.passages, result.embedded, result.reused = (
        store.count(),
        report.embedded,
        report.reused,
    )
    kept = {k: getattr(result, k) for k in ("passages", "ingest_s", "embedded", "reused")}
    recorded.write_text(json.dumps({**kept, "signature": signature}))
    return result


def bench_scale(
    factor: int,
    out: Path,
    embeddings: Embeddings,
    questions: list[str],
    peer: bool,
    log: Callable[[str], None],
    kind: synthetic.Kind = "recombined",
) -> ScaleResult:
    seed = PROJECT_ROOT / "data" / "corpus"
    result = ScaleResult(factor, "seed" if factor == 1 else kind)
    name = result.label.replace(" ", "-")
    corpus = seed if factor == 1 else synthetic.build(seed, out / f"corpus-{name}", factor, kind)
    settings = Settings(corpus_dir=corpus, chroma_dir=out / f"index-{name}", _env_file=None)
    recorded = out / f"index-{name}.json"
    result.documents, result.megabytes = corpus_size(corpus)
    result = indexed(result, settings, embeddings, recorded, log)
    started = time.perf_counter()
    again, _ = ingest_folder(settings, embeddings, progress=False)
    result.reingest_s = round(time.perf_counter() - started, 3)
    assert again.passages_written == 0, "an unchanged corpus must write nothing"
    result.changed_reingest_s = changed_reingest(settings, embeddings)
    result.index_mb = folder_mb(settings.chroma_dir)

    footnote = Footnote.open(settings, embeddings)
    log(f"{result.label}: timing {len(questions)} questions")
    one = [footnote.sources()[0].source]  # a question limited to one document of them all
    calls: dict[str, Callable[[str], object]] = {
        "floor": floor_search(footnote.store, embeddings),
        "retrieval": lambda q: footnote.search(q, 5),
        "answer": lambda q: footnote.ask(q, 5),
        "scoped answer": lambda q: footnote.ask(q, 5, sources=one),
        "model": answer_model(footnote, questions),
    }
    if peer:
        cached = CachedEmbeddings(embeddings, out / "peer-cache.sqlite3", "peer")
        pipeline = PlainPipeline(corpus, cached)
        calls["peer"] = lambda q: pipeline.chat([{"role": "user", "content": q}], 4)
    result.latency_ms.update(timed(questions, calls))
    release_folder(settings.chroma_dir)  # the server measured next opens this index itself
    result.startup_s, result.server_rss_mb = measure_server(settings, questions[:10])
    result.startup_s, result.server_rss_mb = round(result.startup_s, 2), round(result.server_rss_mb)
    return result


def table(results: list[ScaleResult]) -> str:
    rows: list[tuple[str, Callable[[ScaleResult], str]]] = [
        ("documents", lambda r: f"{r.documents:,}"),
        ("passages", lambda r: f"{r.passages:,}"),
        ("corpus MB", lambda r: f"{r.megabytes:.1f}"),
        (
            "ingest s (texts embedded / reused)",
            lambda r: f"{r.ingest_s:.1f} ({r.embedded:,} / {r.reused:,})",
        ),
        ("ingest passages/s", lambda r: f"{r.passages_per_s:.0f}"),
        (
            "ingest texts embedded/s (model alone)",
            lambda r: f"{r.embedded_per_s:.0f} ({r.model_texts_per_s:.0f})",
        ),
        ("ingest MB/s", lambda r: f"{r.megabytes / r.ingest_s:.3f}" if r.ingest_s else "–"),
        ("unchanged re-ingest s", lambda r: f"{r.reingest_s:.2f}"),
        ("one-file-changed re-ingest s", lambda r: f"{r.changed_reingest_s:.2f}"),
        ("index MB on disk", lambda r: f"{r.index_mb:.1f}"),
    ]

    def latency(kind: str, p: str) -> Callable[[ScaleResult], str]:
        return lambda r: f"{r.latency_ms[kind][p]:.1f}" if kind in r.latency_ms else "–"

    for kind in ("floor", "retrieval", "answer", "scoped answer", "model", "peer"):
        rows += [(f"{kind} {p} ms", latency(kind, p)) for p in ("p50", "p95", "p99")]
    rows += [
        ("retrieval p50 / floor", lambda r: f"{r.ratio('retrieval'):.2f}×"),
        ("answer p50 / floor", lambda r: f"{r.ratio('answer'):.2f}×"),
        ("answer model share of answer p50", model_share),
        (
            "peer p50 / floor",
            lambda r: f"{r.ratio('peer'):.2f}×" if "peer" in r.latency_ms else "–",
        ),
        ("server start-up s", lambda r: f"{r.startup_s:.1f}"),
        ("server peak RSS MB", lambda r: f"{r.server_rss_mb:.0f}"),
    ]
    return markdown_table(
        ["", *(r.label for r in results)], [[name, *map(cell, results)] for name, cell in rows]
    )


def model_share(result: ScaleResult) -> str:
    model, answer = result.latency_ms.get("model"), result.latency_ms.get("answer")
    return f"{model['p50'] / answer['p50']:.0%}" if model and answer else "–"


def targets(results: list[ScaleResult]) -> list[str]:
    """Issue #19's and #16's targets, each met, missed or not measured by this run."""
    by = {r.factor: r for r in results}

    def at(factor: int, test: Callable[[ScaleResult], bool]) -> bool | None:
        return test(by[factor]) if factor in by else None

    checks: list[tuple[str, bool | None]] = [
        ("answer p50 under 100 ms at 1x", at(1, lambda r: r.latency_ms["answer"]["p50"] < 100)),
        (
            "answer p50 under 100 ms at 1000x",
            at(1000, lambda r: r.latency_ms["answer"]["p50"] < 100),
        ),
        ("server peak RSS at most 1 GB at 1000x", at(1000, lambda r: r.server_rss_mb <= 1024)),
        ("cold ingest at most 120 s at 1000x", at(1000, lambda r: r.ingest_s <= 120)),
        ("cold ingest at most 30 min at 10000x", at(10000, lambda r: r.ingest_s <= 1800)),
        ("unchanged re-ingest at most 5 s at 10000x", at(10000, lambda r: r.reingest_s <= 5)),
        ("server peak RSS at most 1.5 GB at 10000x", at(10000, lambda r: r.server_rss_mb <= 1536)),
        ("server start-up at most 10 s at 10000x", at(10000, lambda r: r.startup_s <= 10)),
        (
            "retrieval p95 at most 100 ms at 10000x",
            at(10000, lambda r: r.latency_ms["retrieval"]["p95"] <= 100),
        ),
    ]
    return [
        f"- {name}: {'not measured' if met is None else 'met' if met else 'MISSED'}"
        for name, met in checks
    ]


def chart(results: list[ScaleResult], path: Path) -> None:
    factors = [r.factor for r in results]
    fig, axes = plt.subplots(1, 3, figsize=(14, 4.2))
    ax = axes[0]
    for kind in ("floor", "retrieval", "answer", "model", "peer"):
        points = [(r.factor, r.latency_ms[kind]["p50"]) for r in results if kind in r.latency_ms]
        if points:
            ax.plot(*zip(*points, strict=True), marker="o", label=f"{kind} p50")
    ax.set(xscale="log", title="Query latency (ms)", xlabel="corpus size (× bundled)")
    ax.legend(fontsize=8)
    axes[1].plot(factors, [r.ingest_s for r in results], marker="o", label="cold ingest")
    axes[1].plot(factors, [r.reingest_s for r in results], marker="o", label="unchanged re-ingest")
    axes[1].set(xscale="log", yscale="log", title="Ingest (s)", xlabel="corpus size (× bundled)")
    axes[1].legend(fontsize=8)
    axes[2].plot(factors, [r.server_rss_mb for r in results], marker="o")
    axes[2].axhline(1536, color="grey", linestyle="--", linewidth=1)
    axes[2].set(xscale="log", title="Server peak RSS (MB)", xlabel="corpus size (× bundled)")
    for ax in axes:
        ax.grid(alpha=0.3)
    save(fig, path)


def run(
    out: Path,
    quick: bool,
    log: Callable[[str], None] = print,
    scales: list[int] | None = None,
    kind: synthetic.Kind = "recombined",
) -> str:
    """Run every scale on synthetic corpora of ``kind`` and write bench.json, bench.md and
    bench.png; return the Markdown."""
    out.mkdir(parents=True, exist_ok=True)
    scales = scales or ([1, 10] if quick else [1, 10, 100, 1000])
    asked = [q.question for q in load_questions(DEV_SET) if q.type != "followup"]
    questions = asked[:15] if quick else asked
    embeddings = load_embeddings()
    rate = model_rate(embeddings, ingest_texts(PROJECT_ROOT / "data" / "corpus") * 3)
    log(f"the embedding model alone: {rate:.0f} texts/s in batches of {EMBED_BATCH}")
    results = [
        bench_scale(f, out, embeddings, questions, f <= (10 if quick else 100), log, kind)
        for f in scales
    ]
    for result in results:
        result.model_texts_per_s = rate
    report = "\n".join([table(results), "", "Targets:", *targets(results)])
    (out / "bench.json").write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n")
    (out / "bench.md").write_text(report + "\n")
    chart(results, out / "bench.png")
    return report
