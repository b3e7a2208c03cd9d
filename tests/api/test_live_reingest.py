from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
from langchain_core.embeddings import Embeddings

from tests.support import LiveServer, indexed_copy, run_ingest


def test_running_server_answers_from_a_new_ingest_without_restart(
    tmp_path: Path, embeddings: Embeddings
) -> None:
    settings = indexed_copy(tmp_path, embeddings)
    corpus = settings.corpus_dir
    with LiveServer(settings, embeddings) as server, httpx.Client(base_url=server.url) as client:
        assert len(client.get("/sources").json()) == 5
        edited = sorted(corpus.iterdir())[0]
        before = client.get(f"/sources/{edited.name}").json()["text"]  # read, so kept
        edited.write_text(edited.read_text(encoding="utf-8") + "\nThe zoo reopened.\n")
        (corpus / "zoo.md").write_text(
            "# Zoo news\nThe Kyiv zoo welcomed a baby giraffe named Olha.\n"
        )
        (corpus / "004_17a11fe2648a01fc.txt").unlink()
        run_ingest(settings, embeddings)
        time.sleep(1.1)  # the server checks the index version at most once a second

        names = [s["source"] for s in client.get("/sources").json()]
        assert "zoo.md" in names and "004_17a11fe2648a01fc.txt" not in names
        after = client.get(f"/sources/{edited.name}").json()["text"]
        assert after.startswith(before.rstrip()) and after.rstrip().endswith("The zoo reopened.")
        body = client.post("/chat", json={"question": "What was the baby giraffe called?"}).json()
        assert body["citations"][0]["source"] == "zoo.md" and "Olha" in body["answer"]


def test_questions_keep_being_answered_while_an_ingest_runs(
    tmp_path: Path, embeddings: Embeddings
) -> None:
    settings = indexed_copy(tmp_path, embeddings)
    corpus = settings.corpus_dir
    for n, source in enumerate(sorted(corpus.iterdir()) * 2):  # an ingest with work to do
        text = source.read_text(encoding="utf-8").replace(".", f" (edition {n}).")
        (corpus / f"edition-{n}.txt").write_text(text, encoding="utf-8")
    statuses: list[int] = []
    done = threading.Event()

    def ask_until_done(url: str) -> None:
        with httpx.Client(base_url=url, timeout=60) as http:
            while not done.is_set():
                statuses.append(
                    http.post("/chat", json={"question": "Who was captured?"}).status_code
                )

    with LiveServer(settings, embeddings) as server:
        asker = threading.Thread(target=ask_until_done, args=(server.url,))
        asker.start()
        try:
            report = run_ingest(settings, embeddings)
        finally:
            done.set()
            asker.join()
    assert len(report.added) == 10
    assert len(statuses) >= 3 and set(statuses) == {200}, statuses
