"""A subscription's renewal calendar and cost per period: pure date and Decimal arithmetic.

Renewal arithmetic keeps the day the user signed up on (``anchor_day``): a monthly charge on
the 31st falls on Feb 28/29 and is back on Mar 31, so dates never drift towards the start of
the month. ``assistant.services.subscriptions`` re-exports these names.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from decimal import Decimal

from ..errors import InvalidInput
from ..models import Cadence
from ..money import quantize

MONTHS_PER_PERIOD = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3, Cadence.YEARLY: 12}
PER_YEAR = {Cadence.WEEKLY: 52, Cadence.MONTHLY: 12, Cadence.QUARTERLY: 4, Cadence.YEARLY: 1}
CADENCE_WORDS = {
    "week": Cadence.WEEKLY, "weekly": Cadence.WEEKLY, "every week": Cadence.WEEKLY,
    "month": Cadence.MONTHLY, "monthly": Cadence.MONTHLY, "every month": Cadence.MONTHLY,
    "quarter": Cadence.QUARTERLY, "quarterly": Cadence.QUARTERLY, "every 3 months": Cadence.QUARTERLY,
    "year": Cadence.YEARLY, "yearly": Cadence.YEARLY, "annual": Cadence.YEARLY,
    "annually": Cadence.YEARLY, "every year": Cadence.YEARLY,
}  # fmt: skip


def _shift_months(day: dt.date, months: int, anchor_day: int) -> dt.date:
    idx = day.year * 12 + (day.month - 1) + months
    year, month = divmod(idx, 12)
    month += 1
    return dt.date(year, month, min(anchor_day, calendar.monthrange(year, month)[1]))


def next_renewal_after(day: dt.date, cadence: Cadence | str, anchor_day: int) -> dt.date:
    """The renewal one period after ``day``, on ``anchor_day`` or the month's last day."""
    cad = parse_cadence(cadence)
    if cad is Cadence.WEEKLY:
        return day + dt.timedelta(days=7)
    return _shift_months(day, MONTHS_PER_PERIOD[cad], anchor_day)


def roll_forward(day: dt.date, cadence: Cadence, anchor_day: int, today: dt.date) -> dt.date:
    """The first renewal on or after ``today`` in the series through ``day`` (no long loops)."""
    if day >= today:
        return day
    if cadence is Cadence.WEEKLY:
        weeks = -(-(today - day).days // 7)
        return day + dt.timedelta(days=7 * weeks)
    step = MONTHS_PER_PERIOD[cadence]
    months = (today.year - day.year) * 12 + (today.month - day.month)
    periods = max(months // step - 1, 0)
    out = _shift_months(day, periods * step, anchor_day)
    while out < today:
        out = next_renewal_after(out, cadence, anchor_day)
    return out


def parse_cadence(value: Cadence | str) -> Cadence:
    """A cadence from the enum or a word people use ("annual", "every month")."""
    if isinstance(value, Cadence):
        return value
    key = re.sub(r"\s+", " ", str(value).strip().lower())
    if key in CADENCE_WORDS:
        return CADENCE_WORDS[key]
    valid = ", ".join(c.value for c in Cadence)
    raise InvalidInput(f"cadence must be one of {valid}, got {value!r}", field="cadence")


def yearly_cost(amount: Decimal, cadence: Cadence) -> Decimal:
    """Exact cost over a year (weekly counts 52 charges)."""
    return amount * PER_YEAR[cadence]


def monthly_cost(amount: Decimal, cadence: Cadence) -> Decimal:
    """Average cost per month, rounded to the cent."""
    return quantize(yearly_cost(amount, cadence) / 12)
