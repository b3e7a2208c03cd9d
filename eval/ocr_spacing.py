"""How many words of a scan OCR reads right, as the model reads them and with the spaces it
drops put back (:func:`footnote.formats.spacing.spaced`): the figures in README and in the
comment above ``footnote.formats.spacing.RUN_ON_WORD``.

Scans are synthetic: paragraphs of three bundled news articles and of three SQuAD articles,
typeset by fpdf2 in Helvetica, Times and Courier at 9, 11 and 14 points, rasterised at 150 and
300 dpi and read at the reader's resolution. A scan's score is the share of its source's words
read in order (difflib's ratio over the two word lists); "scans worse" counts those read
worse with the spaces put back than as read.

    .venv/bin/python -m eval.ocr_spacing      # about 9 minutes on 2 cores
"""

from __future__ import annotations

import difflib
import itertools
import json
from collections.abc import Iterator
from statistics import mean

from tqdm import tqdm

from footnote.formats import ocr
from footnote.formats.spacing import spaced
from footnote.settings import PROJECT_ROOT

NEWS = ["000_48ca08dddd09e8b8.txt", "003_5ddc3c8b4bd541c6.txt", "004_17a11fe2648a01fc.txt"]
SQUAD = PROJECT_ROOT / "data" / "datasets" / "squad2-dev8" / "squad2-dev8.json"
ARTICLES = ["Warsaw", "Immune_system", "Steam_engine"]
CHARACTERS = 1400  # of each text: a page at 14 points
FONTS, SIZES, DPIS = ["helvetica", "times", "courier"], [9, 11, 14], [150, 300]


def texts() -> dict[str, list[str]]:
    """The source texts, latin-1 as fpdf2's core fonts write them."""
    news = []
    for name in NEWS:
        paragraphs = (PROJECT_ROOT / "data" / "corpus" / name).read_text().split("\n\n")
        news.append(" ".join(p.replace("\n", " ") for p in paragraphs if len(p) > 200))
    data = json.loads(SQUAD.read_text(encoding="utf-8"))["data"]
    wiki = [
        " ".join(p["context"] for p in article["paragraphs"][:3])
        for article in data
        if article["title"] in ARTICLES
    ]
    latin = [t[:CHARACTERS].encode("latin-1", "replace").decode("latin-1") for t in news + wiki]
    return {"news": latin[: len(NEWS)], "Wikipedia": latin[len(NEWS) :]}


def scan(text: str, font: str, size: int, dpi: int) -> object:
    """A page of ``text`` as a scanner at ``dpi`` would picture it, at the reader's DPI."""
    import pypdfium2 as pdfium
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font(font, size=size)
    pdf.add_page()
    pdf.multi_cell(0, size * 0.5, text)
    picture = pdfium.PdfDocument(bytes(pdf.output()))[0].render(scale=dpi / 72).to_pil()
    shape = (picture.width * ocr.DPI // dpi, picture.height * ocr.DPI // dpi)
    return picture.convert("L").resize(shape).convert("RGB")


def readings(text: str, font: str, size: int, dpi: int) -> Iterator[tuple[str, str]]:
    """Each box's text as the model reads it, and with its dropped spaces put back."""
    result, _ = ocr._engine()(scan(text, font, size, dpi), use_cls=False, return_word_box=True)
    for _corners, read, _score, *letters in result or []:
        yield read, spaced(read, *letters[:2]) if len(letters) >= 2 else read


def score(source: str, read: list[str]) -> float:
    words = " ".join(read).split()
    return difflib.SequenceMatcher(None, source.split(), words, autojunk=False).ratio()


def main() -> None:
    rows = []
    for name, sources in texts().items():
        pages = list(itertools.product(sources, FONTS, SIZES, DPIS))
        raw, mended = [], []
        for source, font, size, dpi in tqdm(pages, desc=name, unit="scan"):
            boxes = list(readings(source, font, size, dpi))
            raw.append(score(source, [r for r, _ in boxes]))
            mended.append(score(source, [m for _, m in boxes]))
        worse = sum(m < r for r, m in zip(raw, mended, strict=True))
        rows.append(f"| {name} | {len(pages)} | {mean(raw):.3f} | {mean(mended):.3f} | {worse} |")
    print("| text | scans | words read right, as read | spaces put back | scans worse |")
    print("| --- | --- | --- | --- | --- |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
