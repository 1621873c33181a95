"""Subscriptions listed, totalled and renewed: the shapes the API and tools show, the upcoming
charges, and ``due_renewals`` across all users for the scheduler. Totals are exact (``Decimal``),
converted only by rates the user set, and rounded to the cent once, at the end.
``assistant.services.subscriptions`` re-exports these names.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, func, select

from ..clock import Clock, user_today
from ..db import Prepared
from ..errors import InvalidInput
from ..models import Cadence, Category, Subscription, User
from ..money import quantize
from .common import Page, as_date, check_paging
from .currency import list_rates
from .spending import like_pattern
from .subscription_calendar import monthly_cost, next_renewal_after, roll_forward, yearly_cost

MAX_WITHIN_DAYS = 3660


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


_subs = Subscription.__table__.c  # type: ignore[attr-defined]
# Built once, bound per call; rows (read by name), not objects: the totals and renewals only read them.
_ACTIVE_Q = (
    sa_select(_subs.id, _subs.name, _subs.amount, _subs.currency, _subs.cadence, _subs.next_renewal, _subs.anchor_day)
    .where(_subs.user_id == bindparam("uid"), _subs.active.is_(True))
    .order_by(_subs.next_renewal, _subs.id)
)

_ACTIVE = Prepared(_ACTIVE_Q, named=True)


def _active(session: Session, user: User) -> list[Any]:
    """The user's active subscriptions (what the totals and renewals read of them), by next renewal."""
    session.flush()  # as a query through the session would: a subscription added in this unit counts
    return _ACTIVE.execute(session.connection(), {"uid": user.id})


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
