"""Synthetic corpora N times the size of a seed corpus, for the scale benchmark.

Each synthetic document is a seed document with one paragraph swapped for a paragraph of
another seed document (recombined) and the figures in it shifted (perturbed), under a file
name of its own. Most passages stay word-for-word those of a seed document — the way a news
archive repeats wire copy — so the embedding cache reuses their vectors and a 1000x corpus can
be built on a laptop CPU in minutes; the benchmark reports how many texts were embedded fresh.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from ingest.loader import load_corpus

_NUMBER = re.compile(r"\d+")


def _perturb(line: str, rng: random.Random) -> str:
    return _NUMBER.sub(lambda m: str(int(m.group()) + rng.randint(1, 97)), line)


def build(seed: Path, out: Path, factor: int, *, rng_seed: int = 7) -> Path:
    """Write ``factor`` copies' worth of recombined documents into ``out`` (once)."""
    marker = out / ".complete"
    if marker.exists():
        return out
    documents, _ = load_corpus(seed)
    rng = random.Random(rng_seed)
    out.mkdir(parents=True, exist_ok=True)
    paragraphs = [doc.text.splitlines() for doc in documents]
    for copy in range(factor):
        for number, doc in enumerate(documents):
            lines = list(paragraphs[number])
            donor = paragraphs[(number + 1 + copy) % len(paragraphs)]
            slot = rng.randrange(1, len(lines))
            lines[slot] = _perturb(donor[rng.randrange(1, len(donor))], rng)
            name = f"{copy // 1000:03d}/{Path(doc.source).stem}-{copy:05d}.txt"
            path = out / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    marker.write_text("ok\n")
    return out
