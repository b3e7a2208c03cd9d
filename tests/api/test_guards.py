"""API keys, rate limits, body-size and request limits, over a real uvicorn server."""

from __future__ import annotations

import select
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import openai
import pytest
from langchain_core.embeddings import Embeddings
from pydantic import SecretStr

from footnote.settings import Settings
from tests.support import LiveServer

KEYS = ["alpha-key-123", "beta-key-456"]
TWENTY_MB = 20 * 1024 * 1024


def rss_bytes() -> int:
    """This process's resident memory: the in-process server's, as tests run it."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096


@pytest.fixture(scope="module")
def guarded(indexed_settings: Settings, embeddings: Embeddings) -> Iterator[str]:
    settings = indexed_settings.model_copy(
        update={
            "api_keys": [SecretStr(key) for key in KEYS],
            "rate_limit_per_minute": 6,
            "max_question_chars": 300,
            "max_messages": 4,
            "max_top_k": 8,
        }
    )
    with LiveServer(settings, embeddings) as live:
        yield live.url


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_keys_guard_everything_but_health_and_the_page(guarded: str) -> None:
    with httpx.Client(base_url=guarded, timeout=60) as http:
        assert http.get("/health").status_code == 200
        assert http.get("/").status_code == 200
        assert http.get("/static/app.js").status_code == 200
        missing = http.post("/chat", json={"question": "Where were they captured?"})
        assert missing.status_code == 401
        assert "Authorization: Bearer" in missing.json()["detail"]
        assert missing.headers["WWW-Authenticate"].startswith("Bearer")
        wrong = http.get("/sources", headers=bearer("alpha-key-12"))
        assert wrong.status_code == 401 and "not valid" in wrong.json()["detail"]
        assert http.get("/openapi.json").status_code == 401
        assert http.get("/v1/models").json()["error"]["code"] == 401  # OpenAI clients read this
        answer = http.post(
            "/chat", json={"question": "Where were they captured?"}, headers=bearer(KEYS[1])
        )
        assert answer.status_code == 200 and answer.json()["answer"]  # let through, answered
    models = openai.OpenAI(base_url=f"{guarded}/v1", api_key=KEYS[1], max_retries=0).models
    assert models.list().data  # an OpenAI client's api_key is the bearer token
    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=f"{guarded}/v1", api_key="wrong", max_retries=0).models.list()


def test_schema_states_the_key_and_the_configured_limits(guarded: str) -> None:
    schema = httpx.get(f"{guarded}/openapi.json", headers=bearer(KEYS[0])).json()
    assert schema["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    chat = schema["paths"]["/chat"]["post"]
    assert chat["security"] == [{"bearer": []}]
    assert {"401", "413", "422", "429"} <= set(chat["responses"])
    assert "security" not in schema["paths"]["/health"]["get"]
    request = schema["components"]["schemas"]["ChatRequest"]["properties"]
    assert request["question"]["anyOf"][0]["maxLength"] == 300
    assert request["top_k"]["anyOf"][0]["maximum"] == 8


def test_configured_limits_refuse_with_the_setting_to_change(guarded: str) -> None:
    headers = bearer(KEYS[0])
    with httpx.Client(base_url=guarded, timeout=60, headers=headers) as http:
        long = http.post("/chat", json={"question": "why " * 100})
        assert long.status_code == 422 and "FOOTNOTE_MAX_QUESTION_CHARS" in long.json()["detail"]
        chat = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}] * 2
        many = http.post("/chat", json={"messages": [*chat, {"role": "user", "content": "and?"}]})
        assert many.status_code == 422 and "FOOTNOTE_MAX_MESSAGES" in many.json()["detail"]
        deep = http.post("/chat", json={"question": "Who captured them?", "top_k": 9})
        assert deep.status_code == 422 and "FOOTNOTE_MAX_TOP_K" in deep.json()["detail"]


def test_rate_limit_answers_429_with_retry_after_per_key(guarded: str) -> None:
    with httpx.Client(base_url=guarded, timeout=60) as http:
        statuses = [http.get("/sources", headers=bearer(KEYS[1])).status_code for _ in range(8)]
        assert statuses[0] == 200 and statuses[-1] == 429, statuses
        limited = http.get("/sources", headers=bearer(KEYS[1]))
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
        assert "try again" in limited.json()["detail"]
        assert http.get("/health").status_code == 200  # probes are never limited


def test_made_up_tokens_share_their_address_limit(guarded: str) -> None:
    with httpx.Client(base_url=guarded, timeout=60) as http:
        statuses = {
            http.get("/sources", headers=bearer(f"guess-{n}")).status_code for n in range(8)
        }
    assert statuses == {401, 429}  # a new token each time buys no new allowance


def send_until_answered(url: str, head: str, chunks: Iterator[bytes]) -> bytes:
    """Sends a request over a raw socket until the server answers; returns what it answered.

    A client library would insist on sending the whole body first; this shows the server
    refuses while most of the body is still unsent.
    """
    address = urlsplit(url)
    with socket.create_connection((address.hostname, address.port), timeout=30) as sock:
        sock.sendall(head.encode())
        for chunk in chunks:
            if select.select([sock], [], [], 0)[0]:
                break
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
        return sock.recv(65536)


def megabytes(count: int, chunked: bool) -> Iterator[bytes]:
    block = b"x" * (1024 * 1024)
    for _ in range(count):
        yield f"{len(block):x}\r\n".encode() + block + b"\r\n" if chunked else block


def test_oversized_bodies_are_refused_before_being_read(client: httpx.Client) -> None:
    url, before = str(client.base_url), rss_bytes()
    declared = send_until_answered(
        url,
        f"POST /chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {TWENTY_MB}\r\n\r\n",
        megabytes(20, chunked=False),
    )
    assert declared.startswith(b"HTTP/1.1 413"), declared[:200]
    assert b"FOOTNOTE_MAX_BODY_BYTES" in declared
    streamed = send_until_answered(  # no Content-Length: counted as it arrives
        url,
        "POST /chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n",
        megabytes(20, chunked=True),
    )
    assert streamed.startswith(b"HTTP/1.1 413"), streamed[:200]
    assert rss_bytes() - before < TWENTY_MB // 2  # neither body was held whole
    assert client.post("/chat", json={"question": "Who captured them?"}).status_code == 200


@pytest.mark.parametrize(
    "text",
    [
        "Where were they\x00 captured?",  # NUL
        "\u202eWhere were they captured?\u202c",  # right-to-left override
        "Wh\u0435re were they c\u0430ptured?",  # Cyrillic look-alikes
        "Where were they captured? 🪖🇺🇦" * 3,
        "\ufeff\u200b\u200d",  # nothing but invisible characters
        "ＷＨＥＲＥ were they captured？",  # full-width
    ],
)
def test_control_characters_and_odd_unicode_never_break_it(client: httpx.Client, text: str) -> None:
    response = client.post("/chat", json={"question": text})
    assert response.status_code in (200, 422), response.text
    if response.status_code == 200:
        assert response.json()["answer"]


def test_lone_surrogates_in_json_are_refused_cleanly(client: httpx.Client) -> None:
    body = b'{"question": "Where \\ud800 were they captured?"}'
    response = client.post("/chat", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code in (200, 400, 422), response.text
