"""Document text is shown as text: a corpus file with markup runs nothing and fetches nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from langchain_core.embeddings import Embeddings
from playwright.sync_api import Browser, Dialog
from pydantic import SecretStr

from footnote.settings import Settings
from tests.support import CRANE_QUESTION, NAME, TRACKER, LiveServer, hostile_settings


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory, embeddings: Embeddings) -> Iterator[str]:
    settings = hostile_settings(tmp_path_factory.mktemp("hostile-page"), embeddings)
    with LiveServer(settings, embeddings) as live:
        yield live.url


def test_markup_in_a_document_is_shown_never_run(browser: Browser, hostile_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(hostile_url)
    page.fill("#question", CRANE_QUESTION)
    page.keyboard.press("Enter")
    page.wait_for_selector(".msg.assistant .fn", timeout=60_000)
    page.click(".msg.assistant .fn >> nth=0")
    page.wait_for_selector("#viewer-text mark")

    assert page.inner_text("#viewer-file") == NAME
    shown = page.inner_text("#viewer-text")
    assert '<img src=x onerror="window.__pwned=1">' in shown and "<script>" in shown
    assert f"![tracking pixel]({TRACKER})" in shown
    assert "<img" in page.inner_text(".msg.assistant")  # the quote, as text
    assert page.evaluate("() => window.__pwned") is None
    assert page.evaluate("() => document.querySelectorAll('#log img, #viewer img').length") == 0
    assert not [url for url in requests if not url.startswith(hostile_url)], requests
    context.close()


def test_page_asks_for_the_api_key_once_and_sends_it(
    browser: Browser, indexed_settings: Settings, embeddings: Embeddings
) -> None:
    settings = indexed_settings.model_copy(update={"api_keys": [SecretStr("page-key-789")]})
    with LiveServer(settings, embeddings) as live:
        context = browser.new_context()
        page = context.new_page()
        prompts: list[str] = []

        def answer(dialog: Dialog) -> None:
            prompts.append(dialog.message)
            dialog.accept("page-key-789")

        page.on("dialog", answer)
        page.goto(live.url)
        for answered, question in enumerate(
            ("Who captured the soldiers?", "Where were they taken?")
        ):
            page.fill("#question", question)
            page.keyboard.press("Enter")
            page.wait_for_function(  # each answer footnoted before the next question is asked
                "n => [...document.querySelectorAll('.msg.assistant')]"
                ".filter(m => m.querySelector('.fn')).length > n",
                arg=answered,
                timeout=60_000,
            )
        assert prompts == ["This Footnote needs an API key:"]  # asked once, then remembered
        context.close()
