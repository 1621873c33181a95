"""Reminder tools beyond the contract's fifteen: set a lead time, snooze, dismiss ("I paid it").

Why here and not in the contract table: the contract's tools are fixed and the contract allows
additions, so these three are registered next to them (``tools/registry.py``) and act, like
every tool, for the context's user only. "That" reminder is the newest open renewal reminder;
"that" subscription, without a name, is the most recently added active one ("add Netflix 15.99
monthly", then "remind me 3 days before").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pydantic import Field
from sqlmodel import Session, col, select

from assistant.errors import NotFound
from assistant.models import Notification, Subscription, User
from assistant.services import notifications as inbox
from assistant.services import subscriptions as subs
from assistant.services.reminder_policy import MAX_LEAD_DAYS, local_at, parse_time_of_day

from .context import ToolContext
from .results import DismissResult, ReminderResult, SnoozeResult
from .schemas import IsoDate, ToolArgs
from .spec import Chip, ToolSpec, date_part
from .text import day_words, pick

Result = dict[str, Any]
REMINDER_KINDS = ("renewal_reminder", "cancel_deadline")


class SetReminderArgs(ToolArgs):
    days_before: int = Field(
        ge=0, le=MAX_LEAD_DAYS, description="Days of notice before the renewal, 0 (on the day) to 60."
    )
    name: str | None = Field(
        default=None,
        max_length=200,
        description="The subscription, e.g. 'Netflix'; omit for the most recently added one.",
    )


class SnoozeReminderArgs(ToolArgs):
    until: IsoDate = Field(
        description="YYYY-MM-DD in the user's time zone; the reminder comes back that day at their reminder time."
    )
    name: str | None = Field(
        default=None,
        max_length=200,
        description="Snooze this subscription's reminder; omit for the newest open reminder.",
    )


class DismissReminderArgs(ToolArgs):
    name: str | None = Field(
        default=None,
        max_length=200,
        description="Dismiss this subscription's reminder; omit for the newest open reminder.",
    )


def _sub_json(session: Session, user: User, sub: Subscription, ctx: ToolContext) -> Result:
    return subs.to_public(session, user, sub, clock=ctx.clock).model_dump(mode="json")


def _latest_subscription(session: Session, user: User) -> Subscription:
    sub = session.exec(
        select(Subscription)
        .where(Subscription.user_id == user.id, col(Subscription.active).is_(True))
        .order_by(col(Subscription.created_at).desc(), col(Subscription.id).desc())
    ).first()
    if sub is None:
        raise NotFound("there is no active subscription to set a reminder for", field="name")
    return sub


def _reminder(session: Session, user: User, name: str | None) -> Notification:
    """The newest open reminder, or the newest open one of the named subscription."""
    if not name:
        return inbox.latest_reminder(session, user)
    sub = subs.find_subscription(session, user, name)
    n = session.exec(
        select(Notification)
        .where(
            col(Notification.user_id) == user.id,
            col(Notification.subscription_id) == sub.id,
            col(Notification.handled_at).is_(None),
            col(Notification.kind).in_(REMINDER_KINDS),
        )
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
    ).first()
    if n is None:
        raise NotFound(f"there is no open reminder for {sub.name}", field="name")
    return n


def set_reminder(session: Session, user: User, a: SetReminderArgs, ctx: ToolContext) -> Result:
    sub = subs.find_subscription(session, user, a.name) if a.name else _latest_subscription(session, user)
    assert sub.id is not None
    sub = subs.update_subscription(session, user, sub.id, clock=ctx.clock, remind_days_before=a.days_before)
    return {"subscription": _sub_json(session, user, sub, ctx), "days_before": a.days_before}


def snooze_reminder(session: Session, user: User, a: SnoozeReminderArgs, ctx: ToolContext) -> Result:
    n = _reminder(session, user, a.name)
    at = parse_time_of_day((user.settings or {}).get("reminder_time"))
    until = local_at(a.until, at, user.timezone)
    assert n.id is not None
    n = inbox.snooze(session, user, n.id, until, now=ctx.clock.now())
    return {
        "notification": inbox.to_public(n).model_dump(mode="json"),
        "until": a.until.isoformat(),
        "at": f"{at.hour:02d}:{at.minute:02d}",
    }


def dismiss_reminder(session: Session, user: User, a: DismissReminderArgs, ctx: ToolContext) -> Result:
    n = _reminder(session, user, a.name)
    assert n.id is not None
    n = inbox.mark_handled(session, user, n.id, now=ctx.clock.now())
    return {"notification": inbox.to_public(n).model_dump(mode="json")}


# ---------------------------------------------------------------- replies and chips


def _set(args: Mapping[str, Any], res: ReminderResult, cur: str, seed: str, today: dt.date | None) -> str:
    sub = res.subscription
    days = res.days_before if res.days_before is not None else sub.remind_days_before
    return pick(
        "set_reminder",
        "same_day" if days == 0 else "ok",
        seed,
        name=sub.name,
        lead=f"{days} day{'' if days == 1 else 's'} before",
        renewal=day_words(sub.next_renewal, today).removeprefix("on "),
    )


def _snooze(args: Mapping[str, Any], res: SnoozeResult, cur: str, seed: str, today: dt.date | None) -> str:
    until = day_words(res.until, today).removeprefix("on ")
    ahead = (res.until - today).days if today and res.until else 0
    if today and 1 < ahead < 7:  # "until Friday" for a day this coming week
        until = f"{today + dt.timedelta(days=ahead):%A}"
    title = res.notification.title or "that reminder"
    return pick("snooze_reminder", "ok", seed, title=title, until=until, at=res.at)


def _dismiss(args: Mapping[str, Any], res: DismissResult, cur: str, seed: str, today: dt.date | None) -> str:
    return pick("dismiss_reminder", "ok", seed, title=res.notification.title or "that reminder")


def _set_chip(res: ReminderResult) -> Chip:
    sub = res.subscription
    days = res.days_before if res.days_before is not None else sub.remind_days_before
    return Chip("write", (f"Reminder {sub.name} · {days} days before",))


def _snooze_chip(res: SnoozeResult) -> Chip:
    return Chip("write", (f"Snoozed {res.notification.title or 'reminder'} · until ", date_part(res.until)))


SPECS = [
    ToolSpec(
        "set_reminder",
        "Set how many days before renewal a subscription is reminded (default: the newest one).",
        SetReminderArgs,
        ReminderResult,
        set_reminder,
        _set,
        _set_chip,
        "set that reminder",
    ),
    ToolSpec(
        "snooze_reminder",
        "Snooze a renewal reminder until a date (default: the newest open reminder).",
        SnoozeReminderArgs,
        SnoozeResult,
        snooze_reminder,
        _snooze,
        _snooze_chip,
        "snooze that reminder",
    ),
    ToolSpec(
        "dismiss_reminder",
        "Mark a renewal reminder as handled, e.g. 'I already paid it' (default: the newest).",
        DismissReminderArgs,
        DismissResult,
        dismiss_reminder,
        _dismiss,
        lambda r: Chip("write", (f"Dismissed {r.notification.title or 'reminder'}",)),
        "dismiss that reminder",
    ),
]

__all__ = ["SPECS"]
