"""The benchmark's synthetic corpora: as many documents at each scale, the written kind with
no sentence twice, both the same on every run."""

from __future__ import annotations

import re
from pathlib import Path

from eval import synthetic
from tests.support import BUNDLED_CORPUS


def texts(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*.txt"))
    }


def test_written_corpora_repeat_no_sentence(tmp_path: Path) -> None:
    seeds = len(list(BUNDLED_CORPUS.glob("*.txt")))
    written = texts(synthetic.build(BUNDLED_CORPUS, tmp_path / "a", 4, "written"))
    assert len(written) == 4 * seeds
    sentences = [
        s
        for text in written.values()
        for paragraph in text.split("\n\n")[1:]  # the title is cut from a sentence
        for s in re.split(r"(?<=[.!?])\s+", paragraph.strip())
    ]
    assert len(sentences) > 15 * len(written) and len(set(sentences)) == len(sentences)
    seed_text = " ".join(texts(BUNDLED_CORPUS).values())
    assert sum(s in seed_text for s in sentences) < 0.01 * len(sentences)
    assert texts(synthetic.build(BUNDLED_CORPUS, tmp_path / "b", 4, "written")) == written


def test_recombined_corpora_reuse_the_seed(tmp_path: Path) -> None:
    recombined = texts(synthetic.build(BUNDLED_CORPUS, tmp_path / "r", 3))
    assert len(recombined) == 3 * len(list(BUNDLED_CORPUS.glob("*.txt")))
    seed_lines = {line for text in texts(BUNDLED_CORPUS).values() for line in text.splitlines()}
    lines = [line for text in recombined.values() for line in text.splitlines() if line]
    assert sum(line in seed_lines for line in lines) > 0.8 * len(lines)
