"""Stored chat turns, so a new tab (or device) shows the conversation so far; and the answer to a
confirmation (the contract's ``confirm``) for clients without a WebSocket (``POST /api/voice``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, Field
from sqlmodel import Session

from assistant.errors import Unauthorized
from assistant.services.common import Page
from assistant.services.conversations import chat_page
from tools import summary_of

from ..deps import MAX_ID, CurrentUser, SessionDep, bearer, user_for_token
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
    rows, total = chat_page(session, user.id, limit=limit, before_id=before_id)  # type: ignore[arg-type]
    items = [ChatMessageOut.model_validate(m, from_attributes=True) for m in rows]
    for item in items:  # each call's chip, from the tool registry (rows stored before chips lack one)
        item.tool_calls = [_with_summary(c) for c in item.tool_calls]
    return Page[ChatMessageOut](items=items, total=total)


def _with_summary(call: dict[str, Any]) -> dict[str, Any]:
    if "summary" in call or not isinstance(call.get("result"), dict):
        return call
    ok = call.get("ok") is not False
    return {**call, "summary": summary_of(str(call.get("name") or ""), ok, call["result"])}


class ConfirmIn(BaseModel):
    id: str = Field(min_length=1, max_length=64, description="The confirm object's id")
    answer: Literal["yes", "no"]


class ToolCallOut(BaseModel):
    # No docstring: each subclass keeps its own schema name and an empty description.
    name: str
    args: dict[str, Any] = Field(default_factory=dict)
    ok: bool = True
    result: dict[str, Any] = Field(default_factory=dict)


class ConfirmToolCall(ToolCallOut):
    pass


class ConfirmOut(BaseModel):
    reply: str = Field(description="The assistant's answer")
    tool_calls: list[ConfirmToolCall] = Field(default_factory=list, description="The write, when yes ran it")


def _user_id(request: Request, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> int:
    """The signed-in user, checked with a short session of its own: none is held while the write runs."""
    if creds is None or creds.scheme.lower() != "bearer" or not creds.credentials:
        raise Unauthorized("sign in first (Authorization: Bearer <token>)")
    state = request.app.state
    with Session(state.engine, expire_on_commit=False) as session:
        return int(user_for_token(session, state.settings, state.clock, creds.credentials).id)  # type: ignore[arg-type]


@router.post("/confirm", response_model=ConfirmOut)
async def confirm(request: Request, body: ConfirmIn, user_id: Annotated[int, Depends(_user_id)]) -> ConfirmOut:
    """Answer a write the assistant asked about (the ``confirm`` of a chat or ``/api/voice`` answer),
    as the WebSocket's ``{"type":"confirm"}`` does: "yes" runs it (at most once), "no" drops it; an
    expired, replaced or used id changes nothing and says so."""
    from ..ws import get_runner

    out = ConfirmOut(reply="")
    async with request.app.state.hub.user_lock(user_id):
        async for ev in get_runner(request.app).run_confirm(user_id, body.id, body.answer, body.id):
            event = ev.to_dict()
            kind = event.get("type")
            if kind == "tool_call":
                out.tool_calls.append(ConfirmToolCall(name=str(event.get("name")), args=event.get("args") or {}))
            elif kind == "tool_result" and out.tool_calls:
                out.tool_calls[-1].ok, out.tool_calls[-1].result = bool(event.get("ok")), event.get("result") or {}
            elif kind == "assistant_message":
                out.reply = str(event.get("text") or "")
            elif kind == "error" and not out.reply:
                out.reply = f"Sorry, {event.get('message')}."
    return out
