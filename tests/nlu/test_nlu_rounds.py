"""Blind rounds 16 to 30 through the engine and the write-safety policy's text checks, in process.

Why here and not only on a server: the rounds' after-fix scores in ``docs/understanding.md`` come from
the shared judge on a fresh server; these tests keep them from sliding back, in a second. The even
rounds from 16 to 26 and rounds 29 and 34 are 320 things a budgeting app must not write (transfers, bill pay,
bookings, numbers that are not money, other people's money, plans, prices seen); the others are
in-scope requests over every tool, some of them follow-ups that need the turn before ("setup"), each
pair by a new blind author. The model is not trained on any of them (``model.NOT_TRAINED_ON``), so they
stay a measure of the general fixes; the kinds each round found are in ``test_round_shapes_*.py``, in
the team's own words. A call counts as a write only if the policy would let it run unasked.
"""

from __future__ import annotations

import pytest

from assistant.nlu.model import NOT_TRAINED_ON, corpus_files
from tests.nlu.rounds_support import JUDGE, TODAY, play, round_cases
from tools import WRITE_TOOLS


def test_the_rounds_are_not_training_data() -> None:
    rounds = {f"blind{n}-utterances.jsonl" for n in range(16, 59)}
    assert rounds <= NOT_TRAINED_ON
    assert not {p.name for p in corpus_files()} & NOT_TRAINED_ON


@pytest.mark.parametrize("n", [16, 18, 20, 22, 24, 26, 29, 34, 37, 39, 42, 46, 48, 50, 52, 56, 58])
def test_out_of_scope_round_writes_nothing(n: int) -> None:
    cases = round_cases(f"blind{n}-utterances.jsonl")
    assert len(cases) == 320
    wrote = [(c["id"], c["text"], [k["name"] for k in calls]) for c in cases if (calls := play(c))]
    wrote = [w for w in wrote if set(w[2]) & WRITE_TOOLS]
    assert wrote == []


@pytest.mark.parametrize(
    ("n", "size"),
    [
        (16, None),
        (17, 160),
        (19, 160),
        (20, None),
        (21, 200),
        (27, 200),
        (28, 200),
        (30, 200),
        (36, 200),
        (38, 200),
        (47, 200),
    ],
)
def test_round_share(n: int, size: int | None) -> None:
    cases = round_cases(f"blind{n}-utterances.jsonl")
    if size is not None:
        assert len(cases) == size
    misses = [(c["id"], c["text"], why) for c in cases if not (r := JUDGE(c, play(c), TODAY))[0] for why in [r[1]]]
    assert len(misses) <= 0.05 * len(cases), misses
