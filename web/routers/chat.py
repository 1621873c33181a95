"""Stored chat turns, so a new tab (or device) shows the conversation so far."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlmodel import col, func, select

from assistant.models import ChatMessage
from assistant.services.common import Page

from ..deps import MAX_ID, CurrentUser, SessionDep
from ..errors import ERROR_RESPONSES

router = APIRouter(prefix="/chat", tags=["chat"], responses={401: ERROR_RESPONSES[401]})


class ChatMessageOut(BaseModel):
    id: int
    role: str
    content: str
    tool_calls: list[dict[str, Any]]
    turn_id: str
    created_at: dt.datetime


@router.get("/history", response_model=Page[ChatMessageOut])
def history(
    user: CurrentUser,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    before_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Older than this message")] = None,
) -> Page[ChatMessageOut]:
    """The latest ``limit`` messages, oldest first (the order a chat window shows them)."""
    conds: list[Any] = [ChatMessage.user_id == user.id]
    if before_id is not None:
        conds.append(col(ChatMessage.id) < before_id)
    total = session.exec(select(func.count()).select_from(ChatMessage).where(*conds)).one()
    rows = session.exec(select(ChatMessage).where(*conds).order_by(col(ChatMessage.id).desc()).limit(limit)).all()
    items = [ChatMessageOut.model_validate(m, from_attributes=True) for m in reversed(rows)]
    return Page[ChatMessageOut](items=items, total=int(total))
