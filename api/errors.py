"""Turns every failure into an RFC 9457 ``application/problem+json`` response.

The error classes themselves live in :mod:`footnote.errors`, shared with the command line; this
module only decides how they look over HTTP, so routes never build error responses by hand.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from api.schemas import NOT_BLANK, OpenAIError, Problem
from footnote.errors import FootnoteError

log = logging.getLogger("footnote.api")

PROBLEM_JSON = "application/problem+json"
UNREADABLE = "The request body could not be read: send UTF-8 JSON (multipart for uploads)."
TOO_LARGE = (
    "The request body is larger than this server accepts: send less, or ask its operator to "
    "raise FOOTNOTE_MAX_BODY_BYTES (FOOTNOTE_MAX_UPLOAD_BYTES per uploaded document)."
)


def problem(
    request: Request, status: int, title: str, detail: str, retryable: bool | None = None
) -> JSONResponse:
    body = Problem(title=title, status=status, detail=detail, retryable=retryable or None)
    if request.url.path.startswith("/v1/"):
        body.error = OpenAIError(message=detail, type=title, code=status)
    return JSONResponse(
        body.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM_JSON
    )


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path; Starlette's 405 names only one route's."""
    methods: set[str] = set()
    for route in request.app.routes:
        if isinstance(route, APIRoute) and route.matches(request.scope)[0] is not Match.NONE:
            methods |= route.methods or set()
    return sorted(methods)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses a route can return, so the schema is honest."""
    return {
        status: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": "Problem"}
        for status in statuses
    }


def _describe(error: dict[str, Any]) -> str:
    if error.get("type") == "json_invalid":
        return "the body is not valid JSON"
    where = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    if error.get("type") == "string_pattern_mismatch" and error["ctx"]["pattern"] == NOT_BLANK:
        message = "empty or only spaces: send some text"
    return f"{where}: {message}" if where else message


def install(app: FastAPI) -> None:
    @app.exception_handler(FootnoteError)
    async def footnote_error(request: Request, error: FootnoteError) -> JSONResponse:
        return problem(request, error.status, error.title, str(error), error.retryable)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        detail = "; ".join(_describe(e) for e in error.errors())
        return problem(request, 422, "Invalid request", f"{detail}. See the API schema at /docs.")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        if error.status_code == 413:
            return problem(request, 413, "Content too large", TOO_LARGE)
        if error.status_code == 400:
            return problem(request, 400, "Unreadable body", UNREADABLE)
        response = problem(request, error.status_code, "HTTP error", str(error.detail))
        response.headers.update(error.headers or {})
        if error.status_code == 405:
            response.headers["Allow"] = ", ".join(allowed_methods(request))
        return response

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=error)
        detail = "Footnote failed unexpectedly; see the server log."
        return problem(request, 500, "Internal error", detail)
