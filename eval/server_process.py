"""A ``footnote serve`` process of its own on a free loopback port, for the measurements that
need a real server: start-up time and memory (benchmark) and throughput under load."""

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
        """Resident memory now (VmRSS) or at its peak (VmHWM), from /proc."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith(field))
        return kb / 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(settings: Settings) -> Iterator[ServerProcess]:
    """Serves ``settings``' index (never ingesting) until the block ends, then SIGTERM."""
    port = free_port()
    env = {
        **os.environ,
        "FOOTNOTE_CORPUS_DIR": str(settings.corpus_dir),
        "FOOTNOTE_CHROMA_DIR": str(settings.chroma_dir),
    }
    command = [sys.executable, "-m", "cli.main", "serve", "--port", str(port), "--no-ingest"]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
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
