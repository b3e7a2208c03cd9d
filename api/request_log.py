"""One log line per request, with a request id, its latency and the answer mode.

The id comes from the client's ``X-Request-ID`` when it sends a sane one (so a proxy's id
follows the request through), else a fresh one; it is echoed in the response header and
attached to every log record written while the request runs. ``FOOTNOTE_LOG_FORMAT=json``
writes each record as one JSON object, for log collectors.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
import uuid
from contextvars import ContextVar
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from footnote.settings import Settings

log = logging.getLogger("footnote.requests")
request_id: ContextVar[str] = ContextVar("request_id", default="-")
_SANE_ID = re.compile(r"^[\w.:-]{1,100}$")
_RECORD_FIELDS = frozenset(vars(logging.makeLogRecord({})))


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """A record as one JSON object: time, level, logger, message, request id, extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(
            (key, value) for key, value in vars(record).items() if key not in _RECORD_FIELDS
        )
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure(settings: Settings) -> None:
    """Footnote's loggers write to stderr, as text or JSON, each record with its request id."""
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(
        JsonFormatter()
        if settings.log_format == "json"
        else logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(message)s")
    )
    logger = logging.getLogger("footnote")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


class RequestLog:
    """Times each HTTP request and logs it once it is answered (streams: once they end)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = _header(scope, b"x-request-id")
        rid = given if given and _SANE_ID.match(given) else uuid.uuid4().hex[:16]
        token = request_id.set(rid)
        started, status = time.perf_counter(), 500

        async def tagged(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [*message.get("headers", []), (b"x-request-id", rid.encode())]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, tagged)
        finally:
            mode = scope.get("state", {}).get("mode")
            latency = round((time.perf_counter() - started) * 1000, 1)
            log.info(
                "%s %s %d %.1f ms%s",
                scope["method"],
                scope["path"],
                status,
                latency,
                f" mode={mode}" if mode else "",
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "latency_ms": latency,
                    "mode": mode,
                    "client": (scope.get("client") or ("-",))[0],
                    "pid": os.getpid(),  # which worker, when uvicorn runs several
                },
            )
            request_id.reset(token)
