"""The tools people asked for (issue 10), run as the agent runs them, on both backends.

Each tool commits its own unit of work, so these tests use committed users of their own. Every
reply checked here states figures that are in the tool's result, and every refusal leaves the
ledger as it was.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from assistant.agent.replies import compose_reply, compose_turn_reply
from assistant.clock import FixedClock
from assistant.models import Budget, Category, CurrencyRate, Goal, Subscription, User
from tools import WRITE_TOOLS, ToolContext, run_tool

from .test_tools import new_user, ok, tx_count

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def ctx(engine: Engine, clock: FixedClock) -> ToolContext:
    return ToolContext(engine=engine, user_id=new_user(engine), clock=clock, timezone="America/New_York")


def fails(ctx: ToolContext, tool: str, **args: Any) -> dict[str, Any]:
    good, result = run_tool(ctx, tool, args)
    assert not good and result["ok"] is False, result
    return result["error"]  # type: ignore[no-any-return]


def reply(tool: str, args: dict[str, Any], result: dict[str, Any]) -> str:
    return compose_reply(tool, args, result, currency="USD", seed="t", today=TODAY)


def budget_rows(engine: Engine, user_id: int) -> list[tuple[int, str, bool, Decimal]]:
    with Session(engine) as s:
        rows = s.exec(select(Budget).where(Budget.user_id == user_id)).all()
        return sorted((r.category_id, r.month, r.standing, r.amount) for r in rows)


def test_the_new_tools_are_write_tools() -> None:
    new = {"contribute_to_goal", "update_subscription", "set_exchange_rate", "move_budget"}
    assert new | {"set_monthly_income", "create_category"} <= WRITE_TOOLS


def test_contribute_to_goal_adds_to_the_named_goal(ctx: ToolContext) -> None:
    ok(ctx, "set_goal", name="Emergency fund", target_amount=1000, target_date="2027-11-22")
    out = ok(ctx, "contribute_to_goal", name="emergency", amount="200")
    goal = out["goal"]
    assert goal["saved_amount"] == "200.00" and goal["remaining"] == "800.00" and out["added"] == "200.00"
    text = reply("contribute_to_goal", {}, out)
    assert "$200.00" in text and "Emergency fund" in text and "$1,000.00" in text
    assert "$66.67" in text  # 800 over the 12 months left
    out = ok(ctx, "contribute_to_goal", name="Emergency fund", amount=800)
    assert out["goal"]["reached"] is True and "reached" in reply("contribute_to_goal", {}, out)
    assert fails(ctx, "contribute_to_goal", name="yacht", amount=5)["code"] == "not_found"
    assert fails(ctx, "contribute_to_goal", name="Emergency fund", amount=0)["code"] == "invalid"
    assert tx_count(ctx.engine, ctx.user_id) == 0  # saving toward a goal is not an expense


def test_update_subscription_changes_only_what_was_said(ctx: ToolContext) -> None:
    ok(ctx, "add_subscription", name="Netflix", amount="15.49", cadence="monthly", next_renewal="2026-12-01")
    out = ok(ctx, "update_subscription", name="netflix", amount="17.99")
    assert out["subscription"]["amount"] == "17.99" and out["before"]["amount"] == "15.49"
    assert out["changed"] == ["amount"] and out["subscription"]["next_renewal"] == "2026-12-01"
    text = reply("update_subscription", {}, out)
    assert "$17.99" in text and "$15.49" in text and "Dec 1" in text
    out = ok(
        ctx, "update_subscription", name="Netflix", cadence="yearly", remind_days_before=3, category="Entertainment"
    )
    sub = out["subscription"]
    assert (sub["cadence"], sub["remind_days_before"], sub["category"]) == ("yearly", 3, "Entertainment")
    assert fails(ctx, "update_subscription", name="Netflix")["code"] == "invalid"  # nothing to change
    assert fails(ctx, "update_subscription", name="Hulu", amount=5)["code"] == "not_found"
    assert fails(ctx, "update_subscription", name="Netflix", cadence="daily")["code"] == "invalid"


def test_set_exchange_rate_makes_foreign_amounts_count(ctx: ToolContext) -> None:
    ok(ctx, "log_expense", amount=10, description="croissant", currency="EUR", date="2026-11-20")
    before = ok(ctx, "spending_summary", start="2026-11-01", end="2026-11-30")
    assert before["total"] == "0.00" and before["missing_rates"] == ["EUR"]
    out = ok(ctx, "set_exchange_rate", currency="eur", rate="1.08")
    assert (out["currency"], out["rate"], out["base"]) == ("EUR", "1.08", "USD")
    assert "1 EUR = 1.08 USD" in reply("set_exchange_rate", {}, out)
    after = ok(ctx, "spending_summary", start="2026-11-01", end="2026-11-30")
    assert after["total"] == "10.80" and after["missing_rates"] == []
    ok(ctx, "set_exchange_rate", currency="EUR", rate=1.1)  # replaces, never duplicates
    with Session(ctx.engine) as s:
        rates = s.exec(select(CurrencyRate).where(CurrencyRate.user_id == ctx.user_id)).all()
        assert [(r.currency, r.rate) for r in rates] == [("EUR", Decimal("1.1"))]
    assert fails(ctx, "set_exchange_rate", currency="USD", rate=1)["field"] == "currency"
    assert fails(ctx, "set_exchange_rate", currency="XYZ", rate=1)["code"] == "invalid"
    assert fails(ctx, "set_exchange_rate", currency="GBP", rate=0)["code"] == "invalid"


def test_move_budget_moves_this_month_only(ctx: ToolContext) -> None:
    ok(ctx, "set_budget", category="Dining", amount=300)
    ok(ctx, "set_budget", category="Groceries", amount=400)
    ok(ctx, "log_expense", amount=50, description="dinner", category="Dining")
    out = ok(ctx, "move_budget", from_category="dining", to_category="groceries", amount=100)
    assert out["month"] == "2026-11" and out["amount"] == "100.00"
    assert (out["from_line"]["budget"], out["from_line"]["remaining"]) == ("200.00", "150.00")
    assert (out["to_line"]["budget"], out["to_line"]["remaining"]) == ("500.00", "500.00")
    text = reply("move_budget", {}, out)
    assert "$100.00" in text and "$200.00" in text and "$500.00" in text and "November 2026" in text
    summary = ok(ctx, "budget_summary")
    assert {c["category"]: c["budget"] for c in summary["categories"]} == {"Dining": "200.00", "Groceries": "500.00"}
    assert summary["total_budget"] == "700.00"  # moved, not created
    december = ok(ctx, "budget_summary", month="2026-12")  # the standing budgets are untouched
    assert {c["category"]: c["budget"] for c in december["categories"]} == {"Dining": "300.00", "Groceries": "400.00"}


def test_move_budget_needs_the_room_and_writes_nothing_otherwise(ctx: ToolContext) -> None:
    ok(ctx, "set_budget", category="Dining", amount=100)
    ok(ctx, "log_expense", amount=70, description="dinner", category="Dining")
    before = budget_rows(ctx.engine, ctx.user_id)
    err = fails(ctx, "move_budget", from_category="Dining", to_category="Groceries", amount=50)
    assert err["field"] == "amount" and "$30.00 left" in err["message"] and "$70.00 spent of $100.00" in err["message"]
    assert "$30.00 left" in reply("move_budget", {}, {"ok": False, "error": err})
    assert fails(ctx, "move_budget", from_category="Shopping", to_category="Dining", amount=5)["field"] == (
        "from_category"
    )  # no budget to take from
    assert fails(ctx, "move_budget", from_category="Dining", to_category="Dining", amount=5)["code"] == "invalid"
    assert fails(ctx, "move_budget", from_category="Dining", to_category="Salary", amount=5)["field"] == "to_category"
    assert fails(ctx, "move_budget", from_category="Dining", to_category="Spaceships", amount=5)["code"] == "invalid"
    assert budget_rows(ctx.engine, ctx.user_id) == before
    ok(ctx, "move_budget", from_category="Dining", to_category="Groceries", amount=30)  # exactly the room
    assert fails(ctx, "move_budget", from_category="Dining", to_category="Groceries", amount="0.01")["field"] == (
        "amount"
    )


def test_move_budget_for_a_named_month(ctx: ToolContext) -> None:
    ok(ctx, "set_budget", category="Travel", amount=500)
    out = ok(ctx, "move_budget", from_category="Travel", to_category="Gifts", amount=500, month="2026-12")
    assert out["from_line"]["budget"] == "0.00" and out["to_line"]["category"] == "Gifts & Donations"
    december = ok(ctx, "budget_summary", month="2026-12")
    assert {c["category"]: c["budget"] for c in december["categories"]} == {"Gifts & Donations": "500.00"}
    november = ok(ctx, "budget_summary")
    assert {c["category"]: c["budget"] for c in november["categories"]} == {"Travel": "500.00"}


def test_set_monthly_income_is_not_a_transaction(ctx: ToolContext) -> None:
    ok(ctx, "log_income", amount=1500, source="salary", date="2026-11-15")
    ok(ctx, "log_expense", amount=40, description="groceries", category="Groceries")
    out = ok(ctx, "set_monthly_income", amount="3200")
    assert (out["monthly_income"], out["received"], out["expected_left"]) == ("3200.00", "1500.00", "1700.00")
    text = reply("set_monthly_income", {}, out)
    assert "$3,200.00" in text and "$1,500.00" in text and "$40.00" in text
    assert tx_count(ctx.engine, ctx.user_id) == 2  # nothing logged, no subscription made
    with Session(ctx.engine) as s:
        user = s.get(User, ctx.user_id)
        assert user is not None and user.monthly_income == Decimal("3200.00")
        assert s.exec(select(Subscription).where(Subscription.user_id == ctx.user_id)).first() is None
    assert fails(ctx, "set_monthly_income", amount=-5)["code"] == "invalid"


def test_create_category_and_a_duplicate(ctx: ToolContext) -> None:
    out = ok(ctx, "create_category", name="Pets", necessity_score=7)
    assert out["category"] == {**out["category"], "name": "Pets", "kind": "expense", "necessity_score": 7}
    assert "Pets" in reply("create_category", {}, out)
    assert ok(ctx, "set_budget", category="pets", amount=80)["budget"]["category"] == "Pets"
    err = fails(ctx, "create_category", name="pets")
    assert err["code"] == "conflict" and "exists" in err["message"]
    assert fails(ctx, "create_category", name="Dining")["code"] == "conflict"
    side = ok(ctx, "create_category", name="Side gigs", kind="income")
    assert side["category"]["kind"] == "income" and side["category"]["necessity_score"] == 5
    assert fails(ctx, "create_category", name="X", necessity_score=11)["code"] == "invalid"


def test_merchant_filters_on_spending_and_transactions(ctx: ToolContext) -> None:
    ok(ctx, "log_expense", amount="5.40", description="latte", merchant="Starbucks", date="2026-11-03")
    ok(ctx, "log_expense", amount="6.10", description="coffee at STARBUCKS reserve", date="2026-11-12")
    ok(ctx, "log_expense", amount=30, description="lunch", merchant="Chipotle", date="2026-11-12")
    ok(ctx, "log_expense", amount=9, description="latte", merchant="Starbucks", date="2026-10-20")
    out = ok(ctx, "spending_summary", start="2026-11-01", end="2026-11-30", merchant="starbucks")
    assert (out["total"], out["count"], out["merchant"]) == ("11.50", 2, "starbucks")
    text = reply("spending_summary", {}, out)
    assert "$11.50" in text and "at Starbucks" in text and "Nov 1" in text
    none = ok(ctx, "spending_summary", start="2026-11-01", end="2026-11-30", merchant="100%_off")
    assert none["total"] == "0.00" and "No spending at 100%_off" in reply("spending_summary", {}, none)
    listed = ok(ctx, "list_transactions", merchant="Starbucks")
    assert [t["amount"] for t in listed["items"]] == ["6.10", "5.40", "9.00"] and listed["total"] == 3
    assert "$6.10" in reply("list_transactions", {"merchant": "Starbucks"}, listed)


def test_last_transaction_reply(ctx: ToolContext) -> None:
    empty = reply("list_transactions", {"limit": 1}, ok(ctx, "list_transactions", limit=1))
    assert empty in {"No transactions found.", "Nothing matches that."}
    ok(ctx, "log_expense", amount=12, description="lunch", merchant="Chipotle", date="2026-11-20")
    ok(ctx, "log_expense", amount="3.75", description="bus fare", category="Transport")
    out = ok(ctx, "list_transactions", limit=1)
    assert len(out["items"]) == 1 and out["total"] == 2
    text = reply("list_transactions", {"limit": 1}, out)
    assert "$3.75" in text and "bus fare" in text and "today" in text and "$12" not in text


def test_bills_and_due_dates(ctx: ToolContext) -> None:
    ok(ctx, "add_subscription", name="Water", amount=45, cadence="monthly", next_renewal="2026-12-03")
    ok(ctx, "add_subscription", name="Netflix", amount="15.49", cadence="monthly", next_renewal="2026-11-28")
    out = ok(ctx, "list_subscriptions", name="my water bill")
    assert [s["name"] for s in out["items"]] == ["Water"]
    item = out["items"][0]
    assert (item["amount"], item["next_renewal"], item["days_until"]) == ("45.00", "2026-12-03", 11)
    text = reply("list_subscriptions", {"name": "my water bill"}, out)
    assert "Water" in text and "$45.00" in text and "Dec 3" in text and "11 days" in text
    gas = ok(ctx, "list_subscriptions", name="gas")
    assert gas["items"] == [] and "gas" in reply("list_subscriptions", {"name": "gas"}, gas)
    soon = ok(ctx, "list_subscriptions", within_days=8)
    assert [s["name"] for s in soon["items"]] == ["Netflix"]


def test_how_am_i_doing_answers_with_numbers(ctx: ToolContext) -> None:
    ok(ctx, "log_expense", amount=100, description="dinners", category="Dining", date="2026-10-05")
    ok(ctx, "log_expense", amount=999, description="late october", category="Shopping", date="2026-10-28")
    ok(ctx, "log_expense", amount=150, description="dinners", category="Dining", date="2026-11-05")
    ok(ctx, "log_expense", amount=200, description="rent share", category="Housing", date="2026-11-06")
    ok(ctx, "log_expense", amount=60, description="shoes", category="Shopping", date="2026-11-10")
    out = ok(ctx, "get_insights")
    pace = out["checkup"]["pace"]
    assert pace["days"] == 22 and pace["this_period"]["total"] == "410.00"
    assert pace["last_period"] == {"start": "2026-10-01", "end": "2026-10-22", "total": "100.00"}
    assert pace["change"] == "310.00" and pace["change_pct"] == "310.0"
    cuts = out["checkup"]["where_to_cut"]
    assert [(c["category"], c["spent"], c["trim_saves"]) for c in cuts] == [
        ("Dining", "150.00", "30.00"),
        ("Shopping", "60.00", "12.00"),
    ]  # Housing (necessity 10) is not a place to cut
    text = reply("get_insights", {}, out)
    for figure in ("$410.00", "$310.00", "310%", "$100.00", "$150.00", "$30.00", "$12.00", "Housing $200.00"):
        assert figure in text, (figure, text)


def test_several_expenses_in_one_turn_are_all_kept(ctx: ToolContext) -> None:
    calls = []
    for args in (
        {"amount": 8, "description": "coffee", "category": "Dining"},
        {"amount": 42, "description": "haircut"},
    ):
        good, result = run_tool(ctx, "log_expense", args)
        assert good
        calls.append(("log_expense", args, result))
    assert tx_count(ctx.engine, ctx.user_id) == 2
    text = compose_turn_reply(calls, currency="USD", seed="s", today=TODAY)
    assert "$8.00" in text and "$42.00" in text and "$50.00" in text and "2 expenses" in text


def test_another_users_goal_subscription_and_category_cannot_be_touched(ctx: ToolContext, engine: Engine) -> None:
    other = ToolContext(engine=engine, user_id=new_user(engine), clock=ctx.clock, timezone=ctx.timezone)
    ok(other, "set_goal", name="Secret stash", target_amount=900)
    ok(other, "add_subscription", name="Secret club", amount=20, cadence="monthly")
    ok(other, "create_category", name="Secret hobby")
    ok(other, "set_budget", category="Secret hobby", amount=100)
    assert fails(ctx, "contribute_to_goal", name="Secret stash", amount=5)["code"] == "not_found"
    assert fails(ctx, "update_subscription", name="Secret club", amount=1)["code"] == "not_found"
    assert fails(ctx, "move_budget", from_category="Secret hobby", to_category="Dining", amount=5)["code"] == "invalid"
    assert ok(ctx, "list_subscriptions", name="secret")["items"] == []
    ok(ctx, "create_category", name="Secret hobby")  # a name of their own, not a clash with theirs
    with Session(engine) as s:
        goal = s.exec(select(Goal).where(Goal.user_id == other.user_id)).one()
        sub = s.exec(select(Subscription).where(Subscription.user_id == other.user_id)).one()
        hobby = s.exec(select(Category).where(Category.user_id == other.user_id, Category.name == "Secret hobby")).one()
        assert goal.saved_amount == Decimal("0.00") and sub.amount == Decimal("20.00")
        hobby_id = hobby.id
    assert budget_rows(engine, other.user_id) == [(hobby_id, "2026-11", True, Decimal("100.00"))]


def test_two_rates_at_once_keep_one_row_and_never_crash(ctx: ToolContext) -> None:
    import threading

    results: list[tuple[bool, dict[str, Any]]] = []
    barrier = threading.Barrier(4)

    def put(rate: str) -> None:
        barrier.wait()
        results.append(run_tool(ctx, "set_exchange_rate", {"currency": "CHF", "rate": rate}))

    threads = [threading.Thread(target=put, args=(f"1.1{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == 4 and any(good for good, _ in results)
    assert all(good or r["error"]["code"] == "conflict" for good, r in results), results
    with Session(ctx.engine) as s:
        rows = s.exec(select(CurrencyRate).where(CurrencyRate.user_id == ctx.user_id)).all()
        assert len(rows) == 1 and rows[0].rate in {Decimal(f"1.1{i}") for i in range(4)}
