"""Which Chroma Footnote talks to: an embedded one in a folder, or a Chroma server.

Embedded Chroma is not process-safe: two processes writing one folder can corrupt it. So the
first process to open a folder takes an exclusive lock on it, held until it exits (the kernel
drops it even on ``kill -9``), and any other process fails at once with a message pointing at
server mode. ``FOOTNOTE_CHROMA_URL`` switches to chromadb's HTTP client, which any number of
processes — uvicorn workers, ingests, evals — may share.
"""

from __future__ import annotations

import fcntl
import os
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import chromadb  # noqa: E402
from chromadb.config import Settings as ChromaSettings  # noqa: E402

from footnote.errors import BackendUnavailable, StoreInUse  # noqa: E402

LOCK_FILE = ".footnote.lock"
_held: dict[Path, int] = {}  # folders this process has locked, and the lock files' descriptors


def lock_folder(path: Path) -> None:
    """Takes this process's exclusive lock on an embedded Chroma folder, or raises."""
    path = path.resolve()
    if path in _held:
        return
    path.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.read(descriptor, 500).decode(errors="replace").strip() or "another process"
        os.close(descriptor)
        raise StoreInUse(
            f"The index at {path} is open in another process ({holder}). Embedded Chroma "
            "allows one process per folder: stop that process, change documents through it "
            "(the page or POST /documents), or run a Chroma server and set FOOTNOTE_CHROMA_URL "
            "so several processes can share it."
        ) from None
    os.ftruncate(descriptor, 0)
    os.write(descriptor, f"pid {os.getpid()}: {' '.join(sys.argv)[:300]}".encode())
    _held[path] = descriptor


def chroma_client(folder: Path, url: str | None) -> Any:
    """A client for the server at ``url``, else for the embedded store in ``folder``."""
    settings = ChromaSettings(anonymized_telemetry=False)
    if not url:
        lock_folder(folder)
        return chromadb.PersistentClient(path=str(folder), settings=settings)
    address = urlsplit(url)
    try:
        return chromadb.HttpClient(
            host=address.hostname or "localhost",
            port=address.port or (443 if address.scheme == "https" else 8000),
            ssl=address.scheme == "https",
            settings=settings,
        )
    except Exception as error:  # chromadb raises plain ValueError/ConnectionError here
        raise BackendUnavailable(
            f"Cannot reach the Chroma server at {url} ({type(error).__name__}): start it "
            "(`chroma run --path DIR --port PORT`) or unset FOOTNOTE_CHROMA_URL."
        ) from None


def release_folder(path: Path) -> None:
    """Gives up this process's lock, for a process that is done with the store and hands it
    to another (the benchmark, starting a server on the index it built)."""
    descriptor = _held.pop(path.resolve(), None)
    if descriptor is not None:
        os.close(descriptor)
