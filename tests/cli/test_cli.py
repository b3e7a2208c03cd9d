"""The ``footnote`` command as a user runs it: a real subprocess with its own environment."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from cli.main import build_parser
from tests.support import (
    BUNDLED_CORPUS,
    environment,
    free_port,
    hand_over,
    indexed_copy,
    photo,
    saved,
)


def footnote(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_ingest_then_ask_from_the_terminal(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(BUNDLED_CORPUS, corpus)
    env = {"FOOTNOTE_CORPUS_DIR": str(corpus), "FOOTNOTE_CHROMA_DIR": str(tmp_path / "chroma")}

    first = footnote("ingest", env=env)
    assert first.returncode == 0, first.stderr
    assert "added 5, replaced 0, removed 0, unchanged 0, skipped 0" in first.stdout

    (corpus / "empty.md").write_text("")
    notice = "Every weekday morning the harbour ferry leaves the north pier at 7:40."
    (corpus / "notice.png").write_bytes(saved(photo(notice), "PNG"))
    second = footnote("ingest", str(corpus), env=env)
    assert "added 1, replaced 0, removed 0, unchanged 5, skipped 1" in second.stdout
    assert "skipped empty.md: empty" in second.stdout
    assert "read page 1 by OCR in" in second.stderr  # a long scan shows it is moving

    asked = footnote("ask", "What ID card was one of the prisoners carrying?", env=env)
    assert asked.returncode == 0, asked.stderr
    assert "Tuva" in asked.stdout and "Sources:" in asked.stdout
    assert "[1] 001_694d548595b5fff0.txt:" in asked.stdout

    listed = footnote("sources", env=env)
    assert listed.returncode == 0, listed.stderr
    assert [line.split()[0] for line in listed.stdout.splitlines()] == sorted(
        [p.name for p in BUNDLED_CORPUS.glob("*.txt")] + ["notice.png"]
    )
    question = "How many North Korean troops were sent to Russia?"
    limited = footnote("ask", question, "--source", "002_45a7327db3fb7a4e.txt", env=env)
    assert limited.returncode == 0, limited.stderr
    assert set(re.findall(r"^\[\d+\] (\S+?):", limited.stdout, re.M)) == {
        "002_45a7327db3fb7a4e.txt"
    }
    unheld = footnote("ask", question, "--source", "missing.txt", env=env)
    assert unheld.returncode == 1 and "Traceback" not in unheld.stderr
    assert "No indexed document is named 'missing.txt'" in unheld.stderr

    refused = footnote("ask", "What is the capital of France?", env=env)
    assert refused.returncode == 0, refused.stderr
    assert "does not answer" in refused.stdout and "Sources:" not in refused.stdout
    assert "Closest passages (not an answer):\n[1] " in refused.stdout


def test_errors_are_one_clear_line_not_a_traceback(tmp_path: Path) -> None:
    env = {"FOOTNOTE_CHROMA_DIR": str(tmp_path / "chroma")}
    missing = footnote("ingest", str(tmp_path / "missing"), env=env)
    assert missing.returncode == 1
    assert "does not exist" in missing.stderr and "Traceback" not in missing.stderr

    bad_setting = footnote("ask", "anything", env={**env, "FOOTNOTE_TOP_K": "lots"})
    assert bad_setting.returncode == 2
    assert "FOOTNOTE_TOP_K" in bad_setting.stderr and "Traceback" not in bad_setting.stderr

    empty_index = footnote("ask", "anything", env=env)  # an answer saying what to do
    assert empty_index.returncode == 0 and "footnote ingest" in empty_index.stdout
    nothing_listed = footnote("sources", env=env)
    assert nothing_listed.returncode == 0 and "footnote ingest" in nothing_listed.stdout

    (tmp_path / "a-file").write_text("not a folder")
    unwritable = footnote(
        "eval", "no-such-set.jsonl", "--out", str(tmp_path / "a-file" / "x"), env=env
    )
    assert unwritable.returncode == 1 and "Traceback" not in unwritable.stderr
    assert unwritable.stderr.strip().endswith(
        "Not a directory: " + repr(str(tmp_path / "a-file" / "x"))
    )


def test_output_cut_short_by_its_reader_ends_quietly(tmp_path: Path) -> None:
    """``footnote ask ... | head -0``: the reader is gone before the answer is printed."""
    env = {**os.environ, "FOOTNOTE_CHROMA_DIR": str(tmp_path / "chroma")}
    asked = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "ask", "anything"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert asked.stdout is not None and asked.stderr is not None
    asked.stdout.close()  # before it answers (an empty index: after about a second)
    assert asked.wait(timeout=120) == 0
    assert asked.stderr.read() == ""


@pytest.mark.parametrize(
    ("args", "refused"),
    [
        (["ask", "Who?", "--top-k", "0"], "--top-k: give a whole number from 1 to 50, not '0'"),
        (["serve", "--port", "99999"], "--port: give a whole number from 1 to 65535"),
        (["load", "--clients", "none"], "--clients: give a whole number from 1 to 1000"),
        (["load", "--seconds", "-5"], "--seconds: give a number of seconds above 0"),
        (["bench", "--scales", "1,ten"], "--scales: give a whole number of at least 1, not 'ten'"),
    ],
)
def test_numbers_out_of_range_are_refused_with_the_range(args: list[str], refused: str) -> None:
    done = footnote(*args, env={})
    assert done.returncode == 2 and refused in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_load_asks_the_bundled_questions_from_any_folder() -> None:
    questions = Path(build_parser().parse_args(["load"]).questions)
    assert questions.is_absolute() and questions.is_file()


def test_a_server_that_cannot_start_says_why_in_one_line(
    tmp_path: Path, embeddings: Embeddings
) -> None:
    """Found before uvicorn starts, not as a traceback from its start-up: here an index
    embedded by the tuned model, and a server told to embed questions with the packaged one."""
    settings = indexed_copy(tmp_path, embeddings)
    hand_over(settings)
    env = {**environment(settings), "FOOTNOTE_EMBEDDING_TUNING": "none"}
    server = footnote("serve", "--no-ingest", "--port", str(free_port()), env=env)
    assert server.returncode == 1 and "Traceback" not in server.stderr, server.stderr
    assert server.stderr.splitlines()[-1].startswith("footnote: The index in collection")
    assert "Run `footnote ingest`" in server.stderr
