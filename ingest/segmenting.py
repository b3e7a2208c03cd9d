"""Reads changed files and splits them into sentences, in worker processes when there are many.

Sentence splitting (pysbd: pure-Python regular expressions) is the slowest step of a cold
ingest after embedding: at 1000x it took as long as every Chroma write together. It is the
same work for every file and needs nothing but the file, so other cores can do it while the
ingesting process embeds and writes earlier batches. Files come back in the order given, so
what is written, and the ids it gets, never depend on the number of workers.

This module imports only the readers and the splitter: a spawned worker starts in a fraction
of a second, without torch or Chroma.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from footnote.sentences import Span, sentence_spans
from ingest.loader import SkippedFile, SourceDocument, SourceFile, read

# fewer changed files than this are read in the ingesting process: starting workers costs
# about a second, more than splitting a few dozen files
PARALLEL_FROM = 64
FILES_PER_TASK = 16  # one task per this many files: fewer round trips between processes
TASKS_AHEAD = 4  # tasks queued per worker: enough to keep it busy, few documents held waiting

log = logging.getLogger("footnote.ingest")

Read = tuple[SourceDocument | SkippedFile, list[Span]]
Key = TypeVar("Key")


def read_segmented(file: SourceFile) -> Read:
    """A file's text and its sentences, or why it was skipped."""
    document = read(file)
    if isinstance(document, SkippedFile):
        return document, []
    headings = [heading.start for heading in document.headings]
    return document, sentence_spans(document.text, document.wrapped, headings)


def _read_many(files: list[SourceFile]) -> list[Read]:
    return [read_segmented(file) for file in files]


def worker_count(setting: int) -> int:
    """``setting`` processes, or one per CPU core this process may use when it is 0."""
    if setting > 0:
        return setting
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def segmented(
    files: Sequence[tuple[SourceFile, Key]], workers: int
) -> Iterator[tuple[SourceFile, Key, Read]]:
    """Each file read and split, in order, with the key it came with.

    With one worker, or few files, everything happens here, one file at a time. Otherwise a
    bounded number of tasks is in flight, so memory holds a few hundred documents, not the
    corpus. Workers that cannot start (a script calling ingest without an ``if __name__ ==
    "__main__":`` guard, which spawned processes re-run) leave the rest to this process.
    """
    if workers <= 1 or len(files) < PARALLEL_FROM:
        yield from _here(files)
        return
    done = 0
    try:
        for item in _in_workers(files, workers):
            yield item
            done += 1
    except BrokenProcessPool as error:
        log.warning("ingest workers stopped (%s); reading the remaining files here", error)
        yield from _here(files[done:])


def _here(files: Sequence[tuple[SourceFile, Key]]) -> Iterator[tuple[SourceFile, Key, Read]]:
    for file, key in files:
        yield file, key, read_segmented(file)


def _in_workers(
    files: Sequence[tuple[SourceFile, Key]], workers: int
) -> Iterator[tuple[SourceFile, Key, Read]]:
    context = multiprocessing.get_context("spawn")  # never fork a process running torch
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        waiting: deque[tuple[Sequence[tuple[SourceFile, Key]], Future[list[Read]]]] = deque()
        for start in range(0, len(files), FILES_PER_TASK):
            task = files[start : start + FILES_PER_TASK]
            waiting.append((task, pool.submit(_read_many, [file for file, _ in task])))
            while len(waiting) > workers * TASKS_AHEAD:
                yield from _finished(*waiting.popleft())
        while waiting:
            yield from _finished(*waiting.popleft())


def _finished(
    task: Sequence[tuple[SourceFile, Key]], future: Future[list[Read]]
) -> Iterator[tuple[SourceFile, Key, Read]]:
    for (file, key), result in zip(task, future.result(), strict=True):
        yield file, key, result
