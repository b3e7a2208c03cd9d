"""Managing documents over the API, with real files of every format made here."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import docx
import httpx
import pytest
from langchain_core.embeddings import Embeddings
from PIL import Image

from footnote.settings import Settings
from tests.support import (
    BUNDLED_CORPUS,
    LiveServer,
    indexed_copy,
    pdf_bytes,
    photo,
    run_ingest,
    saved,
)

DOCUMENTS = Path(__file__).parents[1] / "documents"


def docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# long enough that the PDF's text layer wraps it over lines: the quote is still the sentence
BRIDGE = (
    "Built by a consortium of three Czech firms over ten years of work, the Vltava bridge is "
    "312 metres long and carries four lanes of traffic and two tram lines across the river. "
    "It replaced a timber crossing."
)

HTML = b"""<html><head><title>Kyiv zoo news</title><style>p{color:red}</style>
<script>document.write('SCRIPT TEXT')</script></head><body>
<nav>Home | Sections | Subscribe</nav>
<main><h1>Kyiv zoo news</h1>
<p>The Kyiv zoo welcomed a baby giraffe named <a href="/olha">Olha</a> on Tuesday.</p>
<table><tr><th>Animal</th><th>Born</th><th>Weight at birth</th></tr>
<tr><td>Giraffe</td><td>Tuesday</td><td>52 kilograms</td></tr>
<tr><td>Zebra</td><td>2 April</td><td>31 kilograms</td></tr></table></main>
<footer>Copyright footer text</footer></body></html>"""


@pytest.fixture
def server(tmp_path: Path, embeddings: Embeddings) -> Iterator[tuple[httpx.Client, Settings]]:
    corpus = tmp_path / "corpus"
    shutil.copytree(BUNDLED_CORPUS, corpus)
    settings = Settings(
        corpus_dir=corpus, chroma_dir=tmp_path / "chroma", max_upload_bytes=200_000, _env_file=None
    )
    run_ingest(settings, embeddings)
    with (
        LiveServer(settings, embeddings) as live,
        httpx.Client(base_url=live.url, timeout=120) as http,
    ):
        yield http, settings


def ask(http: httpx.Client, question: str) -> dict:
    return http.post("/chat", json={"question": question}).json()


def test_upload_every_format_then_ask_and_get_cited(server: tuple[httpx.Client, Settings]) -> None:
    http, settings = server
    files = [
        (
            "files",
            (
                "bridge.pdf",
                pdf_bytes("The Vltava bridge opened in 1998.", BRIDGE),
                "application/pdf",
            ),
        ),
        ("files", ("zoo.html", HTML, "text/html")),
        (
            "files",
            (
                "orchard.docx",
                docx_bytes("Orchard report", "The orchard grows 40 kinds of pear."),
                "application/octet-stream",
            ),
        ),
        (
            "files",
            (
                "notes.md",
                b"# Lab notes\nThe centrifuge spins at 9000 rpm.\n\n## Setup\n"
                b"Install the lab logger with pip:\n\n```\npip install lablog\n```\n",
                "text/markdown",
            ),
        ),
    ]
    response = http.post("/documents", files=files)
    assert response.status_code == 201, response.text
    assert sorted(response.json()["added"]) == [
        "bridge.pdf",
        "notes.md",
        "orchard.docx",
        "zoo.html",
    ]

    listed = {d["name"]: d for d in http.get("/documents").json()}
    assert listed["bridge.pdf"]["format"] == "pdf" and listed["zoo.html"]["format"] == "html"
    assert listed["orchard.docx"]["passages"] >= 1 and listed["notes.md"]["size"] > 0

    body = ask(http, "How long is the Vltava bridge?")
    assert "312" in body["answer"] and "\n" not in body["answer"]
    citation = body["citations"][0]
    assert citation["source"] == "bridge.pdf" and citation["page"] == 2
    text = http.get("/sources/bridge.pdf").json()["text"]
    assert text[citation["start"] : citation["end"]] == citation["quote"]
    assert "\n" in citation["quote"]  # wrapped in the PDF, whole in the citation
    assert " ".join(citation["quote"].split()) == BRIDGE.split(". ")[0] + "."

    zoo = http.get("/sources/zoo.html").json()["text"]
    assert "Olha" in zoo
    for chrome in ("SCRIPT TEXT", "Subscribe", "Copyright footer", "color:red"):
        assert chrome not in zoo
    giraffe = ask(http, "What is the baby giraffe called?")["citations"][0]
    assert giraffe["source"] == "zoo.html"
    assert giraffe["quote"] == "The Kyiv zoo welcomed a baby giraffe named Olha on Tuesday."
    zebra = ask(http, "How much did the zebra weigh at birth?")["citations"][0]
    assert zebra["quote"] == "Animal: Zebra | Born: 2 April | Weight at birth: 31 kilograms"
    assert "40 kinds" in ask(http, "How many kinds of pear does the orchard grow?")["answer"]
    install = ask(http, "How do I set up the lab logger?")["citations"][0]  # the command too
    assert install["quote"] == "Install the lab logger with pip:\npip install lablog"
    assert install["section"] == "Setup"  # under "## Setup"; "# Lab notes" is the title
    assert citation["section"] == ""  # a PDF marks no headings
    assert (settings.corpus_dir / "bridge.pdf").is_file()


def test_upload_office_formats_and_tables_then_ask_them(
    server: tuple[httpx.Client, Settings],
) -> None:
    """A deck, an OpenDocument text and an e-book as pandoc writes them, and a CSV table; the
    three hold one report, so each question names the document it is for."""
    http, _ = server
    files = [("files", (p.name, p.read_bytes())) for p in sorted(DOCUMENTS.glob("harbour.*"))]
    rainfall = "Station,Rainfall (mm)\nOslo,763\nBergen,2250\n"
    files.append(("files", ("rainfall.csv", rainfall.encode())))
    response = http.post("/documents", files=[f for f in files if f[1][0] != "harbour.md"])
    assert response.status_code == 201, response.text
    formats = {d["name"]: d["format"] for d in http.get("/documents").json()}
    assert [formats[n] for n in ("harbour.odt", "harbour.pptx", "harbour.epub")] == [
        "odt",
        "pptx",
        "epub",
    ]

    question = "How much was the contractor's penalty for the delay?"
    for name, page in (("harbour.pptx", 2), ("harbour.odt", None), ("harbour.epub", None)):
        body = http.post("/chat", json={"question": question, "sources": [name]}).json()
        cited = body["citations"][0]
        assert "120,000 euros" in body["answer"] and cited["source"] == name
        assert cited["page"] == page  # a slide is a page; the speaker notes are on it
        assert cited["section"] == "Construction"
    rain = ask(http, "How much rain falls in Bergen?")["citations"][0]
    assert rain["quote"] == "Station: Bergen | Rainfall (mm): 2250"


def test_replace_removes_the_old_text_from_answers(server: tuple[httpx.Client, Settings]) -> None:
    http, _ = server
    http.post(
        "/documents", files=[("files", ("bridge.md", b"# Bridge\nThe bridge is painted green.\n"))]
    )
    assert "green" in ask(http, "What colour is the bridge painted?")["answer"]
    response = http.put(
        "/documents/bridge.md", files={"file": ("x", b"# Bridge\nThe bridge is painted blue.\n")}
    )
    assert response.status_code == 200 and response.json()["replaced"] == ["bridge.md"]
    answer = ask(http, "What colour is the bridge painted?")["answer"]
    assert "blue" in answer and "green" not in answer


def test_delete_removes_from_sources_and_answers(server: tuple[httpx.Client, Settings]) -> None:
    http, settings = server
    http.post("/documents", files=[("files", ("zoo.html", HTML))])
    assert http.delete("/documents/zoo.html").status_code == 204
    assert "zoo.html" not in [s["source"] for s in http.get("/sources").json()]
    assert http.get("/sources/zoo.html").status_code == 404
    assert not (settings.corpus_dir / "zoo.html").exists()
    assert all(
        c["source"] != "zoo.html"
        for c in ask(http, "What is the baby giraffe called?")["citations"]
    )
    assert http.delete("/documents/zoo.html").status_code == 404


def test_upload_a_photo_of_a_page_then_ask_it(server: tuple[httpx.Client, Settings]) -> None:
    http, _ = server
    notice = "Every weekday morning the harbour ferry leaves the north pier at 7:40."
    response = http.post(
        "/documents", files=[("files", ("notice.jpg", saved(photo(notice), "JPEG")))]
    )
    assert response.status_code == 201, response.text
    assert {d["name"]: d["format"] for d in http.get("/documents").json()}[
        "notice.jpg"
    ] == "picture"
    citation = ask(http, "What time does the harbour ferry leave on weekdays?")["citations"][0]
    assert citation["source"] == "notice.jpg" and citation["quote"] == notice
    assert citation["page"] == 1


@pytest.mark.parametrize(
    ("name", "data", "status", "says"),
    [
        ("big.txt", b"word " * 50_000, 413, "FOOTNOTE_MAX_UPLOAD_BYTES"),
        ("tool.exe", b"MZ binary", 415, "not a supported format"),
        ("minutes.doc", b"\xd0\xcf\x11\xe0 Word 97-2003", 415, "save it as .docx"),
        ("broken.pdf", b"%PDF-1.4 this is not really a pdf", 422, "PDF"),
        ("odd.pdf", pdf_bytes("x").replace(b"/Flate", b"/Flote"), 422, "NotImplementedError"),
        ("deck.pptx", b"PK\x03\x04 not really a deck", 422, "not a zip archive"),
        ("logo.png", saved(Image.new("RGB", (120, 40), "navy"), "PNG"), 422, "too small"),
        ("empty.md", b"   \n", 422, "no text"),
        ("../escape.txt", b"sneaky text", 422, "plain file name"),
        (".hidden.txt", b"sneaky text", 422, "plain file name"),
        ("sub/dir.txt", b"sneaky text", 422, "plain file name"),
    ],
)
def test_bad_uploads_get_a_clear_error_and_change_nothing(
    server: tuple[httpx.Client, Settings], name: str, data: bytes, status: int, says: str
) -> None:
    http, settings = server
    before_files = sorted(p.name for p in settings.corpus_dir.rglob("*"))
    before_sources = http.get("/sources").json()
    response = http.post("/documents", files=[("files", (name, data))])
    assert response.status_code == status, response.text
    assert says in response.json()["detail"]
    assert sorted(p.name for p in settings.corpus_dir.rglob("*")) == before_files
    assert http.get("/sources").json() == before_sources
    assert not (settings.corpus_dir.parent / "escape.txt").exists()


def test_posting_an_existing_name_is_a_conflict(server: tuple[httpx.Client, Settings]) -> None:
    http, _ = server
    name = "001_694d548595b5fff0.txt"
    response = http.post("/documents", files=[("files", (name, b"overwrite attempt"))])
    assert response.status_code == 409 and "PUT" in response.json()["detail"]
    assert "Tuva" in http.get(f"/sources/{name}").json()["text"]


def test_a_server_on_an_index_of_another_folder_writes_nowhere(
    tmp_path: Path, embeddings: Embeddings
) -> None:
    """An index built from one folder, served with FOOTNOTE_CORPUS_DIR naming another (a copied
    index, say): uploads and deletes are refused, and neither folder changes."""
    built = indexed_copy(tmp_path / "original", embeddings)
    other = tmp_path / "elsewhere"
    other.mkdir()
    settings = built.model_copy(update={"corpus_dir": other})
    before = sorted(p.name for p in built.corpus_dir.iterdir())
    with (
        LiveServer(settings, embeddings) as live,
        httpx.Client(base_url=live.url, timeout=60) as http,
    ):
        upload = http.post("/documents", files=[("files", ("a.md", b"# A\nSome text here.\n"))])
        assert upload.status_code == 409 and "footnote ingest" in upload.json()["detail"]
        removal = http.delete(f"/documents/{before[0]}")
        assert removal.status_code == 409
        assert http.post("/chat", json={"question": "Who captured them?"}).status_code == 200
    assert sorted(p.name for p in built.corpus_dir.iterdir()) == before
    assert list(other.iterdir()) == []
