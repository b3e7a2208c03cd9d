"""Text read from pictures of pages: a scanned PDF has no text layer, only an image a page.

The page is rendered by pdfium (pypdfium2) and read by RapidOCR: PaddleOCR's PP-OCRv4
detection and recognition models in ONNX, inside its PyPI package, run by onnxruntime on the
CPU. Nothing is downloaded. Reading takes seconds a page on two cores, so only pages with no
text layer and an image on them are read, and a document's pages are kept, by the hash of
its bytes, for the next request of its text (``GET /sources/{name}`` reads a file again).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import itertools
import logging
import re
import statistics
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import wordninja

from footnote.errors import BadDocument

logger = logging.getLogger(__name__)

DPI = 200  # enough for 10-point type; reading time grows with the pixels
KEPT_DOCUMENTS = 16
_LOCK = threading.Lock()  # one page at a time (the models use every core), and the cache
_read: OrderedDict[tuple[str, int], list[str]] = OrderedDict()


@lru_cache(maxsize=1)
def _engine() -> Any:
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def scanned_pages(data: bytes, pages: list[int]) -> dict[int, list[str]]:
    """The lines read from each of ``pages`` (indexes) of the PDF ``data`` that holds an
    image; a page without one is a blank page, not a scan, and is not read."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    key = hashlib.sha256(data).hexdigest()
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise BadDocument(f"not a readable PDF ({error})") from None
    found: dict[int, list[str]] = {}
    with _LOCK:
        try:
            for index in pages:
                page = document[index]
                kinds = {thing.type for thing in page.get_objects(max_depth=2)}
                if pdfium_c.FPDF_PAGEOBJ_IMAGE in kinds:
                    found[index] = _cached(key, index, partial(_rendered, page))
        finally:
            document.close()
    return found


def _rendered(page: Any) -> Any:
    return page.render(scale=DPI / 72).to_pil()


# A picture smaller than this on its short side holds no page of text worth reading: an icon,
# a logo, a button. A folder of web pages or documentation is full of them, and reading each
# would cost a second of OCR for a word or two.
MIN_SIDE = 300  # pixels


def picture_pages(data: bytes) -> list[list[str]]:
    """The lines read from each frame of a picture file: a photo or screenshot is one page, a
    TIFF from a scanner holds a page a frame. Turned upright as its camera's EXIF says."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    key = hashlib.sha256(data).hexdigest()
    try:
        picture = Image.open(io.BytesIO(data))
        if min(picture.size) < MIN_SIDE:
            width, height = picture.size
            raise BadDocument(
                f"a {width}x{height} picture is too small to hold a page of text (an icon or a "
                f"logo?): a scan or photo of a page is at least {MIN_SIDE} pixels each way"
            )
        with _LOCK:
            return [
                _cached(key, index, partial(_upright, frame))
                for index, frame in enumerate(ImageSequence.Iterator(picture))
            ]
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as error:
        raise BadDocument(f"not a readable picture ({error})") from None


# A picture's longer side is brought down to this many pixels before it is read: an A4 page at
# 340 dpi, more than legible type needs; a 48-megapixel phone photo would take far longer and
# hold four times the memory for the same text.
MAX_SIDE = 4000


def _upright(frame: Any) -> Any:
    """A frame as it is meant to be seen (its EXIF orientation), no larger than MAX_SIDE."""
    from PIL import ImageOps

    upright = ImageOps.exif_transpose(frame)
    upright.thumbnail((MAX_SIDE, MAX_SIDE))
    return upright


def _cached(key: str, index: int, picture: Callable[[], Any]) -> list[str]:
    """Page ``index`` of the document whose bytes hash to ``key``: read before, or read now
    from ``picture()`` (logged page by page: a long scan takes minutes). Under ``_LOCK``."""
    if (key, index) in _read:
        return _read[(key, index)]
    started = time.perf_counter()
    lines = _lines(picture().convert("RGB"))
    took = time.perf_counter() - started
    logger.info("read page %d by OCR in %.1f s (%d lines)", index + 1, took, len(lines))
    _read[(key, index)] = lines
    documents = list(dict.fromkeys(k for k, _ in _read))
    for old in documents[:-KEPT_DOCUMENTS]:
        for page_key in [k for k in _read if k[0] == old]:
            del _read[page_key]
    return lines


def _lines(image: Any) -> list[str]:
    """A page's text a line each, in reading order: block by block (:func:`_blocks`), and in
    a block top to bottom, boxes side by side on one line (their middles within half a
    line's height) joined left to right."""
    # pages are scanned upright: the model that turns upside-down lines over turned some
    # upright lines of a plain page over, which then read as noise
    result, _ = _engine()(image, use_cls=False, return_word_box=True)
    boxes = []
    for corners, text, _score, *letters in result or []:
        xs, ys = [point[0] for point in corners], [point[1] for point in corners]
        spaced = _spaced(text, *letters[:2]) if len(letters) >= 2 else text
        boxes.append(Box(min(xs), max(xs), min(ys), max(ys), spaced))
    return [line for block in _blocks(boxes) for line in _block_lines(block)]


@dataclass(frozen=True)
class Box:
    """Where the model found a run of text on the page, in pixels, and what it read there."""

    left: float
    right: float
    top: float
    bottom: float
    text: str

    def across(self) -> tuple[float, float]:
        return self.left, self.right

    def down(self) -> tuple[float, float]:
        return self.top, self.bottom


# How wide a band free of text must be, in lines' heights, to part the page there: a gutter
# between columns is about a letter's height or more, the space between blocks above one
# another as much; the spaces between a line's words and between a paragraph's lines are
# about a third of it (measured on the tests' scans).
PARTING = 1.0
COLUMN_LINE = 20  # characters: a column's median line is prose this long; a table's cell less


def _blocks(boxes: list[Box]) -> list[list[Box]]:
    """The page in reading order, a block of lines at a time: cut recursively where a band
    free of text runs down the page between columns of prose (left column first) or across
    it between blocks (top first), the XY-cut of page-layout analysis. Columns are tried
    first: in a two-column page the space between lines runs across both columns. A table's
    columns are not prose (:data:`COLUMN_LINE`), so its rows read across, a row a line."""
    if len(boxes) < 2:
        return [boxes]
    height = statistics.median(box.bottom - box.top for box in boxes)
    columns = _parted(boxes, Box.across, PARTING * height)
    if len(columns) > 1 and all(_prose(column) for column in columns):
        return [block for column in columns for block in _blocks(column)]
    rows = _parted(boxes, Box.down, PARTING * height)
    if len(rows) > 1:
        return [block for row in rows for block in _blocks(row)]
    return [boxes]


def _parted(
    boxes: list[Box], extent: Callable[[Box], tuple[float, float]], gap: float
) -> list[list[Box]]:
    """``boxes`` in groups, in order along ``extent``, where a band ``gap`` wide crosses none."""
    ordered = sorted(boxes, key=extent)
    groups = [[ordered[0]]]
    end = extent(ordered[0])[1]
    for box in ordered[1:]:
        start, stop = extent(box)
        if start - end >= gap:
            groups.append([])
        groups[-1].append(box)
        end = max(end, stop)
    return groups


def _prose(column: list[Box]) -> bool:
    """Whether these boxes are lines of a column of text rather than cells of a table."""
    return len(column) >= 3 and statistics.median(len(box.text) for box in column) >= COLUMN_LINE


def _block_lines(block: list[Box]) -> list[str]:
    lines: list[list[Box]] = []
    middle = height = 0.0
    for box in sorted(block, key=lambda b: (b.top + b.bottom) / 2):
        centre = (box.top + box.bottom) / 2
        if lines and abs(centre - middle) <= height / 2:
            lines[-1].append(box)
        else:
            lines.append([box])
            middle, height = centre, box.bottom - box.top
    return [" ".join(b.text for b in sorted(line, key=Box.across)).strip() for line in lines]


# The recognition model, trained mostly on Chinese, often drops the spaces of an English line
# ("The lighthouseonSkarvholmenwasbuilt", "inthehills", "quay.Before"). Three readings put
# them back, each only where the gap between two letters' boxes allows:
# - a line whose words run RUN_ON_WORD long on average has lost many: a space goes wherever
#   two letters are SPACE_GAP of a letter apart (half a letter split "auto m ated");
# - a run of letters that is no common English word but splits into common ones ("inthehills")
#   is split, where the letters at each cut are CUT_GAP of a letter apart or more (a rare word,
#   "thyroiditis", would split too, but its letters touch at the cuts);
# - a full stop, comma, semicolon or colon against the next word, or a word against a name
#   ("toSkarvik"), gets its space (:data:`_JOINED`).
# Measured by `python -m eval.ocr_spacing` on 54 scans of news text and 54 of Wikipedia's
# (Helvetica, Times and Courier at 9 to 14 points, at 150 and 300 dpi): the share of their
# words read right goes from 0.807 as the model reads them to 0.946, and from 0.798 to 0.931;
# 1 and 5 scans read slightly worse. With the first reading alone it was 0.904 and 0.880, and
# the other two made no scan worse than that.
RUN_ON_WORD = 8  # characters a word, on average
SPACE_GAP = 0.65  # of the median letter's width
CUT_GAP = 0.15
COMMON_WORDS = 20_000  # the most frequent words of English Wikipedia, as wordninja ranks them
_LETTERS = re.compile(r"[A-Za-z]{5,}")
# Where two words were joined: a sentence or clause ending against the next word
# ("quay.Before", "1968,when") or a word against a name ("toSkarvik"); "JavaScript" and
# "McDonald" touch there, so they stay whole. Not a figure against a word: the model reads
# "10,000" as "10,oo0" and "1712" as "17l2", and "32nd" is one word.
_JOINED = re.compile(r"(?<=[a-z])\.(?=[A-Z][a-z])|[,;:](?=[A-Za-z])|(?<=[a-z])(?=[A-Z][a-z])")


def _spaced(text: str, boxes: list[Any], letters: list[str]) -> str:
    """``text`` with the spaces the model dropped put back (see :data:`RUN_ON_WORD`);
    ``letters`` are its characters one by one, each in its box."""
    if len(boxes) != len(letters) or "".join(letters) != text:
        return text
    widths = sorted(
        box[1][0] - box[0][0] for box, letter in zip(boxes, letters, strict=True) if letter != " "
    )
    width = widths[len(widths) // 2] if widths else 0

    def gap(i: int) -> float:
        return float(boxes[i][0][0] - boxes[i - 1][1][0])

    def apart(i: int) -> bool:
        return gap(i) >= CUT_GAP * width

    cuts = {i for i in _dictionary_cuts(text) if apart(i)}
    cuts.update(m.end() for m in _JOINED.finditer(text) if apart(m.end()))
    words = text.split()
    if words and sum(map(len, words)) / len(words) > RUN_ON_WORD:
        cuts.update(
            i
            for i in range(1, len(text))
            if " " not in text[i - 1 : i + 1] and gap(i) > SPACE_GAP * width
        )
    return "".join(" " + letter if i in cuts else letter for i, letter in enumerate(text))


def _dictionary_cuts(text: str) -> Iterator[int]:
    """Where runs of letters of ``text`` that are no common word split into common words."""
    common = _common_words()
    for match in _LETTERS.finditer(text):
        if match.group().lower() in common:
            continue
        pieces = wordninja.split(match.group())
        if len(pieces) < 2 or "".join(pieces) != match.group():
            continue
        if not all(p.lower() in common and (len(p) > 1 or p in "aAI") for p in pieces):
            continue
        yield from (match.start() + at for at in itertools.accumulate(map(len, pieces[:-1])))


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """wordninja's English words, most frequent first: the first :data:`COMMON_WORDS`."""
    # where wordninja reads it from itself: a folder beside its module
    listed = Path(wordninja.__file__).with_name("wordninja") / "wordninja_words.txt.gz"
    return frozenset(gzip.decompress(listed.read_bytes()).decode().split()[:COMMON_WORDS])
