"""Dates and periods in free text, always relative to the user's today (never the system clock).

Why rules first: the common phrases ("yesterday", "last Friday", "on the 12th", "March 14")
must resolve the same way every time and in microseconds; dateparser is the fallback for the
rarer spellings the rules do not know.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import re
import warnings
from dataclasses import dataclass

from .calendar_days import (
    MON_RE,
    ORD,
    WD_RE,
    Period,
    _month,
    _weekday,
    _year,
    day_of_month,
    month_day,
    month_end,
    shift_month,
)

DATE_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:the\s+)?day\s+before\s+yesterday\b"), "dby"),
    (re.compile(r"\b(?:yesterday|last\s+night)\b(?:\s+(?:morning|afternoon|evening|night))?"), "yesterday"),
    (re.compile(r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening)|earlier\s+today)\b"), "today"),
    (re.compile(r"\btomorrow\b"), "tomorrow"),
    (re.compile(r"\b(\d+)\s+(day|week|month)s?\s+ago\b"), "ago"),
    (re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"), "iso"),
    (re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?\b"), "slash"),
    (re.compile(rf"\b{MON_RE}\s+(?:the\s+)?(\d{{1,2}}){ORD}(?:,?\s+(\d{{4}}))?\b(?![:.]\d)"), "mon_day"),
    (re.compile(rf"\b(?:the\s+)?(\d{{1,2}}){ORD}\s+(?:of\s+)?{MON_RE}(?:,?\s+(\d{{4}}))?\b"), "day_mon"),
    (re.compile(rf"\b(last|next|this(?:\s+past)?|on|every)?\s*{WD_RE}\b"), "weekday"),
    (re.compile(r"\b(?:on\s+)?the\s+(\d{1,2})(?:st|nd|rd|th)\b(?:\s+of\s+(?:the|each|every)\s+month)?"), "dom"),
    (re.compile(r"\bon\s+(\d{1,2})(?:st|nd|rd|th)\b"), "dom"),
    (re.compile(r"\bon\s+(?:the\s+)?(\d{1,2})\s+of\s+(?:every|each|the)\s+month\b"), "dom"),
]


def _resolve(kind: str, m: re.Match[str], today: dt.date, future: bool) -> dt.date | None:
    day = dt.timedelta(days=1)
    if kind == "dby":
        return today - 2 * day
    if kind == "yesterday":
        return today - day
    if kind == "today":
        return today
    if kind == "tomorrow":
        return today + day
    if kind == "ago":
        n, unit = int(m.group(1)), m.group(2)
        if unit == "month":
            y, mo = shift_month(today.year, today.month, -n)
            return dt.date(y, mo, min(today.day, calendar.monthrange(y, mo)[1]))
        return today - (n * (7 if unit == "week" else 1)) * day
    if kind == "iso":
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    if kind == "slash":
        a, b = int(m.group(1)), int(m.group(2))
        mo, d = (b, a) if a > 12 else (a, b)  # month first unless it cannot be
        if not 1 <= mo <= 12:
            return None
        return month_day(mo, d, _year(m.group(3)), today, future)
    if kind == "mon_day":
        return month_day(_month(m.group(1)), int(m.group(2)), _year(m.group(3)), today, future)
    if kind == "day_mon":
        return month_day(_month(m.group(2)), int(m.group(1)), _year(m.group(3)), today, future)
    if kind == "weekday":
        lead, wd = (m.group(1) or "").strip(), _weekday(m.group(2))
        if m.group(2) == "sun" and not lead and not re.search(r"\d[\d.,]*\s*,?\s*$", m.string[: m.start(2)]):
            return None  # "sun" alone is rarely Sunday; after a price, a note's day ("groceries 112.40 sun") it is
        if lead == "next" or (future and lead != "last"):
            return today + dt.timedelta(days=(wd - today.weekday()) % 7 or 7)
        return today - dt.timedelta(days=(today.weekday() - wd) % 7 or 7)
    if kind == "dom":
        return day_of_month(int(m.group(1)), today, future)
    return None


@dataclass(frozen=True)
class DateHit:
    date: dt.date
    start: int
    end: int


def find_date(low: str, today: dt.date, *, future: bool = False) -> DateHit | None:
    """The first date said in lowercased text (past for records, future for renewals)."""
    hits = all_dates(low, today, future=future)
    if not hits:
        return _fallback(low, today, future)
    return hits[0]


def all_dates(low: str, today: dt.date, *, future: bool = False) -> list[DateHit]:
    """Every day said in lowercased text, in the order said (the common spellings only)."""
    hits: list[DateHit] = []
    for rx, kind in DATE_RULES:
        for m in rx.finditer(low):
            if any(h.start < m.end() and m.start() < h.end for h in hits):
                continue  # inside or across a date already found ("on 15th January" is one date)
            if kind == "weekday" and re.match(r"\w", low[m.end() : m.end() + 1] or " "):
                continue
            d = _resolve(kind, m, today, future)
            end = m.end()
            if d is not None and kind == "dom" and (last := OF_LAST_MONTH.match(low[end:])):
                y, mo = shift_month(today.year, today.month, -1)  # "on the 1st of last month"
                d, end = dt.date(y, mo, min(int(m.group(1)), calendar.monthrange(y, mo)[1])), end + last.end()
            if d is not None:
                hits.append(DateHit(d, m.start(), end))
    return sorted(hits, key=lambda h: h.start)


RANGE_LEAD = re.compile(r"\b(?:from|between)\s*$")
RANGE_JOIN = re.compile(r"^\s*(?:to|until|till|til|through|thru|and|-|–)(?:\s+the)?\s*$")
BARE_DAY_BEFORE = re.compile(
    r"\b(?:from|between)\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:to|until|till|through|thru|and|-|–)(?:\s+the)?\s*$"
)
YEAR_SAID = re.compile(r"\b(?:19|20)\d\d\b")
SINCE_LEAD = re.compile(r"\b(?:since|starting(?:\s+from)?|from)(?:\s+the)?\s*$")


def _said_range(low: str, today: dt.date, hits: list[DateHit]) -> Period | None:
    """Days named as a range: "from Oct 15 to Nov 15", "between the 1st and the 10th", "since Monday"."""
    for hit in hits:  # "between 1 and 15 March 2025": the first day takes the month and year of the second
        bare = BARE_DAY_BEFORE.search(low[: hit.start])
        if bare and 1 <= int(bare.group(1)) <= hit.date.day:
            return Period(hit.date.replace(day=int(bare.group(1))), hit.date)
    for first, second in itertools.pairwise(hits):
        if RANGE_LEAD.search(low[: first.start]) and RANGE_JOIN.match(low[first.end : second.start]):
            one, two = first.date, second.date
            if YEAR_SAID.search(low[second.start : second.end]) and not YEAR_SAID.search(low[first.start : first.end]):
                moved = one.replace(year=two.year) if (one.month, one.day) != (2, 29) else one
                one = moved if moved <= two else one  # "from 1 May to 31 May 2025": the year said once, at the end
            start, end = sorted((one, two))
            return Period(start, end)
    for hit in hits:
        if SINCE_LEAD.search(low[: hit.start]):
            day = hit.date
            if OF_LAST_MONTH.match(low[hit.end :]):  # "since the 15th of last month"
                y, mo = shift_month(today.year, today.month, -1)
                day = dt.date(y, mo, min(day.day, calendar.monthrange(y, mo)[1]))
            if day <= today:
                return Period(day, today)
    return None


OF_LAST_MONTH = re.compile(r"\s+of\s+(?:last|the\s+previous|the\s+last|previous|the\s+prior)\s+month\b")


FALLBACK_RE = re.compile(
    rf"\b(?:\d{{1,2}}\.\d{{1,2}}\.\d{{2,4}}|\d{{4}}/\d{{1,2}}/\d{{1,2}}|{MON_RE}\s+the\s+\d+\w*)\b"
)


def _fallback(low: str, today: dt.date, future: bool) -> DateHit | None:
    """dateparser for the rarer spellings ("14.03.2025", "2025/03/14")."""
    m = FALLBACK_RE.search(low)
    if not m:
        return None
    import dateparser  # lazy: only these rare phrases pay its import and its cost

    settings = {
        "RELATIVE_BASE": dt.datetime.combine(today, dt.time(12)),
        "PREFER_DATES_FROM": "future" if future else "past",
        "DATE_ORDER": "DMY" if "." in m.group(0) else "MDY",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = dateparser.parse(m.group(0), languages=["en"], settings=settings)  # type: ignore[arg-type]
    return DateHit(parsed.date(), m.start(), m.end()) if parsed else None


# the date rules whose spans are masked: all but the named days, picked once
_SPAN_RULES = tuple(rx for rx, kind in DATE_RULES if kind not in ("today", "yesterday", "dby", "tomorrow"))
_YEAR_MONTH = re.compile(r"\b(?:19|20)\d\d-\d\d\b")
_CLOCK_TIME = re.compile(r"\b\d{1,2}(?::\d\d)?\s?(?:am|pm)\b|\b\d{1,2}:\d\d\b")
_IN_YEAR = re.compile(r"\b(?:in|since|by|during|through)\s+(?:19|20)\d\d\b")
_FOR_YEAR = re.compile(r"\b(?:of|for)\s+(?:19|20)\d\d\b(?!\s*(?:dollars?|bucks|euros?|pounds?))")


def date_spans(low: str) -> list[tuple[int, int]]:
    """Where dates and periods sit, so their digits are not taken for money."""
    spans = []
    for rx in _SPAN_RULES:
        spans += [m.span() for m in rx.finditer(low)]
    spans += [m.span() for m in PERIOD_MONTH_RE.finditer(low)]
    spans += [m.span() for m in _YEAR_MONTH.finditer(low)]
    spans += [m.span() for m in _CLOCK_TIME.finditer(low)]
    spans += [m.span() for m in _IN_YEAR.finditer(low)]
    for m in _FOR_YEAR.finditer(low):
        # "my spending for 2025" is a year; "a used car for 2000", "paycheck of 1950" are money
        other_number = re.search(r"\d", low[: m.start()] + " " + low[m.end() :])
        period_word = re.search(rf"\b(?:{YEAR_NOUNS})\s+$", low[: m.start()])
        if other_number or period_word:
            spans.append(m.span())
    return spans


YEAR_NOUNS = (
    r"spending|spent|expenses?|budgets?|goals?|plans?|taxe?s?|summary|report|overview|insights?|"
    r"transactions?|income|earnings|savings|history|totals?|breakdown|year|end|start|beginning|half|quarter|"
    r"january|february|march|april|may|june|july|august|september|october|november|december"
)


PERIOD_MONTH_RE = re.compile(rf"\b{MON_RE}(?:\s+(?:of\s+)?((?:19|20)\d\d))?\b(?!\s+\d{{1,2}}\b)")
SINCE_MONTH = re.compile(r"\b(?:since|starting(?:\s+in|\s+from)?)\s+(?:the\s+(?:start|beginning)\s+of\s+)?$")
LAST_N_RE = re.compile(r"\b(?:last|past|previous|recent)\s+(\d+)\s+(day|week|month)s?\b")


# find_period's tests, compiled once (it runs for every question)
_PERIOD_0 = re.compile(r"\b(?:last|previous|prior)\s+(?:calendar\s+)?month'?s?\b")
_PERIOD_1 = re.compile(r"\b(?:this|current)\s+month'?s?\b|\bmonth\s+to\s+date\b|\bso\s+far\s+this\s+month\b")
_PERIOD_2 = re.compile(r"\bnext\s+month'?s?\b")
_PERIOD_3 = re.compile(r"\bsince\s+the\s+(?:start|beginning)\s+of\s+(?:the|this)\s+month\b")
_PERIOD_4 = re.compile(r"\b(?:last|previous)\s+year\b")
_PERIOD_5 = re.compile(r"\b(?:past|last|previous)\s+(?:week|7\s+days)\b")
_PERIOD_6 = re.compile(r"\bthis\s+week\b")
_PERIOD_7 = re.compile(r"\b(?:past|last)\s+month\b|\blast\s+30\s+days\b")
_PERIOD_8 = re.compile(r"\b(?:the\s+)?day\s+before\s+yesterday\b")
_PERIOD_9 = re.compile(r"\byesterday\b|\blast\s+night\b")
_PERIOD_10 = re.compile(r"\btoday\b|\bthis\s+morning\b|\btonight\b")
_PERIOD_11 = re.compile(r"\b((?:19|20)\d\d)-(\d\d)\b")
_PERIOD_12 = re.compile(r"\b(?:in|for|of|during)\s+may\b|may\s+\d{4}")
_PERIOD_13 = re.compile(r"\b(?:in|during|for|of|since)\s+((?:19|20)\d\d)\b")


def find_period(low: str, today: dt.date, *, future: bool = False) -> Period | None:
    """The period a question is about ("last month", "this year", "past week", "in January",
    "since Monday", "from Oct 15 to Nov 15"). A month named without a year is the last one
    (a question looks back), or with ``future`` the next one (a budget is set ahead)."""
    day = dt.timedelta(days=1)
    first = today.replace(day=1)
    said_days = all_dates(low, today)
    if said := _said_range(low, today, said_days):
        return said
    if _PERIOD_0.search(low):
        end = first - day
        return Period(end.replace(day=1), end, end.strftime("%Y-%m"))
    if _PERIOD_1.search(low):
        return Period(first, today, today.strftime("%Y-%m"))
    if _PERIOD_2.search(low):
        ny, nm = shift_month(today.year, today.month, 1)
        return Period(dt.date(ny, nm, 1), month_end(ny, nm), f"{ny:04d}-{nm:02d}")
    if _PERIOD_3.search(low):
        return Period(first, today, today.strftime("%Y-%m"))
    if re.search(
        r"\b(?:this|current)\s+year\b|\byear[\s-]+to[\s-]+date\b|\bytd\b|\bso\s+far\s+this\s+year\b|"
        r"\bsince\s+(?:the\s+)?(?:start|beginning)\s+of\s+(?:the|this)\s+year\b|\bsince\s+new\s+year'?s?\b",
        low,
    ):
        return Period(today.replace(month=1, day=1), today)
    if _PERIOD_4.search(low):
        return Period(dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31))
    if m := LAST_N_RE.search(low):
        n, unit = int(m.group(1)), m.group(2)
        days = n * {"day": 1, "week": 7, "month": 30}[unit]
        return Period(today - days * day, today)
    if _PERIOD_5.search(low):
        return Period(today - 7 * day, today)
    if _PERIOD_6.search(low):
        return Period(today - today.weekday() * day, today)
    if _PERIOD_7.search(low):
        return Period(today - 30 * day, today)
    if _PERIOD_8.search(low):
        return Period(today - 2 * day, today - 2 * day)
    if _PERIOD_9.search(low):
        return Period(today - day, today - day)
    if _PERIOD_10.search(low):
        return Period(today, today)
    if m := _PERIOD_11.search(low):
        y, mo = int(m.group(1)), int(m.group(2))
        if 1 <= mo <= 12:
            return Period(dt.date(y, mo, 1), month_end(y, mo), f"{y:04d}-{mo:02d}")
    for hit in PERIOD_MONTH_RE.finditer(low):
        if hit.group(1) == "may" and not _PERIOD_12.search(low):
            continue
        mo = _month(hit.group(1))
        if hit.group(2):
            y = int(hit.group(2))
        elif future:
            y = today.year if mo >= today.month else today.year + 1
        else:
            y = today.year if mo <= today.month else today.year - 1
        if not future and SINCE_MONTH.search(low[: hit.start()]) and dt.date(y, mo, 1) <= today:
            return Period(dt.date(y, mo, 1), today)  # "since January": from its first day to today
        return Period(dt.date(y, mo, 1), month_end(y, mo), f"{y:04d}-{mo:02d}")
    if m := _PERIOD_13.search(low):
        y = int(m.group(1))  # a bare year: "how much did I spend in 2025"
        if y <= today.year:
            since = low[m.start() : m.start() + 5] == "since"
            return Period(dt.date(y, 1, 1), today if since or y == today.year else dt.date(y, 12, 31))
    for day_hit in said_days:  # one day: "on the 14th", "on Tuesday just gone", "on Nov 3"
        spoken = low[day_hit.start : day_hit.end].lstrip()
        before = low[: day_hit.start]
        if re.search(r"\b(?:on|spen[dt]|buy|bought|pa(?:y|id))\s*(?:the\s*)?$", before) or spoken.startswith("on "):
            return Period(day_hit.date, day_hit.date)
    return None


def within_days(low: str, today: dt.date) -> int | None:
    """How far ahead a "what renews ..." question looks."""
    if m := re.search(r"\b(?:next|coming|within|in)\s+(?:the\s+)?(?:next\s+)?(\d+)\s+(day|week|month)s?\b", low):
        return int(m.group(1)) * {"day": 1, "week": 7, "month": 30}[m.group(2)]
    # "in next 14d", "within 2wks", "next 3 mos": the span written short
    if m := re.search(r"\b(?:next|coming|within|in)\s+(?:the\s+)?(?:next\s+)?(\d+)\s*(d|dys?|w|wks?|mos?)\b", low):
        return int(m.group(1)) * {"d": 1, "w": 7, "m": 30}[m.group(2)[0]]
    if re.search(r"\bfortnight\b", low):
        return 14
    if re.search(r"\bthis\s+week\b|\bnext\s+week\b|\bwithin\s+a\s+week\b|\bnext\s+7\s+days\b", low):
        return 7
    if re.search(r"\b(?:this|current)\s+month\b|\brest\s+of\s+the\s+month\b", low):
        return (month_end(today.year, today.month) - today).days
    if re.search(r"\bnext\s+month\b|\bwithin\s+a\s+month\b", low):
        return 30
    if re.search(r"\btomorrow\b", low):
        return 1
    if re.search(r"\btoday\b", low):
        return 0
    return None


def goal_deadline(low: str, today: dt.date) -> dt.date | None:
    """ "by the end of the year" -> Dec 31; "by June" -> June 30; "by March 1" -> that day."""
    if re.search(r"\b(?:by|before|until)\s+(?:the\s+)?end\s+of\s+(?:the|this)\s+year\b|\bby\s+year'?s?\s+end\b", low):
        return dt.date(today.year, 12, 31)
    if re.search(r"\b(?:by|before)\s+(?:the\s+)?end\s+of\s+(?:the|this)\s+month\b", low):
        return month_end(today.year, today.month)
    if re.search(r"\bby\s+(?:the\s+)?end\s+of\s+next\s+year\b", low):
        return dt.date(today.year + 1, 12, 31)
    if m := re.search(r"\b(?:by|before|until)\s+((?:19|20)\d\d)\b(?![-/.]\d)", low):  # not "by 2027-06-01"
        return dt.date(int(m.group(1)), 12, 31)
    if m := re.search(r"\bin\s+(\d+)\s+(month|year)s?\b", low):
        n = int(m.group(1)) * (12 if m.group(2) == "year" else 1)
        y, mo = shift_month(today.year, today.month, n)
        return dt.date(y, mo, min(today.day, calendar.monthrange(y, mo)[1]))
    if m := re.search(r"\b(?:by|before|until)\s+(.*)$", low):
        hit = find_date(m.group(1), today, future=True)
        if hit:
            return hit.date
        if mm := re.match(rf"(?:the\s+end\s+of\s+)?{MON_RE}(?:\s+((?:19|20)\d\d))?\b", m.group(1)):
            mo = _month(mm.group(1))
            y = int(mm.group(2)) if mm.group(2) else (today.year if mo >= today.month else today.year + 1)
            return month_end(y, mo)
    return None
