"""Schemathesis against the service's own OpenAPI schema, over a real server with keys on.

Every check runs but ``positive_data_acceptance``: the service rightly refuses some requests
no schema can describe (a file named ``x.pdf`` that is not a PDF, a chat whose last message is
not the user's). The stateful phase is left out too: its GET-then-DELETE chains empty the
corpus, after which questions get 503 "index empty" by design, not by fault.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from langchain_core.embeddings import Embeddings
from pydantic import SecretStr

from tests.conftest import LiveServer, indexed_copy

KEY = "fuzz-key-0123"
EXAMPLES_PER_OPERATION = 25


def test_schemathesis_finds_no_failure(tmp_path: Path, embeddings: Embeddings) -> None:
    settings = indexed_copy(
        tmp_path,
        embeddings,
        api_keys=[SecretStr(KEY)],
        fallback_to_extractive=True,  # no OpenAI server here: `openai` mode falls back
        llm_max_tokens=16,  # the real local model, kept short
    )
    with LiveServer(settings, embeddings) as live:
        run = subprocess.run(
            [
                str(Path(sys.executable).with_name("schemathesis")),
                "run",
                f"{live.url}/openapi.json",
                "--checks=all",
                "--exclude-checks=positive_data_acceptance",
                "--phases=examples,coverage,fuzzing",
                f"--max-examples={EXAMPLES_PER_OPERATION}",
                "--seed=7",
                "--generation-database=none",
                "--request-timeout=300",  # a local-model answer on a busy 2-core machine
                "--no-color",
                f"--header=Authorization: Bearer {KEY}",
            ],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=600,
        )
    failures = run.stdout[run.stdout.find("FAILURES") :]
    assert run.returncode == 0, failures[:8000] + run.stderr[-2000:]
    assert "ignored_auth" not in run.stdout  # no operation answered without the key
