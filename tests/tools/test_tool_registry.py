"""The tool registry: every tool's real result fills its typed Result, and its chip says what it did.

Why: the replies and the browser's chips read each tool's result through its ``Result`` model;
a field a tool stops returning (or never returned, the old ``percent_complete`` guess) would
read as a default and print "?" or nothing. Here every tool runs for real and each field its
model declares must be in what it returned.
"""

# ruff: noqa: F811  (pytest fixtures imported from api_support are parameters here)

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy.engine import Engine

from assistant.agent.runner import AgentRunner
from assistant.clock import FixedClock
from assistant.db import unit_of_work
from assistant.models import ChatMessage
from assistant.scheduler.poll import poll
from assistant.settings import Settings
from tests.api_support import Account, alice, app, client  # noqa: F401
from tools import READ_ONLY, REGISTRY, TOOL_NAMES, WRITE_TOOLS, ToolContext, chip_of, run_tool
from tools.results import View

from .test_tools import new_user

TODAY = dt.date(2026, 11, 22)

# One call of every tool, in an order where each finds what it needs (a budget, a subscription...).
CALLS: list[tuple[str, dict[str, Any]]] = [
    ("set_budget", {"category": "Dining", "amount": 200}),
    ("log_expense", {"amount": "12.50", "description": "lunch", "merchant": "Chipotle", "category": "Dining"}),
    ("log_income", {"amount": 1000, "source": "salary"}),
    ("log_refund", {"amount": 5, "description": "headphones", "category": "Dining"}),
    ("check_purchase", {"item": "tv", "amount": 500}),
    ("budget_summary", {}),
    ("spending_summary", {"start": "2026-11-01", "end": "2026-11-22"}),
    ("add_subscription", {"name": "Netflix", "amount": 15.99, "cadence": "monthly", "next_renewal": "2026-11-25"}),
    ("list_subscriptions", {}),
    ("poll", {}),  # the scheduler's run: Netflix renews in 3 days, inside its 7-day lead, so a reminder
    ("snooze_reminder", {"until": "2026-11-24"}),
    ("dismiss_reminder", {"name": "Netflix"}),
    ("list_transactions", {"limit": 2}),
    ("update_transaction", {"transaction_id": "last", "amount": 6}),
    ("set_goal", {"name": "Fund", "target_amount": 1000, "target_date": "2027-06-01"}),
    ("goal_progress", {}),
    ("get_insights", {}),
    ("contribute_to_goal", {"name": "Fund", "amount": 100}),
    ("update_subscription", {"name": "Netflix", "amount": 17.99}),
    ("set_exchange_rate", {"currency": "EUR", "rate": 1.08}),
    ("move_budget", {"from_category": "Dining", "to_category": "Groceries", "amount": 50}),
    ("set_monthly_income", {"amount": 3000}),
    ("create_category", {"name": "Pets"}),
    ("set_reminder", {"days_before": 3}),
    ("cancel_subscription", {"name": "Netflix"}),
    ("delete_transaction", {"transaction_id": "last"}),
]
# Fields a Result declares that a tool returns only sometimes (said here, so no other may be missing).
SOMETIMES = {
    ("TxListResult", "merchant"),  # only when filtered by merchant
    ("SubListResult", "name"),  # only when filtered by name
    ("TxUpdateResult", "budget"),  # only for an expense
    ("LoggedResult", "budget"),  # not for income
    ("BudgetLine", "month"),  # the month and this_month: on a logged expense's line only
    ("BudgetLine", "this_month"),
    ("InsightsResult", "checkup"),
}


def unset_fields(model: BaseModel, where: str = "") -> list[str]:
    """Declared fields the data did not carry, through nested models and lists of them."""
    out = []
    for name in type(model).model_fields:
        key = (type(model).__name__, name)
        if name not in model.model_fields_set:
            if key not in SOMETIMES:
                out.append(f"{where}{type(model).__name__}.{name}")
            continue
        value = getattr(model, name)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, View):
                out += unset_fields(item, f"{where}{name}.")
    return out


@pytest.fixture
def ctx(engine: Engine, clock: FixedClock) -> ToolContext:
    return ToolContext(engine=engine, user_id=new_user(engine), clock=clock, timezone="America/New_York")


def test_every_tool_has_one_spec_and_the_calls_cover_them_all() -> None:
    assert list(REGISTRY) == list(TOOL_NAMES)
    assert {n for n, _ in CALLS} - {"poll"} == set(TOOL_NAMES)
    assert {n for n, s in REGISTRY.items() if s.read_only} == READ_ONLY and not READ_ONLY & WRITE_TOOLS


def test_every_result_fills_its_typed_model_and_every_chip_says_what_happened(
    ctx: ToolContext, clock: FixedClock
) -> None:
    for name, args in CALLS:
        if name == "poll":
            poll(ctx.engine, clock)
            continue
        ok, result = run_tool(ctx, name, args)
        assert ok, (name, result)
        found = REGISTRY[name]
        typed = found.result.model_validate(result)
        assert unset_fields(typed) == [], name
        chip = chip_of(name, ok, result)
        assert chip.kind == ("read" if found.read_only else "write"), name
        text = chip.plain("USD", TODAY)
        assert text and "?" not in text and "None" not in text, (name, text)
        logs = name in {"log_expense", "log_income", "log_refund"}
        assert (chip.undo_id == result["transaction"]["id"]) if logs else chip.undo_id is None, name


def test_chips_read_like_the_browser_showed_them(ctx: ToolContext) -> None:
    def chip(tool: str, /, **args: Any) -> str:
        ok, result = run_tool(ctx, tool, args)
        return chip_of(tool, ok, result).plain("USD", TODAY)

    assert (
        chip("log_expense", amount=40, description="food", category="Groceries") == "Logged $40.00 · Groceries · today"
    )
    assert chip("set_budget", category="Dining", amount=150) == "Budget Dining · $150.00 a month"
    assert chip("add_subscription", name="Netflix", amount="15.99", cadence="monthly", next_renewal="2026-12-03") == (
        "Added Netflix · $15.99 monthly · renews Dec 3"
    )
    assert chip("check_purchase", item="tv", amount=5000) == "Checked tv: don't buy"
    assert chip("list_transactions") == "Looked at transactions"
    failed = chip_of("delete_transaction", *run_tool(ctx, "delete_transaction", {"transaction_id": 999999}))
    assert failed.kind == "failed" and failed.plain().startswith("Could not delete that transaction: ")


async def test_tool_result_events_carry_the_chip(engine: Engine, db_url: str, clock: FixedClock) -> None:
    runner = AgentRunner(engine=engine, settings=Settings(database_url=db_url, llm="local"), clock=clock)
    uid = new_user(engine)
    events = [e.to_dict() async for e in runner.run_turn(uid, "spent 12.50 on lunch at chipotle")]
    (result,) = [e for e in events if e["type"] == "tool_result"]
    summary = result["summary"]
    assert summary["kind"] == "write" and summary["undo_id"] == result["result"]["transaction"]["id"]
    assert summary["text"][:2] == ["Logged ", {"money": "12.50", "currency": "USD"}]
    assert summary["text"][-1] == {"day": "2026-11-22"}  # "today" is worked out where it is shown


def test_history_gives_each_stored_call_its_chip(client: TestClient, alice: Account, engine: Engine) -> None:
    call = {"name": "log_income", "args": {}, "ok": True, "result": {"ok": True, "transaction": {
        "id": 7, "amount": "900.00", "currency": "USD", "category": "Salary", "date": "2026-11-20"}}}  # fmt: skip
    with unit_of_work(engine) as s:
        s.add(ChatMessage(user_id=alice.user["id"], role="assistant", content="Nice.", turn_id="t1", tool_calls=[call]))
    (item,) = client.get("/api/chat/history", headers=alice.headers).json()["items"]
    summary = item["tool_calls"][0]["summary"]
    assert summary == {
        "kind": "write",
        "text": ["Income ", {"money": "900.00", "currency": "USD"}, " · ", "Salary", " · ", {"day": "2026-11-20"}],
        "undo_id": 7,
    }


def test_null_arguments_count_as_not_given(ctx: ToolContext) -> None:
    """OpenAI's strict mode sends every argument, null for those the user did not say."""
    ok, result = run_tool(ctx, "log_expense", {"amount": "4.50", "description": "coffee", "category": None,
                                               "date": None, "currency": None, "merchant": None})  # fmt: skip
    assert ok and result["transaction"]["amount"] == "4.50" and result["transaction"]["currency"] == "USD"
    ok, listed = run_tool(ctx, "list_transactions", {"limit": None, "start": None, "end": None, "merchant": None})
    assert ok and listed["total"] == 1  # limit null is the default 20, not "must be an integer"
    ok, refused = run_tool(ctx, "log_expense", {"amount": None, "description": "coffee"})
    assert not ok and "amount" in refused["error"]["message"]
