"""``footnote ingest`` (once, or watching the folder) and ``footnote serve``: the commands
that keep an index and serve it, apart from those that ask, measure and train."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from footnote.errors import StoreInUse
from footnote.settings import Settings

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

GRACEFUL_SECONDS = 30  # after SIGTERM, how long requests in flight have to finish


def ingest(
    args: argparse.Namespace, settings: Settings, embeddings: Embeddings | None = None
) -> None:
    from footnote.embeddings import LazyEmbeddings
    from ingest.pipeline import ingest_folder

    root = Path(args.path) if args.path else settings.corpus_dir
    print(f"Ingesting {root} into {settings.chroma_dir} (collection {settings.collection!r})")
    embeddings = embeddings or LazyEmbeddings(settings)  # loaded only if some text is new
    _show_ocr_pages()
    phase_file = getattr(args, "phase_file", None)
    phase = _phase_writer(Path(phase_file)) if phase_file else None
    while True:
        before = _snapshot(root)
        report, store = ingest_folder(settings, embeddings, root, phase=phase)
        for skipped in report.skipped:
            print(f"  skipped {skipped.source}: {skipped.reason}")
        if report.repaired:
            print(
                f"  repaired {', '.join(report.repaired)} (left half-written by an interrupted run)"
            )
        print(report.summary())
        print(f"The index holds {store.count()} passages.", flush=True)
        if not getattr(args, "watch", False):
            return
        print(f"Watching {root} for changes (Ctrl-C to stop)…", flush=True)
        _wait_for_change(root, before)


def _show_ocr_pages() -> None:
    """Print each page OCR reads above the progress bar: the bar moves a file at a time, and a
    long scan is one file that takes minutes. (Files read by worker processes, in a large
    ingest, are not shown: there the bar moves.)"""
    logger = logging.getLogger("footnote.formats.ocr")
    if not any(isinstance(h, _AboveTheBar) for h in logger.handlers):  # once per process
        logger.addHandler(_AboveTheBar())
    logger.setLevel(logging.INFO)


class _AboveTheBar(logging.Handler):
    """A log record printed above tqdm's progress bar, not through it."""

    def emit(self, record: logging.LogRecord) -> None:
        from tqdm import tqdm

        tqdm.write(f"  {record.getMessage()}", file=sys.stderr)


def _phase_writer(path: Path) -> Callable[[str], None]:
    """Append each ingest step to ``path`` as it starts, one line each, flushed at once."""

    def write(phase: str) -> None:
        with path.open("a", encoding="utf-8") as file:
            file.write(phase + "\n")

    return write


def _snapshot(root: Path) -> dict[str, tuple[float, int]]:
    from footnote.formats import SUPPORTED_SUFFIXES

    return {
        str(p): (p.stat().st_mtime, p.stat().st_size)
        for p in root.rglob("*")
        if p.suffix.lower() in SUPPORTED_SUFFIXES and p.is_file()
    }


def _wait_for_change(root: Path, since: dict[str, tuple[float, int]]) -> None:
    """Block until a supported file under ``root`` differs from ``since``.

    File events wake it at once; every two seconds it also compares the folder with the
    snapshot taken when the last ingest began, so a change made while that ingest ran (before
    the watcher started) is not lost.
    """
    from watchfiles import watch

    for _ in watch(root, debounce=500, rust_timeout=2000, yield_on_timeout=True):
        if _snapshot(root) != since:
            return


def serve(args: argparse.Namespace, settings: Settings) -> None:
    import uvicorn

    from footnote.embeddings import LazyEmbeddings, check_loads, model_label
    from footnote.store import PassageStore

    if args.workers > 1 and not settings.chroma_url:
        raise StoreInUse(
            f"{args.workers} workers cannot share an embedded index: each would open "
            f"{settings.chroma_dir} itself. Run a Chroma server (`chroma run --path DIR "
            "--port 8001`) and set FOOTNOTE_CHROMA_URL=http://127.0.0.1:8001, or use one worker."
        )
    store = PassageStore.open(settings)
    model = LazyEmbeddings(settings)  # one, for the ingest below and a single worker
    if not args.no_ingest and (store.count() == 0 or store.outdated(model_label(settings))):
        print(
            "No index of this Footnote's layout and embedding model yet: ingesting the "
            "configured corpus first."
        )
        ingest(argparse.Namespace(path=None, watch=False), settings, model)
    store.check_searchable(model_label(settings))  # here: one line, not a traceback
    app: Any = "api.main:create_app"  # each worker process builds its own
    if args.workers == 1:  # built here, so that a model that cannot load says so in one
        from api.main import create_app  # line too (footnote: ...), not inside uvicorn

        app = create_app(settings, model)
        model.model()  # loaded now, not by the first question
    else:
        check_loads(settings)  # once, in one line, not a traceback from every worker
    print(f"Footnote: open http://{args.host}:{args.port}/ to chat (API docs at /docs).")
    uvicorn.run(
        app,
        factory=args.workers > 1,
        host=args.host,
        port=args.port,
        log_level="info",
        access_log=False,  # api.request_log writes one line per request, with its id
        timeout_graceful_shutdown=GRACEFUL_SECONDS,
        workers=args.workers,
    )
