"""The measuring scripts behind figures in README and eval/README: what they read and count."""

from __future__ import annotations

from pathlib import Path

from eval import ocr_spacing
from eval.wordnet_signal import read_wordnet

# two adjective synsets, each the other's antonym, the way WordNet 3.0's data.adj writes them
DATA_ADJ = (
    "  1 This software and database is being provided to you, the LICENSEE, by\n"
    "00001740 00 a 02 able 0 capable 0 001 ! 00002098 a 0101 | (usually followed by `to')\n"
    "00002098 00 a 01 unable 0 001 ! 00001740 a 0101 | (usually followed by `to') not able\n"
)


def test_wordnet_is_read_antonyms_by_word_and_synonyms_by_synset(tmp_path: Path) -> None:
    (tmp_path / "data.adj").write_text(DATA_ADJ, encoding="latin-1")
    for pos in ("adv", "noun", "verb"):
        (tmp_path / f"data.{pos}").write_text("")
    antonyms, synonyms = read_wordnet(tmp_path)
    assert antonyms["able"] == {"unable"} and antonyms["unable"] == {"able"}
    assert "capable" not in antonyms  # the pointer joins "able", its first word, only
    assert synonyms["able"] == {"capable"} and synonyms["capable"] == {"able"}


def test_ocr_spacing_scores_words_in_order_on_six_texts() -> None:
    assert ocr_spacing.score("the new pier", ["the new", "pier"]) == 1.0
    assert ocr_spacing.score("the new pier", ["thenew pier"]) < 0.5
    texts = ocr_spacing.texts()
    assert [len(t) for t in texts.values()] == [3, 3]
    assert all(0 < len(text) <= ocr_spacing.CHARACTERS for t in texts.values() for text in t)
