"""Budgets: limits per month or standing, and the month's summary a user reads."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import defaultdict
from decimal import Decimal

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from assistant.clock import FixedClock, month_bounds
from assistant.errors import InvalidInput, NotFound
from assistant.models import Budget, Transaction, TxKind, TxSource, User
from assistant.money import quantize
from assistant.services.budgets import budget_summary, category_budget, remove_budget, set_budget
from assistant.services.categories import resolve_category
from assistant.services.currency import set_rate
from assistant.services.users import create_user, update_profile

D = Decimal


def add_tx(
    session: Session,
    user: User,
    category: str | None,
    amount: str,
    day: dt.date,
    *,
    kind: TxKind = TxKind.EXPENSE,
    currency: str | None = None,
) -> Transaction:
    assert user.id is not None
    cat_id = resolve_category(session, user, category).id if category else None
    tx = Transaction(
        user_id=user.id,
        kind=kind,
        amount=D(amount),
        currency=currency or user.currency,
        date=day,
        description=f"{category or 'misc'} test",
        category_id=cat_id,
        source=TxSource.UI,
    )
    session.add(tx)
    session.flush()
    return tx


def budget_rows(session: Session, user: User) -> int:
    return int(session.exec(select(func.count()).select_from(Budget).where(Budget.user_id == user.id)).one())


NOV = dt.date(2026, 11, 10)


@pytest.mark.parametrize(
    ("spent", "status", "pct"),
    [
        ("79.90", "ok", D("79.9")),
        ("80.00", "warning", D("80.0")),
        ("100.00", "warning", D("100.0")),
        ("100.01", "over", D("100.0")),
    ],
)
def test_status_thresholds(
    session: Session, user: User, clock: FixedClock, spent: str, status: str, pct: Decimal
) -> None:
    set_budget(session, user, "Dining", "100", clock=clock)
    add_tx(session, user, "Dining", spent, NOV)
    summary = budget_summary(session, user, clock=clock)
    (line,) = summary.categories
    assert (line.category, line.status.value, line.percent_used) == ("Dining", status, pct)
    assert line.spent == D(spent) and line.remaining == D("100") - D(spent)
    assert summary.overspent == (["Dining"] if status == "over" else [])


def test_summary_matches_the_contract_shape(session: Session, user: User, clock: FixedClock) -> None:
    set_budget(session, user, "Groceries", "400", clock=clock)
    set_budget(session, user, "Dining", "50", clock=clock)
    add_tx(session, user, "Groceries", "120.50", NOV)
    add_tx(session, user, "Dining", "60", NOV)
    add_tx(session, user, "Travel", "300", NOV)
    body = budget_summary(session, user, "2026-11", clock=clock).model_dump(mode="json")
    assert {"month", "currency", "total_budget", "total_spent", "total_remaining", "categories", "overspent"} <= (
        body.keys()
    )
    assert body["month"] == "2026-11" and body["currency"] == "USD"
    assert (body["total_budget"], body["total_spent"], body["total_remaining"]) == ("450.00", "180.50", "269.50")
    assert body["overspent"] == ["Dining"]
    assert body["unbudgeted"] == [{"category": "Travel", "spent": "300.00"}]
    assert body["total_expenses"] == "480.50"
    assert body["days_left"] == 9  # 22..30 November, today included
    assert set(body["categories"][0]) == {"category", "budget", "spent", "remaining", "percent_used", "status"}


def test_standing_budget_keeps_history(session: Session, user: User) -> None:
    sep = FixedClock(dt.datetime(2026, 9, 15, 12, tzinfo=dt.UTC))
    set_budget(session, user, "Dining", "300", clock=sep)
    nov = FixedClock(dt.datetime(2026, 11, 15, 12, tzinfo=dt.UTC))
    set_budget(session, user, "Dining", "400", clock=nov)
    set_budget(session, user, "Dining", "450", clock=nov)  # same month: updates the row
    set_budget(session, user, "Dining", "600", "2026-12", clock=nov)

    def limit(month: str) -> Decimal | None:
        lines = budget_summary(session, user, month, clock=nov).categories
        return lines[0].budget if lines else None

    assert limit("2026-08") is None
    assert limit("2026-09") == limit("2026-10") == D("300")
    assert limit("2026-11") == D("450")
    assert limit("2026-12") == D("600")  # the one-off month wins
    assert limit("2027-01") == D("450")
    assert budget_rows(session, user) == 3


def test_remove_budget_from_now_on_keeps_earlier_months(session: Session, user: User) -> None:
    sep = FixedClock(dt.datetime(2026, 9, 15, 12, tzinfo=dt.UTC))
    set_budget(session, user, "Dining", "300", clock=sep)
    nov = FixedClock(dt.datetime(2026, 11, 15, 12, tzinfo=dt.UTC))
    removed = remove_budget(session, user, "dining", clock=nov)
    assert removed.amount == D("300")
    assert budget_summary(session, user, "2026-10", clock=nov).total_budget == D("300")
    assert budget_summary(session, user, "2026-11", clock=nov).categories == []
    assert budget_summary(session, user, "2027-03", clock=nov).categories == []
    with pytest.raises(NotFound):
        remove_budget(session, user, "Dining", clock=nov)
    set_budget(session, user, "Dining", "250", "2026-10", clock=nov)
    remove_budget(session, user, "Dining", "2026-10", clock=nov)
    assert budget_summary(session, user, "2026-10", clock=nov).categories == []
    assert budget_summary(session, user, "2026-09", clock=nov).total_budget == D("300")
    set_budget(session, user, "Dining", "80", "2026-11", clock=nov)
    remove_budget(session, user, "Dining", clock=nov)  # this month's one-off goes too
    assert budget_summary(session, user, "2026-11", clock=nov).categories == []


def test_income_is_reported_apart(session: Session, user: User, clock: FixedClock) -> None:
    set_budget(session, user, "Groceries", "200", clock=clock)
    add_tx(session, user, "Groceries", "50", NOV)
    add_tx(session, user, "Salary", "3000", NOV, kind=TxKind.INCOME)
    add_tx(session, user, None, "25", NOV, kind=TxKind.INCOME)
    s = budget_summary(session, user, clock=clock)
    assert s.income == D("3025.00")
    assert s.total_spent == D("50.00") and s.total_expenses == D("50.00")


def test_month_follows_the_users_time_zone(session: Session, user: User) -> None:
    update_profile(session, user, timezone="Pacific/Auckland")
    # 12:00 UTC on 30 November is already 01:00 on 1 December in Auckland.
    clock = FixedClock(dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC))
    set_budget(session, user, "Dining", "100", clock=clock)
    add_tx(session, user, "Dining", "40", dt.date(2026, 12, 1))
    add_tx(session, user, "Dining", "7", dt.date(2026, 11, 30))
    s = budget_summary(session, user, clock=clock)
    assert s.month == "2026-12" and s.days_left == 31
    assert s.total_spent == D("40.00")
    assert budget_summary(session, user, "2026-11", clock=clock).categories == []  # standing from December


def test_foreign_currency_needs_a_rate(session: Session, user: User, clock: FixedClock) -> None:
    set_budget(session, user, "Travel", "500", clock=clock)
    add_tx(session, user, "Travel", "100", NOV)
    add_tx(session, user, "Travel", "200", NOV, currency="EUR")
    s = budget_summary(session, user, clock=clock)
    assert s.total_spent == D("100.00") and s.missing_rates == ["EUR"]
    assert s.note and "EUR" in s.note
    set_rate(session, user, "EUR", "1.085")
    s = budget_summary(session, user, clock=clock)
    assert s.total_spent == D("317.00") and s.missing_rates == []


def test_category_filter_narrows_lines_and_totals(session: Session, user: User, clock: FixedClock) -> None:
    set_budget(session, user, "Dining", "100", clock=clock)
    set_budget(session, user, "Groceries", "400", clock=clock)
    add_tx(session, user, "Dining", "30", NOV)
    add_tx(session, user, "Groceries", "90", NOV)
    add_tx(session, user, "Salary", "1000", NOV, kind=TxKind.INCOME)
    s = budget_summary(session, user, category="restaurants", clock=clock)
    assert [c.category for c in s.categories] == ["Dining"]
    assert (s.total_budget, s.total_spent, s.total_expenses) == (D("100"), D("30.00"), D("30.00"))
    assert s.income == D("1000.00")
    with pytest.raises(InvalidInput) as err:
        budget_summary(session, user, category="Spaceships", clock=clock)
    assert "Groceries" in err.value.message


@pytest.mark.parametrize(
    ("category", "amount", "month"),
    [
        ("Dining", "100", "2026-13"),
        ("Dining", "100", "November"),
        ("Dining", "-5", None),
        ("Dining", "0", None),
        ("Dining", "abc", None),
        ("Spaceships", "100", None),
        ("Salary", "100", None),
    ],
)
def test_bad_input_writes_nothing(
    session: Session, user: User, clock: FixedClock, category: str, amount: str, month: str | None
) -> None:
    with pytest.raises(InvalidInput):
        set_budget(session, user, category, amount, month, clock=clock)
    assert budget_rows(session, user) == 0


def test_another_users_category_is_not_found(session: Session, user: User, clock: FixedClock) -> None:
    other = create_user(session, email=f"o-{uuid.uuid4().hex[:8]}@example.com")
    theirs = resolve_category(session, other, "Dining")
    assert theirs.id is not None
    with pytest.raises(NotFound):
        set_budget(session, user, theirs.id, "100", clock=clock)
    add_tx(session, other, "Dining", "99", NOV)
    set_budget(session, user, "Dining", "100", clock=clock)
    assert budget_summary(session, user, clock=clock).total_spent == D("0.00")


def test_summary_equals_a_plain_sum_over_random_rows(session: Session, user: User, clock: FixedClock) -> None:
    """Brute force: ~200 random rows; the SQL summary must equal Python's own sums."""
    rng = random.Random(20261122)
    set_rate(session, user, "EUR", "1.1")
    set_rate(session, user, "JPY", "0.0067")
    budgeted = ["Dining", "Groceries", "Travel", "Housing"]
    names: list[str | None] = [*budgeted, None]
    for name in budgeted:
        set_budget(session, user, name, str(rng.randint(50, 2000)), "2026-10", clock=clock)
    rows = []
    for _ in range(200):
        day = dt.date(2026, 9, 1) + dt.timedelta(days=rng.randrange(120))
        kind = TxKind.INCOME if rng.random() < 0.15 else TxKind.EXPENSE
        cat = rng.choice(["Salary", None]) if kind == TxKind.INCOME else rng.choice(names)
        cur = rng.choice(["USD", "USD", "EUR", "JPY", "GBP"])
        text = f"{rng.randint(1, 50000) / 100:.2f}"
        add_tx(session, user, cat, text, day, kind=kind, currency=cur)
        rows.append((day, kind, cat, cur, D(text)))
    rates = {"USD": D(1), "EUR": D("1.1"), "JPY": D("0.0067")}
    first, last = month_bounds("2026-10")
    spent: dict[str | None, Decimal] = defaultdict(Decimal)
    income = D(0)
    for day, kind, cat, cur, amount in rows:
        if not first <= day <= last or cur not in rates:
            continue
        value = quantize(amount * rates[cur])  # each row converted when recorded
        if kind == TxKind.INCOME:
            income += value
        else:
            spent[cat] += value
    s = budget_summary(session, user, "2026-10", clock=clock)
    assert {c.category: c.spent for c in s.categories} == {n: spent.get(n, D(0)) for n in budgeted}
    assert s.total_expenses == sum(spent.values())
    assert s.income == income
    assert s.unbudgeted[0].category == "Uncategorized" and s.unbudgeted[0].spent == spent[None]
    assert s.missing_rates == (["GBP"] if any(r[3] == "GBP" and first <= r[0] <= last for r in rows) else [])


def test_category_budget_equals_the_summarys_line(session: Session, user: User, clock: FixedClock) -> None:
    """The fast one-category line (log_expense's "left in Dining") equals ``budget_summary``'s."""
    rng = random.Random(7)
    set_rate(session, user, "EUR", "1.1")
    names = ["Dining", "Groceries", "Travel", "Housing", "Shopping"]
    set_budget(session, user, "Dining", "300", "2026-09", clock=clock)  # one month only
    set_budget(session, user, "Groceries", "400", clock=clock)  # standing from 2026-11
    set_budget(session, user, "Travel", "250", "2026-10", clock=clock)
    set_budget(session, user, "Housing", "1500", clock=clock)
    remove_budget(session, user, "Housing", "2026-12", clock=clock)  # a 0 row: no budget that month
    for _ in range(150):
        day = dt.date(2026, 9, 1) + dt.timedelta(days=rng.randrange(100))
        kind = TxKind.INCOME if rng.random() < 0.1 else TxKind.EXPENSE
        cat = "Salary" if kind == TxKind.INCOME else rng.choice([*names, None])
        add_tx(
            session,
            user,
            cat,
            f"{rng.randint(1, 40000) / 100:.2f}",
            day,
            kind=kind,
            currency=rng.choice(["USD", "EUR", "GBP"]),
        )
    for month in ("2026-08", "2026-09", "2026-10", "2026-11", "2026-12"):
        lines = {c.category: c for c in budget_summary(session, user, month, clock=clock).categories}
        for name in [*names, "Salary"]:
            cat = resolve_category(session, user, name)
            assert cat.id is not None
            assert category_budget(session, user, cat.id, month) == lines.get(name), (month, name)
