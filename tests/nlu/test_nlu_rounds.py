"""Blind rounds 16 to 19 through the engine and the write-safety policy's text checks, in process.

Why here and not only on a server: the rounds' after-fix scores in ``docs/understanding.md`` come from
the shared judge on a fresh server; this test keeps them from sliding back, in a second. Round 16 is
320 things a budgeting app must not write (transfers, bill pay, bookings, numbers that are not money);
round 17 is 160 in-scope requests over every tool, some of them follow-ups that need the turn before
("setup"). Rounds 18 and 19 are the same two kinds again, by another blind author. The model is not
trained on any of them (``model.NOT_TRAINED_ON``), so these stay a
measure of the general fixes. A call counts as a write only if the policy would let it run unasked.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from assistant.agent.safety import CallFacts, screen_call
from assistant.nlu import NLUContext, understand
from assistant.nlu.judge import load_judge
from assistant.nlu.model import NOT_TRAINED_ON, corpus_files
from tools import WRITE_TOOLS

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
TODAY = dt.date(2026, 12, 6)  # the day the rounds were written ("last night", "since January")


JUDGE = load_judge()


def _cases(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _turn(text: str, ctx: NLUContext) -> list[dict[str, Any]]:
    """The calls that would run unasked: the engine's plan after the policy's text-only screen."""
    out: list[dict[str, Any]] = []
    for call in understand(text, ctx).calls:
        facts = CallFacts(text=text, confidence=call.confidence, amount_is_money=call.amount_is_money)
        verdict = screen_call(call.name, call.args, facts)
        if verdict.action == "run":
            out.append({"name": call.name, "args": call.args})
        elif verdict.action == "replace" and verdict.replacement is not None:
            out.append({"name": verdict.replacement[0], "args": verdict.replacement[1]})
    return out


def _play(case: dict[str, Any]) -> list[dict[str, Any]]:
    ctx = NLUContext(today=TODAY)
    for before in case.get("setup", []):
        calls = _turn(before, ctx)
        if calls:
            ctx = NLUContext(today=TODAY, last_tool=calls[-1]["name"], last_args=calls[-1]["args"])
    return _turn(case["text"], ctx)


def test_the_rounds_are_not_training_data() -> None:
    rounds = {f"blind{n}-utterances.jsonl" for n in (16, 17, 18, 19)}
    assert rounds <= NOT_TRAINED_ON
    assert not {p.name for p in corpus_files()} & NOT_TRAINED_ON


def test_round_16_writes_nothing() -> None:
    cases = _cases("blind16-utterances.jsonl")
    assert len(cases) == 320
    wrote = [(c["id"], c["text"], [k["name"] for k in calls]) for c in cases if (calls := _play(c))]
    wrote = [w for w in wrote if set(w[2]) & WRITE_TOOLS]
    assert wrote == []


def test_round_16_share() -> None:
    cases = _cases("blind16-utterances.jsonl")
    misses = [(c["id"], c["text"], why) for c in cases if not (r := JUDGE(c, _play(c), TODAY))[0] for why in [r[1]]]
    assert len(misses) <= 0.05 * len(cases), misses


def test_round_17_share() -> None:
    cases = _cases("blind17-utterances.jsonl")
    assert len(cases) == 160
    misses = [(c["id"], c["text"], why) for c in cases if not (r := JUDGE(c, _play(c), TODAY))[0] for why in [r[1]]]
    assert len(misses) <= 0.05 * len(cases), misses


@pytest.mark.parametrize(
    ("setup", "text", "tool", "args"),
    [
        # a write whose subject is what the turn before was about, with "it" and an amount said outright
        ("what's my groceries budget this month?", "raise it to 500", "set_budget", {"category": "Groceries"}),
        ("set a goal to save 2000 for a trip to Peru", "add 150 to it", "contribute_to_goal", {"name": "trip"}),
        # another shop, same question
        ("how much did I spend at Chipotle last month?", "and Costco?", "spending_summary", {"merchant": "Costco"}),
        # a horizon said without its unit keeps the one asked before
        ("what renews in the next 14 days?", "what about the next 60?", "list_subscriptions", {"within_days": 60}),
    ],
)
def test_follow_ups_that_refer_back(setup: str, text: str, tool: str, args: dict[str, Any]) -> None:
    calls = _play({"text": text, "setup": [setup]})
    assert calls and calls[0]["name"] == tool
    for key, want in args.items():
        assert str(want).lower() in str(calls[0]["args"].get(key)).lower()


@pytest.mark.parametrize(
    "text",
    ["raise it to 500", "add 150 to it", "put 200 towards it"],
)
def test_it_with_nothing_before_is_not_a_write(text: str) -> None:
    """Without a budget or goal in the turn before, "it" names nothing: no write runs unasked."""
    assert not [c for c in _play({"text": text}) if c["name"] in WRITE_TOOLS and c["name"] != "log_expense"]


@pytest.mark.parametrize(
    ("text", "tool", "args"),
    [
        ("what's the newest item in my records", "list_transactions", {"limit": 1}),
        ("when was the last time I paid for parking", "list_transactions", {"limit": 1}),
        ("show my last 3 transactions", "list_transactions", {"limit": 3}),
        ("set up an income category named Tutoring", "create_category", {"name": "Tutoring", "kind": "income"}),
        ("new category: Garden, importance 3", "create_category", {"name": "Garden", "necessity_score": 3}),
        ("count each Australian dollar as 0.66", "set_exchange_rate", {"currency": "AUD", "rate": "0.66"}),
        ("file my Dropbox subscription under Utilities", "update_subscription", {"category": "Utilities"}),
        ("how much have I spent at Lyft since March", "spending_summary", {"merchant": "Lyft", "start": "2026-03-01"}),
        ("fix my last purchase to 9.40", "update_transaction", {"amount": "9.40"}),
        ("any update on the Peru trip?", "goal_progress", {"name": "Peru trip"}),
    ],
)
def test_round_17_shapes_in_other_words(text: str, tool: str, args: dict[str, Any]) -> None:
    """The kinds of request round 17 found missing, said in the team's own words."""
    calls = _play({"text": text})
    assert calls and calls[0]["name"] == tool, calls
    for key, want in args.items():
        assert str(calls[0]["args"].get(key)).lower().startswith(str(want).lower()), calls


@pytest.mark.parametrize(
    "text",
    [
        "give 25 to unicef on my behalf",
        "reload my transit card with 30",
        "search for hotels in Rome under 150",
        "my flight is UA 88 from gate 12",
    ],
)
def test_done_for_me_is_not_a_write(text: str) -> None:
    assert not [c for c in _play({"text": text}) if c["name"] in WRITE_TOOLS]


@pytest.mark.parametrize("text", ["€3.10 for a cortado", "$6 for a mocha", "£9 for a kurta at the market"])
def test_a_marked_price_for_a_known_item_runs_without_asking(text: str) -> None:
    calls = _play({"text": text})
    assert [c["name"] for c in calls] == ["log_expense"]


@pytest.mark.parametrize(
    "text",
    [
        "I ran 10k on Sunday",
        "my daughter turns 9 next week",
        "my bp was 130 over 85 this morning",
        "support ticket number 55120 is still open",
        "deadlifted 180 today",
        "my heart rate was 62",
    ],
)
def test_numbers_from_the_body_and_the_help_desk_are_not_money(text: str) -> None:
    """Not even a question about it: the engine itself proposes no write with that number as money."""
    planned = understand(text, NLUContext(today=TODAY)).calls
    assert not [c for c in planned if c.name in WRITE_TOOLS and c.amount_is_money]


def test_round_18_writes_nothing() -> None:
    cases = _cases("blind18-utterances.jsonl")
    assert len(cases) == 320
    wrote = [(c["id"], c["text"], [k["name"] for k in calls]) for c in cases if (calls := _play(c))]
    wrote = [w for w in wrote if set(w[2]) & WRITE_TOOLS]
    assert wrote == []


def test_round_19_share() -> None:
    cases = _cases("blind19-utterances.jsonl")
    assert len(cases) == 160
    misses = [(c["id"], c["text"], why) for c in cases if not (r := JUDGE(c, _play(c), TODAY))[0] for why in [r[1]]]
    assert len(misses) <= 0.05 * len(cases), misses


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # several expenses with no "and" between them: item then amount, or amount then item
        ("coffee 4.50 parking 12", [("4.50", "Dining"), ("12.00", "Transport")]),
        ("paid 30 on gas n 18 on lunch", [("30.00", "Transport"), ("18.00", "Dining")]),
        (
            "groceries 80 electricity 95 netflix 15.49",
            [("80.00", "Groceries"), ("95.00", "Utilities"), ("15.49", None)],
        ),
    ],
)
def test_several_expenses_without_and(text: str, want: list[tuple[str, str | None]]) -> None:
    calls = understand(text, NLUContext(today=TODAY)).calls
    assert [c.name for c in calls] == ["log_expense"] * len(want), calls
    for call, (amount, category) in zip(calls, want, strict=True):
        assert call.args["amount"] == amount
        assert category is None or call.args["category"] == category


@pytest.mark.parametrize(
    ("setup", "text", "tool", "args"),
    [
        ("", "taxi 15 last nite", "log_expense", {"date": "2026-12-05"}),
        ("", "how much on starbucks spending this yr", "spending_summary", {"start": "2026-01-01"}),
        ("", "walmart spending last yr", "spending_summary", {"merchant": "Walmart", "start": "2025-01-01"}),
        ("", "1 gbp = 1.27 usd", "set_exchange_rate", {"currency": "GBP", "rate": "1.27"}),
        ("", "1 USD = 150 JPY", "set_exchange_rate", {"currency": "JPY", "rate": "0.006667"}),
        ("", "the aussie dollar is worth sixty six cents", "set_exchange_rate", {"currency": "AUD", "rate": "0.66"}),
        ("", "could you move 25 out of my dining budget and put it in groceries", "move_budget", {"amount": "25"}),
        ("", "I put aside 80 for the laptop, add it to the goal", "contribute_to_goal", {"name": "laptop"}),
        ("", "please add a spending category named Pets", "create_category", {"kind": "expense"}),
        ("add netflix 15.49 monthly", "oops it's 17.99", "update_subscription", {"name": "netflix", "amount": "17.99"}),
    ],
)
def test_round_19_shapes_in_other_words(setup: str, text: str, tool: str, args: dict[str, Any]) -> None:
    """The kinds of request round 19 found missing, said in the team's own words."""
    calls = _play({"text": text, "setup": [setup] if setup else []})
    assert calls and calls[0]["name"] == tool, calls
    for key, want in args.items():
        assert str(calls[0]["args"].get(key)).lower().startswith(str(want).lower()), calls


@pytest.mark.parametrize(
    "text",
    [
        "uh go ahead and pay the electric bill, sixty dollars",
        "can you make my car payment of three hundred",
        "i was charged twice 12.99 at walmart dispute that",
        "what does a 2br cost in denver",
        "so please make the credit card payment, 250",
    ],
)
def test_round_18_shapes_in_other_words_write_nothing(text: str) -> None:
    assert not [c for c in _play({"text": text}) if c["name"] in WRITE_TOOLS]
