"""The purchase check: each row of the decision table in docs/purchase-check.md, and it never writes."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlmodel import Session, SQLModel

from assistant.clock import FixedClock
from assistant.errors import InvalidInput
from assistant.models import Decision, Transaction, TxKind, User
from assistant.services.budgets import set_budget
from assistant.services.categories import resolve_category
from assistant.services.goals import set_goal
from assistant.services.purchase import PurchaseCheck, check_purchase
from assistant.services.subscriptions import add_subscription
from assistant.services.users import create_user

D = Decimal
NOV = dt.date(2026, 11, 10)


def spend(session: Session, user: User, category: str, amount: str, *, kind: TxKind = TxKind.EXPENSE) -> None:
    cat = resolve_category(session, user, category)
    assert user.id is not None
    session.add(Transaction(user_id=user.id, category_id=cat.id, kind=kind, amount=D(amount), date=NOV))
    session.flush()


@pytest.fixture
def planned(session: Session, user: User, clock: FixedClock) -> User:
    """Budgets 860 in all; 585 spent; 275 left. Shopping 50 left, Groceries 20, Gifts 5."""
    plan = [("Shopping", "200", "150"), ("Groceries", "400", "380"), ("Entertainment", "100", "0"),
            ("Dining", "150", "50"), ("Gifts", "10", "5")]  # fmt: skip
    for cat, budget, spent in plan:
        set_budget(session, user, cat, budget, clock=clock)
        if spent != "0":
            spend(session, user, cat, spent)
    return user


def check(session: Session, user: User, clock: FixedClock, item: str, amount: str, cat: str | None) -> PurchaseCheck:
    return check_purchase(session, user, item=item, amount=amount, category=cat, clock=clock)


def kinds(res: PurchaseCheck) -> list[str]:
    return [a.kind for a in res.alternatives]


def test_fits_means_buy_with_the_numbers(session: Session, planned: User, clock: FixedClock) -> None:
    res = check(session, planned, clock, "a lamp", "40", "shopping")
    assert (res.decision, res.rule, res.fits_budget) == (Decision.BUY, "fits", True)
    assert res.remaining_in_category == D("50.00") and res.percent_of_category == D("20.0")
    assert res.impact.category_remaining_after == D("10.00")
    assert res.impact.month_remaining_after == D("235.00")
    assert res.impact.percent_of_monthly_budget == D("4.7")  # 40 / 860
    assert res.alternatives == [] and "$10.00 left" not in res.reason and "$50.00 left" in res.reason


def test_small_purchase_over_its_category_is_still_a_buy(session: Session, planned: User, clock: FixedClock) -> None:
    res = check(session, planned, clock, "card", "12", "gifts")  # Gifts has 5 left; 12 <= 2% of 860
    assert (res.decision, res.rule, res.fits_budget) == (Decision.BUY, "small", False)


def test_essential_over_its_category_is_a_buy_with_a_move(session: Session, planned: User, clock: FixedClock) -> None:
    res = check(session, planned, clock, "weekly shop", "60", "groceries")
    assert (res.decision, res.rule) == (Decision.BUY, "essential")
    [move] = res.alternatives
    assert move.kind == "move_budget" and move.amount == D("40.00") and move.from_category == "Entertainment"


def test_want_that_fits_by_moving_slack_waits(session: Session, planned: User, clock: FixedClock) -> None:
    res = check(session, planned, clock, "jacket", "120", "shopping")
    assert (res.decision, res.rule, res.fits_budget) == (Decision.WAIT, "wait", False)
    assert kinds(res) == ["move_budget", "wait_until", "cheaper"]
    assert res.alternatives[0].amount == D("70.00") and res.alternatives[0].from_category == "Entertainment"
    assert res.alternatives[1].date == dt.date(2026, 12, 1)
    assert res.alternatives[2].amount == D("50.00")


def test_want_that_fits_next_month_waits_for_the_reset(session: Session, planned: User, clock: FixedClock) -> None:
    res = check(session, planned, clock, "boots", "190", "shopping")  # no single category has 140 spare
    assert (res.decision, res.rule) == (Decision.WAIT, "wait")
    assert kinds(res) == ["wait_until", "cheaper"] and "December 1" in res.reason


def test_want_bigger_than_a_month_is_dont_buy(session: Session, planned: User, clock: FixedClock) -> None:
    res = check(session, planned, clock, "console", "500", "entertainment")
    assert (res.decision, res.rule) == (Decision.DONT_BUY, "too_big_for_a_want")
    save = res.alternatives[-1]
    assert save.kind == "save_up" and save.months == 5 and save.amount == D("100.00")


def test_need_bigger_than_a_month_is_save_up(session: Session, planned: User, clock: FixedClock) -> None:
    res = check(session, planned, clock, "bulk freezer stock", "1000", "groceries")
    assert (res.decision, res.rule) == (Decision.WAIT, "save_up")
    assert res.alternatives[-1].months == 3 and res.alternatives[-1].amount == D("333.33")


def test_no_budget_no_income_cannot_judge(session: Session, user: User, clock: FixedClock) -> None:
    res = check(session, user, clock, "lamp", "40", None)
    assert (res.decision, res.rule, res.basis, res.fits_budget) == (Decision.WAIT, "no_basis", "none", False)
    assert res.alternatives == []


def test_income_basis_reserves_renewals_and_goals(session: Session, user: User, clock: FixedClock) -> None:
    spend(session, user, "Salary", "3000", kind=TxKind.INCOME)
    spend(session, user, "Housing", "500")
    res = check(session, user, clock, "lamp", "200", None)
    assert (res.decision, res.basis, res.category) == (Decision.BUY, "income", "Shopping")
    assert res.remaining_in_category is None and res.impact.month_remaining_after == D("2300.00")
    add_subscription(session, user, name="Storage", amount="400", next_renewal="2026-11-28", clock=clock)
    set_goal(session, user, name="Car", target_amount="2000", target_date="2026-12-20", clock=clock)
    res = check(session, user, clock, "lamp", "200", None)
    assert res.impact.upcoming_renewals == D("400.00") and res.impact.goal_contributions == D("2000.00")
    assert res.impact.free_after == D("-100.00")
    assert (res.decision, res.rule) == (Decision.WAIT, "wait")  # 200 <= 3000 - 2000 - 400 next month


def test_category_is_guessed_from_the_item(session: Session, planned: User, clock: FixedClock) -> None:
    assert check(session, planned, clock, "new car tires", "80", None).category == "Transport"
    assert check(session, planned, clock, "a desk lamp", "80", None).category == "Shopping"
    with pytest.raises(InvalidInput):
        check(session, planned, clock, "lamp", "10", "spaceships")


@pytest.mark.parametrize(("item", "amount", "field"), [("lamp", "0", "amount"), ("lamp", "-5", "amount"),
                                                       ("", "5", "item"), ("lamp", "abc", "amount")])  # fmt: skip
def test_bad_input(session: Session, user: User, clock: FixedClock, item: str, amount: str, field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        check(session, user, clock, item, amount, None)
    assert err.value.field == field


def _row_counts(session: Session) -> dict[str, int]:
    return {
        name: int(session.execute(select(func.count()).select_from(table)).scalar_one())
        for name, table in SQLModel.metadata.tables.items()
    }


def test_check_purchase_writes_nothing(session: Session, planned: User, clock: FixedClock) -> None:
    other = create_user(session, email=f"o-{uuid.uuid4().hex[:8]}@example.com")
    add_subscription(session, planned, name="Music", amount="9.99", next_renewal="2026-11-29", clock=clock)
    set_goal(session, planned, name="Trip", target_amount="900", target_date="2027-05-30", clock=clock)
    session.flush()
    before = _row_counts(session)
    for item, amount, cat in [("lamp", "40", None), ("console", "500", "entertainment"), ("food", "60", "groceries"),
                              ("x", "1000", "groceries"), ("y", "120", "shopping")]:  # fmt: skip
        check(session, planned, clock, item, amount, cat)
    check(session, other, clock, "lamp", "40", None)
    assert not session.new and not session.dirty and not session.deleted
    assert _row_counts(session) == before
