""" "How am I doing?" and "help me save money": the month so far against last month, and where to cut.

Why beside ``insights`` and not in it: insights lists what stands out; a check-up answers with
the few figures a person asks for first, every one computed from the ledger: what was spent so
far this month against the same days of last month (a fair comparison on the 10th, unlike a
whole month against a partial one), and the discretionary categories (necessity 5 or less) that
took the most, with what trimming each by a fifth would have kept.

Function: ``month_checkup(session, user, month=None, *, clock) -> Checkup``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel
from sqlmodel import Session

from ..clock import Clock, add_months, month_bounds, month_of, user_today
from ..models import User
from ..money import quantize
from .categories import necessity_scores
from .spending import UNCATEGORIZED, ZERO, check_month, ledger_totals, percent

WANT_UP_TO = 5  # necessity scores at or below this are discretionary
CUTS_N = 3
TRIM = Decimal("0.2")


class PeriodSpend(BaseModel):
    start: dt.date
    end: dt.date
    total: Decimal


class Pace(BaseModel):
    """The month so far against the same days of the month before (whole months for a past month)."""

    days: int
    this_period: PeriodSpend
    last_period: PeriodSpend
    change: Decimal
    change_pct: Decimal | None  # None when last month's days had no spending


class Cut(BaseModel):
    category: str
    spent: Decimal
    necessity_score: int
    share: Decimal | None  # percent of the month's spending
    trim_saves: Decimal  # a fifth of it


class Checkup(BaseModel):
    month: str
    currency: str
    spent: Decimal
    income: Decimal
    monthly_income: Decimal | None
    pace: Pace
    where_to_cut: list[Cut]
    missing_rates: list[str]


def _same_days_last_month(first: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    prev_first, prev_last = month_bounds(add_months(month_of(first), -1))
    day = min(end.day, prev_last.day)
    return prev_first, prev_first.replace(day=day)


def month_checkup(session: Session, user: User, month: str | None = None, *, clock: Clock) -> Checkup:
    """Spending so far against the same days last month, and the discretionary categories to trim."""
    today = user_today(clock, user.timezone)
    target = check_month(month, today)
    first, last = month_bounds(target)
    end = min(last, today) if first <= today else last
    prev_first, prev_end = _same_days_last_month(first, end)
    totals = ledger_totals(session, user, [("now", first, end), ("prev", prev_first, prev_end)])
    now, prev = totals["now"], totals["prev"]
    spent, before = now.total_spent, prev.total_spent
    pace = Pace(
        days=(end - first).days + 1,
        this_period=PeriodSpend(start=first, end=end, total=spent),
        last_period=PeriodSpend(start=prev_first, end=prev_end, total=before),
        change=quantize(spent - before),
        change_pct=percent(spent - before, before),
    )
    necessity: dict[int | None, int] = {cid: score for cid, _, score in necessity_scores(session, user)}
    cuts = [
        Cut(
            category=now.names.get(cid, UNCATEGORIZED),
            spent=amount,
            necessity_score=necessity.get(cid, 5),
            share=percent(amount, spent),
            trim_saves=quantize(amount * TRIM),
        )
        for cid, amount in now.spent.items()
        if amount > 0 and necessity.get(cid, 5) <= WANT_UP_TO
    ]
    cuts.sort(key=lambda c: (-c.spent, c.category))
    return Checkup(
        month=target,
        currency=user.currency,
        spent=spent,
        income=now.income if now.income else ZERO,
        monthly_income=user.monthly_income,
        pace=pace,
        where_to_cut=cuts[:CUTS_N],
        missing_rates=sorted(now.missing | prev.missing),
    )
