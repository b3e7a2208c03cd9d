"""Schemathesis against the service's own OpenAPI schema, over a real server, keys on and off.

Every check runs, in every phase: examples, coverage, fuzzing and the stateful phase, whose
chains (upload, read, delete) may empty the corpus: a question then gets an answer saying
so, not an error. The one exception, uploads whose content no schema can describe, is in
schemathesis.toml beside this file with its reason.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings
from pydantic import SecretStr

from tests.support import LiveServer, indexed_copy

KEY = "fuzz-key-0123"
CONFIG = Path(__file__).with_name("schemathesis.toml")  # the one exception, and why
EXAMPLES_PER_OPERATION = 25


@pytest.mark.parametrize("keys", [True, False], ids=["keys-on", "keys-off"])
def test_schemathesis_finds_no_failure(tmp_path: Path, embeddings: Embeddings, keys: bool) -> None:
    settings = indexed_copy(
        tmp_path,
        embeddings,
        api_keys=[SecretStr(KEY)] if keys else [],
        fallback_to_extractive=True,  # no OpenAI server here: `openai` mode falls back
        llm_max_tokens=16,  # the real local model, kept short
    )
    with LiveServer(settings, embeddings) as live:
        run = subprocess.run(
            [
                str(Path(sys.executable).with_name("schemathesis")),
                f"--config-file={CONFIG}",
                "run",
                f"{live.url}/openapi.json",
                "--checks=all",
                "--phases=examples,coverage,fuzzing,stateful",
                f"--max-examples={EXAMPLES_PER_OPERATION}",
                "--seed=7",
                "--generation-database=none",
                "--request-timeout=300",  # a local-model answer on a busy 2-core machine
                "--max-response-time=300",
                "--no-color",
                *([f"--header=Authorization: Bearer {KEY}"] if keys else []),
            ],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=600,
        )
    failures = run.stdout[run.stdout.find("FAILURES") :]
    assert run.returncode == 0, failures[:8000] + run.stderr[-2000:]
    assert "ignored_auth" not in run.stdout  # no operation answered without the key
