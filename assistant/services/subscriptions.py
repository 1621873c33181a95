"""Subscriptions: recurring charges, their renewal calendar and what they cost a month.

Renewal arithmetic keeps the day the user signed up on (``anchor_day``): a monthly charge on
the 31st falls on Feb 28/29 and is back on Mar 31, so dates never drift towards the start of
the month. Totals are exact (``Decimal``), converted only by rates the user set, and rounded to
the cent once, at the end. ``due_renewals`` reads across all users for the scheduler.

Functions: ``next_renewal_after``, ``add_subscription``, ``get_subscription``,
``update_subscription``, ``find_subscription``, ``cancel_subscription``,
``delete_subscription``, ``list_subscriptions``, ``subscription_totals``, ``renewals_before``,
``due_renewals``, ``advance_renewal``; the shapes ``SubscriptionPublic``, ``SubscriptionTotals``
and ``Renewal``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, col, func, select

from ..clock import Clock, SystemClock, user_today
from ..errors import Conflict, InvalidInput, NotFound
from ..models import Cadence, Category, CategoryKind, Subscription, User
from ..money import check_currency, parse_amount, quantize
from .categories import find_category, resolve_category
from .common import Page, as_date, check_paging, flush_unique
from .currency import list_rates
from .reminder_policy import check_lead_days
from .spending import like_pattern

DEFAULT_CATEGORY = "Subscriptions"
MAX_REMIND_DAYS = 60
MAX_WITHIN_DAYS = 3660
MONTHS_PER_PERIOD = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3, Cadence.YEARLY: 12}
PER_YEAR = {Cadence.WEEKLY: 52, Cadence.MONTHLY: 12, Cadence.QUARTERLY: 4, Cadence.YEARLY: 1}
CADENCE_WORDS = {
    "week": Cadence.WEEKLY, "weekly": Cadence.WEEKLY, "every week": Cadence.WEEKLY,
    "month": Cadence.MONTHLY, "monthly": Cadence.MONTHLY, "every month": Cadence.MONTHLY,
    "quarter": Cadence.QUARTERLY, "quarterly": Cadence.QUARTERLY, "every 3 months": Cadence.QUARTERLY,
    "year": Cadence.YEARLY, "yearly": Cadence.YEARLY, "annual": Cadence.YEARLY,
    "annually": Cadence.YEARLY, "every year": Cadence.YEARLY,
}  # fmt: skip


# ---------------------------------------------------------------- renewal arithmetic


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


# ---------------------------------------------------------------- shapes


class SubscriptionPublic(BaseModel):
    id: int
    name: str
    amount: Decimal
    currency: str
    cadence: Cadence
    next_renewal: dt.date
    remind_days_before: int
    category: str | None
    active: bool
    notes: str
    days_until: int
    monthly_cost: Decimal

    @classmethod
    def from_row(cls, sub: Subscription, *, category: str | None, today: dt.date) -> SubscriptionPublic:
        assert sub.id is not None
        return cls(
            id=sub.id,
            name=sub.name,
            amount=sub.amount,
            currency=sub.currency,
            cadence=Cadence(sub.cadence),
            next_renewal=sub.next_renewal,
            remind_days_before=sub.remind_days_before,
            category=category,
            active=sub.active,
            notes=sub.notes,
            days_until=(sub.next_renewal - today).days,
            monthly_cost=monthly_cost(sub.amount, Cadence(sub.cadence)),
        )


class SubscriptionTotals(BaseModel):
    """What active subscriptions cost, in the user's currency."""

    currency: str
    monthly: Decimal
    yearly: Decimal
    count: int
    by_cadence: dict[str, dict[str, Any]]
    missing_rates: list[str]


class Renewal(BaseModel):
    """One upcoming charge (a weekly subscription renews several times in a window)."""

    subscription_id: int
    name: str
    date: dt.date
    amount: Decimal
    currency: str
    amount_in_user_currency: Decimal | None


def to_public(session: Session, user: User, sub: Subscription, *, clock: Clock) -> SubscriptionPublic:
    """The API/tool shape of one row (category by name, days until the next charge)."""
    cat = session.get(Category, sub.category_id) if sub.category_id else None
    return SubscriptionPublic.from_row(sub, category=cat.name if cat else None, today=user_today(clock, user.timezone))


# ---------------------------------------------------------------- validation helpers


MAX_YEARS_AHEAD = 5


def _check_horizon(day: dt.date, today: dt.date) -> dt.date:
    """A renewal at most five years ahead: further is a typo, and would overflow the calendar."""
    if day > today + dt.timedelta(days=366 * MAX_YEARS_AHEAD):
        raise InvalidInput(
            f"next_renewal {day.isoformat()} is more than {MAX_YEARS_AHEAD} years ahead", field="next_renewal"
        )
    return day


def _clean_name(name: str) -> str:
    clean = re.sub(r"\s+", " ", str(name or "").strip())
    if not clean or len(clean) > 120:
        raise InvalidInput("a subscription name of 1 to 120 characters is needed", field="name")
    return clean


def _remind_days(value: Any) -> int:
    try:
        if isinstance(value, bool):
            raise ValueError
        days = int(value)
        if days != value and str(days) != str(value).strip():
            raise ValueError
    except (TypeError, ValueError):
        raise InvalidInput("remind_days_before must be a whole number of days", field="remind_days_before") from None
    if not 0 <= days <= MAX_REMIND_DAYS:
        raise InvalidInput(f"remind_days_before must be between 0 and {MAX_REMIND_DAYS}", field="remind_days_before")
    return days


def _category_id(session: Session, user: User, category: str | None) -> int | None:
    if category is None or not str(category).strip():
        cat = find_category(session, user, DEFAULT_CATEGORY)
        return cat.id if cat else None
    return resolve_category(session, user, str(category), kind=CategoryKind.EXPENSE).id


def _check_unique(session: Session, user: User, name: str, *, exclude: int | None = None) -> None:
    stmt = select(Subscription).where(
        Subscription.user_id == user.id,
        col(Subscription.active).is_(True),
        func.lower(Subscription.name) == name.lower(),
    )
    for other in session.exec(stmt):
        if other.id != exclude:
            raise Conflict(f"you already have an active subscription called {other.name!r}", field="name")


# ---------------------------------------------------------------- create, read, update, delete


def add_subscription(
    session: Session,
    user: User,
    *,
    name: str,
    amount: object,
    cadence: Cadence | str = Cadence.MONTHLY,
    next_renewal: dt.date | str | None = None,
    remind_days_before: int = 7,
    category: str | None = None,
    currency: str | None = None,
    notes: str = "",
    clock: Clock,
) -> Subscription:
    """Record a subscription; a renewal date in the past rolls forward to the next one due."""
    clean = _clean_name(name)
    value = parse_amount(amount)
    cad = parse_cadence(cadence)
    days = _remind_days(remind_days_before)
    cur = check_currency(currency, default=user.currency)
    today = user_today(clock, user.timezone)
    if next_renewal is None:
        first = next_renewal_after(today, cad, today.day)
        anchor = today.day
    else:
        first = _check_horizon(as_date(next_renewal, field="next_renewal", timezone=user.timezone), today)
        anchor = first.day
        first = roll_forward(first, cad, anchor, today)
    if len(notes or "") > 1000:
        raise InvalidInput("notes must be at most 1000 characters", field="notes")
    cat_id = _category_id(session, user, category)
    _check_unique(session, user, clean)
    assert user.id is not None
    sub = Subscription(
        user_id=user.id,
        name=clean,
        amount=value,
        currency=cur,
        cadence=cad,
        next_renewal=first,
        anchor_day=anchor,
        remind_days_before=days,
        category_id=cat_id,
        notes=notes or "",
    )
    flush_unique(session, sub, f"you already have an active subscription called {clean!r}")
    return sub


def get_subscription(session: Session, user: User, sub_id: int) -> Subscription:
    sub = session.get(Subscription, sub_id)
    if sub is None or sub.user_id != user.id:
        raise NotFound(f"no subscription with id {sub_id}")
    return sub


UPDATABLE = {
    "name",
    "amount",
    "currency",
    "cadence",
    "next_renewal",
    "remind_days_before",
    "category",
    "active",
    "notes",
    "extra_reminder_days",
    "contract_end",
    "notice_days",
}


def update_subscription(session: Session, user: User, sub_id: int, *, clock: Clock, **changes: Any) -> Subscription:
    """Change fields (None means unchanged); validation happens before anything is written."""

    unknown = set(changes) - UPDATABLE
    if unknown:
        raise InvalidInput(f"cannot change {', '.join(sorted(unknown))}", field=sorted(unknown)[0])
    sub = get_subscription(session, user, sub_id)
    ch = {k: v for k, v in changes.items() if v is not None}
    today = user_today(clock, user.timezone)
    name = _clean_name(ch["name"]) if "name" in ch else sub.name
    amount = parse_amount(ch["amount"]) if "amount" in ch else sub.amount
    cur = check_currency(ch["currency"]) if "currency" in ch else sub.currency
    cad = parse_cadence(ch["cadence"]) if "cadence" in ch else Cadence(sub.cadence)
    days = _remind_days(ch["remind_days_before"]) if "remind_days_before" in ch else sub.remind_days_before
    active = bool(ch["active"]) if "active" in ch else sub.active
    notes = str(ch["notes"]) if "notes" in ch else sub.notes
    if len(notes) > 1000:
        raise InvalidInput("notes must be at most 1000 characters", field="notes")
    anchor, nxt = sub.anchor_day, sub.next_renewal
    if "next_renewal" in ch:
        nxt = _check_horizon(as_date(ch["next_renewal"], field="next_renewal", timezone=user.timezone), today)
        anchor = nxt.day
    cat_id = _category_id(session, user, ch["category"]) if "category" in ch else sub.category_id
    if active:
        _check_unique(session, user, name, exclude=sub.id)
        nxt = roll_forward(nxt, cad, anchor, today)
    if active and not sub.active:
        sub.cancelled_at = None
    elif not active and sub.active:
        sub.cancelled_at = clock.now()
    sub.name, sub.amount, sub.currency, sub.cadence = name, amount, cur, cad
    sub.remind_days_before, sub.active, sub.notes = days, active, notes
    sub.next_renewal, sub.anchor_day, sub.category_id = nxt, anchor, cat_id
    if "extra_reminder_days" in ch:
        sub.extra_reminder_days = [d for d in check_lead_days(list(ch["extra_reminder_days"])) if d != days]
    if "contract_end" in changes:  # None clears the term
        end = changes["contract_end"]
        sub.contract_end = None if end is None else as_date(end, field="contract_end", timezone=user.timezone)
    if "notice_days" in ch:
        notice = ch["notice_days"]
        if isinstance(notice, bool) or not isinstance(notice, int) or not 0 <= notice <= 365:
            raise InvalidInput("notice_days must be a whole number of days from 0 to 365", field="notice_days")
        sub.notice_days = notice
    sub.next_action_at = None  # the scheduler works out the next reminder from the new terms
    sub.updated_at = clock.now()
    session.add(sub)
    session.flush()
    return sub


def find_subscription(session: Session, user: User, name: str) -> Subscription:
    """An active subscription by the name a person types: exact, then partial, then close spelling."""
    key = re.sub(r"\s+", " ", str(name or "").strip().lower())
    if not key:
        raise InvalidInput("say which subscription", field="name")
    subs = list(
        session.exec(
            select(Subscription)
            .where(Subscription.user_id == user.id, col(Subscription.active).is_(True))
            .order_by(col(Subscription.name))
        )
    )
    exact = [s for s in subs if s.name.lower() == key]
    if exact:
        return exact[0]
    squash = key.replace(" ", "")
    matches = [s for s in subs if key in s.name.lower() or squash in s.name.lower().replace(" ", "")]
    if not matches:
        matches = [s for s in subs if s.name.lower() in key]
    if not matches:
        close = difflib.get_close_matches(key, [s.name.lower() for s in subs], n=3, cutoff=0.8)
        matches = [s for s in subs if s.name.lower() in close]
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = ", ".join(s.name for s in matches)
        raise InvalidInput(f"{name!r} matches several subscriptions: {names}; which one?", field="name")
    active = ", ".join(s.name for s in subs) or "none"
    raise NotFound(f"no active subscription matches {name!r}; active subscriptions: {active}", field="name")


def cancel_subscription(
    session: Session, user: User, name_or_id: int | str, *, clock: Clock | None = None
) -> Subscription:
    """Stop a subscription (kept for history); cancelling a cancelled one changes nothing."""
    if isinstance(name_or_id, int) or str(name_or_id).strip().isdigit():
        sub = get_subscription(session, user, int(name_or_id))
    else:
        sub = find_subscription(session, user, str(name_or_id))
    if sub.active:
        sub.active = False
        sub.cancelled_at = (clock or SystemClock()).now()
        sub.updated_at = sub.cancelled_at
        session.add(sub)
        session.flush()
    return sub


def delete_subscription(session: Session, user: User, sub_id: int) -> None:
    """Remove the row; transactions it produced stay, unlinked."""
    sub = get_subscription(session, user, sub_id)
    session.delete(sub)
    session.flush()


# ---------------------------------------------------------------- lists and totals


GENERIC_WORDS = frozenset({"my", "the", "a", "bill", "bills", "subscription", "subscriptions", "payment", "plan"})


def name_key(name: str | None) -> str:
    """What a typed name filters on: "my water bill" -> "water" (the words every bill shares go)."""
    words = re.sub(r"\s+", " ", str(name or "")[:120]).strip().lower().split(" ")
    kept = [w for w in words if w and w not in GENERIC_WORDS]
    return " ".join(kept)


def list_subscriptions(
    session: Session,
    user: User,
    *,
    within_days: int | None = None,
    active_only: bool = True,
    limit: int = 50,
    offset: int = 0,
    name: str | None = None,
    clock: Clock,
) -> Page[SubscriptionPublic]:
    """Subscriptions by next renewal; ``within_days`` keeps those due in the next N days.

    ``name`` keeps those whose name contains it, ignoring case ("when is my water bill due":
    ``name="water"``); a name that matches none is an empty page, not an error.
    """
    lim, off = check_paging(limit, offset)
    today = user_today(clock, user.timezone)
    conds: list[Any] = [Subscription.user_id == user.id]
    if active_only:
        conds.append(col(Subscription.active).is_(True))
    if within_days is not None:
        try:
            if isinstance(within_days, bool):
                raise ValueError
            days = int(within_days)
        except (TypeError, ValueError):
            raise InvalidInput("within_days must be a whole number", field="within_days") from None
        if not 0 <= days <= MAX_WITHIN_DAYS:
            raise InvalidInput(f"within_days must be between 0 and {MAX_WITHIN_DAYS}", field="within_days")
        conds.append(col(Subscription.next_renewal) <= today + dt.timedelta(days=days))
    key = name_key(name)
    if key:
        conds.append(col(Subscription.name).ilike(like_pattern(key), escape="\\"))
    total = session.exec(select(func.count()).select_from(Subscription).where(*conds)).one()
    rows = list(
        session.exec(
            select(Subscription)
            .where(*conds)
            .order_by(col(Subscription.next_renewal), col(Subscription.id))
            .offset(off)
            .limit(lim)
        )
    )
    names = _category_names(session, user)
    items = [SubscriptionPublic.from_row(s, category=names.get(s.category_id), today=today) for s in rows]
    return _SubscriptionPage(items=items, total=int(total))


# Held here: pydantic keeps parametrized generics only weakly and rebuilt this one per call.
_SubscriptionPage = Page[SubscriptionPublic]


def _category_names(session: Session, user: User) -> dict[int | None, str]:
    rows = session.exec(select(Category.id, Category.name).where(Category.user_id == user.id)).all()
    return {cid: name for cid, name in rows}


def _active(session: Session, user: User) -> list[Subscription]:
    stmt = select(Subscription).where(Subscription.user_id == user.id, col(Subscription.active).is_(True))
    return list(session.exec(stmt.order_by(col(Subscription.next_renewal), col(Subscription.id))))


def subscription_totals(session: Session, user: User, *, clock: Clock) -> SubscriptionTotals:
    """Monthly and yearly cost of active subscriptions (exact, rounded once at the end).

    A subscription in a currency without a user-set rate is left out and its currency listed.
    """
    rates = list_rates(session, user)
    yearly = Decimal(0)
    count = 0
    missing: set[str] = set()
    by: dict[str, dict[str, Any]] = {}
    for sub in _active(session, user):
        rate = rates.get(sub.currency)
        if rate is None:
            missing.add(sub.currency)
            continue
        cad = Cadence(sub.cadence)
        cost = yearly_cost(sub.amount, cad) * rate
        yearly += cost
        count += 1
        line = by.setdefault(cad.value, {"count": 0, "yearly": Decimal(0)})
        line["count"] += 1
        line["yearly"] += cost
    for line in by.values():
        line["monthly"] = quantize(line["yearly"] / 12)
        line["yearly"] = quantize(line["yearly"])
    return SubscriptionTotals(
        currency=user.currency,
        monthly=quantize(yearly / 12),
        yearly=quantize(yearly),
        count=count,
        by_cadence=by,
        missing_rates=sorted(missing),
    )


def renewals_before(session: Session, user: User, end: dt.date, *, clock: Clock) -> list[Renewal]:
    """Every charge of an active subscription from today through ``end`` (inclusive)."""
    today = user_today(clock, user.timezone)
    end = as_date(end, field="end", timezone=user.timezone)
    rates = list_rates(session, user)
    out: list[Renewal] = []
    for sub in _active(session, user):
        day = roll_forward(sub.next_renewal, Cadence(sub.cadence), sub.anchor_day, today)
        rate = rates.get(sub.currency)
        while day <= end:
            assert sub.id is not None
            out.append(
                Renewal(
                    subscription_id=sub.id,
                    name=sub.name,
                    date=day,
                    amount=sub.amount,
                    currency=sub.currency,
                    amount_in_user_currency=None if rate is None else quantize(sub.amount * rate),
                )
            )
            day = next_renewal_after(day, sub.cadence, sub.anchor_day)
    out.sort(key=lambda r: (r.date, r.name))
    return out


def due_renewals(session: Session, *, on_or_before: dt.date, limit: int = 1000) -> list[Subscription]:
    """Active subscriptions of every user due by a date, oldest first (the scheduler's query)."""
    stmt = (
        select(Subscription)
        .where(col(Subscription.active).is_(True), col(Subscription.next_renewal) <= on_or_before)
        .order_by(col(Subscription.next_renewal), col(Subscription.id))
        .limit(limit)
    )
    return list(session.exec(stmt))


def advance_renewal(session: Session, sub: Subscription) -> dt.date:
    """Move the next renewal one period on, keeping the anchor day; returns the new date."""
    sub.next_renewal = next_renewal_after(sub.next_renewal, sub.cadence, sub.anchor_day)
    session.add(sub)
    session.flush()
    return sub.next_renewal
