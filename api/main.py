"""The FastAPI application: ``uvicorn api.main:create_app --factory`` or ``footnote serve``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from langchain_core.embeddings import Embeddings
from starlette.concurrency import run_in_threadpool

from api import errors, guards, memory, openapi, page, request_log
from api.routes import chat, documents, health, openai_compat, search, sources
from api.throttle import Throttled
from footnote import __version__
from footnote.embeddings import load_embeddings
from footnote.service import Footnote
from footnote.settings import Settings
from ingest.library import Library


def create_app(settings: Settings | None = None, embeddings: Embeddings | None = None) -> FastAPI:
    """Build the app; the model and the index load once, in the lifespan, never per request.

    ``embeddings`` lets a caller that already loaded the model (tests, eval) share it.
    """
    settings = settings or Settings()
    request_log.configure(settings)
    memory.limit_malloc_arenas()  # before the threadpool's threads allocate

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        model = embeddings
        if model is None:
            model = await run_in_threadpool(load_embeddings, settings)
        app.state.footnote = await run_in_threadpool(Footnote.open, settings, Throttled(model))
        app.state.library = Library(app.state.footnote)  # one, so its write lock is shared
        yield

    app = FastAPI(
        title="Footnote",
        version=__version__,
        summary="Answers from your documents, every claim footnoted to its source passage.",
        lifespan=lifespan,
    )
    errors.install(app)
    for module in (chat, search, sources, documents, health, openai_compat):
        app.include_router(module.router)
    page.install(app, settings)
    install_guards(app, settings)
    app.add_middleware(request_log.RequestLog)  # outermost: every answer is logged, 429s too
    return app


def install_guards(app: FastAPI, settings: Settings) -> None:
    """Outermost first: the rate limit (so floods without a key are limited too), API keys,
    then the body limit; all stated in the OpenAPI schema with the configured request limits."""
    upload_limit = documents.request_limit(settings)
    app.add_middleware(guards.BodyLimit, limit=settings.max_body_bytes, upload_limit=upload_limit)
    keys = [key.get_secret_value() for key in settings.api_keys]
    if keys:
        app.add_middleware(guards.ApiKeys, keys=keys)
    if settings.rate_limit_per_minute:
        app.add_middleware(guards.RateLimit, per_minute=settings.rate_limit_per_minute, keys=keys)
    plain_openapi = app.openapi

    def stated_openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = openapi.document(plain_openapi(), settings)
            app.openapi_schema = guards.document(
                schema, bool(settings.api_keys), bool(settings.rate_limit_per_minute)
            )
        return app.openapi_schema

    app.openapi = stated_openapi  # type: ignore[method-assign]
