"""Totals you can trust: amounts converted when recorded, missing rates said, refunds, home currency.

The property test at the end builds random multi-currency ledgers (rates set and changed between
rows, some currencies never given a rate) and checks every total against a brute-force sum.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from assistant.clock import FixedClock
from assistant.models import TxKind, User
from assistant.money import quantize
from assistant.services.budgets import budget_summary, category_budget, set_budget
from assistant.services.categories import resolve_category
from assistant.services.currency import change_home_currency, set_rate
from assistant.services.spending import monthly_trend, spending_summary
from assistant.services.transactions import add_transaction, update_transaction
from assistant.services.users import create_user

D = Decimal


def test_foreign_amount_is_converted_when_recorded_and_keeps_its_rate(
    session: Session, user: User, clock: FixedClock
) -> None:
    set_rate(session, user, "EUR", "1.10")
    tx = add_transaction(session, user, amount="20", currency="EUR", description="museum", clock=clock)
    assert (tx.amount, tx.currency, tx.home_amount, tx.fx_rate) == (D("20.00"), "EUR", D("22.00"), D("1.10"))
    set_rate(session, user, "EUR", "1.50")  # a later rate never rewrites what was recorded
    s = spending_summary(session, user, "2026-11-01", "2026-11-30", clock=clock)
    assert s.total == D("22.00") and s.left_out == [] and s.note is None
    # a corrected amount keeps the rate fixed when it was recorded
    changed = update_transaction(session, user, tx.id or 0, amount="10", clock=clock)
    assert changed.home_amount == D("11.00") and changed.fx_rate == D("1.10")


def test_a_missing_rate_is_said_next_to_the_total_and_filled_in_when_set(
    session: Session, user: User, clock: FixedClock
) -> None:
    add_transaction(session, user, amount="12.50", description="lunch", category="Dining", clock=clock)
    tx = add_transaction(session, user, amount="20", currency="EUR", description="museum", clock=clock)
    assert tx.home_amount is None
    s = budget_summary(session, user, clock=clock)
    assert s.total_expenses == D("12.50")
    assert [(lo.currency, lo.count, lo.amount) for lo in s.left_out] == [("EUR", 1, D("20.00"))]
    assert s.note is not None and "1 transaction in EUR (20.00 EUR) has no rate" in s.note
    set_rate(session, user, "EUR", "1.2")
    session.refresh(tx)
    assert tx.home_amount == D("24.00") and tx.fx_rate == D("1.2")
    s = budget_summary(session, user, clock=clock)
    assert s.total_expenses == D("36.50") and s.left_out == [] and s.missing_rates == []


def test_a_refund_lowers_its_categorys_spending_not_income(session: Session, user: User, clock: FixedClock) -> None:
    set_budget(session, user, "Shopping", "100", clock=clock)
    add_transaction(session, user, amount="80", description="shoes", category="Shopping", clock=clock)
    add_transaction(
        session, user, kind="refund", amount="30", description="shoes back", category="Shopping", clock=clock
    )
    s = budget_summary(session, user, clock=clock)
    line = next(c for c in s.categories if c.category == "Shopping")
    assert (line.spent, line.remaining, s.income) == (D("50.00"), D("50.00"), D("0.00"))
    shopping = resolve_category(session, user, "Shopping")
    one = category_budget(session, user, shopping.id or 0, s.month)
    assert one is not None and one.spent == D("50.00")


def test_changing_the_home_currency_with_a_rate_converts_everything(
    session: Session, user: User, clock: FixedClock
) -> None:
    set_rate(session, user, "EUR", "1.10")  # 1 EUR = 1.10 USD
    add_transaction(session, user, amount="100", description="rent share", category="Housing", clock=clock)
    add_transaction(session, user, amount="10", currency="EUR", description="museum", clock=clock)
    set_budget(session, user, "Housing", "200", clock=clock)
    change = change_home_currency(session, user, "GBP", "0.8")  # 1 USD = 0.8 GBP
    assert user.currency == "GBP" and change.pending == 0 and change.converted == 2
    assert "1 USD = 0.8 GBP" in change.message
    s = budget_summary(session, user, clock=clock)
    assert s.currency == "GBP" and s.total_expenses == D("88.80")  # 80.00 + 10 x 1.10 x 0.8
    assert s.total_budget == D("160.00") and s.left_out == []
    # a new EUR row uses the carried-over rate, now in GBP
    tx = add_transaction(session, user, amount="10", currency="EUR", description="x", clock=clock)
    assert tx.home_amount == D("8.80")


def test_changing_the_home_currency_without_a_rate_says_what_it_left_out(
    session: Session, user: User, clock: FixedClock
) -> None:
    add_transaction(session, user, amount="100", description="groceries", category="Groceries", clock=clock)
    add_transaction(session, user, amount="5", currency="EUR", description="coffee", category="Dining", clock=clock)
    change = change_home_currency(session, user, "EUR")
    assert change.rate is None and change.pending == 1 and change.converted == 1
    assert "left out of totals" in change.message
    s = budget_summary(session, user, clock=clock)
    assert s.total_expenses == D("5.00")
    assert [(lo.currency, lo.count) for lo in s.left_out] == [("USD", 1)]
    set_rate(session, user, "USD", "0.9")
    assert budget_summary(session, user, clock=clock).total_expenses == D("95.00")


# ---------------------------------------------------------------- the property test

KINDS = st.sampled_from([TxKind.EXPENSE, TxKind.EXPENSE, TxKind.INCOME, TxKind.REFUND])
CURRENCIES = st.sampled_from(["USD", "USD", "EUR", "JPY", "GBP"])
CATS = st.sampled_from(["Dining", "Groceries", "Housing"])
RATES = st.sampled_from([None, D("1.1"), D("0.0067"), D("1.27"), D("0.5")])
ROW = st.tuples(
    KINDS,
    CURRENCIES,
    CATS,
    st.integers(min_value=1, max_value=500_000).map(lambda c: D(c) / 100),
    st.integers(min_value=0, max_value=60),
    st.one_of(st.none(), st.tuples(st.sampled_from(["EUR", "JPY", "GBP"]), RATES.filter(lambda r: r is not None))),
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(ROW, min_size=1, max_size=20), late=st.one_of(st.none(), st.sampled_from(["EUR", "JPY"])))
def test_no_total_differs_from_a_brute_force_sum(
    session: Session, clock: FixedClock, rows: list[tuple[TxKind, str, str, Decimal, int, object]], late: str | None
) -> None:
    user = create_user(session, email=f"p-{uuid.uuid4().hex[:10]}@example.com", timezone="America/New_York")
    rates: dict[str, Decimal] = {}
    ledger: list[dict[str, object]] = []
    first = dt.date(2026, 10, 1)
    for kind, cur, cat, amount, offset, new_rate in rows:
        if new_rate is not None:
            code, value = new_rate  # type: ignore[misc]
            set_rate(session, user, code, value)
            for row in ledger:  # setting a rate fills rows recorded without one, never rewrites others
                if row["cur"] == code and row["home"] is None:
                    row["home"] = quantize(row["amount"] * value)  # type: ignore[operator]
            rates[code] = value
        rate = D(1) if cur == "USD" else rates.get(cur)
        day = first + dt.timedelta(days=offset)
        category = "Salary" if kind == TxKind.INCOME else cat
        add_transaction(session, user, kind=kind, amount=amount, currency=cur, category=category, date=day, clock=clock)
        home = None if rate is None else quantize(amount * rate)
        ledger.append({"kind": kind, "cur": cur, "cat": category, "amount": amount, "day": day, "home": home})
    if late is not None:
        set_rate(session, user, late, "2")
        for row in ledger:
            if row["cur"] == late and row["home"] is None:
                row["home"] = quantize(row["amount"] * D(2))  # type: ignore[operator]
    set_budget(session, user, "Dining", "300", "2026-11", clock=clock)

    for start, end in [(dt.date(2026, 10, 1), dt.date(2026, 10, 31)), (dt.date(2026, 11, 1), dt.date(2026, 11, 30))]:
        spent: dict[str, Decimal] = defaultdict(Decimal)
        income = D("0.00")
        missing: dict[str, tuple[int, Decimal]] = {}
        for row in ledger:
            if not start <= row["day"] <= end:  # type: ignore[operator]
                continue
            home = row["home"]
            if home is None:
                n, a = missing.get(row["cur"], (0, D(0)))  # type: ignore[call-overload]
                missing[row["cur"]] = (n + 1, a + row["amount"])  # type: ignore[index, operator]
            elif row["kind"] == TxKind.INCOME:
                income += home  # type: ignore[operator]
            elif row["kind"] == TxKind.REFUND:
                spent[row["cat"]] -= home  # type: ignore[index, operator]
            else:
                spent[row["cat"]] += home  # type: ignore[index, operator]
        s = spending_summary(session, user, start, end, clock=clock)
        assert s.total == sum(spent.values(), D("0.00"))
        assert {c.category: c.amount for c in s.by_category} == dict(spent)
        assert s.income_total == income
        assert {lo.currency: (lo.count, lo.amount) for lo in s.left_out} == missing
        if missing:
            assert s.note is not None and "no rate" in s.note
        month = start.strftime("%Y-%m")
        b = budget_summary(session, user, month, clock=clock)
        assert b.total_expenses == s.total and b.income == income
        assert {lo.currency: (lo.count, lo.amount) for lo in b.left_out} == missing
        dining = category_budget(session, user, resolve_category(session, user, "Dining").id or 0, month)
        if month == "2026-11":
            assert dining is not None and dining.spent == spent.get("Dining", D("0.00"))
    trend = {t.month: t for t in monthly_trend(session, user, 2, clock=clock)}
    nov = budget_summary(session, user, "2026-11", clock=clock)
    assert trend["2026-11"].spent == nov.total_expenses and trend["2026-11"].income == nov.income
