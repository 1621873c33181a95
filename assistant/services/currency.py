"""Exchange rates the user sets, and converting ledger amounts into the user's currency.

Why the user sets them: BudgetWise is offline first and never invents numbers, so a summary
converts a foreign amount only by a rate the user gave, and says which currencies it left out.
A rate means: 1 unit of ``currency`` = ``rate`` units of the user's own currency.

Functions: ``set_rate(session, user, currency, rate) -> CurrencyRate``,
``delete_rate(session, user, currency) -> None``, ``list_rates(session, user) -> dict``,
``convert(amount, currency, to_currency, rates) -> Decimal | None``,
``home_value(amount, currency, user, rates) -> (home_amount | None, fx_rate | None)``,
``fill_pending(session, user, currency) -> int``,
``change_home_currency(session, user, currency, rate=None) -> CurrencyChange``.

Each transaction keeps its original amount and currency and also its amount in the user's
currency with the rate used, fixed when it is recorded (``home_value``), so a later rate change
never rewrites last month. A row recorded before any rate was known stays pending (``home_amount``
None); totals name it instead of dropping it, and setting that currency's rate fills it in.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import bindparam, event, func, update
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, select

from ..db import Prepared
from ..errors import InvalidInput, NotFound
from ..models import Budget, CurrencyRate, Transaction, User, utcnow
from ..money import check_currency, quantize, to_decimal

MAX_RATE = Decimal("1000000")


def set_rate(session: Session, user: User, currency: str, rate: object) -> CurrencyRate:
    """Create or replace the rate for ``currency`` (a positive number, at most 1,000,000)."""
    code = check_currency(currency)
    if code == user.currency:
        raise InvalidInput(f"{code} is your own currency; it needs no rate", field="currency")
    value = to_decimal(rate, field="rate")
    if value <= 0:
        raise InvalidInput("rate must be greater than 0", field="rate")
    if value > MAX_RATE:
        raise InvalidInput("rate must be at most 1,000,000", field="rate")
    row = session.exec(
        select(CurrencyRate).where(CurrencyRate.user_id == user.id, CurrencyRate.currency == code)
    ).first()
    if row is None:
        assert user.id is not None
        row = CurrencyRate(user_id=user.id, currency=code, rate=value)
    else:
        row.rate = value
        row.updated_at = utcnow()
    session.add(row)
    session.flush()
    fill_pending(session, user, code, value)
    return row


def delete_rate(session: Session, user: User, currency: str) -> None:
    """Forget a rate. Amounts already recorded keep the rate fixed when they were; new amounts in that
    currency wait for a rate again (listed next to the totals until then)."""
    code = check_currency(currency)
    row = session.exec(
        select(CurrencyRate).where(CurrencyRate.user_id == user.id, CurrencyRate.currency == code)
    ).first()
    if row is None:
        raise NotFound(f"no rate set for {code}", field="currency")
    session.delete(row)
    session.flush()


# Built once, bound per call.
_RATES_Q = (
    select(col(CurrencyRate.currency), col(CurrencyRate.rate))
    .where(CurrencyRate.user_id == bindparam("uid"))
    .order_by(col(CurrencyRate.currency))
)

_RATES = Prepared(_RATES_Q)


def list_rates(session: Session, user: User) -> dict[str, Decimal]:
    """Every rate the user set, plus the user's own currency at 1 (so ``convert`` needs no base)."""
    session.flush()  # as a query through the session would: a rate set in this unit counts
    rows = _RATES.execute(session.connection(), {"uid": user.id})
    rates = {code: Decimal(rate) for code, rate in rows}
    rates[user.currency] = Decimal(1)
    return rates


def convert(amount: Decimal, currency: str, to_currency: str, rates: dict[str, Decimal]) -> Decimal | None:
    """``amount`` in ``to_currency`` rounded to the cent, or None when a rate is missing.

    ``rates`` is what ``list_rates`` returns: each currency's value in one common base.
    """
    if currency == to_currency:
        return amount
    src, dst = rates.get(currency), rates.get(to_currency)
    if src is None or dst is None:
        return None
    return quantize(amount * src / dst)


def home_value(
    amount: Decimal, currency: str, user: User, rates: dict[str, Decimal]
) -> tuple[Decimal | None, Decimal | None]:
    """``(amount in the user's currency, rate used)``, or ``(None, None)`` when no rate is known."""
    if currency == user.currency:
        return amount, Decimal(1)
    rate = rates.get(currency)
    if rate is None:
        return None, None
    return quantize(amount * rate), rate


_RATE_Q = select(col(CurrencyRate.rate)).where(
    CurrencyRate.user_id == bindparam("uid"), CurrencyRate.currency == bindparam("code")
)


def rate_for(session: Session, user: User, currency: str) -> Decimal | None:
    """The user's rate for one currency (1 for the user's own), None when none is set."""
    if currency == user.currency:
        return Decimal(1)
    found = session.exec(_RATE_Q, params={"uid": user.id, "code": currency}).first()  # type: ignore[call-overload]
    return None if found is None else Decimal(found)


def own_currencies(session: Session, user_id: int, currency: str) -> frozenset[str]:
    """The foreign currencies a user has set a rate for or has entries in (two indexed reads)."""
    rates = session.exec(select(col(CurrencyRate.currency)).where(CurrencyRate.user_id == user_id)).all()
    used = session.exec(
        select(col(Transaction.currency))
        .where(Transaction.user_id == user_id, col(Transaction.currency) != currency)
        .distinct()
    ).all()
    return frozenset(str(c).upper() for c in (*rates, *used) if c) - {currency.upper()}


def fill_pending(session: Session, user: User, currency: str, rate: Decimal | None = None) -> int:
    """Convert the rows in ``currency`` that were recorded before a rate was known; returns how many."""
    value = rate if rate is not None else rate_for(session, user, currency)
    if value is None:
        return 0
    rows = session.exec(
        select(col(Transaction.id), col(Transaction.amount)).where(
            Transaction.user_id == user.id,
            Transaction.currency == currency,
            col(Transaction.home_amount).is_(None),
        )
    ).all()
    for tx_id, amount in rows:
        session.execute(
            update(Transaction)
            .where(col(Transaction.id) == tx_id)
            .values(home_amount=quantize(amount * value), fx_rate=value)
        )
    session.flush()
    return len(rows)


@event.listens_for(OrmSession, "before_flush")
def _fix_new_rows(session: OrmSession, _context: object, _instances: object) -> None:
    """Any new ledger row added without a home amount (a renewal, a demo row) gets one fixed now.

    Why a hook: every path that records a transaction must fix its converted amount when it is
    recorded, and this catches the paths that build ``Transaction`` directly.
    """
    fresh = [o for o in session.new if isinstance(o, Transaction) and o.home_amount is None]
    if not fresh:
        return
    cache: dict[tuple[int, str], Decimal | None] = {}
    with session.no_autoflush:
        for tx in fresh:
            key = (tx.user_id, tx.currency)
            if key not in cache:
                owner = session.get(User, tx.user_id)
                cache[key] = None if owner is None else rate_for(session, owner, tx.currency)  # type: ignore[arg-type]
            rate = cache[key]
            if rate is not None and tx.amount is not None:
                tx.home_amount = quantize(Decimal(str(tx.amount)) * rate)
                tx.fx_rate = rate


class CurrencyChange(BaseModel):
    """What changing the home currency did, in words the UI and chat show as they are."""

    old_currency: str
    new_currency: str
    rate: Decimal | None  # units of the new currency per one unit of the old
    converted: int  # transactions whose home amount was converted
    pending: int  # transactions left without a rate (named next to every total)
    message: str


def change_home_currency(session: Session, user: User, currency: str, rate: object = None) -> CurrencyChange:
    """Switch the user's currency; convert the ledger, budgets and rates by ``rate`` (new per old).

    Without ``rate`` the one implied by a rate already set for the new currency is used. With
    neither, rows in the new currency count at 1, every other row becomes pending (totals say
    so until a rate is set), the old rates (relative to the old currency) are dropped and
    budget amounts are kept as numbers: the message says exactly that.
    """
    new = check_currency(currency)
    old = user.currency
    if new == old:
        return CurrencyChange(old_currency=old, new_currency=new, rate=Decimal(1), converted=0, pending=0, message="")
    factor: Decimal | None = None
    if rate is not None and not (isinstance(rate, str) and not rate.strip()):
        factor = to_decimal(rate, field="rate")
        if factor <= 0 or factor > MAX_RATE:
            raise InvalidInput("rate must be greater than 0 and at most 1,000,000", field="rate")
    else:
        implied = rate_for(session, user, new)
        if implied is not None and implied > 0:
            factor = Decimal(1) / implied
    uid = user.id
    tx = Transaction
    # Rows already in the new currency count at 1 whatever happens.
    session.execute(
        update(tx).where(col(tx.user_id) == uid, col(tx.currency) == new).values(home_amount=tx.amount, fx_rate=1)
    )
    rates = {c: r for c, r in list_rates(session, user).items() if c != old}
    session.execute(
        CurrencyRate.__table__.delete().where(CurrencyRate.user_id == uid)  # type: ignore[attr-defined]
    )
    if factor is not None:
        for row in session.exec(select(tx).where(tx.user_id == uid, col(tx.currency) != new)).all():
            if row.home_amount is not None and row.fx_rate is not None:
                row.fx_rate = row.fx_rate * factor
            elif row.currency == old:
                row.fx_rate = factor
            else:
                continue
            row.home_amount = quantize(row.amount * row.fx_rate)
            session.add(row)
        for budget in session.exec(select(Budget).where(Budget.user_id == uid)).all():
            budget.amount = quantize(budget.amount * factor)
            session.add(budget)
        assert uid is not None
        session.add(CurrencyRate(user_id=uid, currency=old, rate=factor))
        for code, value in rates.items():
            if code != new:
                session.add(CurrencyRate(user_id=uid, currency=code, rate=value * factor))
        user.currency = new
        session.flush()
        for code in rates:
            if code != new:
                fill_pending(session, user, code)
    else:
        session.execute(
            update(tx).where(col(tx.user_id) == uid, col(tx.currency) != new).values(home_amount=None, fx_rate=None)
        )
    user.currency = new
    session.add(user)
    session.flush()
    total = session.exec(select(func.count()).select_from(tx).where(tx.user_id == uid)).one()
    pending = session.exec(
        select(func.count()).select_from(tx).where(tx.user_id == uid, col(tx.home_amount).is_(None))
    ).one()
    converted = int(total) - int(pending)
    if factor is not None:
        message = (
            f"Your currency is now {new}. Amounts, budgets and rates were converted at 1 {old} = "
            f"{factor.normalize():f} {new}."
        )
    else:
        message = (
            f"Your currency is now {new}. No {old}->{new} rate was given, so {pending} transaction(s) in other "
            f"currencies are left out of totals (each total says so) until you set a rate; budgets kept their numbers."
        )
    return CurrencyChange(
        old_currency=old, new_currency=new, rate=factor, converted=converted, pending=pending, message=message
    )
