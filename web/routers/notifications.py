"""The inbox: reminders and alerts the scheduler wrote (also pushed live over the WebSocket)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel
from sqlmodel import col, func, select

from assistant.errors import NotFound
from assistant.models import Notification
from assistant.services.common import Page

from ..deps import CurrentUser, IdPath, PagingDep, SessionDep
from ..errors import ERROR_RESPONSES

router = APIRouter(prefix="/notifications", tags=["notifications"], responses={401: ERROR_RESPONSES[401]})


class NotificationOut(BaseModel):
    id: int
    kind: str
    title: str
    body: str
    data: dict[str, Any]
    read: bool
    created_at: dt.datetime


class InboxPage(Page[NotificationOut]):
    unread: int


@router.get("", response_model=InboxPage)
def get_notifications(
    user: CurrentUser, session: SessionDep, paging: PagingDep, unread_only: bool = False
) -> InboxPage:
    """Newest first, with how many are unread."""
    conds: list[Any] = [Notification.user_id == user.id]
    if unread_only:
        conds.append(col(Notification.read).is_(False))
    total = session.exec(select(func.count()).select_from(Notification).where(*conds)).one()
    unread = session.exec(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, col(Notification.read).is_(False))
    ).one()
    rows = session.exec(
        select(Notification)
        .where(*conds)
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        .offset(paging.offset)
        .limit(paging.limit)
    ).all()
    items = [NotificationOut.model_validate(n, from_attributes=True) for n in rows]
    return InboxPage(items=items, total=int(total), unread=int(unread))


@router.post("/{notification_id}/read", response_model=NotificationOut, responses={404: ERROR_RESPONSES[404]})
def mark_read(notification_id: IdPath, user: CurrentUser, session: SessionDep) -> NotificationOut:
    note = session.get(Notification, notification_id)
    if note is None or note.user_id != user.id:
        raise NotFound("no such notification")
    note.read = True
    session.add(note)
    return NotificationOut.model_validate(note, from_attributes=True)
