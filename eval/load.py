"""The load test: many concurrent clients asking ``/chat`` for a fixed time, on loopback.

It reports throughput, latency percentiles, errors by status and — when it started the server
itself — the server's memory from the first ten seconds to the last, to show it holds steady.
With several worker counts it runs the same load against each, the workers sharing one
Chroma server (:func:`run_workers`).
Bounded on purpose: a client count and a duration, and only a loopback address, so it cannot
be pointed at somebody else's service.
"""

from __future__ import annotations

import json
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import numpy as np

from eval.plots import plt, save
from eval.report import markdown_table
from eval.server_process import ChromaServer, ServerProcess, serve
from footnote.embeddings import load_embeddings
from footnote.errors import FootnoteError
from footnote.settings import Settings
from ingest.pipeline import ingest_folder

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
EDGE_S = 10.0  # memory is compared between the first and the last this many seconds


@dataclass
class LoadResult:
    clients: int
    seconds: float
    requests: int = 0
    throughput_rps: float = 0.0
    latency_ms: dict[str, float] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    server_errors: int = 0
    rss_first_mb: float | None = None
    rss_last_mb: float | None = None
    timeline: list[tuple[float, float, int]] = field(default_factory=list)  # (t, ms, status)
    memory: list[tuple[float, float]] = field(default_factory=list)  # (t, MB)


def check_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    if host not in LOOPBACK:
        raise FootnoteError(f"{url} is not a loopback address: the load test only runs locally.")


def _client(
    url: str,
    questions: Sequence[str],
    first: int,
    step: int,
    until: float,
    out: list[tuple[float, float, int]],
    headers: dict[str, str],
) -> None:
    """One client: question after question, each as soon as the last is answered."""
    with httpx.Client(base_url=url, timeout=120, headers=headers) as http:
        n = first
        while (begun := time.monotonic()) < until:
            try:
                reply = http.post("/chat", json={"question": questions[n % len(questions)]})
                code = reply.status_code
            except httpx.HTTPError:
                code = 0  # no answer at all: a dropped or refused connection
            out.append((begun, (time.monotonic() - begun) * 1000, code))
            n += step


def _sample_memory(server: ServerProcess, until: float, out: list[tuple[float, float]]) -> None:
    while time.monotonic() < until:
        out.append((time.monotonic(), server.memory_mb()))
        time.sleep(1.0)


def run_load(
    url: str,
    questions: Sequence[str],
    clients: int,
    seconds: float,
    server: ServerProcess | None = None,
    headers: dict[str, str] | None = None,
) -> LoadResult:
    check_loopback(url)
    began = time.monotonic()
    until = began + seconds
    samples: list[tuple[float, float, int]] = []
    memory: list[tuple[float, float]] = []
    sampler = None
    if server is not None:
        sampler = threading.Thread(target=_sample_memory, args=(server, until, memory))
        sampler.start()
    with ThreadPoolExecutor(clients) as pool:
        for n in range(clients):
            pool.submit(_client, url, questions, n, clients, until, samples, headers or {})
    if sampler is not None:
        sampler.join()
    return summarise(clients, time.monotonic() - began, began, samples, memory)


def summarise(
    clients: int,
    elapsed: float,
    began: float,
    samples: list[tuple[float, float, int]],
    memory: list[tuple[float, float]],
) -> LoadResult:
    latencies = np.array([ms for _, ms, _ in samples]) if samples else np.zeros(1)
    statuses = Counter(code for _, _, code in samples)
    result = LoadResult(clients, round(elapsed, 1), requests=len(samples))
    result.throughput_rps = round(len(samples) / elapsed, 2)
    result.latency_ms = {
        f"p{p}": round(float(np.percentile(latencies, p)), 1) for p in (50, 95, 99)
    }
    result.statuses = {str(code): n for code, n in sorted(statuses.items())}
    result.server_errors = sum(n for code, n in statuses.items() if code == 0 or code >= 500)
    result.timeline = [(round(t - began, 2), round(ms, 1), code) for t, ms, code in samples]
    result.memory = [(round(t - began, 1), round(mb, 1)) for t, mb in memory]
    first = [mb for t, mb in result.memory if t <= EDGE_S]
    last = [mb for t, mb in result.memory if t >= elapsed - EDGE_S]
    if first and last:
        result.rss_first_mb = round(statistics.mean(first), 1)
        result.rss_last_mb = round(statistics.mean(last), 1)
    return result


def table(result: LoadResult) -> str:
    rows = [
        ("clients", str(result.clients)),
        ("duration s", f"{result.seconds:.0f}"),
        ("requests", str(result.requests)),
        ("throughput req/s", f"{result.throughput_rps:.1f}"),
        *((f"latency {p} ms", f"{ms:.0f}") for p, ms in result.latency_ms.items()),
        ("statuses", ", ".join(f"{code}: {n}" for code, n in result.statuses.items())),
        ("5xx or no answer", str(result.server_errors)),
    ]
    if result.rss_first_mb is not None:
        rows.append(("server RSS first 10 s MB", f"{result.rss_first_mb:.0f}"))
        rows.append(("server RSS last 10 s MB", f"{result.rss_last_mb:.0f}"))
    return "\n".join(["| figure | value |", "| --- | --- |", *(f"| {k} | {v} |" for k, v in rows)])


def chart(result: LoadResult, path: Path) -> None:
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
    times = [t for t, _, _ in result.timeline]
    left.scatter(times, [ms for _, ms, _ in result.timeline], s=3, alpha=0.4)
    left.set(title=f"/chat latency, {result.clients} clients", xlabel="s", ylabel="ms")
    if result.memory:
        right.plot(*zip(*result.memory, strict=True))
    right.set(title="Server RSS (MB)", xlabel="s", ylim=(0, None))
    for ax in (left, right):
        ax.grid(alpha=0.3)
    save(fig, path)


def write_report(result: LoadResult, out: Path, log: Callable[[str], None] = print) -> str:
    out.mkdir(parents=True, exist_ok=True)
    markdown = table(result)
    (out / "load.json").write_text(json.dumps(asdict(result), indent=1))
    (out / "load.md").write_text(markdown + "\n")
    chart(result, out / "load.png")
    log(markdown)
    return markdown


def run_workers(
    settings: Settings,
    questions: Sequence[str],
    clients: int,
    seconds: float,
    workers: Sequence[int],
    out: Path,
    headers: dict[str, str] | None = None,
    log: Callable[[str], None] = print,
) -> dict[int, LoadResult]:
    """The same load against 1, 2, 4... uvicorn workers sharing one ``chroma run`` server
    (started in ``out``, the corpus ingested into it first): how far workers scale here."""
    chroma = ChromaServer(out / "chroma-server").start()
    try:
        shared = settings.model_copy(
            update={"chroma_url": chroma.url, "chroma_dir": out / "worker-cache"}
        )
        log(f"ingesting {shared.corpus_dir} into the Chroma server at {chroma.url}")
        ingest_folder(shared, load_embeddings(shared), progress=False)
        results = {}
        for count in workers:
            with serve(shared, count, out / f"server-{count}-workers.log") as server:
                log(f"{count} worker(s), started in {server.startup_s:.1f} s: {clients} clients")
                results[count] = run_load(server.url, questions, clients, seconds, server, headers)
        return results
    finally:
        chroma.stop()


def workers_table(results: dict[int, LoadResult]) -> str:
    rows: list[tuple[str, Callable[[LoadResult], str]]] = [
        ("throughput req/s", lambda r: f"{r.throughput_rps:.1f}"),
        *(
            (f"latency {p} ms", lambda r, p=p: f"{r.latency_ms[p]:.0f}")
            for p in ("p50", "p95", "p99")
        ),
        ("5xx or no answer", lambda r: str(r.server_errors)),
        ("RSS, all workers, last 10 s MB", lambda r: f"{r.rss_last_mb or 0:.0f}"),
    ]
    return markdown_table(
        ["workers", *map(str, results)],
        [[name, *map(cell, results.values())] for name, cell in rows],
    )


def workers_chart(results: dict[int, LoadResult], path: Path) -> None:
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    counts = list(results)
    left.plot(counts, [r.throughput_rps for r in results.values()], marker="o")
    left.set(title="/chat throughput (req/s)", xlabel="uvicorn workers", ylim=(0, None))
    for p in ("p50", "p95"):
        right.plot(counts, [r.latency_ms[p] for r in results.values()], marker="o", label=p)
    right.set(title="/chat latency (ms)", xlabel="uvicorn workers", ylim=(0, None))
    right.legend()
    for ax in (left, right):
        ax.set_xticks(counts)
        ax.grid(alpha=0.3)
    save(fig, path)


def write_workers_report(
    results: dict[int, LoadResult], out: Path, log: Callable[[str], None] = print
) -> str:
    out.mkdir(parents=True, exist_ok=True)
    markdown = workers_table(results)
    (out / "workers.json").write_text(
        json.dumps({n: asdict(r) for n, r in results.items()}, indent=1)
    )
    (out / "workers.md").write_text(markdown + "\n")
    workers_chart(results, out / "workers.png")
    log(markdown)
    return markdown
