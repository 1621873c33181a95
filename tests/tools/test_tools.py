"""The agent's tools: the contract's 21, each acting for the context's user only, errors as results.

Tools commit their own unit of work, so these tests use committed users of their own (unique
emails) instead of the rolled-back ``user`` fixture.
"""

from __future__ import annotations

import dataclasses
import uuid
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from assistant.agent.replies import compose_reply
from assistant.clock import FixedClock
from assistant.db import unit_of_work
from assistant.models import MerchantMemory, Transaction
from assistant.services.conversations import load_setup
from assistant.services.users import create_user
from tools import TOOL_NAMES, ToolContext, build_tools, run_tool

CONTRACT_TOOLS = {
    "log_expense": {"amount", "description", "category", "date", "currency", "merchant"},
    "log_income": {"amount", "source", "date", "currency"},
    "check_purchase": {"item", "amount", "category"},
    "budget_summary": {"month", "category"},
    "spending_summary": {"start", "end", "category", "merchant"},
    "set_budget": {"category", "amount", "month"},
    "add_subscription": {"name", "amount", "cadence", "next_renewal", "remind_days_before", "category"},
    "list_subscriptions": {"within_days", "name"},
    "cancel_subscription": {"name"},
    "list_transactions": {"start", "end", "category", "limit", "merchant"},
    "update_transaction": {"transaction_id", "amount", "category", "date", "description"},
    "delete_transaction": {"transaction_id"},
    "set_goal": {"name", "target_amount", "target_date"},
    "goal_progress": {"name"},
    "get_insights": {"month"},
    "contribute_to_goal": {"name", "amount"},
    "update_subscription": {"name", "amount", "cadence", "next_renewal", "remind_days_before", "category"},
    "set_exchange_rate": {"currency", "rate"},
    "move_budget": {"from_category", "to_category", "amount", "month"},
    "set_monthly_income": {"amount"},
    "create_category": {"name", "kind", "necessity_score"},
}


def new_user(engine: Engine) -> int:
    with unit_of_work(engine) as s:
        user = create_user(s, email=f"t-{uuid.uuid4().hex[:12]}@example.com", timezone="America/New_York")
        assert user.id is not None
        return user.id


def tx_count(engine: Engine, user_id: int) -> int:
    with Session(engine) as s:
        return int(s.exec(select(func.count()).select_from(Transaction).where(Transaction.user_id == user_id)).one())


@pytest.fixture
def ctx(engine: Engine, clock: FixedClock) -> ToolContext:
    return ToolContext(engine=engine, user_id=new_user(engine), clock=clock, timezone="America/New_York")


def ok(ctx: ToolContext, tool: str, **args: Any) -> dict[str, Any]:
    good, result = run_tool(ctx, tool, args)
    assert good and result["ok"], result
    return result


# additions the contract allows, beside its fifteen (tools/reminders.py)
EXTRA_TOOLS = {
    "set_reminder": {"days_before", "name"},
    "snooze_reminder": {"until", "name"},
    "dismiss_reminder": {"name"},
    # money back for a purchase: lowers its category's spending (issue 13)
    "log_refund": {"amount", "description", "category", "date", "currency", "merchant"},
}


def test_tools_match_the_contract(ctx: ToolContext) -> None:
    tools = build_tools(ctx)
    assert {t.name for t in tools} == set(CONTRACT_TOOLS) | set(EXTRA_TOOLS) == set(TOOL_NAMES)
    for tool in tools:
        props = set(tool.args)
        assert props == {**CONTRACT_TOOLS, **EXTRA_TOOLS}[tool.name], tool.name
        assert "user_id" not in props


def test_structured_tool_runs_for_the_context_user(ctx: ToolContext) -> None:
    tool = next(t for t in build_tools(ctx) if t.name == "log_expense")
    out = tool.invoke({"amount": "4.25", "description": "coffee", "category": "Dining"})
    assert out["ok"] and out["transaction"]["amount"] == "4.25"
    assert tx_count(ctx.engine, ctx.user_id) == 1


def test_log_expense_reports_the_row_and_whats_left(ctx: ToolContext) -> None:
    ok(ctx, "set_budget", category="dining", amount=200)
    out = ok(
        ctx,
        "log_expense",
        amount="12.50",
        description="lunch",
        merchant="Chipotle",
        category="Dining",
        date="2026-11-21",
    )
    tx = out["transaction"]
    assert tx["amount"] == "12.50" and tx["category"] == "Dining" and tx["date"] == "2026-11-21"
    assert tx["source"] == "chat" and tx["currency"] == "USD"
    assert out["budget"]["remaining"] == "187.50" and out["budget"]["this_month"] is True
    reply = compose_reply("log_expense", {}, out, currency="USD", seed="x", today=ctx.clock.now().date())
    assert "$12.50" in reply and "$187.50" in reply and "Dining" in reply


@pytest.mark.parametrize("amount", [0, -5, "2000000", "abc", None, True])
def test_bad_amounts_are_refused_and_nothing_is_written(ctx: ToolContext, amount: Any) -> None:
    good, result = run_tool(ctx, "log_expense", {"amount": amount, "description": "x"})
    assert not good and result["ok"] is False
    assert result["error"]["code"] == "invalid" and "amount" in result["error"]["message"]
    assert tx_count(ctx.engine, ctx.user_id) == 0


@pytest.mark.parametrize(
    ("name", "args", "field"),
    [
        ("log_expense", {"amount": 5, "description": "x", "date": "2026-02-30"}, "date"),
        ("budget_summary", {"month": "2026-13"}, "month"),
        ("list_transactions", {"limit": 500}, "limit"),
        ("add_subscription", {"name": "Gym", "amount": 30, "cadence": "fortnightly"}, "cadence"),
        ("update_transaction", {"transaction_id": "yesterday's"}, "transaction_id"),
        ("no_such_tool", {}, "no_such_tool"),
    ],
)
def test_bad_arguments_come_back_as_readable_errors(ctx: ToolContext, name: str, args: Any, field: str) -> None:
    good, result = run_tool(ctx, name, args)
    assert not good and field in result["error"]["message"]


def test_unknown_category_lists_the_valid_ones(ctx: ToolContext) -> None:
    good, result = run_tool(ctx, "log_expense", {"amount": 5, "description": "x", "category": "spaceships"})
    assert not good and "Groceries" in result["error"]["message"] and "Dining" in result["error"]["message"]
    reply = compose_reply("log_expense", {}, result, currency="USD", seed=1)
    assert reply.startswith(("I couldn't", "Sorry", "That didn't")) and "spaceships" in reply
    assert tx_count(ctx.engine, ctx.user_id) == 0


def test_another_users_transaction_is_not_found(ctx: ToolContext, engine: Engine) -> None:
    other = ToolContext(engine=engine, user_id=new_user(engine), clock=ctx.clock, timezone=ctx.timezone)
    theirs = ok(other, "log_expense", amount=99, description="their secret dinner")["transaction"]["id"]
    for name, args in [
        ("update_transaction", {"transaction_id": theirs, "amount": 1}),
        ("delete_transaction", {"transaction_id": theirs}),
        ("update_transaction", {"transaction_id": str(theirs), "category": "Health"}),
    ]:
        good, result = run_tool(ctx, name, args)
        assert not good and result["error"]["code"] == "not_found"
        assert "secret" not in str(result)
    row = ok(other, "list_transactions")["items"][0]
    assert row["amount"] == "99.00" and row["category"] == "Other"


def test_a_user_id_argument_is_ignored(ctx: ToolContext, engine: Engine) -> None:
    other_id = new_user(engine)
    ok(ctx, "log_expense", amount=3, description="gum", user_id=other_id)
    assert tx_count(engine, ctx.user_id) == 1 and tx_count(engine, other_id) == 0


def test_check_purchase_never_writes(ctx: ToolContext) -> None:
    ok(ctx, "set_budget", category="Shopping", amount=100)
    out = ok(ctx, "check_purchase", item="jacket", amount=300, category="Shopping")
    assert out["decision"] in {"buy", "wait", "dont_buy"} and Decimal(out["amount"]) == 300
    assert tx_count(ctx.engine, ctx.user_id) == 0


def test_a_category_correction_teaches_merchant_memory(ctx: ToolContext) -> None:
    ok(ctx, "log_expense", amount=12.5, description="lunch", merchant="Chipotle", category="Dining")
    out = ok(ctx, "update_transaction", transaction_id="last", category="groceries")
    assert out["transaction"]["category"] == "Groceries" and out["before"]["category"] == "Dining"
    with Session(ctx.engine) as s:
        assert s.exec(select(MerchantMemory).where(MerchantMemory.user_id == ctx.user_id)).first() is not None
    assert (
        ok(ctx, "log_expense", amount=9, description="burrito", merchant="Chipotle")["transaction"]["category"]
        == "Groceries"
    )


def test_a_turns_later_calls_see_what_its_earlier_calls_changed(ctx: ToolContext, clock: FixedClock) -> None:
    """A turn's calls look categories and merchant memory up in the copy read with the turn's
    context; a call that creates a category or teaches the memory makes the next calls read anew."""
    ok(ctx, "log_expense", amount=12.5, description="lunch", merchant="Chipotle", category="Dining")
    setup = load_setup(ctx.engine, ctx.user_id, clock, budgets=False)
    turn = dataclasses.replace(ctx, user=setup.user, known=setup.known)
    assert (
        ok(turn, "log_expense", amount=3, description="chips", merchant="Chipotle", category="dining")["transaction"][
            "category"
        ]
        == "Dining"
    )
    ok(turn, "update_transaction", transaction_id="last", category="groceries")
    logged = ok(turn, "log_expense", amount=9, description="burrito", merchant="Chipotle")
    assert logged["transaction"]["category"] == "Groceries"
    ok(turn, "create_category", name="Pets")
    assert (
        ok(turn, "log_expense", amount=20, description="kibble", category="pets")["transaction"]["category"] == "Pets"
    )


def test_every_tool_works_end_to_end(ctx: ToolContext) -> None:
    ok(ctx, "set_budget", category="Groceries", amount="400")
    ok(ctx, "log_expense", amount="87.20", description="weekly shop", merchant="Aldi", category="Groceries")
    income = ok(ctx, "log_income", amount=3000, source="salary")
    assert income["transaction"]["kind"] == "income" and income["transaction"]["category"] == "Salary"
    summary = ok(ctx, "budget_summary", category="Groceries")
    assert summary["categories"][0]["remaining"] == "312.80"
    spending = ok(ctx, "spending_summary", start="2026-11-01", end="2026-11-30")
    assert Decimal(spending["total"]) == Decimal("87.20")
    sub = ok(ctx, "add_subscription", name="Netflix", amount=15.49, cadence="monthly")["subscription"]
    assert sub["amount"] == "15.49" and sub["active"]
    assert ok(ctx, "list_subscriptions", within_days=60)["total"] == 1
    assert ok(ctx, "cancel_subscription", name="netflix")["subscription"]["active"] is False
    assert ok(ctx, "list_subscriptions")["total"] == 0
    listed = ok(ctx, "list_transactions", limit=1)
    assert listed["total"] == 2 and len(listed["items"]) == 1
    changed = ok(ctx, "update_transaction", transaction_id="last", amount=3100)
    assert changed["transaction"]["amount"] == "3100.00" and changed["changed"] == ["amount"]
    assert ok(ctx, "delete_transaction", transaction_id="last")["deleted"]["amount"] == "3100.00"
    goal = ok(ctx, "set_goal", name="Emergency fund", target_amount=5000, target_date="2027-12-31")["goal"]
    assert goal["target_amount"] == "5000.00"
    assert ok(ctx, "goal_progress", name="emergency")["items"][0]["name"] == "Emergency fund"
    assert ok(ctx, "get_insights")["month"] == "2026-11"
    good, result = run_tool(ctx, "update_transaction", {"transaction_id": "last"})
    assert not good and "change" in result["error"]["message"]


def test_log_refund_lowers_its_categorys_spending_and_is_not_income(ctx: ToolContext) -> None:
    ok(ctx, "log_expense", amount="80", description="jacket", category="Shopping", date="2026-11-20")
    out = ok(ctx, "log_refund", amount="30", description="jacket returned", category="Shopping", date="2026-11-21")
    assert out["transaction"]["kind"] == "refund" and out["transaction"]["category"] == "Shopping"
    summary = ok(ctx, "spending_summary", start="2026-11-01", end="2026-11-22")
    assert [(c["category"], c["amount"]) for c in summary["by_category"]] == [("Shopping", "50.00")]
    assert ok(ctx, "budget_summary", month="2026-11").get("income") in ("0", "0.00", None)
