"""Reading and sentence-splitting in worker processes gives what one process gives."""

from __future__ import annotations

import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from footnote.sentences import sentence_spans
from ingest import segmenting
from ingest.loader import SkippedFile, find_files
from ingest.segmenting import read_segmented, segmented, worker_count
from tests.support import BUNDLED_CORPUS, PROJECT_ROOT


def test_workers_return_every_file_in_order_with_its_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for copy in range(4):  # 20 readable files: two tasks of FILES_PER_TASK, the second short
        shutil.copytree(BUNDLED_CORPUS, tmp_path / f"copy{copy}")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    files, _ = find_files(tmp_path)
    keyed = [(file, n) for n, file in enumerate(files)]
    monkeypatch.setattr(segmenting, "PARALLEL_FROM", 1)  # the pool, for this handful of files

    in_workers = list(segmented(keyed, workers=2))

    assert [(file, key) for file, key, _ in in_workers] == keyed
    here = [read_segmented(file) for file in files]
    assert [read for _, _, read in in_workers] == here
    skipped = [doc for doc, _ in here if isinstance(doc, SkippedFile)]
    assert [s.source for s in skipped] == ["broken.pdf"]
    document, spans = next(r for r in here if not isinstance(r[0], SkippedFile))
    assert spans == sentence_spans(document.text) and spans


def test_worker_count_is_the_setting_or_the_cores() -> None:
    assert worker_count(3) == 3
    assert worker_count(0) >= 1


def test_a_script_without_a_main_guard_still_ingests_everything(tmp_path: Path) -> None:
    """Spawned workers re-run the main script, which fails for code piped to Python; the
    files the workers could not read are read in the calling process instead."""
    shutil.copytree(BUNDLED_CORPUS, tmp_path / "corpus")
    script = (
        "from pathlib import Path\n"
        "from ingest import segmenting\n"
        "from ingest.loader import find_files\n"
        "segmenting.PARALLEL_FROM = 1\n"
        f"files, _ = find_files(Path({str(tmp_path / 'corpus')!r}))\n"
        "read = list(segmenting.segmented([(f, 0) for f in files], 2))\n"
        "print(len(read), sum(bool(spans) for _, _, (_, spans) in read))\n"
    )
    done = subprocess.run(
        [sys.executable, "-"],
        input=script,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=PROJECT_ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["5", "5"]
    assert "reading the remaining files here" in done.stderr


def test_a_definition_list_term_keeps_its_description_and_a_heading_does_not(
    tmp_path: Path,
) -> None:
    """The reader's headings reach the splitter: a term of an HTML definition list is quoted
    with its description, a heading of the same shape is not."""
    path = tmp_path / "policy.html"
    path.write_text(
        "<html><body><h3>old-versions</h3><p>These are kept for a while.</p><dl>"
        "<dt>supported-versions</dt><dd>The interpreters modules are built for.</dd>"
        "</dl></body></html>",
        encoding="utf-8",
    )
    files, _ = find_files(tmp_path)
    document, spans = read_segmented(files[0])
    assert not isinstance(document, SkippedFile)
    assert [document.text[s.start : s.end] for s in spans] == [
        "old-versions",
        "These are kept for a while.",
        "supported-versions\nThe interpreters modules are built for.",
    ]


def test_threads_splitting_at_once_get_what_one_thread_gets() -> None:
    """A server splits an upload and a generated answer's claims on different threads."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(BUNDLED_CORPUS.glob("*.txt"))]
    alone = [sentence_spans(text) for text in texts]
    with ThreadPoolExecutor(len(texts)) as pool:
        together = list(pool.map(sentence_spans, texts * 6))
    assert together == alone * 6
