"""The merchant lexicon as data: ``assistant/nlu/data/lexicon.yaml`` answers as the Python table did.

Why a snapshot: the lexicon moved from Python strings to a YAML file; ``tests/data/lexicon-before.json``
is what the Python table answered for every phrase (its category and display spelling, the strong
phrases, the services, the aliases) just before the move. The data may grow (a new merchant is a line),
but every word it knew must still land where it did, and a line added to the file must be read.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.nlu import lexicon

SNAPSHOT = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "lexicon-before.json").read_text(encoding="utf-8")
)


def test_every_word_the_python_lexicon_knew_lands_where_it_did() -> None:
    moved = {phrase: tuple(v) for phrase, v in SNAPSHOT["phrases"].items() if lexicon.PHRASES.get(phrase) != tuple(v)}
    assert not moved
    assert set(SNAPSHOT["strong"]) <= lexicon.STRONG
    assert set(SNAPSHOT["services"]) <= lexicon.SERVICES
    assert set(SNAPSHOT["verbs"]) == lexicon.VERBS
    for canonical, aliases in SNAPSHOT["aliases"].items():
        assert set(aliases) <= set(lexicon.ALIASES[canonical])


@pytest.mark.parametrize("phrase", sorted(SNAPSHOT["phrases"])[::7])
def test_the_matcher_finds_each_word_in_a_sentence(phrase: str) -> None:
    """Not only the table: the compiled matcher finds the phrase and answers its old category."""
    hits = [h for h in lexicon.keyword_hits(f"paid 12 for {phrase} today") if h.phrase == phrase]
    assert hits and hits[0].category == SNAPSHOT["phrases"][phrase][0]


def test_a_line_of_data_is_a_new_merchant(tmp_path: Path) -> None:
    text = lexicon.LEXICON_PATH.read_text(encoding="utf-8")
    assert "Bluebird Roasters" not in text
    changed = text.replace("categories:\n  Dining:\n", "categories:\n  Dining:\n    - Bluebird Roasters\n", 1)
    path = tmp_path / "lexicon.yaml"
    path.write_text(changed, encoding="utf-8")
    assert "Bluebird Roasters" in lexicon._load(path)["categories"]["Dining"]
    assert "Bluebird Roasters" not in lexicon._load()["categories"]["Dining"]


def test_known_items_from_round_17() -> None:
    """Words the lexicon learnt after round 17: a flat white is a drink out, a kurta is clothing."""
    assert lexicon.best_category(lexicon.keyword_hits("4.20 for a flat white")) == "Dining"
    assert lexicon.best_category(lexicon.keyword_hits("1200 on a new kurta")) == "Shopping"
