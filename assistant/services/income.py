"""The user's usual monthly income: what they say they earn, next to what the ledger received.

Why stored on the user and not derived: "I make 3200 a month" is a statement about the person,
not a transaction; logging it as income (or, worse, as a subscription) would put money in the
ledger that never arrived. The ledger's income for the month stays what was actually logged;
the overview shows both so a person can compare them.

Functions: ``set_monthly_income(session, user, amount) -> Decimal``,
``clear_monthly_income(session, user) -> None``,
``income_overview(session, user, month=None, *, clock) -> IncomeOverview``.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel
from sqlmodel import Session

from ..clock import Clock, month_bounds, user_today
from ..models import User
from ..money import parse_amount
from .spending import check_month, ledger_totals


class IncomeOverview(BaseModel):
    month: str
    currency: str
    monthly_income: Decimal | None  # what the user said they usually earn; None when not said
    received: Decimal  # income logged in the month (converted by the user's rates)
    expected_left: Decimal | None  # monthly_income - received, never below 0; None without an income
    spent: Decimal  # the month's expenses, for "what is left of my income"
    missing_rates: list[str]


def set_monthly_income(session: Session, user: User, amount: object) -> Decimal:
    """Store the usual monthly income (a positive amount of at most 1,000,000)."""
    value = parse_amount(amount)
    user.monthly_income = value
    session.add(user)
    session.flush()
    return value


def clear_monthly_income(session: Session, user: User) -> None:
    user.monthly_income = None
    session.add(user)
    session.flush()


def income_overview(session: Session, user: User, month: str | None = None, *, clock: Clock) -> IncomeOverview:
    """The stated monthly income beside what the ledger received and spent in ``month``."""
    target = check_month(month, user_today(clock, user.timezone))
    first, last = month_bounds(target)
    totals = ledger_totals(session, user, [(target, first, last)])[target]
    stated = user.monthly_income
    left = None if stated is None else max(stated - totals.income, Decimal("0.00"))
    return IncomeOverview(
        month=target,
        currency=user.currency,
        monthly_income=stated,
        received=totals.income,
        expected_left=left,
        spent=totals.total_spent,
        missing_rates=sorted(totals.missing),
    )
