"""Passwords (argon2id), signed tokens (HS256 JWT) and the login rate limiter.

Why tokens carry ``ver``: logout and a password change bump ``User.token_version``, so every
token issued before is refused at once, without a server-side token store. Expiry is checked
against the app's clock (not the wall clock) so tests and replays can move time.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
import math
import os
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal, TypeVar

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from assistant.clock import Clock
from assistant.db import unit_of_work
from assistant.errors import InvalidInput, Unauthorized, Unavailable
from assistant.models import RefreshToken, User
from assistant.settings import Settings

AUDIENCE = "budgetwise"
ISSUER = "budgetwise"
ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["sub", "exp", "nbf", "iat", "aud", "iss", "typ", "ver"]
MIN_PASSWORD, MAX_PASSWORD = 8, 128

TokenType = Literal["access", "refresh"]
T = TypeVar("T")

# argon2id at OWASP's m=7 MiB, t=5, p=1 profile, one of the five it lists as equivalent defences
# (46 MiB/t=1, 19 MiB/t=2, 12 MiB/t=3, 9 MiB/t=4, 7 MiB/t=5). Measured here (bench/stress.py's
# notes in docs/performance.md): 15-16 ms of CPU a hash against 19-21 ms for 19 MiB/t=2 (less
# memory to fault in and to stream through the cache), and a burst of sign-ups holds 7 MiB per
# hash in flight instead of 19. argon2-cffi's default (64 MiB, t=3, p=4) took 300 ms. Hashes made
# with other parameters still verify (each hash carries its own); ``needs_rehash`` is not forced.
HASH_TIME_COST, HASH_MEMORY_KIB, HASH_PARALLELISM = 5, 7168, 1
password_hash = PasswordHash(
    (Argon2Hasher(time_cost=HASH_TIME_COST, memory_cost=HASH_MEMORY_KIB, parallelism=HASH_PARALLELISM),)
)
# A hash to verify against when the email is unknown, so timing does not reveal which emails exist.
_DUMMY_HASH = password_hash.hash("budgetwise-dummy-password")


@lru_cache
def common_passwords() -> frozenset[str]:
    text = resources.files("web").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def check_password_strength(password: str, *, field: str = "password") -> None:
    """8-128 characters and not one of the passwords every attacker tries first."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidInput(f"a password of {MIN_PASSWORD} to {MAX_PASSWORD} characters is needed", field=field)
    if password.strip().lower() in common_passwords():
        raise InvalidInput("that password is too common; choose another", field=field)


# Argon2 takes memory and most of a core per hash, outside the GIL. A burst of 40 sign-ups hashed
# at once took 2.5 GB and starved the threads holding database locks of CPU (lock timeouts, 503s).
# Hashes run on their own executor, one thread per core: a burst queues there in arrival order
# (first come, first hashed), and a sign-up waiting for its turn holds no AnyIO worker thread
# (``hash_password_async``), so the rest of the app keeps its threads.
_HASH_WORKERS = max(os.cpu_count() or 1, 1)
_hasher = ThreadPoolExecutor(max_workers=_HASH_WORKERS, thread_name_prefix="budgetwise-argon2")

# The line is bounded by how long it would take to reach the front: a sign-up (or sign-in) that
# would wait longer than the app's ``password_queue_max_wait_seconds`` is answered 503 with
# Retry-After at once (the time the line ahead needs), never left to hang. The estimate is the
# hashes queued or running times a hash's recent wall time (an average that follows the
# machine's load) over the hashing threads: 100 sign-ups at 15 ms on two cores is 0.75 s.
HASH_QUEUE_MAX_WAIT_SECONDS = 10.0
_line = threading.Lock()
_in_line = 0
_hash_seconds = 0.03  # moving average of one hash's wall time on a hashing thread


def _admit(max_wait: float) -> None:
    global _in_line
    with _line:
        wait = (_in_line + 1) * _hash_seconds / _HASH_WORKERS
        if _in_line and wait > max_wait:
            raise Unavailable(
                "too many sign-ins at once; try again in a moment", details={"retry_after": max(1, math.ceil(wait))}
            )
        _in_line += 1


def _in_turn(work: Callable[..., T], *args: Any) -> T:
    """``work(*args)`` on a hashing thread; its wall time feeds the line's estimate."""
    global _in_line, _hash_seconds
    start = time.perf_counter()
    try:
        return work(*args)
    finally:
        took = time.perf_counter() - start
        with _line:
            _in_line -= 1
            _hash_seconds += 0.1 * (took - _hash_seconds)


def _submit(max_wait: float, work: Callable[..., T], *args: Any) -> Future[T]:
    _admit(max_wait)
    try:
        return _hasher.submit(_in_turn, work, *args)
    except BaseException:
        global _in_line
        with _line:
            _in_line -= 1
        raise


def _verify(password: str, hashed: str) -> bool:
    try:
        return bool(password_hash.verify(password, hashed))
    except Exception:  # a malformed stored hash is a failed login, not a crash
        return False


def hash_password(password: str, max_wait: float = HASH_QUEUE_MAX_WAIT_SECONDS) -> str:
    """The argon2id hash, computed on the hashing executor (this thread waits for it)."""
    return _submit(max_wait, password_hash.hash, password).result()


async def hash_password_async(password: str, max_wait: float = HASH_QUEUE_MAX_WAIT_SECONDS) -> str:
    """``hash_password`` for the event loop: waits in the executor's queue, not on a thread."""
    return await asyncio.wrap_future(_submit(max_wait, password_hash.hash, password))


async def verify_password_async(
    password: str, hashed: str | None, max_wait: float = HASH_QUEUE_MAX_WAIT_SECONDS
) -> bool:
    """``verify_password`` for the event loop (an unknown account costs a hash all the same)."""
    return await asyncio.wrap_future(_submit(max_wait, _verify, password, hashed or _DUMMY_HASH)) and bool(hashed)


def verify_password(password: str, hashed: str | None, max_wait: float = HASH_QUEUE_MAX_WAIT_SECONDS) -> bool:
    if not hashed:
        _submit(max_wait, _verify, password, _DUMMY_HASH).result()
        return False
    return _submit(max_wait, _verify, password, hashed).result()


# ---------------------------------------------------------------- tokens


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    typ: TokenType
    ver: int
    exp: float = math.inf
    fam: str | None = None  # the sign-in (refresh-token family) the token descends from
    jti: str | None = None  # refresh tokens: the stored row that makes each one single-use


def create_token(
    settings: Settings,
    clock: Clock,
    user: User,
    typ: TokenType,
    *,
    family: str | None = None,
    jti: str | None = None,
) -> str:
    now = clock.now()
    life = (
        dt.timedelta(minutes=settings.access_token_minutes)
        if typ == "access"
        else dt.timedelta(days=settings.refresh_token_days)
    )
    claims: dict[str, Any] = {
        "sub": str(user.id),
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()),
        "exp": int((now + life).timestamp()),
        "aud": AUDIENCE,
        "iss": ISSUER,
        "typ": typ,
        "ver": user.token_version,
    }
    if family is not None:
        claims["fam"] = family
    if jti is not None:
        claims["jti"] = jti
    return jwt.encode(claims, settings.get_secret_key(), algorithm=ALGORITHM)


def decode_token(settings: Settings, clock: Clock, token: str, typ: TokenType) -> TokenClaims:
    """Signature, algorithm, audience, issuer, type and time window; anything off is 401."""
    try:
        claims = jwt.decode(
            token,
            settings.get_secret_key(),
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            # Time is checked below against the app's clock.
            options={"require": REQUIRED_CLAIMS, "verify_exp": False, "verify_nbf": False, "verify_iat": False},
        )
        now = clock.now().timestamp()
        if not (int(claims["nbf"]) - 5 <= now < int(claims["exp"])):
            raise Unauthorized("the token has expired; sign in again")
        if claims["typ"] != typ:
            raise Unauthorized("wrong kind of token")
        fam, jti = claims.get("fam"), claims.get("jti")
        return TokenClaims(
            user_id=int(claims["sub"]),
            typ=typ,
            ver=int(claims["ver"]),
            exp=float(claims["exp"]),
            fam=str(fam) if fam is not None else None,
            jti=str(jti) if jti is not None else None,
        )
    except (jwt.PyJWTError, ValueError, TypeError, KeyError):
        raise Unauthorized("invalid token") from None


def token_answer(settings: Settings, clock: Clock, user: User, family: str, jti: str) -> dict[str, Any]:
    return {
        "access_token": create_token(settings, clock, user, "access", family=family),
        "refresh_token": create_token(settings, clock, user, "refresh", family=family, jti=jti),
        "token_type": "bearer",
        "expires_in": settings.access_token_minutes * 60,
    }


def issue_tokens(
    session: Session,
    settings: Settings,
    clock: Clock,
    user: User,
    family: str | None = None,
    *,
    new_sign_in_of_new_user: bool = False,
) -> dict[str, Any]:
    """A new access/refresh pair; the refresh token is stored so it can be used once.

    ``family`` None starts a new sign-in; a refresh passes the family it continues. The user's
    expired refresh rows are pruned here, so the table stays the size of the live sessions
    (skipped for an account created in the same transaction: it has none).
    """
    assert user.id is not None
    now = clock.now()
    if not new_sign_in_of_new_user:  # an account made in this transaction has none to prune
        session.execute(
            delete(RefreshToken).where(
                RefreshToken.user_id == user.id,  # type: ignore[arg-type]
                RefreshToken.expires_at < now,  # type: ignore[arg-type]
            )
        )
    family = family or uuid.uuid4().hex
    jti = uuid.uuid4().hex
    session.add(
        RefreshToken(
            jti=jti,
            family=family,
            user_id=user.id,
            expires_at=now + dt.timedelta(days=settings.refresh_token_days),
            created_at=now,
        )
    )
    session.flush()
    return token_answer(settings, clock, user, family, jti)


_refresh = RefreshToken.__table__.c  # type: ignore[attr-defined]
_users = User.__table__.c  # type: ignore[attr-defined]
_FAMILY_REVOKED_Q = (
    select(_refresh.jti).where(_refresh.family == bindparam("fam"), _refresh.revoked_at.is_not(None)).limit(1)
)
# One round trip for the check before every WebSocket message and push: the user's token
# version, and whether the token's family has a revoked member (``fam`` NULL matches nothing).
_TOKEN_STATE_Q = select(
    _users.token_version,
    select(_refresh.jti)
    .where(_refresh.family == bindparam("fam"), _refresh.revoked_at.is_not(None))
    .exists()
    .label("family_revoked"),
).where(_users.id == bindparam("uid"))


def admission_key(settings: Settings, clock: Clock, token: str) -> Any:
    """Whose line a request with this access token waits in (``web.admission``): its user, or
    one shared line for tokens that do not verify (the route refuses those anyway)."""
    try:
        return decode_token(settings, clock, token, "access").user_id
    except Exception:
        return "unverified"


def family_revoked(conn: Connection | Session, family: str | None) -> bool:
    """Whether the sign-in a token descends from was revoked (a refresh token was reused)."""
    if family is None:
        return False
    return conn.execute(_FAMILY_REVOKED_Q, {"fam": family}).first() is not None


def claims_still_valid(conn: Connection | Session, claims: TokenClaims) -> bool:
    """What a token's signature cannot say: not signed out since (``ver``), family not revoked."""
    row = conn.execute(_TOKEN_STATE_Q, {"uid": claims.user_id, "fam": claims.fam}).first()
    return row is not None and int(row.token_version) == claims.ver and not row.family_revoked


def access_claims(
    conn: Connection | Session, settings: Settings, clock: Clock, token: str, claims: TokenClaims | None = None
) -> TokenClaims:
    """An access token that still holds, or ``Unauthorized``: the one check of a WebSocket's token.

    Signature, type and time (``decode_token``), then one query for what only the database
    knows (``claims_still_valid``). ``claims``: the token's claims decoded before (a socket keeps
    them), so only the clock and the database are asked again.
    """
    if claims is None:
        claims = decode_token(settings, clock, token, "access")
    elif clock.now().timestamp() >= claims.exp:
        raise Unauthorized("the token has expired; sign in again")
    if not claims_still_valid(conn, claims):
        raise Unauthorized("the token has been revoked; sign in again")
    return claims


class RefreshOutcome(enum.Enum):
    ROTATED = "rotated"
    REUSED = "reused"
    RACED = "raced"  # spent a moment ago by a sibling (another tab): refused, family kept
    INVALID = "invalid"


# Two tabs sharing one stored refresh token may both refresh at once; the second use within
# this window is refused without revoking the family (the tab then reads the new tokens).
REUSE_GRACE = dt.timedelta(seconds=10)


def rotate_refresh(
    engine: Engine, settings: Settings, clock: Clock, claims: TokenClaims
) -> tuple[RefreshOutcome, dict[str, Any] | None]:
    """Use a refresh token once: a new pair in the same family, or, for a token already used,
    the whole family revoked (committed, so it holds although the caller answers 401).

    The conditional UPDATE is the single-use check: of two concurrent uses of one token exactly
    one sees ``used_at`` empty, on SQLite and PostgreSQL alike.
    """
    if claims.jti is None or claims.fam is None:
        return RefreshOutcome.INVALID, None
    now = clock.now()
    with unit_of_work(engine) as session:
        took = session.execute(
            update(RefreshToken)
            .where(
                RefreshToken.jti == claims.jti,  # type: ignore[arg-type]
                RefreshToken.user_id == claims.user_id,  # type: ignore[arg-type]
                RefreshToken.used_at.is_(None),  # type: ignore[union-attr]
                RefreshToken.revoked_at.is_(None),  # type: ignore[union-attr]
            )
            .values(used_at=now)
        )
        if took.rowcount == 1:  # type: ignore[attr-defined]
            user = session.get(User, claims.user_id)
            if user is not None and user.token_version == claims.ver:
                return RefreshOutcome.ROTATED, issue_tokens(session, settings, clock, user, claims.fam)
            session.rollback()
            return RefreshOutcome.INVALID, None
        row = session.get(RefreshToken, claims.jti)
        if row is None or row.user_id != claims.user_id:
            return RefreshOutcome.INVALID, None
        if row.revoked_at is None and row.used_at is not None and now - row.used_at < REUSE_GRACE:
            return RefreshOutcome.RACED, None
        session.execute(
            update(RefreshToken)
            .where(RefreshToken.family == row.family, RefreshToken.revoked_at.is_(None))  # type: ignore[arg-type,union-attr]
            .values(revoked_at=now)
        )
    return RefreshOutcome.REUSED, None
