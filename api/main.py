"""The FastAPI application: ``uvicorn api.main:create_app --factory`` or ``footnote serve``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from langchain_core.embeddings import Embeddings
from starlette.concurrency import run_in_threadpool

from api import errors, page
from api.library import Library
from api.routes import chat, documents, health, openai_compat, search, sources
from api.service import Footnote
from footnote import __version__
from footnote.settings import Settings


def create_app(settings: Settings | None = None, embeddings: Embeddings | None = None) -> FastAPI:
    """Build the app; the model and the index load once, in the lifespan, never per request.

    ``embeddings`` lets a caller that already loaded the model (tests, eval) share it.
    """
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.footnote = await run_in_threadpool(Footnote.open, settings, embeddings)
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
    return app
