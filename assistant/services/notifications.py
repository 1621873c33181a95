"""Notifications: the inbox, acting on reminders, and the user's reminder preferences.

``create_notification`` is how every reminder, alert and message comes to exist: it claims the
notification's dedupe key under a unique constraint in the caller's transaction, together with
its effects (the chat-history copy, the pending outside deliveries, the live-push signal), so a
notification happens exactly once however many schedulers run and wherever one crashes.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import apprise
from pydantic import BaseModel
from sqlalchemy import func, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ..errors import InvalidInput, NotFound
from ..models import Notification, NotificationDelivery, User, utcnow
from .common import Page, check_paging
from .conversations import post_assistant_message
from .reminder_policy import check_lead_days, parse_time_of_day
from .users import check_timezone

PG_CHANNEL = "budgetwise_notifications"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class NotificationPublic(BaseModel):
    id: int
    kind: str
    title: str
    body: str
    data: dict[str, Any]
    read: bool
    handled: bool
    snoozed_until: dt.datetime | None
    created_at: dt.datetime


def to_public(n: Notification) -> NotificationPublic:
    assert n.id is not None
    return NotificationPublic(
        id=n.id, kind=n.kind, title=n.title, body=n.body, data=dict(n.data or {}), read=n.read,
        handled=n.handled_at is not None, snoozed_until=n.snoozed_until, created_at=n.created_at,
    )  # fmt: skip


def push_payload(n: Notification) -> dict[str, Any]:
    """The contract's ``notification`` object for a live push."""
    return {
        "id": n.id, "kind": n.kind, "title": n.title, "body": n.body,
        "created_at": n.created_at.isoformat(), "data": dict(n.data or {}),
    }  # fmt: skip


# ---------------------------------------------------------------- preferences


def check_channel(channel: Any) -> dict[str, str]:
    """A delivery channel: {"type": "email", "target": address} or {"type": "apprise", "target": URL}."""
    if not isinstance(channel, dict):
        raise InvalidInput("a channel is an object with type and target", field="channels")
    kind = str(channel.get("type", "")).strip().lower()
    target = str(channel.get("target", "")).strip()
    if kind == "email":
        if not _EMAIL.match(target):
            raise InvalidInput(f"not an email address: {target!r}", field="channels")
    elif kind == "apprise":
        if not target or not apprise.Apprise().add(target):
            raise InvalidInput(f"not a notification URL Apprise understands: {target!r}", field="channels")
    else:
        raise InvalidInput("a channel's type is email or apprise", field="channels")
    return {"type": kind, "target": target}


def channel_id(channel: dict[str, str]) -> str:
    return f"{channel['type']}:{channel['target']}"[:500]


def set_reminder_preferences(
    session: Session,
    user: User,
    *,
    reminder_time: str | None = None,
    digest: bool | None = None,
    channels: list[Any] | None = None,
    default_remind_days: int | None = None,
    timezone: str | None = None,
) -> dict[str, Any]:
    """Validate and save when and where reminders go (bad values are refused now, not at send time)."""

    prefs = dict(user.settings or {})
    if reminder_time is not None:
        t = parse_time_of_day(reminder_time)
        prefs["reminder_time"] = f"{t.hour:02d}:{t.minute:02d}"
    if digest is not None:
        prefs["digest"] = bool(digest)
    if channels is not None:
        prefs["channels"] = [check_channel(c) for c in channels]
    if default_remind_days is not None:
        prefs["default_remind_days"] = check_lead_days([default_remind_days])[0]
    if timezone is not None:
        user.timezone = check_timezone(timezone)
    user.settings = prefs
    session.add(user)
    session.flush()
    return prefs


def user_channels(user: User) -> list[dict[str, str]]:
    out = []
    for c in (user.settings or {}).get("channels", []) or []:
        try:
            out.append(check_channel(c))
        except InvalidInput:
            continue
    return out


# ---------------------------------------------------------------- creation (the claim)


def create_notification(
    session: Session,
    user: User,
    *,
    kind: str,
    title: str,
    body: str,
    dedupe_key: str,
    data: dict[str, Any] | None = None,
    subscription_id: int | None = None,
    deliver: bool = True,
    now: dt.datetime | None = None,
) -> Notification | None:
    """Claim ``dedupe_key`` and create the notification with its effects; None if already claimed.

    ``now`` is the caller's clock (the scheduler's): the notification's time and its deliveries'
    first attempt follow it, so a scheduler run on an injected clock sends what it just made.
    """
    if session.exec(select(Notification.id).where(Notification.dedupe_key == dedupe_key)).first() is not None:
        return None
    assert user.id is not None
    n = Notification(
        user_id=user.id, kind=kind, title=title[:200], body=body[:2000], data=data or {},
        dedupe_key=dedupe_key[:200], subscription_id=subscription_id,
    )  # fmt: skip
    if now is not None:
        n.created_at = now
    try:
        with session.begin_nested():
            session.add(n)
            session.flush()
    except IntegrityError:
        return None  # another scheduler claimed it between our look and our insert
    assert n.id is not None
    post_assistant_message(session, user.id, f"{title}. {body}".strip(), turn_id=f"notification-{n.id}")  # type: ignore[arg-type]
    if deliver:
        for channel in user_channels(user):
            delivery = NotificationDelivery(notification_id=n.id, channel=channel_id(channel))
            if now is not None:
                delivery.next_attempt_at = now
            session.add(delivery)
    if session.get_bind().dialect.name == "postgresql":
        # Delivered to every app instance's LISTEN connection when (and only if) this commits.
        session.execute(text("SELECT pg_notify(:ch, :payload)"), {"ch": PG_CHANNEL, "payload": f"{user.id}:{n.id}"})
    session.flush()
    return n


# ---------------------------------------------------------------- the inbox


def get_notification(session: Session, user: User, notification_id: int) -> Notification:
    n = session.get(Notification, notification_id)
    if n is None or n.user_id != user.id:
        raise NotFound("no such notification")
    return n


def list_notifications(
    session: Session, user: User, *, unread_only: bool = False, limit: Any = 50, offset: Any = 0
) -> Page[NotificationPublic]:
    lim, off = check_paging(limit, offset)
    where = [col(Notification.user_id) == user.id]
    if unread_only:
        where.append(col(Notification.read).is_(False))
    total = session.exec(select(func.count()).select_from(Notification).where(*where)).one()
    rows = session.exec(
        select(Notification).where(*where).order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        .limit(lim).offset(off)
    ).all()  # fmt: skip
    return Page(items=[to_public(n) for n in rows], total=int(total))


def unread_count(session: Session, user: User) -> int:
    return int(
        session.exec(
            select(func.count()).select_from(Notification)
            .where(col(Notification.user_id) == user.id, col(Notification.read).is_(False))
        ).one()
    )  # fmt: skip


def mark_read(session: Session, user: User, notification_id: int) -> Notification:
    n = get_notification(session, user, notification_id)
    n.read = True
    session.add(n)
    session.flush()
    return n


def mark_handled(session: Session, user: User, notification_id: int, *, now: dt.datetime | None = None) -> Notification:
    n = get_notification(session, user, notification_id)
    n.read = True
    n.handled_at = now or utcnow()
    n.snoozed_until = None
    session.add(n)
    session.flush()
    return n


def snooze(session: Session, user: User, notification_id: int, until: dt.datetime, *, now: dt.datetime) -> Notification:
    """Hide a reminder until ``until``; the scheduler brings it back then."""
    n = get_notification(session, user, notification_id)
    if until.tzinfo is None:
        raise InvalidInput("snooze time needs a time zone", field="until")
    if until <= now:
        raise InvalidInput("snooze until a time in the future", field="until")
    if until > now + dt.timedelta(days=90):
        raise InvalidInput("snooze for at most 90 days", field="until")
    n.snoozed_until = until.astimezone(dt.UTC)
    n.read = True
    session.add(n)
    session.flush()
    return n


def latest_reminder(session: Session, user: User) -> Notification:
    """The newest open renewal reminder ("snooze that", "I handled it")."""
    n = session.exec(
        select(Notification)
        .where(col(Notification.user_id) == user.id, col(Notification.handled_at).is_(None),
               col(Notification.kind).in_(["renewal_reminder", "cancel_deadline"]))
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
    ).first()  # fmt: skip
    if n is None:
        raise NotFound("there is no open reminder")
    return n


def clear_reminders_for(session: Session, user: User, subscription_id: int, *, now: dt.datetime) -> int:
    """A matching payment arrived: the subscription's open reminders are handled."""
    rows = session.exec(
        select(Notification).where(
            col(Notification.user_id) == user.id, col(Notification.subscription_id) == subscription_id,
            col(Notification.kind) == "renewal_reminder", col(Notification.handled_at).is_(None),
        )
    ).all()  # fmt: skip
    for n in rows:
        n.handled_at = now
        n.snoozed_until = None
        session.add(n)
    session.flush()
    return len(rows)
