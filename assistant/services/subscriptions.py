"""Subscriptions: recurring charges, their renewal calendar and what they cost a month.

Renewal arithmetic keeps the day the user signed up on (``anchor_day``): a monthly charge on
the 31st falls on Feb 28/29 and is back on Mar 31, so dates never drift towards the start of
the month. Totals are exact (``Decimal``), converted only by rates the user set, and rounded to
the cent once, at the end. ``due_renewals`` reads across all users for the scheduler.

Functions: ``next_renewal_after``, ``add_subscription``, ``get_subscription``,
``update_subscription``, ``find_subscription``, ``cancel_subscription``,
``delete_subscription``, ``list_subscriptions``, ``subscription_totals``, ``renewals_before``,
``due_renewals``, ``advance_renewal``; the shapes ``SubscriptionPublic``, ``SubscriptionTotals``
and ``Renewal``. The calendar lives in ``subscription_calendar``, lists and totals in
``subscription_lists``; this module adds and changes subscriptions and re-exports both.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any

from sqlmodel import Session, col, func, select

from ..clock import Clock, SystemClock, user_today
from ..errors import Conflict, InvalidInput, NotFound
from ..models import Cadence, CategoryKind, Subscription, User
from ..money import check_currency, parse_amount
from .categories import find_category, resolve_category
from .common import as_date, flush_unique, only_match
from .reminder_policy import check_lead_days
from .subscription_calendar import (
    CADENCE_WORDS,
    MONTHS_PER_PERIOD,
    PER_YEAR,
    monthly_cost,
    next_renewal_after,
    parse_cadence,
    roll_forward,
    yearly_cost,
)
from .subscription_lists import (
    GENERIC_WORDS,
    MAX_WITHIN_DAYS,
    Renewal,
    SubscriptionPublic,
    SubscriptionTotals,
    advance_renewal,
    due_renewals,
    list_subscriptions,
    name_key,
    renewals_before,
    subscription_totals,
    to_public,
)

DEFAULT_CATEGORY = "Subscriptions"
MAX_REMIND_DAYS = 60


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


def _as_said(name: str) -> str:
    """A name as it is said: "Disney+" and "Disney Plus" (a voice transcript) are one name, as are
    "AT&T" and "AT and T"."""
    name = name.lower().replace("+", " plus ").replace("&", " and ")
    return re.sub(r"\s+", " ", name).strip()


def find_subscription(session: Session, user: User, name: str) -> Subscription:
    """An active subscription by the name a person types: exact, then partial, then close spelling."""
    key = _as_said(str(name or ""))
    if not key:
        raise InvalidInput("say which subscription", field="name")
    subs = list(
        session.exec(
            select(Subscription)
            .where(Subscription.user_id == user.id, col(Subscription.active).is_(True))
            .order_by(col(Subscription.name))
        )
    )
    said = [(_as_said(s.name), s) for s in subs]
    exact = [s for n, s in said if n == key]
    if exact:
        return exact[0]
    squash = key.replace(" ", "")
    matches = [s for n, s in said if key in n or squash in n.replace(" ", "")]
    if not matches:
        matches = [s for n, s in said if n in key]
    if not matches:
        close = difflib.get_close_matches(key, [n for n, _ in said], n=3, cutoff=0.8)
        matches = [s for n, s in said if n in close]
    active = ", ".join(s.name for s in subs) or "none"
    missing = f"no active subscription matches {name!r}; active subscriptions: {active}"
    return only_match(matches, name, "subscriptions", missing)


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


__all__ = [
    "CADENCE_WORDS",
    "DEFAULT_CATEGORY",
    "GENERIC_WORDS",
    "MAX_REMIND_DAYS",
    "MAX_WITHIN_DAYS",
    "MAX_YEARS_AHEAD",
    "MONTHS_PER_PERIOD",
    "PER_YEAR",
    "UPDATABLE",
    "Renewal",
    "SubscriptionPublic",
    "SubscriptionTotals",
    "add_subscription",
    "advance_renewal",
    "cancel_subscription",
    "delete_subscription",
    "due_renewals",
    "find_subscription",
    "get_subscription",
    "list_subscriptions",
    "monthly_cost",
    "name_key",
    "next_renewal_after",
    "parse_cadence",
    "renewals_before",
    "roll_forward",
    "subscription_totals",
    "to_public",
    "update_subscription",
    "yearly_cost",
]
