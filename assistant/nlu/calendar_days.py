"""Calendar words and arithmetic: weekday and month names, Period, month ends and shifts, and the day of
month or month-and-day a phrase names, past or future.

Why apart from dates.py: the calendar's rules are one job; finding dates and periods in text is another.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WD_RE = r"(mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?"
MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
MON_RE = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
ORD = r"(?:st|nd|rd|th)?"


@dataclass(frozen=True)
class Period:
    """A span of days the user asked about; ``month`` is set when it is one calendar month."""

    start: dt.date
    end: dt.date
    month: str | None = None


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def shift_month(year: int, month: int, n: int) -> tuple[int, int]:
    idx = year * 12 + month - 1 + n
    return idx // 12, idx % 12 + 1


def _weekday(word: str) -> int:
    return next(i for i, w in enumerate(WEEKDAYS) if w.startswith(word[:3]))


def _month(word: str) -> int:
    return MONTHS[word[:3].lower()]


def day_of_month(day: int, today: dt.date, future: bool) -> dt.date | None:
    """The most recent such day (past) or the next one on or after today (future)."""
    if not 1 <= day <= 31:
        return None
    y, m = today.year, today.month
    step = 1 if future else -1
    for _ in range(14):
        if day <= calendar.monthrange(y, m)[1]:
            cand = dt.date(y, m, day)
            if (future and cand >= today) or (not future and cand <= today):
                return cand
        y, m = shift_month(y, m, step)
    return None


def month_day(month: int, day: int, year: int | None, today: dt.date, future: bool) -> dt.date | None:
    """A calendar day; without a year, the nearest one in the right direction (leap days too)."""
    if year is not None:
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    y = today.year
    for _ in range(9):
        try:
            cand = dt.date(y, month, day)
        except ValueError:
            cand = None
        if cand and ((future and cand >= today) or (not future and cand <= today)):
            return cand
        y += 1 if future else -1
    return None


def _year(text: str | None) -> int | None:
    if not text:
        return None
    y = int(text)
    return y + 2000 if y < 100 else y
