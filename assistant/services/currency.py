"""Exchange rates the user sets, and converting ledger amounts into the user's currency.

Why the user sets them: BudgetWise is offline first and never invents numbers, so a summary
converts a foreign amount only by a rate the user gave, and says which currencies it left out.
A rate means: 1 unit of ``currency`` = ``rate`` units of the user's own currency.

Functions: ``set_rate(session, user, currency, rate) -> CurrencyRate``,
``delete_rate(session, user, currency) -> None``, ``list_rates(session, user) -> dict``,
``convert(amount, currency, to_currency, rates) -> Decimal | None``.
"""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session, col, select

from ..errors import InvalidInput, NotFound
from ..models import CurrencyRate, User, utcnow
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
    return row


def delete_rate(session: Session, user: User, currency: str) -> None:
    """Forget a rate; amounts in that currency drop out of totals (and are listed as missing)."""
    code = check_currency(currency)
    row = session.exec(
        select(CurrencyRate).where(CurrencyRate.user_id == user.id, CurrencyRate.currency == code)
    ).first()
    if row is None:
        raise NotFound(f"no rate set for {code}", field="currency")
    session.delete(row)
    session.flush()


def list_rates(session: Session, user: User) -> dict[str, Decimal]:
    """Every rate the user set, plus the user's own currency at 1 (so ``convert`` needs no base)."""
    rows = session.exec(
        select(col(CurrencyRate.currency), col(CurrencyRate.rate))
        .where(CurrencyRate.user_id == user.id)
        .order_by(col(CurrencyRate.currency))
    ).all()
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
