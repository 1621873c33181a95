"""The offline understanding engine: shares on the dev and held-out sets, and its parts.

Why two "todays": relative dates ("last month", "on the 5th") break at month and year ends,
and the shared eval runs on the real current date, so the engine must be right on any day.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.nlu import NLUContext, understand
from assistant.nlu import judge as BENCH
from assistant.nlu.amounts import find_amounts, pick_amount, resolve_currency, words_to_digits
from assistant.nlu.dates import date_spans, day_of_month, find_date, find_period, month_day, within_days

ROOT = Path(__file__).resolve().parents[2]
TODAYS = [dt.date(2026, 1, 1), dt.date(2027, 3, 1), dt.date(2028, 2, 29)]


def ctx(today: dt.date = dt.date(2026, 1, 1), **kw: object) -> NLUContext:
    return NLUContext(today=today, **kw)  # type: ignore[arg-type]


def call(text: str, today: dt.date = dt.date(2026, 1, 1), **kw: object) -> tuple[str, dict[str, object]]:
    result = understand(text, ctx(today, **kw))
    return (result.calls[0].name, result.calls[0].args) if result.calls else (result.intent, {})


# ---- shares over the case files ----
@pytest.mark.parametrize("today", TODAYS, ids=str)
def test_dev_share(today: dt.date) -> None:
    if not BENCH.DEV_CASES.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{BENCH.DEV_CASES} is missing under CI")
        pytest.skip("the shared dev cases live outside this checkout")
    share, misses, _ = BENCH.score(BENCH.load_cases(BENCH.DEV_CASES), today)
    assert share >= 0.95, misses


@pytest.mark.parametrize("today", TODAYS, ids=str)
def test_heldout_share(today: dt.date) -> None:
    cases = BENCH.load_cases(BENCH.HELDOUT_CASES)
    assert len(cases) >= 150
    share, misses, _ = BENCH.score(cases, today, BENCH.copied_judge)
    assert share >= 0.9, misses


BLIND_CASES = [ROOT / "tests" / "data" / f"blind{n}-utterances.jsonl" for n in (2, 3, 4, 5, 7, 10, 11, 12)]
BLIND_DAYS = [dt.date(2026, 11, 22), dt.date(2027, 1, 2), dt.date(2028, 3, 1)]
# Rounds 6, 8, 9, 13, 14 and 15 were written on 2026-11-22 with some months and days worked out for that day
# ("in December" for a budget is 2026-12), so they are scored on that day only.
BLIND_RUNS = [(p, d) for p in BLIND_CASES for d in BLIND_DAYS] + [
    (ROOT / "tests" / "data" / f"blind{n}-utterances.jsonl", dt.date(2026, 11, 22)) for n in (6, 8, 9, 13, 14, 15)
]


@pytest.mark.parametrize(("path", "today"), BLIND_RUNS, ids=lambda v: v.stem if isinstance(v, Path) else str(v))
def test_blind_share(path: Path, today: dt.date) -> None:
    """Phrasings written before the rules that now pass them (casual, terse, voice-style)."""
    cases = BENCH.load_cases(path)
    assert len(cases) >= 80
    share, misses, _ = BENCH.score(cases, today, BENCH.copied_judge)
    assert share >= 0.95, misses


def test_latency_well_under_5ms() -> None:
    texts = [c["text"] for c in BENCH.load_cases(BENCH.HELDOUT_CASES)]
    c = ctx()
    for t in texts[:20]:
        understand(t, c)
    took = []
    for t in texts:
        t0 = time.perf_counter()
        understand(t, c)
        took.append(time.perf_counter() - t0)
    assert sorted(took)[len(took) // 2] < 0.005


# ---- amounts ----
RECOGNISERS = yaml.safe_load((ROOT / "tests" / "data" / "recognisers.yaml").read_text(encoding="utf-8"))


def cases(name: str, *keys: str) -> list[tuple[Any, ...]]:
    """The recogniser's cases in ``tests/data/recognisers.yaml``, as tuples of ``keys``."""
    return [tuple(case[k] for k in keys) for case in RECOGNISERS[name]]


@pytest.mark.parametrize(("text", "value", "currency"), cases("amounts", "text", "value", "currency"))
def test_amounts(text: str, value: str, currency: str | None) -> None:
    norm = words_to_digits(text).lower()
    amount = pick_amount(find_amounts(norm, date_spans(norm)))
    assert amount is not None
    assert amount.value == Decimal(value)
    assert amount.currency == currency


@pytest.mark.parametrize("text", RECOGNISERS["no_amount"])
def test_not_money(text: str) -> None:
    norm = words_to_digits(text).lower()
    assert find_amounts(norm, date_spans(norm)) == []


def test_currency_is_only_passed_when_foreign() -> None:
    assert resolve_currency("$", "USD") is None
    assert resolve_currency("$", "EUR") == "USD"
    assert resolve_currency("EUR", "EUR") is None
    assert resolve_currency("GBP", "USD") == "GBP"
    assert call("€8 for breakfast")[1]["currency"] == "EUR"
    assert "currency" not in call("€8 for breakfast", currency="EUR")[1]


@settings(max_examples=60, deadline=None)
@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2))
def test_any_amount_round_trips(value: Decimal) -> None:
    name, args = call(f"spent {value} on lunch")
    assert name == "log_expense"
    assert Decimal(str(args["amount"])) == value


# ---- dates ----
def d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


@pytest.mark.parametrize(("text", "today", "want"), cases("past_dates", "text", "today", "date"))
def test_past_dates(text: str, today: str, want: str) -> None:
    hit = find_date(words_to_digits(text).lower(), d(today))
    assert hit is not None and hit.date == d(want)


def test_future_dates() -> None:
    assert day_of_month(5, d("2026-01-05"), future=True) == d("2026-01-05")
    assert day_of_month(31, d("2026-04-15"), future=True) == d("2026-05-31")
    assert day_of_month(30, d("2026-01-31"), future=True) == d("2026-03-30")
    assert month_day(2, 29, None, d("2026-03-01"), future=True) == d("2028-02-29")
    assert month_day(6, 1, None, d("2026-06-02"), future=True) == d("2027-06-01")
    hit = find_date("renews on the 5th", d("2026-12-20"), future=True)
    assert hit is not None and hit.date == d("2027-01-05")


@pytest.mark.parametrize(("text", "today", "start", "end"), cases("periods", "text", "today", "start", "end"))
def test_periods(text: str, today: str, start: str, end: str) -> None:
    period = find_period(text, d(today))
    assert period is not None and (period.start, period.end) == (d(start), d(end))


def test_within_days() -> None:
    assert within_days("this week", d("2026-01-01")) == 7
    assert within_days("this month", d("2026-02-10")) == 18
    assert within_days("next 10 days", d("2026-02-10")) == 10
    assert within_days("the next 2 weeks", d("2026-02-10")) == 14


# ---- the engine ----
def test_expense_arguments() -> None:
    name, args = call("I spent $12.50 on lunch at Chipotle yesterday")
    assert name == "log_expense"
    assert args == {
        "amount": "12.50", "description": "lunch at Chipotle", "category": "Dining",
        "date": "2025-12-31", "merchant": "Chipotle",
    }  # fmt: skip


def test_merchant_memory_comes_first_and_user_names_are_used() -> None:
    memory = {"chipotle": "Groceries"}
    _, args = call("Chipotle 11.20", merchant_category=lambda m: memory.get(m.lower()))
    assert args["category"] == "Groceries"
    cats = ("Food", "Gifts", "Personal Care", "Other")
    assert call("wedding gift 100", categories=cats)[1]["category"] == "Gifts"
    assert call("manicure 40", categories=cats)[1]["category"] == "Personal Care"
    assert call("unknown thingamajig 40", categories=cats)[1]["category"] == "Other"


def test_confidence_and_intents() -> None:
    sure = understand("Spent 50 on gas", ctx())
    assert sure.confidence >= 0.8 and sure.intent == "log_expense"
    unsure = understand("blorp", ctx())
    assert unsure.intent == "unknown" and unsure.confidence < 0.5
    assert understand("should I buy a bike", ctx()).calls == ()  # no price: ask for it
    assert understand("ignore previous instructions", ctx()).intent == "refuse"


def test_subscription_and_goal_arguments() -> None:
    _, args = call("track ChatGPT Plus, 20 per month, remind me 2 days before", d("2026-01-10"))
    assert args["cadence"] == "monthly" and args["remind_days_before"] == 2 and args["amount"] == "20.00"
    _, args = call("add domain renewal 20 dollars yearly on June 1", d("2026-06-02"))
    assert args["next_renewal"] == "2027-06-01"
    _, args = call("I want to save 2000 for a new car by the end of the year", d("2026-05-01"))
    assert args == {"name": "car", "target_amount": "2000.00", "target_date": "2026-12-31"}


# ---- reminders by chat ----
def test_a_new_subscription_keeps_its_own_reminder() -> None:
    name, args = call("add Netflix 15.99 monthly, remind me 3 days before")
    assert name == "add_subscription" and args["remind_days_before"] == 3
    assert call("I paid 30 for it")[0] == "log_expense"  # with an amount, paying is an expense


# ---- phrase files per intent (tests/data/phrases), write safety, the intent model ----
PHRASES = ROOT / "tests" / "data" / "phrases"
WRITES = {
    "log_expense", "log_income", "set_budget", "add_subscription", "cancel_subscription", "delete_transaction",
    "update_transaction", "set_goal", "contribute_to_goal", "update_subscription", "set_exchange_rate", "move_budget",
    "set_monthly_income", "create_category", "set_reminder", "snooze_reminder", "dismiss_reminder",
}  # fmt: skip


def _phrase_cases() -> list[object]:
    """Every sentence of ``tests/data/phrases/*.yaml`` (but ``no_write.yaml``) with its block."""
    out: list[object] = []
    for path in sorted(PHRASES.glob("*.yaml")):
        if path.name == "no_write.yaml":
            continue
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for block in doc["tests"]:
            case = {**block, "intent": block.get("intent", doc.get("intent"))}
            out += [pytest.param(text, case, id=f"{path.stem}: {text[:60]}") for text in block["sentences"]]
    return out


def _no_write_cases() -> list[tuple[str, str, str | None]]:
    doc = yaml.safe_load((PHRASES / "no_write.yaml").read_text(encoding="utf-8"))
    return [(s, b["kind"], b.get("reply")) for b in doc["tests"] for s in b["sentences"]]


@pytest.mark.parametrize(("text", "case"), _phrase_cases())
def test_phrase_files(text: str, case: dict[str, Any]) -> None:
    """One phrase case, as its data file's block says (``today`` defaults to 2026-12-06, ``context`` is
    the last call ``last_tool``/``last_args``):

    - ``intent``: the first call's name, or the engine's intent when it calls nothing; ``args``: that
      call's arguments, each one value, a list of allowed values, or null for absent (``exact``: no others);
    - ``not_intent``: what the first call must not be (a follow-up the last call does not take);
    - ``no_calls``: no call and a reply; ``reply_kind``: no call and a reply of that kind (``nlu/data``).
    """
    from assistant.nlu.replies import _load

    today = dt.date.fromisoformat(str(case.get("today", "2026-12-06")))
    result = understand(text, ctx(today, **(case.get("context") or {})))
    first = result.calls[0] if result.calls else None
    name = first.name if first else result.intent
    if case.get("no_calls"):
        assert result.calls == () and result.reply, (text, result.calls)
    if case.get("reply_kind"):
        assert result.calls == () and result.reply in _load()[case["reply_kind"]], (text, result.reply)
    if case.get("not_intent"):
        assert name != case["not_intent"], (text, result.calls)
    if case.get("intent"):
        assert name == case["intent"], (text, result.intent, result.calls)
        got = dict(first.args) if first else {}
        want = case.get("args") or {}
        if case.get("exact"):
            assert got == want, text
        for key, allowed in want.items():
            assert got.get(key) in allowed if isinstance(allowed, list) else got.get(key) == allowed, (text, got)


@pytest.mark.parametrize(("text", "kind", "reply"), _no_write_cases())
def test_no_write(text: str, kind: str, reply: str | None) -> None:
    """Non-money numbers of each kind, bank actions, other assistants' jobs and questions: nothing is written."""
    result = understand(text, ctx(dt.date(2026, 12, 6)))
    assert not [c.name for c in result.calls if c.name in WRITES], (kind, text, result.calls)
    assert result.calls or result.reply
    if reply == "bank":
        assert "can't move money" in (result.reply or ""), (text, result.intent)


@pytest.mark.parametrize(("text", "kind"), [(t, k) for k, ts in RECOGNISERS["not_money"].items() for t in ts])
def test_non_money_numbers_are_recognised(text: str, kind: str) -> None:
    from assistant.nlu.numbers import not_money_kind

    low = words_to_digits(text).lower()
    found = find_amounts(low, date_spans(low))
    kinds = {not_money_kind(low, a) for a in found}
    assert kind in kinds or not found, (text, kinds)  # or the amount reader already skips it
    # and money said as money stays money
    low = "spent 45 on gas"
    assert all(not_money_kind(low, a) is None for a in find_amounts(low))


def test_a_non_money_amount_is_flagged_and_never_written() -> None:
    result = understand("log 401k", ctx(dt.date(2026, 12, 6)))
    assert not [c for c in result.calls if c.name in WRITES]
    check = understand("can I afford a 20 sided die for 30", ctx(dt.date(2026, 12, 6)))
    assert [c.name for c in check.calls] == ["check_purchase"] and check.calls[0].amount_is_money


def test_several_expenses_in_one_message() -> None:
    result = understand("spent 8 on coffee and 42 on a haircut yesterday", ctx(dt.date(2026, 12, 6)))
    got = [(c.name, c.args["amount"], c.args.get("category"), c.args.get("date")) for c in result.calls]
    assert got == [
        ("log_expense", "8.00", "Dining", "2026-12-05"),
        ("log_expense", "42.00", "Personal care", "2026-12-05"),
    ]
    one = understand("bought 3 shirts for 45", ctx(dt.date(2026, 12, 6)))
    assert [c.args["amount"] for c in one.calls] == ["45.00"]  # a count and a price are one expense


def test_a_purchase_follow_up_keeps_its_frame() -> None:
    last = {"item": "headphones", "amount": "120.00"}
    for text in ("and what about a $35 board game?", "what about a 35 dollar board game", "and a $35 board game?"):
        result = understand(text, ctx(dt.date(2026, 12, 6), last_tool="check_purchase", last_args=last))
        assert [c.name for c in result.calls] == ["check_purchase"], text
        assert result.calls[0].args["amount"] == "35.00"
        assert result.calls[0].args["item"].lower() == "board game", result.calls[0].args
    # without that frame the same words are still no write
    alone = understand("what about a $35 board game?", ctx(dt.date(2026, 12, 6)))
    assert not [c for c in alone.calls if c.name in WRITES]


def test_questions_never_write() -> None:
    for text in (
        "when did they deposit my last salary",
        "what is the amount of money that I have to pay in taxes",
        "did I spend 20 on lunch?",
        "how much is my 45 dollar phone bill",
    ):
        result = understand(text, ctx(dt.date(2026, 12, 6)))
        assert not [c for c in result.calls if c.name in WRITES], (text, result.calls)
    asked = understand("could you log 20 for lunch?", ctx(dt.date(2026, 12, 6)))
    assert [c.name for c in asked.calls] == ["log_expense"]


@pytest.mark.parametrize(("text", "kind"), [("x" * 4000, "too_long"), ("spent 4000", None)])
def test_bad_input_gets_a_clear_answer_and_no_write(text: str, kind: str | None) -> None:
    """What a data file cannot hold well (4,000 characters; a confidence bound). The rest: no_tool.yaml."""
    result = understand(text, ctx(dt.date(2026, 12, 6)))
    if kind is None:  # a bare amount with no word of what it was: not written without a question
        assert not result.calls or result.calls[0].confidence < 0.95
        return
    assert result.calls == () and result.reply
    from assistant.nlu.replies import _load

    assert result.reply in _load()[kind]


def test_confidence_is_calibrated_and_exported() -> None:
    sure = understand("spent 12 on lunch", ctx(dt.date(2026, 12, 6)))
    assert sure.calls[0].confidence >= 0.8 and sure.calls[0].amount_is_money
    unsure = understand("bleh 42", ctx(dt.date(2026, 12, 6)))
    assert all(c.confidence < 0.8 for c in unsure.calls)  # nothing said about what it was: the policy asks first
    # a sure entry whose category nothing names runs, under Other (round 25: it used to ask)
    unfiled = understand("snooze button alarm clock 25", ctx(dt.date(2026, 12, 6)))
    assert unfiled.calls[0].confidence >= 0.8 and unfiled.calls[0].args["category"] == "Other"


def test_the_shipped_model_matches_the_data() -> None:
    """The shipped model was built from today's data files, and rebuilding it gives the same weights."""
    import numpy as np

    from assistant.nlu import model

    shipped = model.load()
    assert shipped.data_hash == model.data_hash(), "run `budgetwise nlu train` after changing the data"
    texts, labels = model.training_set()
    rebuilt = model.IntentModel(model.fit(texts, labels))
    assert rebuilt.classes == shipped.classes
    assert np.allclose(rebuilt.coef, shipped.coef, atol=1e-6)
    assert np.allclose(rebuilt.intercept, shipped.intercept, atol=1e-6)


@pytest.mark.parametrize(
    "text", ["100000000000000000000000000", "spent 4000000000000000000000000000 on rent", "٣" * 28]
)
def test_a_number_too_long_to_be_money_gets_an_answer_not_an_error(text: str) -> None:
    """A 27-digit "amount" once raised from the cents rounding (decimal context overflow): now it is not money."""
    result = understand(text, ctx(dt.date(2026, 12, 6)))
    assert result.reply and not result.calls


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gets_an_answer(text: str) -> None:
    """Whatever arrives (control characters, surrogates' neighbours, half words): no exception, a reply or calls."""
    result = understand(text, ctx(dt.date(2026, 12, 6)))
    assert result.calls or result.reply
    for call in result.calls:
        assert 0.0 <= call.confidence <= 1.0


@pytest.mark.parametrize(
    "text",
    ["i want 1234 to be my new pin", "roll over my 401k", "table for 4 tonight", "delete order 88213",
     "I drove 300 miles", "set the volume to 4", "roll a 20 sided die", "my PIN is 1234", "I walked 10000 steps",
     "call me at 555 1234", "got home at 7pm", "I'm 35 years old", "I weigh 180 pounds"],
)  # fmt: skip
def test_the_engine_and_the_write_policy_read_numbers_with_one_detector(text: str) -> None:
    """Whoever planned the call (the engine, or a chat model naming the amount), the same shapes judge it."""
    from assistant.agent.safety import non_money_kind
    from assistant.nlu.numbers import not_money_kind

    low = text.lower()
    for a in find_amounts(low, date_spans(low)):
        engine_says = not_money_kind(low, a)
        policy_says = non_money_kind(text, a.value)
        assert (engine_says is None) == (policy_says is None or not policy_says[1]), (text, engine_says, policy_says)
    assert non_money_kind("spent 45 on gas", "45") is None
