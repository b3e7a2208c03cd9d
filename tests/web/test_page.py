"""The chat page in a real browser: Debian's Chromium, headless, driven by Playwright."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from langchain_core.embeddings import Embeddings
from playwright.sync_api import Browser, Page

from footnote.formats import SUPPORTED_SUFFIXES
from footnote.settings import PROJECT_ROOT, Settings
from tests.support import LiveServer, run_ingest

ARTIFACTS = PROJECT_ROOT / "artifacts"
QUESTION = "How many North Korean soldiers have been killed or wounded?"


@pytest.fixture
def page(browser: Browser, client: httpx.Client) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(str(client.base_url)) else None,
    )
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(str(client.base_url))
    yield page
    assert outside == [], "the page fetched from outside the service"
    assert errors == []
    context.close()


def ask(page: Page, question: str) -> None:
    page.fill("#question", question)
    page.keyboard.press("Enter")


def test_answer_streams_in_and_a_footnote_highlights_its_quote(
    page: Page, client: httpx.Client
) -> None:
    ask(page, QUESTION)
    page.wait_for_selector(".msg.assistant .fn", timeout=60_000)
    expected = client.post("/chat", json={"question": QUESTION}).json()
    first = expected["citations"][0]

    page.click(".msg.assistant .fn >> nth=0")
    mark = page.wait_for_selector("#viewer-text mark")
    assert mark.inner_text() == first["quote"]
    assert page.inner_text("#viewer-file") == first["source"]
    assert mark.is_visible() and page.evaluate(
        "() => { const r = document.querySelector('#viewer-text mark').getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }"
    ), "the highlighted passage is scrolled into view"
    assert "Sources:" in page.inner_text(".msg.assistant .sources")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat.png"))


def test_follow_up_uses_the_conversation_and_new_conversation_clears_it(page: Page) -> None:
    """The conversation survives reloading the page: shown with its footnotes, and still
    what a follow-up is read against."""
    ask(page, "How many North Korean soldiers did South Korea say died?")
    page.wait_for_selector(".msg.assistant .fn", timeout=60_000)
    first = page.inner_text(".msg.assistant")
    page.reload()
    page.wait_for_selector(".msg.assistant .fn")
    assert page.inner_text(".msg.assistant") == first
    ask(page, "And how many were wounded?")
    page.wait_for_selector(".msg.assistant >> nth=1 >> .fn", timeout=60_000)
    assert "2,700" in page.inner_text(".msg.assistant >> nth=1")
    page.click("#new-chat")
    assert page.locator(".msg").count() == 0
    page.reload()
    page.wait_for_selector("#question")
    assert page.locator(".msg").count() == 0


def test_keyboard_alone_opens_a_source(page: Page) -> None:
    ask(page, "What ID card was one of the prisoners carrying?")
    page.wait_for_selector(".msg.assistant .fn", timeout=60_000)
    page.focus(".msg.assistant .fn >> nth=0")
    page.keyboard.press("Enter")
    assert "Tuva" in page.wait_for_selector("#viewer-text mark").inner_text()
    page.keyboard.press("Escape")
    assert page.is_hidden("#viewer")


def test_abstention_looks_different_from_an_answer(page: Page) -> None:
    ask(page, "What is the capital of France?")
    abstained = page.wait_for_selector(".msg.abstained", timeout=60_000)
    assert "does not answer" in abstained.inner_text()
    assert page.locator(".msg.abstained .fn").count() == 0
    assert page.inner_text(".msg.abstained .closest summary") == "Closest passages (not an answer)"
    assert not page.is_visible(".msg.abstained .closest button")  # folded until asked for
    page.click(".msg.abstained .closest summary")
    quote = page.inner_text(".msg.abstained .closest button >> nth=0").strip("“”")
    page.click(".msg.abstained .closest button >> nth=0")
    mark = page.wait_for_selector("#viewer-text mark")
    assert " ".join(mark.inner_text().split()) == quote
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "refusal.png"))


def test_phone_width_has_no_sideways_scrolling(page: Page) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    ask(page, QUESTION)
    page.wait_for_selector(".msg.assistant .fn", timeout=60_000)
    page.click(".msg.assistant .fn >> nth=0")
    page.wait_for_selector("#viewer-text mark")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360
    page.screenshot(path=str(ARTIFACTS / "chat-phone.png"))


def test_errors_show_as_a_message_and_an_empty_index_is_explained(
    browser: Browser, tmp_path: Path, embeddings: Embeddings
) -> None:
    empty = Settings(
        corpus_dir=tmp_path, chroma_dir=tmp_path / "chroma", max_question_chars=12, _env_file=None
    )
    with LiveServer(empty, embeddings) as server:
        page = browser.new_page()
        page.goto(server.url)
        ask(page, "A question far too long for this server")
        error = page.wait_for_selector(".msg.error", timeout=30_000)
        assert "FOOTNOTE_MAX_QUESTION_CHARS" in error.inner_text()
        ask(page, "Anything?")
        answer = page.wait_for_selector(".msg.assistant:has-text('footnote ingest')")
        assert answer is not None and "POST /documents" in answer.inner_text()
        page.close()


def test_documents_panel_uploads_lists_and_deletes(
    browser: Browser, tmp_path: Path, embeddings: Embeddings
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(PROJECT_ROOT / "data" / "corpus", corpus)
    settings = Settings(corpus_dir=corpus, chroma_dir=tmp_path / "chroma", _env_file=None)
    run_ingest(settings, embeddings)
    note = tmp_path / "giraffe.md"
    note.write_text("# Zoo news\n## Giraffes\nThe Kyiv zoo welcomed a baby giraffe named Olha.\n")
    with LiveServer(settings, embeddings) as server:
        page = browser.new_page()
        page.goto(server.url)
        page.click("#show-library")
        page.wait_for_selector("#documents li")
        page.set_input_files("#upload", str(note))
        page.wait_for_selector("text=giraffe.md · markdown")
        assert "added 1" in page.inner_text("#library-status")
        ask(page, "What is the baby giraffe called?")
        page.wait_for_selector(".msg.assistant .fn", timeout=60_000)
        assert "Olha" in page.inner_text(".msg.assistant")
        page.click(".msg.assistant .fn >> nth=0")  # the viewer names the quote's section
        page.wait_for_selector("#viewer-text mark")
        assert page.inner_text("#viewer-title") == "Zoo news › Giraffes"
        page.click("#show-library")  # the viewer took its place
        page.click("button[aria-label='Delete giraffe.md']")
        page.wait_for_selector("text=Deleted giraffe.md.")
        assert page.locator("text=giraffe.md · markdown").count() == 0
        page.close()


def test_ticked_documents_are_the_only_ones_asked_until_cleared(page: Page) -> None:
    """Four outlets give a figure for the force; ticking one leaves only it to quote."""
    one = "002_45a7327db3fb7a4e.txt"
    page.click("#show-library")
    page.check(f"input[aria-label='Ask only ticked documents: {one}']")
    assert page.inner_text("#scope-text") == f"Asking only {one}."
    page.click("#library-close")
    ask(page, "How many North Korean troops were sent to Russia?")
    page.wait_for_selector(".msg.assistant .sources li", timeout=60_000)
    cited = page.locator(".msg.assistant .sources li").all_inner_texts()
    assert cited and all(text.endswith(f"({one})") for text in cited)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat-scoped.png"))

    page.click("#scope-clear")
    assert page.locator("#scope").is_hidden()
    ask(page, "How many North Korean troops were sent to Russia?")
    page.wait_for_selector(".msg.assistant >> nth=1 >> .sources li", timeout=60_000)
    assert page.locator(".msg.assistant >> nth=1 >> .sources li").count() > 1


def test_the_upload_picker_offers_every_format_footnote_reads() -> None:
    page = (PROJECT_ROOT / "api" / "static" / "index.html").read_text(encoding="utf-8")
    accepted = re.search(r'accept="([^"]+)"', page)
    assert accepted and set(accepted.group(1).split(",")) == SUPPORTED_SUFFIXES
