"""The month's pace: one model for the dashboard's bars and the insights' tips.

Why: projecting the rent paid on the 1st across the month turned $2,000 into $62,000 and a calm
month into "$6,671 over budget" while every bar said "On track". So:

- Fixed monthly payments (rent, subscriptions, bills) are never projected. A category is fixed
  when the user flagged it (``Category.fixed``), when an active subscription files into it, or
  when in the last three months it had exactly one payment in every month it had any (at least
  two such months). Its projection is what was paid this month, or last month's payment while
  this month's is still to come.
- Day-to-day spending is projected at its daily rate. Early in a month a few purchases say
  little, so the rate leans on the budget's own daily share as if a week (``PRIOR_DAYS``) at
  budget pace had been seen; by the month's end the projection is simply what was spent.

Status per budgeted category: ``over`` (spent more than the budget), ``over_pace`` (projected
above the budget), else ``on_track``. The tips use the same projections, so they cannot
disagree with the bars.

Function: ``month_pace(session, user, month=None, *, clock) -> MonthPace``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import Date, bindparam, union_all
from sqlalchemy import select as sa_select
from sqlmodel import Session

from ..clock import Clock, add_months, month_bounds, month_of, user_today
from ..db import Prepared
from ..models import Category, Subscription, Transaction, TxKind, User
from ..money import quantize
from .budgets import effective_budgets
from .spending import ZERO, check_month, ledger_totals

PRIOR_DAYS = 7
HISTORY_MONTHS = 3


class CategoryPace(BaseModel):
    category: str
    budget: Decimal
    spent: Decimal
    fixed: bool  # a monthly payment: not projected
    projected: Decimal  # by the month's end, on this model
    expected_by_now: Decimal  # the budget's share for the days gone (fixed: the whole budget)
    status: str  # "on_track" | "over_pace" | "over"


class MonthPace(BaseModel):
    month: str
    currency: str
    days_in_month: int
    days_gone: int  # days of the month up to and including today (all of them for a past month)
    total_budget: Decimal
    total_spent: Decimal
    total_projected: Decimal
    categories: list[CategoryPace]


_cat = Category.__table__.c  # type: ignore[attr-defined]
_sub = Subscription.__table__.c  # type: ignore[attr-defined]
_tx = Transaction.__table__.c  # type: ignore[attr-defined]
# Built once, bound per call (building a statement and its cache key cost more than running it).
_FIXED_IDS_Q = union_all(
    sa_select(_cat.id).where(_cat.user_id == bindparam("uid"), _cat.fixed.is_(True)),
    sa_select(_sub.category_id).where(
        _sub.user_id == bindparam("uid"), _sub.active.is_(True), _sub.category_id.is_not(None)
    ),
)
_PAID_Q = sa_select(_tx.category_id, _tx.date).where(
    _tx.user_id == bindparam("uid"),
    _tx.kind == TxKind.EXPENSE.value,
    _tx.date >= bindparam("start", type_=Date()),
    _tx.date <= bindparam("end", type_=Date()),
    _tx.category_id.is_not(None),
)

_FIXED_IDS = Prepared(_FIXED_IDS_Q)
_PAID = Prepared(_PAID_Q)


def fixed_categories(session: Session, user: User, month: str) -> set[int]:
    """Categories that hold monthly payments (see the module docstring)."""
    conn = session.connection()
    out = {int(c) for (c,) in _FIXED_IDS.execute(conn, {"uid": user.id}) if c is not None}
    start, _ = month_bounds(add_months(month, -HISTORY_MONTHS))
    _, end = month_bounds(add_months(month, -1))
    rows = _PAID.execute(conn, {"uid": user.id, "start": start, "end": end})
    counts: dict[tuple[int, str], int] = {}
    for cid, day in rows:
        key = (int(cid or 0), month_of(day))
        counts[key] = counts.get(key, 0) + 1
    per_cat: dict[int, list[int]] = {}
    for (cid, _m), n in counts.items():
        per_cat.setdefault(cid, []).append(n)
    out |= {cid for cid, counts in per_cat.items() if len(counts) >= 2 and all(n == 1 for n in counts)}
    return out


def month_pace(session: Session, user: User, month: str | None = None, *, clock: Clock) -> MonthPace:
    """How each budgeted category is going and where it is heading by the month's end."""
    today = user_today(clock, user.timezone)
    target = check_month(month, today)
    first, last = month_bounds(target)
    days = (last - first).days + 1
    if today > last:
        gone = days
    elif today < first:
        gone = 0
    else:
        gone = today.day
    budgets = effective_budgets(session, user, target)
    prev = add_months(target, -1)
    totals = ledger_totals(session, user, [(target, first, last), (prev, *month_bounds(prev))])
    now, before = totals[target], totals[prev]
    fixed = fixed_categories(session, user, target)
    lines: list[CategoryPace] = []
    for cid, (name, budget) in budgets.items():
        spent = now.spent.get(cid, ZERO)
        is_fixed = cid in fixed
        if gone >= days:
            projected = spent
        elif is_fixed:
            projected = spent if spent > 0 else max(spent, before.spent.get(cid, ZERO))
        elif gone == 0:
            projected = budget
        else:
            daily = (spent + budget * PRIOR_DAYS / days) / (gone + PRIOR_DAYS)
            projected = quantize(spent + daily * (days - gone))
        expected = budget if is_fixed else quantize(budget * gone / days)
        status = "over" if spent > budget else "over_pace" if projected > budget else "on_track"
        lines.append(
            CategoryPace(
                category=name,
                budget=budget,
                spent=spent,
                fixed=is_fixed,
                projected=projected,
                expected_by_now=expected,
                status=status,
            )
        )
    lines.sort(key=lambda c: c.category)
    return MonthPace(
        month=target,
        currency=user.currency,
        days_in_month=days,
        days_gone=gone,
        total_budget=sum((c.budget for c in lines), ZERO),
        total_spent=sum((c.spent for c in lines), ZERO),
        total_projected=sum((c.projected for c in lines), ZERO),
        categories=lines,
    )


def month_label(day: dt.date) -> str:
    return f"{day:%B} {day.day}"


__all__ = ["CategoryPace", "MonthPace", "fixed_categories", "month_of", "month_pace"]
