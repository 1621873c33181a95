"""Sign-up, sign-in, token refresh, sign-out and password change.

Sign-out and a password change bump ``token_version``: every token issued before is refused on
its next use, over REST, and this instance's open WebSockets of the user are closed (4401) as
soon as the change is committed. Refresh tokens are single-use: each refresh answers a new pair
and spends the old one; a spent one used again revokes its whole sign-in (its family).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Request, status
from pydantic import BaseModel, Field
from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool

from assistant.clock import Clock
from assistant.db import read_only, unit_of_work
from assistant.errors import InvalidInput, Unauthorized
from assistant.models import User, UserPublic
from assistant.services.users import create_user, get_user_by_email, normalize_email
from assistant.settings import Settings

from ..deps import ClockDep, CurrentUser, SessionDep, SettingsDep, get_engine
from ..errors import ERROR_RESPONSES
from ..login_limits import LoginLimiter, client_address
from ..security import (
    MAX_PASSWORD,
    RefreshOutcome,
    check_password_strength,
    decode_token,
    hash_password,
    hash_password_async,
    issue_tokens,
    rotate_refresh,
    verify_password,
    verify_password_async,
)

router = APIRouter(prefix="/auth", tags=["auth"], responses={401: ERROR_RESPONSES[401]})


class RegisterIn(BaseModel):
    email: str = Field(max_length=320, examples=["ana@example.com"])
    password: str = Field(max_length=1024, examples=["a long passphrase"])
    display_name: str = Field(default="", max_length=100)
    currency: str = Field(default="USD", max_length=3)
    timezone: str = Field(default="UTC", max_length=64)


class LoginIn(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=1024)


class RefreshIn(BaseModel):
    refresh_token: str = Field(max_length=4096)


class PasswordIn(BaseModel):
    current_password: str = Field(max_length=1024)
    new_password: str = Field(max_length=1024)


class TokenOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int


class RegisterOut(TokenOut):
    user: UserPublic


def get_limiter(request: Request) -> LoginLimiter:
    limiter: LoginLimiter = request.app.state.login_limiter
    return limiter


LimiterDep = Annotated[LoginLimiter, Depends(get_limiter)]
EngineDep = Annotated[Engine, Depends(get_engine)]


def request_address(request: Request) -> str:
    """The client's address, believing ``X-Forwarded-For`` only from configured proxies."""
    settings = request.app.state.settings
    peer = request.client.host if request.client else None
    return client_address(peer, request.headers.get("x-forwarded-for"), settings.trusted_proxies)


async def close_revoked_sockets(request: Request, user_id: int) -> None:
    """After the commit: close this instance's sockets whose token no longer holds."""
    await request.app.state.hub.recheck(user_id)


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    response_model=RegisterOut,
    responses={409: ERROR_RESPONSES[409]},
)
async def register(body: RegisterIn, engine: EngineDep, settings: SettingsDep, clock: ClockDep) -> RegisterOut:
    """Create an account (with the default categories) and sign it in.

    Async on purpose: the password hash waits its turn on the hashing executor (one thread per
    core, first come first served) without holding one of AnyIO's worker threads, so a burst of
    sign-ups does not take the threads every other request needs. The database work is then one
    short transaction in one thread hop, committed before the answer is sent."""
    check_password_strength(body.password)
    normalize_email(body.email)  # a malformed address is refused before the hash is paid for
    hashed = await hash_password_async(body.password, settings.password_queue_max_wait_seconds)
    return await run_in_threadpool(_create_account, engine, settings, clock, body, hashed)


def _create_account(engine: Engine, settings: Settings, clock: Clock, body: RegisterIn, hashed: str) -> RegisterOut:
    with unit_of_work(engine) as session:
        user = create_user(
            session,
            email=body.email,
            password_hash=hashed,
            display_name=body.display_name,
            currency=body.currency,
            timezone=body.timezone,
        )
        tokens = issue_tokens(session, settings, clock, user, new_sign_in_of_new_user=True)
        return RegisterOut(user=UserPublic.model_validate(user), **tokens)


@router.post("/login", response_model=TokenOut, responses={429: {"description": "Too many failed sign-ins"}})
async def login(
    body: LoginIn,
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    clock: ClockDep,
    limiter: LimiterDep,
) -> TokenOut:
    """Exchange email and password for tokens; repeated failures slow down (429, Retry-After).

    The backoff counts per (account, client address) and per address (``LoginLimiter``), so a
    flood of wrong passwords from one place never locks the owner out from another.

    Async for the reason ``register`` is: the password check waits its turn on the hashing
    executor without holding a worker thread, and no connection is held across it."""
    keys = limiter.keys(body.email, request_address(request))
    user = await run_in_threadpool(_login_lookup, engine, limiter, keys, body.email)
    stored = user.password_hash if user else None
    ok = len(body.password) <= MAX_PASSWORD and await verify_password_async(
        body.password, stored, settings.password_queue_max_wait_seconds
    )
    if user is None or not ok:
        await run_in_threadpool(limiter.fail, *keys)
        raise Unauthorized("wrong email or password")
    return await run_in_threadpool(_login_tokens, engine, settings, clock, limiter, keys[0], user)


def _login_lookup(engine: Engine, limiter: LoginLimiter, keys: tuple[str, str], email: str) -> User | None:
    limiter.check(*keys)
    with read_only(engine) as session:
        user = get_user_by_email(session, email)
        if user is not None:
            session.expunge(user)
        return user


def _login_tokens(
    engine: Engine, settings: Settings, clock: Clock, limiter: LoginLimiter, key: str, user: User
) -> TokenOut:
    limiter.succeed(key)
    with unit_of_work(engine) as session:
        return TokenOut(**issue_tokens(session, settings, clock, user))


@router.post("/refresh", response_model=TokenOut)
def refresh(body: RefreshIn, request: Request, engine: EngineDep, settings: SettingsDep, clock: ClockDep) -> TokenOut:
    """A fresh pair of tokens for a refresh token, which is spent by it (rotation).

    A refresh token used a second time was copied: the whole sign-in it belongs to is revoked
    (every refresh and access token of that family), and open sockets of it are closed.
    """
    claims = decode_token(settings, clock, body.refresh_token, "refresh")
    outcome, tokens = rotate_refresh(engine, settings, clock, claims)
    if outcome is RefreshOutcome.REUSED:
        request.app.state.hub.recheck_threadsafe(claims.user_id)
        raise Unauthorized("this refresh token was already used; the session is revoked, sign in again")
    if outcome is RefreshOutcome.RACED:
        raise Unauthorized("this refresh token was just used; use the tokens that refresh answered")
    if tokens is None:
        raise Unauthorized("the token has been revoked; sign in again")
    return TokenOut(**tokens)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(user: CurrentUser, session: SessionDep, request: Request, background: BackgroundTasks) -> None:
    """Sign out everywhere: every token issued so far stops working, open sockets close."""
    user.token_version += 1
    session.add(user)
    assert user.id is not None
    background.add_task(close_revoked_sockets, request, user.id)


@router.post("/password", response_model=TokenOut, responses={422: {"description": "Wrong or weak password"}})
def change_password(
    body: PasswordIn,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    limiter: LimiterDep,
    request: Request,
    background: BackgroundTasks,
) -> TokenOut:
    """Change the password; other sessions are signed out, this one gets new tokens."""
    key = f"user:{user.id}"
    limiter.check(key)
    if len(body.current_password) > MAX_PASSWORD or not verify_password(body.current_password, user.password_hash):
        limiter.fail(key)
        raise InvalidInput("the current password is wrong", field="current_password")
    check_password_strength(body.new_password, field="new_password")
    limiter.succeed(key)
    user.password_hash = hash_password(body.new_password)
    user.token_version += 1
    session.add(user)
    session.flush()
    assert user.id is not None
    background.add_task(close_revoked_sockets, request, user.id)
    return TokenOut(**issue_tokens(session, settings, clock, user))
