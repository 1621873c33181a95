"""Request dependencies: the unit of work, the signed-in user, the clock, paging.

One session per request, committed when the endpoint returns (before the answer is sent, so a
failed commit is an error answer, not a lie) and rolled back on any error.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlalchemy.engine import Engine
from sqlmodel import Session

from assistant.clock import Clock
from assistant.db import unit_of_work
from assistant.errors import Unauthorized
from assistant.models import User
from assistant.settings import Settings

from .security import decode_token, family_revoked

# Ids in paths are bounded so an absurd number is a 404/422, never a database overflow.
MAX_ID = 2**31 - 1  # INTEGER primary keys on PostgreSQL
IdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="The object's id")]

bearer = HTTPBearer(auto_error=False, description="An access token from /api/auth/login or /register")


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_session(engine: Annotated[Engine, Depends(get_engine)]) -> Iterator[Session]:
    with unit_of_work(engine) as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
ClockDep = Annotated[Clock, Depends(get_clock)]
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def user_for_token(session: Session, settings: Settings, clock: Clock, token: str) -> User:
    """The user an access token names, if the token is still valid (not revoked by ``ver``, its
    sign-in not revoked for a reused refresh token)."""
    claims = decode_token(settings, clock, token, "access")
    user = session.get(User, claims.user_id)
    if user is None or user.token_version != claims.ver or family_revoked(session, claims.fam):
        raise Unauthorized("the token has been revoked; sign in again")
    return user


def get_current_user(
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    if creds is None or creds.scheme.lower() != "bearer" or not creds.credentials:
        raise Unauthorized("sign in first (Authorization: Bearer <token>)")
    return user_for_token(session, settings, clock, creds.credentials)


CurrentUser = Annotated[User, Depends(get_current_user)]


class Paging(BaseModel):
    limit: int
    offset: int


def get_paging(
    limit: Annotated[int, Query(ge=1, le=500, description="At most this many items")] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000, description="Skip this many items")] = 0,
) -> Paging:
    return Paging(limit=limit, offset=offset)


PagingDep = Annotated[Paging, Depends(get_paging)]
