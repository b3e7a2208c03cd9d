"""``footnote ingest --watch`` as a user runs it: a real process reacting to a real file."""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.support import BUNDLED_CORPUS


class Output:
    """Collects a process's stdout lines in a thread, so waiting never blocks on a pipe."""

    def __init__(self, process: subprocess.Popen[str]):
        self.lines: queue.Queue[str] = queue.Queue()
        assert process.stdout is not None
        stream = process.stdout
        threading.Thread(
            target=lambda: [self.lines.put(line) for line in stream], daemon=True
        ).start()

    def until(self, needle: str, seconds: float) -> str:
        seen, deadline = "", time.monotonic() + seconds
        while needle not in seen:
            try:
                seen += self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"{needle!r} did not appear; output:\n{seen}") from None
        return seen


def test_watch_mode_ingests_files_as_they_change(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(BUNDLED_CORPUS, corpus)
    env = {**os.environ, "FOOTNOTE_CHROMA_DIR": str(tmp_path / "chroma"), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "ingest", str(corpus), "--watch"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    output = Output(process)
    try:
        output.until("Watching", 300)
        (corpus / "zoo.md").write_text("# Zoo\nThe zoo has a giraffe named Olha.\n")
        assert "added 1" in output.until("Watching", 120)
        (corpus / "zoo.md").unlink()
        assert "removed 1" in output.until("Watching", 120)
    finally:
        process.terminate()
        process.wait(timeout=30)
