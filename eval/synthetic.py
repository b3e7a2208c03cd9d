"""Synthetic corpora N times the size of a seed corpus, for the scale benchmark.

Two kinds, with as many documents at each scale:

- ``recombined``: each document is a seed document with one paragraph swapped for a paragraph
  of another seed document and the figures in it shifted, under a file name of its own. Most
  passages stay word-for-word those of a seed document, the way a news archive repeats wire
  copy, so the embedding cache reuses their vectors: cheap to build, and it flatters ingest.
- ``written``: every sentence new. Words are drawn from a word-pair (bigram) model of the
  seed corpus and of the SQuAD articles bundled for evaluation, document lengths from the
  seed's, and a sentence already written is drawn again, so nothing repeats and every text
  costs ingest a real embedding. The prose is nonsense with real word statistics: right for
  measuring cost (vocabulary, lengths, vectors), meaningless for measuring answers.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from footnote.settings import PROJECT_ROOT
from ingest.loader import SourceDocument, load_corpus

Kind = Literal["recombined", "written"]
KINDS: tuple[Kind, ...] = ("recombined", "written")
SQUAD = PROJECT_ROOT / "data" / "datasets" / "squad2-dev8" / "squad2-dev8.json"
_NUMBER = re.compile(r"\d+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_END = ""  # follows a sentence's last word
MAX_WORDS = 60
Files = Iterator[tuple[str, str]]  # file name, text


def build(
    seed: Path, out: Path, factor: int, kind: Kind = "recombined", *, rng_seed: int = 7
) -> Path:
    """Write ``factor`` times as many documents as ``seed`` holds into ``out`` (once)."""
    marker = out / ".complete"
    if marker.exists():
        return out
    documents, _ = load_corpus(seed)
    rng = random.Random(rng_seed)
    files = (
        _recombined(documents, factor, rng)
        if kind == "recombined"
        else _written(documents, factor, rng)
    )
    for name, text in files:
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    marker.write_text("ok\n")
    return out


def _perturb(line: str, rng: random.Random) -> str:
    return _NUMBER.sub(lambda m: str(int(m.group()) + rng.randint(1, 97)), line)


def _recombined(documents: list[SourceDocument], factor: int, rng: random.Random) -> Files:
    paragraphs = [doc.text.splitlines() for doc in documents]
    for copy in range(factor):
        for number, doc in enumerate(documents):
            lines = list(paragraphs[number])
            donor = paragraphs[(number + 1 + copy) % len(paragraphs)]
            slot = rng.randrange(1, len(lines))
            lines[slot] = _perturb(donor[rng.randrange(1, len(donor))], rng)
            yield (
                f"{copy // 1000:03d}/{Path(doc.source).stem}-{copy:05d}.txt",
                "\n".join(lines) + "\n",
            )


class _Bigrams:
    """Which words follow which, as often as they did in the texts it read."""

    def __init__(self, texts: list[str]):
        self.following: dict[str, list[str]] = {}
        for text in texts:
            for sentence in _SENTENCE_END.split(text.replace("\n", " ")):
                words = sentence.split()
                if len(words) >= 4:
                    for before, after in zip([_END, *words], [*words, _END], strict=True):
                        self.following.setdefault(before, []).append(after)

    def sentence(self, rng: random.Random) -> str:
        words: list[str] = []
        word = rng.choice(self.following[_END])
        while word != _END and len(words) < MAX_WORDS:
            words.append(word)
            word = rng.choice(self.following.get(word) or [_END])
        text = " ".join(words)
        return text if text.endswith((".", "!", "?")) else text + "."


def _training_texts(documents: list[SourceDocument]) -> list[str]:
    texts = [doc.text for doc in documents]
    if SQUAD.is_file():
        data = json.loads(SQUAD.read_text(encoding="utf-8"))["data"]
        texts += [p["context"] for article in data for p in article["paragraphs"]]
    return texts


def _written(documents: list[SourceDocument], factor: int, rng: random.Random) -> Files:
    model = _Bigrams(_training_texts(documents))
    lengths = [len(_SENTENCE_END.split(doc.text)) for doc in documents]
    seen: set[int] = set()

    def new_sentence() -> str:
        while True:
            sentence = model.sentence(rng)
            if hash(sentence) not in seen:
                seen.add(hash(sentence))
                return sentence

    for copy in range(factor):
        for number in range(len(documents)):
            title = " ".join(new_sentence().split()[:8]).rstrip(".!?,;:")
            paragraphs, left = [], rng.choice(lengths)
            while left > 0:
                size = min(left, rng.randint(1, 4))
                paragraphs.append(" ".join(new_sentence() for _ in range(size)))
                left -= size
            name = f"{copy // 1000:03d}/written-{copy:05d}-{number}.txt"
            yield name, "\n\n".join([title, *paragraphs]) + "\n"
