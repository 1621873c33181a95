"""Transactions: adding, reading, correcting, deleting and listing, on both backends."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlmodel import Session, select

from assistant.clock import FixedClock
from assistant.errors import InvalidInput, NotFound
from assistant.models import Category, MerchantMemory, Transaction, TxKind, TxSource, User
from assistant.services.categories import create_category, find_category
from assistant.services.transactions import (
    add_transaction,
    delete_transaction,
    get_transaction,
    last_transaction,
    resolve_transaction_id,
    update_transaction,
)
from tests.services.ledger_support import fresh_user


def cat_name(session: Session, tx: Transaction) -> str | None:
    cat = session.get(Category, tx.category_id) if tx.category_id else None
    return cat.name if cat else None


# ---------------------------------------------------------------- adding


def test_add_defaults(session: Session, user: User, clock: FixedClock) -> None:
    tx = add_transaction(session, user, amount="12.5", description="  lunch  ", clock=clock)
    assert tx.id is not None
    assert tx.amount == Decimal("12.50")
    assert tx.kind == TxKind.EXPENSE
    assert tx.date == dt.date(2026, 11, 22)  # noon in New York
    assert tx.currency == "USD"
    assert tx.description == "lunch"
    assert tx.merchant is None
    assert tx.source == TxSource.UI
    assert cat_name(session, tx) == "Other"
    assert tx.created_at == clock.now() == tx.updated_at


def test_add_income_defaults_to_other_income(session: Session, user: User, clock: FixedClock) -> None:
    tx = add_transaction(session, user, kind="income", amount=100, description="gift from mom", clock=clock)
    assert tx.kind == TxKind.INCOME
    assert cat_name(session, tx) == "Other income"


def test_today_is_the_users_today(session: Session, user: User) -> None:
    late = FixedClock(dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.UTC))  # still the 21st in New York
    tx = add_transaction(session, user, amount=5, clock=late)
    assert tx.date == dt.date(2026, 11, 21)


def test_add_with_category_name_synonym_and_id(session: Session, user: User, clock: FixedClock) -> None:
    a = add_transaction(session, user, amount=20, category="RESTAURANTS", clock=clock)
    assert cat_name(session, a) == "Dining"
    groceries = find_category(session, user, "Groceries")
    assert groceries is not None and groceries.id is not None
    b = add_transaction(session, user, amount=20, category=groceries.id, clock=clock)
    assert b.category_id == groceries.id
    c = add_transaction(session, user, kind=TxKind.INCOME, amount=3000, category="paycheck", clock=clock)
    assert cat_name(session, c) == "Salary"


def test_add_with_currency_date_merchant_and_source(session: Session, user: User, clock: FixedClock) -> None:
    tx = add_transaction(
        session,
        user,
        amount="8",
        currency="eur",
        date="2026-03-14",
        merchant="  Café Blue ",
        source=TxSource.CHAT,
        clock=clock,
    )
    assert (tx.currency, tx.date, tx.merchant, tx.source) == ("EUR", dt.date(2026, 3, 14), "Café Blue", "chat")


@pytest.mark.parametrize("amount", [0, "0", -5, "-5", 1000001, "1000000.01", "abc", "", None, True, "nan"])
def test_bad_amounts_are_refused(session: Session, user: User, clock: FixedClock, amount: object) -> None:
    with pytest.raises(InvalidInput) as err:
        add_transaction(session, user, amount=amount, clock=clock)
    assert err.value.field == "amount"


def test_amount_limits_and_rounding(session: Session, user: User, clock: FixedClock) -> None:
    assert add_transaction(session, user, amount="1000000", clock=clock).amount == Decimal("1000000.00")
    assert add_transaction(session, user, amount="0.005", clock=clock).amount == Decimal("0.01")
    assert add_transaction(session, user, amount="2.675", clock=clock).amount == Decimal("2.68")
    assert add_transaction(session, user, amount="1,234.50", clock=clock).amount == Decimal("1234.50")


def test_unknown_category_lists_valid_ones(session: Session, user: User, clock: FixedClock) -> None:
    with pytest.raises(InvalidInput) as err:
        add_transaction(session, user, amount=5, category="spaceships", clock=clock)
    assert err.value.field == "category"
    assert "Groceries" in err.value.message and "Dining" in err.value.message
    assert "Salary" not in err.value.message  # only expense categories are offered for an expense


def test_category_kind_must_match(session: Session, user: User, clock: FixedClock) -> None:
    salary = find_category(session, user, "Salary")
    assert salary is not None and salary.id is not None
    with pytest.raises(InvalidInput):
        add_transaction(session, user, amount=5, category="Salary", clock=clock)
    with pytest.raises(InvalidInput):
        add_transaction(session, user, amount=5, category=salary.id, clock=clock)


def test_another_users_category_id_is_not_found(session: Session, user: User, clock: FixedClock) -> None:
    theirs = find_category(session, fresh_user(session), "Dining")
    assert theirs is not None and theirs.id is not None
    with pytest.raises(NotFound):
        add_transaction(session, user, amount=5, category=theirs.id, clock=clock)


@pytest.mark.parametrize(
    ("date", "fragment"),
    [
        ("2026-02-30", "not a real calendar date"),
        ("2026-13-01", "not a real calendar date"),
        ("yesterday-ish", "YYYY-MM-DD"),
        ("2027-12-01", "more than a year in the future"),
        ("1850-01-01", "too far in the past"),
    ],
)
def test_bad_dates_are_refused(session: Session, user: User, clock: FixedClock, date: str, fragment: str) -> None:
    with pytest.raises(InvalidInput) as err:
        add_transaction(session, user, amount=5, date=date, clock=clock)
    assert fragment in err.value.message
    assert err.value.field == "date"


def test_near_future_dates_are_fine(session: Session, user: User, clock: FixedClock) -> None:
    assert add_transaction(session, user, amount=5, date="2027-11-01", clock=clock).date == dt.date(2027, 11, 1)
    assert add_transaction(session, user, amount=5, date=dt.date(2020, 1, 1), clock=clock).date == dt.date(2020, 1, 1)


def test_bad_currency_kind_and_text(session: Session, user: User, clock: FixedClock) -> None:
    with pytest.raises(InvalidInput):
        add_transaction(session, user, amount=5, currency="XYZ", clock=clock)
    with pytest.raises(InvalidInput):
        add_transaction(session, user, amount=5, kind="transfer", clock=clock)
    with pytest.raises(InvalidInput) as err:
        add_transaction(session, user, amount=5, description="x" * 501, clock=clock)
    assert err.value.field == "description"
    with pytest.raises(InvalidInput) as err:
        add_transaction(session, user, amount=5, merchant="m" * 201, clock=clock)
    assert err.value.field == "merchant"
    ok = add_transaction(session, user, amount=5, description="x" * 500, merchant="m" * 200, clock=clock)
    assert len(ok.description) == 500


def test_control_characters_become_spaces(session: Session, user: User, clock: FixedClock) -> None:
    tx = add_transaction(session, user, amount=5, description="tab\there\x00nul\nline", clock=clock)
    assert tx.description == "tab here nul line"


# ---------------------------------------------------------------- reading, ownership


def test_get_and_last(session: Session, user: User, clock: FixedClock) -> None:
    with pytest.raises(NotFound):
        last_transaction(session, user)
    first = add_transaction(session, user, amount=1, clock=clock)
    second = add_transaction(session, user, amount=2, date="2020-01-01", clock=clock)  # back-dated
    assert get_transaction(session, user, first.id or 0).id == first.id
    assert last_transaction(session, user).id == second.id  # most recently created, not latest date
    assert resolve_transaction_id(session, user, "last").id == second.id
    assert resolve_transaction_id(session, user, " LAST ").id == second.id
    assert resolve_transaction_id(session, user, str(first.id)).id == first.id
    assert resolve_transaction_id(session, user, f"#{first.id}").id == first.id
    assert resolve_transaction_id(session, user, first.id or 0).id == first.id
    with pytest.raises(InvalidInput):
        resolve_transaction_id(session, user, "the big one")
    with pytest.raises(NotFound):
        get_transaction(session, user, 987654321)


def test_another_users_transaction_is_not_found(session: Session, user: User, clock: FixedClock) -> None:
    stranger = fresh_user(session)
    theirs = add_transaction(session, stranger, amount=50, description="theirs", clock=clock)
    assert theirs.id is not None
    with pytest.raises(NotFound):
        get_transaction(session, user, theirs.id)
    with pytest.raises(NotFound):
        update_transaction(session, user, theirs.id, amount=1, clock=clock)
    with pytest.raises(NotFound):
        delete_transaction(session, user, theirs.id)
    with pytest.raises(NotFound):
        resolve_transaction_id(session, user, "last")  # the stranger's last is not ours
    assert get_transaction(session, stranger, theirs.id).amount == Decimal("50.00")


# ---------------------------------------------------------------- updating, deleting


def test_update_fields_and_updated_at(session: Session, user: User, clock: FixedClock) -> None:
    tx = add_transaction(session, user, amount=10, description="taxi", merchant="Yellow Cab", clock=clock)
    clock.advance(hours=1)
    out = update_transaction(
        session,
        user,
        tx.id or 0,
        amount="11.5",
        date="2026-11-20",
        description="taxi home",
        currency="CAD",
        clock=clock,
    )
    assert (out.amount, out.date, out.description, out.currency) == (
        Decimal("11.50"),
        dt.date(2026, 11, 20),
        "taxi home",
        "CAD",
    )
    assert out.updated_at == clock.now() and out.created_at < out.updated_at
    assert out.merchant == "Yellow Cab"
    cleared = update_transaction(session, user, tx.id or 0, merchant="", clock=clock)
    assert cleared.merchant is None


def test_update_validates_like_add(session: Session, user: User, clock: FixedClock) -> None:
    tx = add_transaction(session, user, amount=10, clock=clock)
    for bad in ({"amount": 0}, {"amount": "abc"}, {"date": "2026-02-30"}, {"category": "spaceships"}):
        with pytest.raises(InvalidInput):
            update_transaction(session, user, tx.id or 0, clock=clock, **bad)  # type: ignore[arg-type]
    assert get_transaction(session, user, tx.id or 0).amount == Decimal("10.00")


def test_update_by_last(session: Session, user: User, clock: FixedClock) -> None:
    add_transaction(session, user, amount=1, clock=clock)
    second = add_transaction(session, user, amount=2, clock=clock)
    out = update_transaction(session, user, "last", amount=3, clock=clock)
    assert out.id == second.id and out.amount == Decimal("3.00")


def test_changing_kind_moves_to_a_fitting_category(session: Session, user: User, clock: FixedClock) -> None:
    tx = add_transaction(session, user, amount=10, category="Dining", clock=clock)
    out = update_transaction(session, user, tx.id or 0, kind="income", clock=clock)
    assert out.kind == TxKind.INCOME and cat_name(session, out) == "Other income"
    out = update_transaction(session, user, tx.id or 0, kind="expense", category="Groceries", clock=clock)
    assert out.kind == TxKind.EXPENSE and cat_name(session, out) == "Groceries"


def test_correction_teaches_merchant_memory(session: Session, user: User, clock: FixedClock) -> None:
    tx = add_transaction(session, user, amount=6, description="coffee", merchant="Blue Bottle", clock=clock)
    assert cat_name(session, tx) == "Other"
    update_transaction(session, user, tx.id or 0, category="dining", clock=clock)
    memory = session.exec(select(MerchantMemory).where(MerchantMemory.user_id == user.id)).all()
    assert [(m.merchant, m.category_id) for m in memory] == [("blue bottle", tx.category_id)]
    later = add_transaction(session, user, amount=4, description="latte", merchant="BLUE BOTTLE", clock=clock)
    assert cat_name(session, later) == "Dining"
    # An explicit category still wins over the memory.
    explicit = add_transaction(session, user, amount=4, merchant="Blue Bottle", category="Groceries", clock=clock)
    assert cat_name(session, explicit) == "Groceries"
    # Another user's memory is their own.
    stranger = fresh_user(session)
    theirs = add_transaction(session, stranger, amount=4, merchant="Blue Bottle", clock=clock)
    assert cat_name(session, theirs) == "Other"


def test_correction_without_merchant_teaches_short_description(session: Session, user: User, clock: FixedClock) -> None:
    tx = add_transaction(session, user, amount=30, description="Gym membership", clock=clock)
    hobby = create_category(session, user, name="Fitness", necessity_score=6)
    update_transaction(session, user, tx.id or 0, category="Fitness", clock=clock)
    later = add_transaction(session, user, amount=30, description="gym membership", clock=clock)
    assert later.category_id == hobby.id
    long_desc = "a very long description of something that is not a merchant at all"
    tx2 = add_transaction(session, user, amount=1, description=long_desc, clock=clock)
    update_transaction(session, user, tx2.id or 0, category="Shopping", clock=clock)
    assert add_transaction(session, user, amount=1, description=long_desc, clock=clock).category_id != (tx2.category_id)


def test_delete_returns_a_snapshot(session: Session, user: User, clock: FixedClock) -> None:
    tx = add_transaction(session, user, amount="9.99", description="book", category="Education", clock=clock)
    snap = delete_transaction(session, user, tx.id or 0)
    assert snap["id"] == tx.id
    assert snap["amount"] == "9.99"
    assert snap["category"] == "Education"
    assert snap["description"] == "book"
    assert snap["date"] == "2026-11-22"
    with pytest.raises(NotFound):
        get_transaction(session, user, tx.id or 0)
    with pytest.raises(NotFound):
        delete_transaction(session, user, tx.id or 0)


def test_delete_last(session: Session, user: User, clock: FixedClock) -> None:
    keep = add_transaction(session, user, amount=1, clock=clock)
    gone = add_transaction(session, user, amount=2, clock=clock)
    assert delete_transaction(session, user, "last")["id"] == gone.id
    assert last_transaction(session, user).id == keep.id
