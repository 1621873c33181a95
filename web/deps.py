"""Request dependencies: the unit of work, the signed-in user, the clock, paging.

One session per request, committed when the endpoint returns (before the answer is sent, so a
failed commit is an error answer, not a lie) and rolled back on any error.

No request holds a database connection (or SQLite's writer lock) across thread hops. FastAPI runs
each sync dependency, the endpoint and the response validation as separate hops through AnyIO's
40-thread pool; a connection taken in one hop and kept while the request waits for a thread for
the next let 40 waiting requests starve the few holding connections (a freeze, then pool
timeouts). So the signed-in user is read on a short read-only connection that is returned within
its hop, the request's session connects lazily inside the endpoint, and ``in_one_hop`` commits
it before that same hop ends.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlalchemy import bindparam, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from assistant.clock import Clock
from assistant.db import read_only, read_only_engine, unit_of_work
from assistant.errors import Unauthorized
from assistant.models import RefreshToken, User
from assistant.settings import Settings

from .security import decode_token

# Ids in paths are bounded so an absurd number is a 404/422, never a database overflow.
MAX_ID = 2**31 - 1  # INTEGER primary keys on PostgreSQL
IdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="The object's id")]

bearer = HTTPBearer(auto_error=False, description="An access token from /api/auth/login or /register")


# The dependencies that only read app state are async: each sync one is a hop through AnyIO's
# thread pool, and under a burst every hop is a wait for a free thread.
async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


async def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


# Methods that only read. Their transaction begins deferred on SQLite (a WAL snapshot, as
# ``read_only`` has) instead of ``BEGIN IMMEDIATE``: a page of transactions or a budget summary no
# longer queues for the writer lock behind every other request's commit (its fsync). It still
# commits like any unit of work, so a read path that does write upgrades to the writer lock.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_session(request: Request, engine: Annotated[Engine, Depends(get_engine)]) -> Iterator[Session]:
    with unit_of_work(read_only_engine(engine) if request.method in READ_METHODS else engine) as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
ClockDep = Annotated[Clock, Depends(get_clock)]
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def user_for_token(session: Session, settings: Settings, clock: Clock, token: str) -> User:
    """The user an access token names, if the token is still valid (not revoked by ``ver``, its
    sign-in not revoked for a reused refresh token)."""
    claims = decode_token(settings, clock, token, "access")
    # One round trip: the user and whether the token's sign-in was revoked (this runs before
    # every REST request; it was two queries).
    row = session.execute(_USER_FOR_TOKEN_Q, {"uid": claims.user_id, "fam": claims.fam}).first()
    if row is None or row[0].token_version != claims.ver or row.family_revoked:
        raise Unauthorized("the token has been revoked; sign in again")
    user: User = row[0]
    return user


_refresh = RefreshToken.__table__.c  # type: ignore[attr-defined]
_USER_FOR_TOKEN_Q = select(
    User,
    select(_refresh.jti)
    .where(_refresh.family == bindparam("fam"), _refresh.revoked_at.is_not(None))
    .exists()
    .label("family_revoked"),
).where(User.id == bindparam("uid"))  # type: ignore[arg-type]


def get_current_user(
    session: SessionDep,
    engine: EngineDep,
    settings: SettingsDep,
    clock: ClockDep,
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    """The signed-in user, read on its own read-only connection that is returned before this hop
    ends, then attached (no I/O) to the request's session so the endpoint may change it."""
    if creds is None or creds.scheme.lower() != "bearer" or not creds.credentials:
        raise Unauthorized("sign in first (Authorization: Bearer <token>)")
    with read_only(engine) as lookup:
        user = user_for_token(lookup, settings, clock, creds.credentials)
        lookup.expunge(user)
    session.add(user)
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]
MonthQuery = Annotated[str | None, Query(max_length=7, description="YYYY-MM; this month when left out")]


def month_read(
    router: APIRouter, path: str, service: Callable[..., Any], response_model: type[Any], *, name: str, doc: str
) -> None:
    """Add ``GET path``: the signed-in user's ``service(session, user, month, clock=clock)`` for
    ``?month=YYYY-MM`` (this month when left out), the one shape of the month views. The endpoint
    takes the request's session as a parameter, as ``in_one_hop`` expects; ``name`` and ``doc`` are
    its operation's name and description, as a decorated function's would be."""

    def endpoint(user: CurrentUser, session: SessionDep, clock: ClockDep, month: MonthQuery = None) -> Any:
        return service(session, user, month, clock=clock)

    endpoint.__name__ = endpoint.__qualname__ = name
    endpoint.__doc__ = doc
    router.add_api_route(path, endpoint, methods=["GET"], response_model=response_model, name=name)


class Paging(BaseModel):
    limit: int
    offset: int


async def get_paging(
    limit: Annotated[int, Query(ge=1, le=500, description="At most this many items")] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000, description="Skip this many items")] = 0,
) -> Paging:
    return Paging(limit=limit, offset=offset)


PagingDep = Annotated[Paging, Depends(get_paging)]


F = TypeVar("F", bound=Callable[..., Any])


def in_one_hop(endpoint: F) -> F:
    """A sync endpoint that commits (or rolls back) the request's session before it returns.

    The commit then runs on the thread that did the work: the connection and SQLite's writer lock
    are back in the pool before FastAPI takes another thread to validate the answer. The
    dependency's own commit afterwards finds nothing left to do. Async endpoints, which run on the
    event loop and reach the database through their own short units of work, are left as they are.
    """
    if inspect.iscoroutinefunction(endpoint) or getattr(endpoint, "_in_one_hop", False):
        return endpoint
    if inspect.isgeneratorfunction(endpoint) or inspect.isasyncgenfunction(endpoint):
        return endpoint

    @functools.wraps(endpoint)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        sessions = [v for v in kwargs.values() if isinstance(v, Session)]
        try:
            result = endpoint(*args, **kwargs)
            for s in sessions:
                s.commit()
            return result
        except BaseException:
            for s in sessions:
                s.rollback()
            raise

    wrapper._in_one_hop = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]
