"""The services behind issue 10's tools: budget moves, the monthly income, merchant and bill
filters and the month's check-up, on both backends."""

from __future__ import annotations

import threading
import uuid
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from assistant.clock import FixedClock
from assistant.db import unit_of_work
from assistant.errors import BudgetWiseError, InvalidInput
from assistant.models import User
from assistant.services import budget_moves, income, spending
from assistant.services import subscriptions as subs
from assistant.services import transactions as txs
from assistant.services.budgets import budget_summary, set_budget
from assistant.services.checkup import month_checkup
from assistant.services.users import create_user


def spend(session: Session, user: User, clock: FixedClock, amount: str, category: str, day: str, **kw: str) -> None:
    txs.add_transaction(session, user, amount=amount, category=category, date=day, clock=clock, **kw)


def lines(session: Session, user: User, clock: FixedClock, month: str | None = None) -> dict[str, Decimal]:
    return {c.category: c.budget for c in budget_summary(session, user, month, clock=clock).categories}


def test_move_budget_service(session: Session, user: User, clock: FixedClock) -> None:
    set_budget(session, user, "Dining", 300, clock=clock)
    set_budget(session, user, "Shopping", 200, month="2026-11", clock=clock)
    spend(session, user, clock, "120", "Dining", "2026-11-02")
    moved = budget_moves.move_budget(session, user, "Dining", "Shopping", "80.005", clock=clock)
    assert moved.amount == Decimal("80.01") and moved.month == "2026-11"
    assert moved.from_line.budget == Decimal("219.99") and moved.to_line.budget == Decimal("280.01")
    assert lines(session, user, clock) == {"Dining": Decimal("219.99"), "Shopping": Decimal("280.01")}
    assert lines(session, user, clock, "2026-12") == {"Dining": Decimal("300.00")}
    again = budget_moves.move_budget(session, user, "Dining", "Shopping", "99.99", clock=clock)
    assert again.from_line.remaining == Decimal("0.00")  # spent 120 of what is now 120
    with pytest.raises(InvalidInput, match=r"only \$0\.00 left"):
        budget_moves.move_budget(session, user, "Dining", "Shopping", 1, clock=clock)
    with pytest.raises(InvalidInput, match="month"):
        budget_moves.move_budget(session, user, "Dining", "Shopping", 1, month="2026-13", clock=clock)


def test_two_moves_at_once_cannot_spend_the_same_room(engine: Engine, clock: FixedClock) -> None:
    """Room for one move of 60, two at the same moment: exactly one goes through, nothing is lost."""
    with unit_of_work(engine) as s:
        user = create_user(s, email=f"m-{uuid.uuid4().hex[:10]}@example.com", timezone="America/New_York")
        set_budget(s, user, "Dining", 100, clock=clock)
        uid = user.id
    results: list[str] = []
    barrier = threading.Barrier(2)

    def move() -> None:
        barrier.wait()
        try:
            with unit_of_work(engine) as s:
                me = s.get(User, uid)
                assert me is not None
                budget_moves.move_budget(s, me, "Dining", "Groceries", 60, clock=clock)
            results.append("ok")
        except BudgetWiseError as err:
            results.append(str(err.code))

    threads = [threading.Thread(target=move) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results) in (["conflict", "ok"], ["invalid", "ok"])
    with Session(engine) as s:
        me = s.get(User, uid)
        assert me is not None
        assert lines(s, me, clock) == {"Dining": Decimal("40.00"), "Groceries": Decimal("60.00")}


def test_monthly_income_service(session: Session, user: User, clock: FixedClock) -> None:
    assert income.income_overview(session, user, clock=clock).monthly_income is None
    assert income.set_monthly_income(session, user, "3200.004") == Decimal("3200.00")
    txs.add_transaction(session, user, kind="income", amount=1000, description="pay", date="2026-11-01", clock=clock)
    txs.add_transaction(session, user, kind="income", amount=99, description="pay", date="2026-10-31", clock=clock)
    view = income.income_overview(session, user, clock=clock)
    assert (view.monthly_income, view.received, view.expected_left) == (
        Decimal("3200.00"),
        Decimal("1000.00"),
        Decimal("2200.00"),
    )
    with pytest.raises(InvalidInput):
        income.set_monthly_income(session, user, 0)
    income.clear_monthly_income(session, user)
    assert income.income_overview(session, user, clock=clock).expected_left is None


def test_merchant_filters_in_the_services(session: Session, user: User, clock: FixedClock) -> None:
    spend(session, user, clock, "5", "Dining", "2026-11-03", merchant="Starbucks")
    spend(session, user, clock, "7", "Dining", "2026-11-04", description="starbucks latte")
    spend(session, user, clock, "11", "Dining", "2026-11-05", merchant="Star_bucks")  # "_" is not a wildcard
    spend(session, user, clock, "30", "Shopping", "2026-11-05", merchant="Target")
    spend(session, user, clock, "4", "Dining", "2026-10-05", merchant="Starbucks")
    summary = spending.spending_summary(session, user, "2026-11-01", "2026-11-30", merchant="STARBUCKS", clock=clock)
    assert (summary.total, summary.count, summary.previous.total) == (Decimal("12.00"), 2, Decimal("4.00"))
    odd = spending.spending_summary(session, user, "2026-11-01", "2026-11-30", merchant="r_b", clock=clock)
    assert odd.total == Decimal("11.00")
    by_cat = spending.spending_summary(
        session, user, "2026-11-01", "2026-11-30", merchant="target", category="Dining", clock=clock
    )
    assert by_cat.total == Decimal("0.00")
    page = txs.list_transactions(session, user, merchant="starbucks")
    assert [t.amount for t in page.items] == [Decimal("7.00"), Decimal("5.00"), Decimal("4.00")] and page.total == 3
    assert txs.list_transactions(session, user, merchant="starbucks", q="latte").total == 1
    with pytest.raises(InvalidInput):
        spending.spending_summary(session, user, "2026-11-01", "2026-11-30", merchant="x" * 201, clock=clock)


def test_subscription_name_filter(session: Session, user: User, clock: FixedClock) -> None:
    subs.add_subscription(session, user, name="City Water", amount=45, cadence="monthly", clock=clock)
    subs.add_subscription(session, user, name="Netflix", amount=15, cadence="monthly", clock=clock)
    assert subs.name_key("  my Water BILL ") == "water" and subs.name_key("bills") == ""
    found = subs.list_subscriptions(session, user, name="the water bill", clock=clock)
    assert [s.name for s in found.items] == ["City Water"] and found.total == 1
    assert subs.list_subscriptions(session, user, name="my bills", clock=clock).total == 2  # no real filter
    assert subs.list_subscriptions(session, user, name="gas", clock=clock).total == 0


def test_checkup_compares_the_same_days(session: Session, user: User, clock: FixedClock) -> None:
    spend(session, user, clock, "100", "Dining", "2026-10-22")
    spend(session, user, clock, "500", "Dining", "2026-10-23")  # after the 22nd: not compared
    spend(session, user, clock, "80", "Dining", "2026-11-22")
    spend(session, user, clock, "900", "Housing", "2026-11-01")
    check = month_checkup(session, user, clock=clock)
    assert check.pace.days == 22 and check.pace.this_period.total == Decimal("980.00")
    assert check.pace.last_period.total == Decimal("100.00") and check.pace.change_pct == Decimal("880.0")
    assert [(c.category, c.trim_saves) for c in check.where_to_cut] == [("Dining", Decimal("16.00"))]
    past = month_checkup(session, user, "2026-10", clock=clock)  # a whole month against the whole one before
    assert past.pace.days == 31 and past.pace.this_period.total == Decimal("600.00")
    assert str(past.pace.last_period.end) == "2026-09-30"
