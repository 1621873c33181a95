"""The inbox: reminders and alerts the scheduler wrote (also pushed live over the WebSocket),
and acting on them: mark read or handled, snooze, or cancel the subscription behind a reminder."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from assistant.errors import InvalidInput
from assistant.services import notifications as inbox
from assistant.services.common import Page
from assistant.services.subscriptions import cancel_subscription

from ..deps import ClockDep, CurrentUser, IdPath, PagingDep, SessionDep
from ..errors import ERROR_RESPONSES

router = APIRouter(prefix="/notifications", tags=["notifications"], responses={401: ERROR_RESPONSES[401]})


class InboxPage(Page[inbox.NotificationPublic]):
    unread: int


class SnoozeIn(BaseModel):
    until: dt.datetime = Field(description="When to bring the reminder back (with a time zone)")


class ReminderPrefs(BaseModel):
    reminder_time: str | None = Field(default=None, description="HH:MM in your time zone", examples=["09:00"])
    digest: bool | None = Field(default=None, description="One morning digest instead of single messages")
    channels: list[dict[str, str]] | None = Field(
        default=None,
        max_length=10,
        description='Outside channels: {"type": "email", "target": address} or {"type": "apprise", "target": URL}',
    )
    default_remind_days: int | None = Field(default=None, ge=0, le=60)


@router.get("", response_model=InboxPage)
def get_notifications(
    user: CurrentUser, session: SessionDep, paging: PagingDep, unread_only: bool = False
) -> InboxPage:
    """Newest first, with how many are unread."""
    page = inbox.list_notifications(session, user, unread_only=unread_only, limit=paging.limit, offset=paging.offset)
    return InboxPage(items=page.items, total=page.total, unread=inbox.unread_count(session, user))


@router.post("/{notification_id}/read", response_model=inbox.NotificationPublic, responses={404: ERROR_RESPONSES[404]})
def mark_read(notification_id: IdPath, user: CurrentUser, session: SessionDep) -> inbox.NotificationPublic:
    return inbox.to_public(inbox.mark_read(session, user, notification_id))


@router.post(
    "/{notification_id}/handled", response_model=inbox.NotificationPublic, responses={404: ERROR_RESPONSES[404]}
)
def mark_handled(
    notification_id: IdPath, user: CurrentUser, session: SessionDep, clock: ClockDep
) -> inbox.NotificationPublic:
    """Done with it: it will not come back."""
    return inbox.to_public(inbox.mark_handled(session, user, notification_id, now=clock.now()))


@router.post(
    "/{notification_id}/snooze",
    response_model=inbox.NotificationPublic,
    responses={404: ERROR_RESPONSES[404]},
)
def snooze(
    notification_id: IdPath, body: SnoozeIn, user: CurrentUser, session: SessionDep, clock: ClockDep
) -> inbox.NotificationPublic:
    """Bring it back later (at most 90 days ahead)."""
    return inbox.to_public(inbox.snooze(session, user, notification_id, body.until, now=clock.now()))


@router.post(
    "/{notification_id}/cancel-subscription",
    response_model=inbox.NotificationPublic,
    responses={404: ERROR_RESPONSES[404]},
)
def cancel_from_reminder(
    notification_id: IdPath, user: CurrentUser, session: SessionDep, clock: ClockDep
) -> inbox.NotificationPublic:
    """Cancel the subscription this reminder is about, and mark the reminder handled."""
    n = inbox.get_notification(session, user, notification_id)
    if n.subscription_id is None:
        raise InvalidInput("this notification is not about a subscription", field="notification_id")
    cancel_subscription(session, user, n.subscription_id, clock=clock)
    return inbox.to_public(inbox.mark_handled(session, user, notification_id, now=clock.now()))


@router.get("/preferences", response_model=dict[str, Any])
def get_preferences(user: CurrentUser) -> dict[str, Any]:
    """When and where reminders go."""
    prefs = user.settings or {}
    return {
        "reminder_time": prefs.get("reminder_time", "09:00"),
        "digest": bool(prefs.get("digest", False)),
        "channels": prefs.get("channels", []),
        "default_remind_days": prefs.get("default_remind_days", 7),
    }


@router.put("/preferences", response_model=dict[str, Any])
def put_preferences(body: ReminderPrefs, user: CurrentUser, session: SessionDep) -> dict[str, Any]:
    """Save reminder preferences; a bad time or channel URL is refused now, not at send time."""
    inbox.set_reminder_preferences(session, user, **body.model_dump(exclude_none=True))
    return get_preferences(user)
