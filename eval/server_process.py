"""A ``footnote serve`` process of its own on a free loopback port, for the measurements that
need a real server: start-up time and memory (benchmark) and throughput under load; and a
``chroma run`` server for several Footnote workers to share."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from footnote.settings import Settings

START_TIMEOUT_S = 300


@dataclass
class ServerProcess:
    process: subprocess.Popen[bytes]
    url: str
    startup_s: float

    def memory_mb(self, field: str = "VmRSS") -> float:
        """Resident memory now (VmRSS) or at its peak (VmHWM), from /proc, of the server and
        of its worker processes when uvicorn runs several."""
        return sum(_memory_kb(pid, field) for pid in _tree(self.process.pid)) / 1024


def _tree(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return [pid]
    return [pid, *(p for child in children for p in _tree(int(child)))]


def _memory_kb(pid: int, field: str) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:  # it ended between listing and reading
        return 0
    return next((int(line.split()[1]) for line in status.splitlines() if line.startswith(field)), 0)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(settings: Settings, workers: int = 1, log: Path | None = None) -> Iterator[ServerProcess]:
    """Serves ``settings``' index (never ingesting) with ``workers`` uvicorn processes until
    the block ends, then SIGTERM. More than one needs ``settings.chroma_url``. The server's
    output goes to ``log`` when given, so a 5xx under load can be traced afterwards."""
    port = free_port()
    env = {
        **os.environ,
        "FOOTNOTE_CORPUS_DIR": str(settings.corpus_dir),
        "FOOTNOTE_CHROMA_DIR": str(settings.chroma_dir),
        "FOOTNOTE_CHROMA_URL": settings.chroma_url or "",
    }
    command = [sys.executable, "-m", "cli.main", "serve", "--port", str(port), "--no-ingest"]
    command += ["--workers", str(workers)]
    started = time.perf_counter()
    process = _spawn(command, env, log)
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=1).json()["status"] == "ok":
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.perf_counter() - started > START_TIMEOUT_S:
                raise RuntimeError("the server did not start: try `footnote serve` to see why")
            time.sleep(0.1)
        yield ServerProcess(process, url, time.perf_counter() - started)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)


def _spawn(command: list[str], env: dict[str, str], log: Path | None) -> subprocess.Popen[bytes]:
    """The process, its output and errors in ``log`` (or discarded): the child keeps its own
    copy of the file's descriptor, so ours closes at once."""
    if log is None:
        return subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
    with log.open("wb") as output:
        return subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)


class ChromaServer:
    """``chroma run`` in a folder, on a free loopback port; stop and start it again at will."""

    def __init__(self, path: Path):
        self.path, self.port = path, free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def log(self) -> Path:
        """Where its output goes: beside its folder, to read after a failure."""
        return self.path.with_name(f"{self.path.name}.log")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ChromaServer:
        chroma = Path(sys.executable).with_name("chroma")
        command = [str(chroma), "run", "--path", str(self.path), "--port", str(self.port)]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(command, stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1).raise_for_status()
                return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError(f"chroma run did not start: try `{' '.join(command)}` to see why")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
