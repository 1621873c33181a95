"""The parse's speed-ups change no match: a gated shape is skipped only where it cannot match, and a
word list written as a trie matches exactly what the plain list does (``assistant.nlu.fastregex``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.nlu import lexicon
from assistant.nlu.amounts import words_to_digits
from assistant.nlu.fastregex import Gated, alternation, bits, needs
from assistant.nlu.not_yours import as_dollars, kinds, not_yours
from assistant.nlu.numbers import shapes

ROOT = Path(__file__).resolve().parents[2]


def _sentences() -> list[str]:
    out: list[str] = []
    for path in sorted((ROOT / "tests" / "data").glob("*.jsonl")):
        out += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


SENTENCES = _sentences()


def _all_kinds(low: str, tool: str | None) -> str | None:
    """What not_yours answered before the gate: every shape of every kind, in order, searched."""
    low = as_dollars(" ".join(low.split()))
    for kind in kinds():
        if tool is not None and tool not in kind.tools:
            continue
        for p in kind.patterns:
            for m in p.finditer(low):
                if "who" not in p.groupindex or m.group("who") is None or not lexicon.keyword_hits(m.group("who")):
                    return kind.name
    return None


def test_someone_elses_money_is_found_as_before_on_every_team_sentence() -> None:
    for text in SENTENCES[::3]:
        low = words_to_digits(text).lower()
        for tool in ("log_expense", "check_purchase", "budget_summary", None):
            found = not_yours(low, tool)
            assert (found.name if found else None) == _all_kinds(low, tool), (text, tool)


def test_asked_again_not_yours_gives_the_full_searchs_answer() -> None:
    # the engine and then the write policy ask the same question: the second answer comes from the first,
    # so a repeat, a change of tool and a change of text must each still agree with the full search
    for text in SENTENCES[2::20]:
        low = words_to_digits(text).lower()
        for tool in ("log_expense", "log_expense", "add_subscription", "log_expense", None, None):
            found = not_yours(low, tool)
            assert (found.name if found else None) == _all_kinds(low, tool), (text, tool)


def test_a_gated_shape_is_never_skipped_where_it_matches() -> None:
    patterns = [p for k in kinds() for p in k.patterns] + [s.pattern for s in shapes()]
    gate = Gated(patterns)
    assert sum(n is not None for n in gate.needs) > len(patterns) // 2  # most shapes are gated at all
    for text in SENTENCES[1::3]:
        low = as_dollars(" ".join(words_to_digits(text).lower().split()))
        may = set(bits(gate.candidates(low)))
        assert all(i in may for i, p in enumerate(patterns) if p.search(low)), text


def test_what_a_pattern_needs() -> None:
    assert needs(re.compile(r"\bpaid\s+(?:for|on)\b")) == {"paid"}
    assert needs(re.compile(r"\b(?:my|our)\s+(?:room\s?mate|friend)\s+paid")) == {"paid"}
    assert needs(re.compile(r"(?:rent|mortgage)\s+\d+")) == {"rent", "mortgage"}
    assert needs(re.compile(r"(?:paid)?\s*\d+")) is None  # every word optional: always run
    assert needs(re.compile(r"(?:paid|\d+)")) is None  # one way through needs no word
    assert needs(re.compile(r"(?i)paid")) is None  # any case: a substring test would miss "PAID"


PLAIN_WORDS = st.lists(st.text(alphabet="ab &'-.", min_size=1, max_size=5), min_size=1, max_size=12, unique=True)


@settings(max_examples=300, deadline=None)
@given(words=PLAIN_WORDS, text=st.text(alphabet="ab &'-.+", max_size=30))
def test_a_trie_matches_what_the_word_list_does(words: list[str], text: str) -> None:
    plain = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    for tail in (r"(?![\w&+])", r"(?:s)?(?![\w&])", ""):
        a = re.compile(rf"(?<![\w&+'])({plain}){tail}")
        b = re.compile(rf"(?<![\w&+'])({alternation(words)}){tail}")
        assert [(m.span(), m.group(1)) for m in a.finditer(text)] == [(m.span(), m.group(1)) for m in b.finditer(text)]


def test_the_lexicon_finds_the_same_phrases_as_its_plain_list() -> None:
    words = "|".join(re.escape(p) for p in sorted(lexicon.PHRASES, key=len, reverse=True))
    plain = re.compile(lexicon.PHRASE_BEFORE + "(" + words + ")" + lexicon.PHRASE_AFTER)
    for text in SENTENCES[::2]:
        low = text.lower()
        assert [m.span(1) for m in lexicon.PHRASE_RE.finditer(low)] == [m.span(1) for m in plain.finditer(low)], text
