"""Reminder tools beyond the contract's fifteen: set a lead time, snooze, dismiss ("I paid it").

Why here and not in the contract table: the contract's tools are fixed and the contract allows
additions, so these three are registered next to them (see ``tools/__init__.py``) and act, like
every tool, for the context's user only. "That" reminder is the newest open renewal reminder;
"that" subscription, without a name, is the most recently added active one ("add Netflix 15.99
monthly", then "remind me 3 days before").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import Field
from sqlmodel import Session, col, select

from assistant.errors import NotFound
from assistant.models import Notification, Subscription, User
from assistant.services import notifications as inbox
from assistant.services import subscriptions as subs
from assistant.services.reminder_policy import MAX_LEAD_DAYS, local_at, parse_time_of_day

from .context import ToolContext
from .schemas import IsoDate, ToolArgs

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


ARG_MODELS: dict[str, type[ToolArgs]] = {
    "set_reminder": SetReminderArgs,
    "snooze_reminder": SnoozeReminderArgs,
    "dismiss_reminder": DismissReminderArgs,
}
DESCRIPTIONS: dict[str, str] = {
    "set_reminder": "Set how many days before renewal a subscription is reminded (default: the newest one).",
    "snooze_reminder": "Snooze a renewal reminder until a date (default: the newest open reminder).",
    "dismiss_reminder": "Mark a renewal reminder as handled, e.g. 'I already paid it' (default: the newest).",
}
IMPLS: dict[str, Callable[[Session, User, Any, ToolContext], Result]] = {
    "set_reminder": set_reminder,
    "snooze_reminder": snooze_reminder,
    "dismiss_reminder": dismiss_reminder,
}

__all__ = ["ARG_MODELS", "DESCRIPTIONS", "IMPLS"]
