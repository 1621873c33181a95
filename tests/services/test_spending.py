"""Spending over a date range, month over month, the trend, and exchange rates."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

import pytest
from sqlmodel import Session

from assistant.clock import FixedClock
from assistant.errors import InvalidInput, NotFound
from assistant.models import TxKind, User
from assistant.money import quantize
from assistant.services.currency import convert, delete_rate, list_rates, set_rate
from assistant.services.spending import month_over_month, monthly_trend, spending_summary

from .test_budgets import add_tx

D = Decimal


def test_spending_summary_by_category_against_previous_period(session: Session, user: User, clock: FixedClock) -> None:
    add_tx(session, user, "Groceries", "60", dt.date(2026, 11, 3))
    add_tx(session, user, "Groceries", "40", dt.date(2026, 11, 9))
    add_tx(session, user, "Dining", "100", dt.date(2026, 11, 10))
    add_tx(session, user, "Salary", "2000", dt.date(2026, 11, 1), kind=TxKind.INCOME)
    add_tx(session, user, "Dining", "80", dt.date(2026, 10, 25))  # previous 10 days: 22..31 Oct
    add_tx(session, user, "Dining", "999", dt.date(2026, 11, 11))  # outside the range
    s = spending_summary(session, user, "2026-11-01", dt.date(2026, 11, 10), clock=clock)
    assert (s.total, s.count, s.income_total) == (D("200.00"), 3, D("2000.00"))
    assert [(c.category, c.amount, c.count, c.share) for c in s.by_category] == [
        ("Dining", D("100.00"), 1, D("50.0")),
        ("Groceries", D("100.00"), 2, D("50.0")),
    ]
    assert (s.previous.start, s.previous.end, s.previous.total) == (
        dt.date(2026, 10, 22),
        dt.date(2026, 10, 31),
        D("80.00"),
    )
    assert s.change_pct == D("150.0")
    only = spending_summary(session, user, "2026-11-01", "2026-11-10", category="food", clock=clock)
    assert only.category == "Groceries" and only.total == D("100.00") and only.previous.total == 0
    assert only.change_pct is None


@pytest.mark.parametrize(
    ("start", "end"),
    [("2026-11-10", "2026-11-01"), ("2010-01-01", "2026-11-01"), ("yesterday-ish", "2026-11-01")],
)
def test_bad_ranges_are_refused(session: Session, user: User, clock: FixedClock, start: str, end: str) -> None:
    with pytest.raises(InvalidInput):
        spending_summary(session, user, start, end, clock=clock)


def test_unknown_or_income_category_is_refused(session: Session, user: User, clock: FixedClock) -> None:
    with pytest.raises(InvalidInput) as err:
        spending_summary(session, user, "2026-11-01", "2026-11-10", category="Salary", clock=clock)
    assert "Dining" in err.value.message


def test_month_over_month_biggest_change_first(session: Session, user: User, clock: FixedClock) -> None:
    add_tx(session, user, "Dining", "100", dt.date(2026, 10, 5))
    add_tx(session, user, "Dining", "130", dt.date(2026, 11, 5))
    add_tx(session, user, "Travel", "500", dt.date(2026, 10, 5))
    add_tx(session, user, "Groceries", "45", dt.date(2026, 11, 2))
    rows = month_over_month(session, user, clock=clock)
    assert [(r.category, r.change, r.change_pct) for r in rows] == [
        ("Travel", D("-500.00"), D("-100.0")),
        ("Groceries", D("45.00"), None),
        ("Dining", D("30.00"), D("30.0")),
    ]
    with pytest.raises(InvalidInput):
        month_over_month(session, user, "2026-00", clock=clock)


def test_monthly_trend_oldest_first(session: Session, user: User, clock: FixedClock) -> None:
    add_tx(session, user, "Dining", "10", dt.date(2026, 6, 30))
    add_tx(session, user, "Dining", "20", dt.date(2026, 7, 1))
    add_tx(session, user, "Housing", "1000", dt.date(2026, 11, 1))
    add_tx(session, user, "Salary", "3000", dt.date(2026, 11, 1), kind=TxKind.INCOME)
    trend = monthly_trend(session, user, 5, clock=clock)
    assert [(t.month, t.spent, t.income) for t in trend] == [
        ("2026-07", D("20.00"), D("0.00")),
        ("2026-08", D("0.00"), D("0.00")),
        ("2026-09", D("0.00"), D("0.00")),
        ("2026-10", D("0.00"), D("0.00")),
        ("2026-11", D("1000.00"), D("3000.00")),
    ]


def test_rates_set_list_convert_delete(session: Session, user: User) -> None:
    set_rate(session, user, "eur", "1.10")
    set_rate(session, user, "EUR", D("1.08"))  # replaces
    set_rate(session, user, "GBP", 1.27)
    rates = list_rates(session, user)
    assert rates == {"EUR": D("1.08"), "GBP": D("1.27"), "USD": D(1)}
    assert convert(D("10.00"), "EUR", "USD", rates) == D("10.80")
    assert convert(D("10.00"), "EUR", "GBP", rates) == D("8.50")
    assert convert(D("10.00"), "JPY", "USD", rates) is None
    delete_rate(session, user, "GBP")
    assert "GBP" not in list_rates(session, user)
    with pytest.raises(NotFound):
        delete_rate(session, user, "GBP")
    for code, rate in [("USD", "1"), ("EUR", "0"), ("EUR", "-2"), ("XXQ", "1"), ("EUR", "lots")]:
        with pytest.raises(InvalidInput):
            set_rate(session, user, code, rate)
    assert list_rates(session, user)["EUR"] == D("1.08")


def test_spending_equals_a_plain_sum_over_random_rows(session: Session, user: User, clock: FixedClock) -> None:
    """Brute force over ~200 random rows, several months, categories and currencies."""
    rng = random.Random(7)
    set_rate(session, user, "EUR", "1.09")
    rates = {"USD": D(1), "EUR": D("1.09")}
    rows = []
    for _ in range(200):
        day = dt.date(2026, 8, 1) + dt.timedelta(days=rng.randrange(110))
        cat = rng.choice(["Dining", "Groceries", "Transport", "Shopping", None])
        cur = rng.choice(["USD", "USD", "EUR", "CHF"])
        text = f"{rng.randint(1, 90000) / 100:.2f}"
        add_tx(session, user, cat, text, day, currency=cur)
        rows.append((day, cat, cur, D(text)))
    start, end = dt.date(2026, 8, 20), dt.date(2026, 10, 31)
    counts: dict[str | None, int] = defaultdict(int)
    expected: dict[str, Decimal] = defaultdict(Decimal)
    for day, cat, cur, amount in rows:
        if start <= day <= end and cur in rates:
            # each row converted when recorded, at the rate of that day
            expected[cat or "Uncategorized"] += quantize(amount * rates[cur])
            counts[cat] += 1
    s = spending_summary(session, user, start, end, clock=clock)
    assert {c.category: c.amount for c in s.by_category} == expected
    assert {c.category: c.count for c in s.by_category} == {k or "Uncategorized": v for k, v in counts.items()}
    assert s.total == sum(expected.values()) and s.missing_rates == ["CHF"]
