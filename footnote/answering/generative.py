"""LLM answers through LangChain: numbered sources in, a footnoted answer out, then checked.

The same ranking and answerability steps as the extractive mode run first
(:mod:`footnote.answering.ranking`): when the corpus does not hold the answer no model is
asked, so no model can invent one. Sources enter the prompt
fenced as data (``<source>`` blocks, with any look-alike tags in the text defused), and the
system prompt says instructions inside them are not to be followed. Whatever comes back goes
through :mod:`footnote.answering.citations` before anyone sees it as sourced.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence
from dataclasses import replace

import httpx
from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from footnote.answering import citations
from footnote.answering.base import Answer, Answerer, Evidence
from footnote.answering.ranking import Ranker
from footnote.answering.render import abstain
from footnote.errors import BackendTimeout, BackendUnavailable, FootnoteError
from footnote.rewrite import Turn
from prompts import load_prompt

MAX_REWRITE_CHARS = 300


def fence(text: str) -> str:
    """Source text as inert data: no tag inside it can close or open a source block, and no
    chat-template token (``<|im_start|>system``) can open a new turn for the model."""
    for token, inert in (
        ("<source", "‹source"),
        ("</source", "‹/source"),
        ("<|", "‹|"),
        ("|>", "|›"),
    ):
        text = text.replace(token, inert)
    return text


def attribute(value: str) -> str:
    """A file name, title or heading as a ``<source>`` attribute's value, on one line. It comes
    from the document (an uploaded file's name, its headings), so it is escaped as XML: no
    quote in it can end the value, no tag or chat-template token (``<|``) can open a block."""
    return html.escape(" ".join(value.split()), quote=True)


def format_sources(evidence: Evidence) -> str:
    """The numbered ``<source>`` blocks of the prompt. Each names its file, its document's
    title and the section it starts in: a passage out of a manual often does not say what it
    is about ("Returns the number of bytes written."); the heading above it does."""
    template = load_prompt("source.txt")
    return "\n".join(
        template.format(
            number=n,
            source=attribute(passage.source),
            title=attribute(passage.title),
            section=attribute(passage.section_at(passage.start)),
            text=fence(passage.text),
        )
        for n, passage in enumerate((hit.passage for hit in evidence.passages), start=1)
    )


def _timed_out(error: BaseException | None) -> bool:
    """Whether a timeout caused the error: the client libraries wrap the socket's own
    (``openai.APITimeoutError`` is raised from ``httpx.TimeoutException``)."""
    while error is not None:
        if isinstance(error, TimeoutError | httpx.TimeoutException):
            return True
        error = error.__cause__ or error.__context__
    return False


def backend_error(error: Exception) -> FootnoteError:
    """One clear error for whatever the client library raised."""
    if isinstance(error, FootnoteError):
        return error
    name = type(error).__name__
    if _timed_out(error):
        return BackendTimeout(f"The language model did not answer in time ({name}). Retry later.")
    return BackendUnavailable(
        f"The language model backend failed ({name}: {str(error)[:200]}). Check that it is "
        "running and reachable, or use mode `extractive`."
    )


class GenerativeAnswerer(Answerer):
    """Answers with a chat model; ``mode`` names it in responses."""

    def __init__(
        self,
        model: BaseChatModel,
        ranker: Ranker,
        embeddings: Embeddings,
        mode: str,
        support: citations.Support,
    ):
        self.model = model
        self.ranker = ranker
        self.support = support
        self.embeddings = embeddings
        self.mode = mode
        prompt = ChatPromptTemplate.from_messages(
            [("system", load_prompt("system.md")), ("human", load_prompt("answer.md"))]
        )
        self.chain = prompt | model | StrOutputParser()
        rewrite = ChatPromptTemplate.from_messages([("human", load_prompt("rewrite.md"))])
        self.rewrite_chain = rewrite | model | StrOutputParser()

    def stream(self, evidence: Evidence) -> Iterator[str | Answer]:
        ranking = self.ranker.rank(evidence)
        confidence = round(ranking.confidence, 4)
        if ranking.refusal:
            refused = abstain(self.mode, ranking.refusal, ranking.sentences, evidence.scope)
            answer = replace(refused, confidence=confidence)
            yield answer.text
            yield answer
            return
        pieces: list[str] = []
        try:
            for piece in self.chain.stream(
                {"sources": format_sources(evidence), "question": evidence.query}
            ):
                pieces.append(piece)
                yield piece
        except Exception as error:
            raise backend_error(error) from error
        text = "".join(pieces).strip()
        if not text or text.startswith(load_prompt("refusal.txt")):
            refused = abstain(self.mode, ranked=ranking.sentences, scope=evidence.scope)
            yield replace(refused, confidence=confidence)
            return
        checked = citations.check(text, evidence, self.embeddings, self.mode, self.support)
        yield replace(checked, confidence=confidence)

    def rewrite(self, turns: Sequence[Turn], fallback: str) -> str:
        """A standalone question from the model, or ``fallback`` if it gives nothing usable."""
        history = "\n".join(f"{t.role}: {t.content}" for t in turns[:-1] if t.role != "system")
        try:
            text = self.rewrite_chain.invoke({"history": history, "question": turns[-1].content})
        except Exception as error:
            raise backend_error(error) from error
        line = text.strip().splitlines()[0].strip(" \"'") if text.strip() else ""
        return line if 0 < len(line) <= MAX_REWRITE_CHARS else fallback
