"""Who may call the API, how often, and with how much: API keys, a per-client rate limit and
a body-size limit.

All are plain ASGI middleware in front of every route, so a request without a valid key, over
its client's limit or with too large a body is refused before its body is read whole or any
model runs (uvicorn itself sets no body limit). ``/health`` and
the chat page's static files stay open: a load balancer must be able to probe the service, and
the page asks for a key itself.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import threading
import time
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import PROBLEM_JSON, TOO_LARGE, problem

OPEN_PATHS = frozenset({"/", "/health", "/favicon.ico"})
OPEN_PREFIXES = ("/static/",)
MAX_CLIENTS = 10_000  # buckets kept before idle ones are dropped


def is_open(path: str) -> bool:
    return path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)


def bearer_token(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token.strip() if scheme.lower() == "bearer" else None
    return None


def key_matches(token: str | None, keys: list[bytes]) -> bool:
    """Whether ``token`` is one of ``keys``, comparing every key in constant time, so timing
    reveals neither a key nor its position."""
    given = (token or "").encode()
    matches = [hmac.compare_digest(given, key) for key in keys]  # no short circuit
    return any(matches)


def client_identity(scope: Scope, keys: list[bytes]) -> str:
    """A valid key's fingerprint (one limit per key, wherever it calls from), else the client's
    address: made-up tokens must not buy a fresh limit each."""
    token = bearer_token(scope)
    if token and key_matches(token, keys):
        return "key:" + hashlib.sha256(token.encode()).hexdigest()[:16]
    client = scope.get("client")
    return f"addr:{client[0]}" if client else "addr:unknown"


class ApiKeys:
    """Refuses every non-open request without ``Authorization: Bearer <one of the keys>``."""

    def __init__(self, app: ASGIApp, keys: list[str]):
        self.app = app
        self.keys = [key.encode() for key in keys]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or is_open(scope["path"])
            or key_matches(bearer_token(scope), self.keys)
        ):
            await self.app(scope, receive, send)
            return
        detail = (
            "This Footnote needs an API key: send the header `Authorization: Bearer <key>` "
            "with one of the keys in FOOTNOTE_API_KEYS."
            if bearer_token(scope) is None
            else "The API key is not valid: check it against FOOTNOTE_API_KEYS."
        )
        response = problem(Request(scope), 401, "Unauthorized", detail)
        response.headers["WWW-Authenticate"] = 'Bearer realm="footnote"'
        await response(scope, receive, send)


@dataclass
class _Bucket:
    tokens: float
    updated: float


class TokenBuckets:
    """``per_minute`` requests a minute per client, with bursts up to the same number."""

    def __init__(self, per_minute: int):
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.buckets: dict[str, _Bucket] = {}
        self.lock = threading.Lock()

    def take(self, client: str, now: float | None = None) -> float:
        """Takes one request's token; returns 0, or the seconds until one is free."""
        now = time.monotonic() if now is None else now
        with self.lock:
            if len(self.buckets) >= MAX_CLIENTS:
                self._forget_idle(now)
            bucket = self.buckets.setdefault(client, _Bucket(self.capacity, now))
            bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / self.rate

    def _forget_idle(self, now: float) -> None:
        full = self.capacity / self.rate
        self.buckets = {c: b for c, b in self.buckets.items() if now - b.updated < full}


class RateLimit:
    """Answers 429 with ``Retry-After`` once a client has used up its requests."""

    def __init__(self, app: ASGIApp, per_minute: int, keys: list[str]):
        self.app = app
        self.buckets = TokenBuckets(per_minute)
        self.keys = [key.encode() for key in keys]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_open(scope["path"]):
            await self.app(scope, receive, send)
            return
        wait = self.buckets.take(client_identity(scope, self.keys))
        if not wait:
            await self.app(scope, receive, send)
            return
        retry = max(1, math.ceil(wait))
        detail = f"Too many requests from this client: try again in {retry} s."
        response = problem(Request(scope), 429, "Too many requests", detail)
        response.headers["Retry-After"] = str(retry)
        await response(scope, receive, send)


class BodyLimit:
    """413 for a body over the limit: at once when its Content-Length says so, else as soon as
    the bytes received pass it. Uploads to ``/documents`` have their own, larger limit."""

    def __init__(self, app: ASGIApp, limit: int, upload_limit: int):
        self.app = app
        self.limit, self.upload_limit = limit, upload_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.upload_limit if scope["path"].startswith("/documents") else self.limit
        declared = dict(scope.get("headers", ())).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > limit:
            detail = TOO_LARGE if declared.isdigit() else "The Content-Length header is invalid."
            await problem(Request(scope), 413, "Content too large", detail)(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise HTTPException(413)  # answered by api.errors as a problem
            return message

        await self.app(scope, counted, send)


def _problem_response(description: str) -> dict[str, Any]:
    schema = {"$ref": "#/components/schemas/Problem"}
    return {"description": description, "content": {PROBLEM_JSON: {"schema": schema}}}


def document(schema: dict[str, Any], keys: bool, rate_limited: bool) -> dict[str, Any]:
    """States the guards in the OpenAPI schema: the bearer scheme, 401, 413 and 429."""
    if keys:
        schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
        schemes["bearer"] = {"type": "http", "scheme": "bearer"}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            answers = operation.setdefault("responses", {})
            if method in ("post", "put", "patch"):
                answers.setdefault("400", _problem_response("The body could not be read."))
                answers.setdefault("413", _problem_response("The request body is too large."))
            if is_open(path):
                continue
            if keys:
                operation["security"] = [{"bearer": []}]
                answers.setdefault("401", _problem_response("No API key, or not a valid one."))
            if rate_limited:
                answers.setdefault("429", _problem_response("Too many requests; see Retry-After."))
    return schema
