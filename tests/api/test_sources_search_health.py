from __future__ import annotations

import socket

import httpx
import pytest

from api.openapi import MAX_FILE_NAME, MAX_QUERY_PARAM
from tests.support import BUNDLED_CORPUS


def test_sources_lists_every_file_with_title_and_passages(client: httpx.Client) -> None:
    sources = client.get("/sources").json()
    assert [s["source"] for s in sources] == sorted(p.name for p in BUNDLED_CORPUS.glob("*.txt"))
    assert all(s["passages"] > 0 and s["title"] for s in sources)


def test_source_text_is_the_file(client: httpx.Client) -> None:
    name = "001_694d548595b5fff0.txt"
    body = client.get(f"/sources/{name}").json()
    assert body["text"] == (BUNDLED_CORPUS / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "path",
    [
        "/sources/../../etc/passwd",
        "/sources/..%2F..%2Fetc%2Fpasswd",
        "/sources/%2Fetc%2Fpasswd",
        "/sources/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/sources/%2E%2E/%2E%2E/etc/passwd",
        "/sources/nothing-here.txt",
        "/sources/data/corpus/001_694d548595b5fff0.txt",
    ],
)
def test_names_outside_the_index_get_404(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "root:" not in response.text


def test_raw_traversal_over_a_socket_gets_404(client: httpx.Client) -> None:
    """httpx normalises `..` away; a raw request line checks what the server itself does."""
    host, port = str(client.base_url.host), client.base_url.port
    with socket.create_connection((host, port)) as sock:
        sock.sendall(b"GET /sources/../../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n")
        reply = sock.recv(4096).decode()
    assert reply.startswith("HTTP/1.1 404") and "root:" not in reply


def test_search_ranks_passages_with_scores_and_offsets(client: httpx.Client) -> None:
    body = client.get("/search", params={"q": "Russian military ID from Tuva", "k": 3}).json()
    assert len(body["hits"]) == 3
    top = body["hits"][0]
    assert "Tuva" in top["text"] and top["keyword"] is not None
    scores = [h["score"] for h in body["hits"]]
    assert scores == sorted(scores, reverse=True)


def test_every_file_has_its_turn_before_any_gives_a_second_passage(client: httpx.Client) -> None:
    """Outlets confirm and dispute each other, so the top five come from the five files."""
    hits = client.get("/search", params={"q": "How many troops has North Korea sent?", "k": 5})
    sources = [hit["source"] for hit in hits.json()["hits"]]
    assert sorted(sources) == sorted(p.name for p in BUNDLED_CORPUS.glob("*.txt"))


def test_every_url_the_schema_allows_is_answered_and_longer_ones_get_422(
    client: httpx.Client,
) -> None:
    """uvicorn refuses a request line over 64 KB with a bare 400: the schema's limits keep
    every valid URL under it, even at 12 bytes per percent-encoded character."""
    longest = "\U0001f600" * MAX_QUERY_PARAM  # four UTF-8 bytes each: 48 KB encoded
    assert client.get("/search", params={"q": longest, "k": 1}).status_code == 200
    over = client.get("/search", params={"q": "a" * (MAX_QUERY_PARAM + 1)})
    assert over.status_code == 422 and "at most 4000" in over.json()["detail"]
    name = client.get(f"/sources/{'n' * (MAX_FILE_NAME + 1)}.txt")
    assert name.status_code == 422 and name.headers["content-type"] == "application/problem+json"


def test_search_rejects_bad_k(client: httpx.Client) -> None:
    assert client.get("/search", params={"q": "x", "k": 0}).status_code == 422
    assert client.get("/search", params={"q": ""}).status_code == 422


def test_health_reports_the_index(client: httpx.Client) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["sources"] == 5 and body["passages"] > 20
    assert "MiniLM" in body["embedding_model"]


def test_openapi_documents_every_error(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"422", "503"} <= set(paths["/chat"]["post"]["responses"])
    assert "404" in paths["/sources/{name}"]["get"]["responses"]
