from __future__ import annotations

import httpx
from langchain_core.embeddings import Embeddings

from footnote.settings import Settings
from tests.support import LiveServer


def test_page_is_served_with_a_strict_content_security_policy(client: httpx.Client) -> None:
    response = client.get("/")
    assert response.status_code == 200 and "<title>Footnote</title>" in response.text
    policy = response.headers["content-security-policy"]
    for rule in (
        "default-src 'self'",
        "script-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
    ):
        assert rule in policy
    assert client.get("/static/embed.js").status_code == 200


def test_cors_is_off_by_default(client: httpx.Client) -> None:
    response = client.get("/health", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in response.headers


def test_configured_origins_may_call_the_api_and_embedding_is_restricted(
    indexed_settings: Settings, embeddings: Embeddings
) -> None:
    settings = indexed_settings.model_copy(
        update={
            "cors_origins": ["https://intranet.example"],
            "frame_ancestors": "https://intranet.example",
        }
    )
    with LiveServer(settings, embeddings) as server, httpx.Client(base_url=server.url) as http:
        allowed = http.get("/health", headers={"Origin": "https://intranet.example"})
        assert allowed.headers["access-control-allow-origin"] == "https://intranet.example"
        other = http.get("/health", headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers
        assert (
            "frame-ancestors https://intranet.example"
            in http.get("/").headers["content-security-policy"]
        )


def test_origins_are_read_comma_separated_from_the_environment(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("FOOTNOTE_CORS_ORIGINS", "https://a.example, https://b.example")
    assert Settings(_env_file=None).cors_origins == ["https://a.example", "https://b.example"]
