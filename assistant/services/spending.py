"""Spending summaries: totals by category over a date range, month over month, the monthly trend.

Why it looks like this: every figure comes from the ledger through ``ledger_totals``, one
``GROUP BY`` query over the user's rows (date range, kind, category, currency), so the work is
done by the database on its indexes, not by Python over every row. Foreign amounts are
converted per (category, currency) group by the user's own rates (``services.currency``);
currencies without a rate are left out of the totals and listed in ``missing_rates``.

The aggregation itself (``ledger_totals``, ``check_month``, ``percent``) lives in ``totals``;
this module re-exports it. Functions: ``ledger_totals(session, user, buckets, *, category_id=None)``,
``spending_summary(session, user, start, end, *, category=None, clock) -> SpendingSummary``,
``month_over_month(session, user, month=None, *, clock) -> list[CategoryChange]``,
``monthly_trend(session, user, months=6, *, clock) -> list[MonthTrend]``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal

from pydantic import BaseModel
from sqlmodel import Session

from ..clock import Clock, add_months, month_bounds, month_of, user_today
from ..errors import InvalidInput
from ..models import Category, CategoryKind, User
from ..money import quantize
from .categories import resolve_category
from .common import as_date
from .totals import (
    EARLIEST,
    MAX_RANGE_DAYS,
    UNCATEGORIZED,
    ZERO,
    Bucket,
    LeftOut,
    LeftOutPublic,
    Totals,
    check_month,
    home_amount_expr,
    ledger_totals,
    left_out_note,
    like_pattern,
    percent,
)

# ---------------------------------------------------------------- spending summary


class CategorySpend(BaseModel):
    category: str
    amount: Decimal
    count: int
    share: Decimal | None  # percent of the period's total


class PeriodTotal(BaseModel):
    start: dt.date
    end: dt.date
    total: Decimal


class SpendingSummary(BaseModel):
    start: dt.date
    end: dt.date
    currency: str
    category: str | None = None
    merchant: str | None = None
    total: Decimal
    count: int
    by_category: list[CategorySpend]
    income_total: Decimal
    previous: PeriodTotal
    change_pct: Decimal | None  # vs the previous period of equal length; None when it was 0
    missing_rates: list[str]
    left_out: list[LeftOutPublic] = []
    note: str | None = None


def spending_summary(
    session: Session,
    user: User,
    start: str | dt.date,
    end: str | dt.date,
    *,
    category: str | None = None,
    merchant: str | None = None,
    clock: Clock,
) -> SpendingSummary:
    """What was spent between two dates (inclusive), by category, against the period before.

    ``merchant`` keeps the rows whose merchant or description contains it, ignoring case
    ("how much at Starbucks in November"), in both periods.
    """
    first = as_date(start, field="start", timezone=user.timezone)
    last = as_date(end, field="end", timezone=user.timezone)
    if first > last:
        raise InvalidInput("start must be on or before end", field="start")
    if first < EARLIEST:
        # The ledger holds nothing earlier, and the previous period would fall off the calendar.
        raise InvalidInput(f"start must be {EARLIEST.isoformat()} or later", field="start")
    days = (last - first).days + 1
    if days > MAX_RANGE_DAYS:
        raise InvalidInput("a range of at most 10 years, please", field="end")
    cat: Category | None = None
    if category is not None and str(category).strip():
        cat = resolve_category(session, user, str(category), CategoryKind.EXPENSE)
    shop = re.sub(r"\s+", " ", merchant).strip() if merchant else None
    if shop is not None and len(shop) > 200:
        raise InvalidInput("merchant must be at most 200 characters", field="merchant")
    prev_last = first - dt.timedelta(days=1)
    prev_first = prev_last - dt.timedelta(days=days - 1)
    totals = ledger_totals(
        session,
        user,
        [("now", first, last), ("prev", prev_first, prev_last)],
        category_id=cat.id if cat else None,
        merchant=shop,
    )
    now, prev = totals["now"], totals["prev"]
    total = now.total_spent
    rows = [
        CategorySpend(
            category=now.names.get(cid, UNCATEGORIZED),
            amount=amount,
            count=now.counts.get(cid, 0),
            share=percent(amount, total),
        )
        for cid, amount in now.spent.items()
    ]
    rows.sort(key=lambda r: (-r.amount, r.category))
    missing = sorted(now.missing | prev.missing)
    left_out, note = left_out_note([now.left_out])
    if note is None and missing:
        note = f"amounts in {', '.join(missing)} in the period before are left out: no exchange rate set"
    prev_total = prev.total_spent
    change = percent(total - prev_total, prev_total)
    return SpendingSummary(
        start=first,
        end=last,
        currency=user.currency,
        category=cat.name if cat else None,
        merchant=shop or None,
        total=total,
        count=now.count,
        by_category=rows,
        income_total=now.income,
        previous=PeriodTotal(start=prev_first, end=prev_last, total=prev_total),
        change_pct=change,
        missing_rates=missing,
        left_out=left_out,
        note=note,
    )


# ---------------------------------------------------------------- month over month, trend


class CategoryChange(BaseModel):
    category: str
    this_month: Decimal
    last_month: Decimal
    change: Decimal
    change_pct: Decimal | None  # None when last month was 0


def month_over_month(session: Session, user: User, month: str | None = None, *, clock: Clock) -> list[CategoryChange]:
    """Each category's spending this month against last month, biggest move first.

    The month still running is compared month-to-date with the same days of last month (Dec 1-5
    with Nov 1-5), never five days with a whole month.
    """
    today = user_today(clock, user.timezone)
    this = check_month(month, today)
    last = add_months(this, -1)
    (first, end), (prev_first, prev_end) = month_bounds(this), month_bounds(last)
    if this == month_of(today):
        end = today
        prev_end = min(prev_end, prev_first + dt.timedelta(days=today.day - 1))
    totals = ledger_totals(session, user, [(this, first, end), (last, prev_first, prev_end)])
    now, before = totals[this], totals[last]
    names = {**before.names, **now.names}
    out = []
    for cid in set(now.spent) | set(before.spent):
        a, b = now.spent.get(cid, ZERO), before.spent.get(cid, ZERO)
        out.append(
            CategoryChange(
                category=names.get(cid, UNCATEGORIZED),
                this_month=a,
                last_month=b,
                change=quantize(a - b),
                change_pct=percent(a - b, b),
            )
        )
    out.sort(key=lambda r: (-abs(r.change), r.category))
    return out


class MonthTrend(BaseModel):
    month: str
    spent: Decimal
    income: Decimal


def monthly_trend(session: Session, user: User, months: int = 6, *, clock: Clock) -> list[MonthTrend]:
    """Spending and income for the last ``months`` months (this one included), oldest first."""
    if not 1 <= int(months) <= 120:
        raise InvalidInput("months must be between 1 and 120", field="months")
    this = month_of(user_today(clock, user.timezone))
    labels = [add_months(this, -i) for i in range(int(months) - 1, -1, -1)]
    totals = ledger_totals(session, user, [(m, *month_bounds(m)) for m in labels])
    agg: dict[str, Totals] = defaultdict(Totals, totals)
    return [MonthTrend(month=m, spent=agg[m].total_spent, income=agg[m].income) for m in labels]


__all__ = [
    "EARLIEST",
    "MAX_RANGE_DAYS",
    "UNCATEGORIZED",
    "ZERO",
    "Bucket",
    "CategoryChange",
    "CategorySpend",
    "LeftOut",
    "LeftOutPublic",
    "MonthTrend",
    "PeriodTotal",
    "SpendingSummary",
    "Totals",
    "check_month",
    "home_amount_expr",
    "ledger_totals",
    "left_out_note",
    "like_pattern",
    "month_over_month",
    "monthly_trend",
    "percent",
    "spending_summary",
]
