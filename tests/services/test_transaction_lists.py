"""Transactions listed: newest first, paged, filtered, one user's own, in their public shapes; and
money that survives the store and the read exactly, on both backends."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from assistant.clock import FixedClock
from assistant.errors import InvalidInput
from assistant.models import Transaction, TxKind, User
from assistant.services.common import Page
from assistant.services.transactions import (
    TransactionPublic,
    add_transaction,
    category_names,
    list_transactions,
    public_page,
    transaction_dict,
)
from tests.services.ledger_support import fresh_user


@pytest.fixture
def ledger(session: Session, user: User, clock: FixedClock) -> list[Transaction]:
    rows = [
        ("2026-11-01", "expense", "10.00", "Groceries", "Weekly shop", "Trader Joe's"),
        ("2026-11-03", "expense", "4.50", "Dining", "Latte", "Blue Bottle"),
        ("2026-11-03", "expense", "25.00", "Dining", "Dinner 100% vegan", None),
        ("2026-11-05", "income", "3000.00", "Salary", "November pay", "ACME"),
        ("2026-10-28", "expense", "60.00", "Transport", "Fuel", "Shell"),
        ("2026-11-10", "expense", "12.00", "Entertainment", "Cinema", "AMC"),
    ]
    return [
        add_transaction(session, user, date=d, kind=k, amount=a, category=c, description=desc, merchant=m, clock=clock)
        for d, k, a, c, desc, m in rows
    ]


def test_list_is_newest_first_with_total(session: Session, user: User, ledger: list[Transaction]) -> None:
    page = list_transactions(session, user)
    assert isinstance(page, Page) and page.total == 6
    dates = [(t.date, t.id) for t in page.items]
    assert dates == sorted(dates, reverse=True)
    # Same date: the higher id first.
    same_day = [t for t in page.items if t.date == dt.date(2026, 11, 3)]
    assert [t.description for t in same_day] == ["Dinner 100% vegan", "Latte"]


def test_list_paging(session: Session, user: User, ledger: list[Transaction]) -> None:
    everything = [t.id for t in list_transactions(session, user).items]
    first = list_transactions(session, user, limit=4)
    second = list_transactions(session, user, limit=4, offset=4)
    assert first.total == second.total == 6
    assert [t.id for t in first.items + second.items] == everything
    assert list_transactions(session, user, offset=100).items == []
    for bad in ({"limit": 0}, {"limit": 501}, {"offset": -1}, {"limit": "many"}):
        with pytest.raises(InvalidInput):
            list_transactions(session, user, **bad)  # type: ignore[arg-type]
    assert list_transactions(session, user, limit=500).total == 6


def test_list_filters(session: Session, user: User, ledger: list[Transaction]) -> None:
    def descs(**kw: object) -> list[str]:
        page = list_transactions(session, user, **kw)  # type: ignore[arg-type]
        assert page.total == len(page.items)
        return sorted(t.description for t in page.items)

    assert descs(start="2026-11-01", end="2026-11-03") == ["Dinner 100% vegan", "Latte", "Weekly shop"]
    assert descs(start=dt.date(2026, 11, 5)) == ["Cinema", "November pay"]
    assert descs(end="2026-10-31") == ["Fuel"]
    assert descs(category="dining") == ["Dinner 100% vegan", "Latte"]
    assert descs(kind="income") == ["November pay"]
    assert descs(kind=TxKind.EXPENSE, category="Transport") == ["Fuel"]
    assert descs(q="blue BOTTLE") == ["Latte"]  # merchant, any case
    assert descs(q="LATTE") == ["Latte"]  # description
    assert descs(q="100%") == ["Dinner 100% vegan"]  # % is literal, not a wildcard
    assert descs(q="%") == ["Dinner 100% vegan"]
    assert descs(q="_") == []
    assert descs(q="joe's") == ["Weekly shop"]
    with pytest.raises(InvalidInput):
        list_transactions(session, user, category="spaceships")
    with pytest.raises(InvalidInput):
        list_transactions(session, user, start="2026-11-05", end="2026-11-01")
    with pytest.raises(InvalidInput):
        list_transactions(session, user, start="2026-02-30")


def test_list_only_shows_own_rows(session: Session, user: User, ledger: list[Transaction], clock: FixedClock) -> None:
    stranger = fresh_user(session)
    add_transaction(session, stranger, amount=1, description="Latte", clock=clock)
    assert list_transactions(session, user, q="latte").total == 1
    assert list_transactions(session, stranger).total == 1


def test_public_shapes(session: Session, user: User, ledger: list[Transaction]) -> None:
    page = public_page(session, list_transactions(session, user, kind="income"))
    assert page.total == 1
    item = page.items[0]
    assert isinstance(item, TransactionPublic)
    assert item.category == "Salary" and item.amount == Decimal("3000.00")
    dumped = page.model_dump(mode="json")
    assert set(dumped) == {"items", "total"}
    assert dumped["items"][0]["amount"] == "3000.00"
    assert dumped["items"][0]["kind"] == "income"
    assert dumped["items"][0]["date"] == "2026-11-05"
    names = category_names(session, ledger)
    assert set(names.values()) == {"Groceries", "Dining", "Salary", "Transport", "Entertainment"}
    as_dict = transaction_dict(ledger[1], names[ledger[1].category_id or 0])
    assert as_dict["merchant"] == "Blue Bottle" and as_dict["category"] == "Dining"
    assert as_dict["amount"] == "4.50"


# ---------------------------------------------------------------- money survives the round trip


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.decimals(min_value=Decimal("0.005"), max_value=Decimal("1000000"), places=4, allow_nan=False),
    st.sampled_from(["decimal", "str", "float"]),
)
def test_amounts_survive_store_and_read_exactly(
    session: Session, user: User, clock: FixedClock, value: Decimal, form: str
) -> None:
    expected = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if form == "float":
        value = Decimal(repr(float(value)))
    given_as: object = {"decimal": value, "str": str(value), "float": float(value)}[form]
    if form == "float":
        expected = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if expected == 0 or expected > Decimal("1000000"):
        return
    tx = add_transaction(session, user, amount=given_as, clock=clock)
    tx_id = tx.id
    session.flush()
    session.expire_all()
    stored = session.get(Transaction, tx_id)
    assert stored is not None
    assert stored.amount == expected
    assert str(stored.amount) == str(expected)
    assert transaction_dict(stored, None)["amount"] == f"{expected:.2f}"
