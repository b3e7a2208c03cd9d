"""How eval reaches Footnote: the same two interfaces a user has, in-process or over HTTP.

Both return the chat answer and the passages retrieval ranked for the answer's standalone
query, so retrieval and answers are measured from one run.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

import httpx

from footnote.errors import BackendUnavailable
from footnote.rewrite import Turn
from footnote.service import Footnote


@dataclass(frozen=True)
class Retrieved:
    source: str
    start: int
    end: int


@dataclass
class Reply:
    """One question's outcome as eval sees it."""

    answer: str
    abstained: bool
    citations: list[dict[str, Any]]
    query: str
    retrieved: list[Retrieved]
    seconds: float
    extra: dict[str, Any] = field(default_factory=dict)
    confidence: float | None = None  # the answer model's, where the reply gives one
    closest: list[dict[str, Any]] = field(default_factory=list)  # a refusal's nearest sentences


class FootnoteClient(ABC):
    @abstractmethod
    def chat(self, messages: list[dict[str, str]], top_k: int) -> Reply:
        """Ask, time the answer, then fetch the passages its query retrieves."""

    @abstractmethod
    def source_text(self, name: str) -> str:
        """A source file's text, to locate evidence quotes."""


class InProcessClient(FootnoteClient):
    def __init__(self, footnote: Footnote):
        self.footnote = footnote

    def chat(self, messages: list[dict[str, str]], top_k: int) -> Reply:
        turns = [Turn(m["role"], m["content"]) for m in messages]
        started = time.perf_counter()
        answer = self.footnote.ask(turns, top_k)
        seconds = time.perf_counter() - started
        hits = answer.passages  # what search(answer.query, top_k) returns, without asking again
        return Reply(
            answer=answer.text,
            abstained=answer.abstained,
            citations=[vars(c) for c in answer.citations],
            query=answer.query,
            retrieved=[Retrieved(h.passage.source, h.passage.start, h.passage.end) for h in hits],
            seconds=seconds,
            confidence=answer.confidence,
            closest=[vars(c) for c in answer.closest],
        )

    def source_text(self, name: str) -> str:
        return self.footnote.source_text(name)


class HttpClient(FootnoteClient):
    """Evaluates a running deployment through its public API."""

    def __init__(
        self,
        url: str,
        mode: str | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 300,
    ):
        self.http = httpx.Client(base_url=url, headers=headers, timeout=timeout)
        self.mode = mode
        self._texts: dict[str, str] = {}

    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = self.http.request(method, path, **kwargs)
        except httpx.HTTPError as error:
            raise BackendUnavailable(f"Cannot reach {self.http.base_url}: {error}") from None
        if response.status_code >= 400:
            raise BackendUnavailable(
                f"{method} {path} answered {response.status_code}: {response.text[:300]}"
            )
        return response.json()

    def chat(self, messages: list[dict[str, str]], top_k: int) -> Reply:
        started = time.perf_counter()
        request = {"messages": messages, "top_k": top_k, "mode": self.mode}
        body = self._request("POST", "/chat", json=request)
        seconds = time.perf_counter() - started
        hits = self._request("GET", "/search", params={"q": body["query"], "k": top_k})["hits"]
        return Reply(
            answer=body["answer"],
            abstained=body["abstained"],
            citations=body["citations"],
            query=body["query"],
            retrieved=[Retrieved(h["source"], h["start"], h["end"]) for h in hits],
            seconds=seconds,
            confidence=body.get("confidence"),
            closest=body.get("closest", []),
        )

    def source_text(self, name: str) -> str:
        if name not in self._texts:
            self._texts[name] = str(self._request("GET", f"/sources/{name}")["text"])
        return self._texts[name]
