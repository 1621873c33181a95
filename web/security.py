"""Passwords (argon2id), signed tokens (HS256 JWT) and the login rate limiter.

Why tokens carry ``ver``: logout and a password change bump ``User.token_version``, so every
token issued before is refused at once, without a server-side token store. Expiry is checked
against the app's clock (not the wall clock) so tests and replays can move time.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from assistant.clock import Clock
from assistant.errors import InvalidInput, RateLimited, Unauthorized
from assistant.models import User
from assistant.settings import Settings

AUDIENCE = "budgetwise"
ISSUER = "budgetwise"
ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["sub", "exp", "nbf", "iat", "aud", "iss", "typ", "ver"]
MIN_PASSWORD, MAX_PASSWORD = 8, 128

TokenType = Literal["access", "refresh"]

password_hash = PasswordHash((Argon2Hasher(),))
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


# Argon2 takes 64 MiB and most of a core per hash, outside the GIL. A burst of 40 sign-ups hashed
# at once took 2.5 GB and starved the threads holding database locks of CPU (lock timeouts, 503s);
# hashes now take turns, as many at a time as there are cores.
_HASHING = threading.BoundedSemaphore(max(os.cpu_count() or 1, 1))


def hash_password(password: str) -> str:
    with _HASHING:
        return password_hash.hash(password)


def verify_password(password: str, hashed: str | None) -> bool:
    if not hashed:
        with _HASHING:
            password_hash.verify(password, _DUMMY_HASH)
        return False
    try:
        with _HASHING:
            return password_hash.verify(password, hashed)
    except Exception:  # a malformed stored hash is a failed login, not a crash
        return False


# ---------------------------------------------------------------- tokens


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    typ: TokenType
    ver: int


def create_token(settings: Settings, clock: Clock, user: User, typ: TokenType) -> str:
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
        return TokenClaims(user_id=int(claims["sub"]), typ=typ, ver=int(claims["ver"]))
    except (jwt.PyJWTError, ValueError, TypeError, KeyError):
        raise Unauthorized("invalid token") from None


def token_answer(settings: Settings, clock: Clock, user: User) -> dict[str, Any]:
    return {
        "access_token": create_token(settings, clock, user, "access"),
        "refresh_token": create_token(settings, clock, user, "refresh"),
        "token_type": "bearer",
        "expires_in": settings.access_token_minutes * 60,
    }


# ---------------------------------------------------------------- login rate limit


@dataclass
class _Bucket:
    failures: list[float] = field(default_factory=list)
    locked_until: float = 0.0


class LoginLimiter:
    """Per email and per client address: after ``threshold`` failures in ``window`` seconds each
    further failure locks the key for 1, 2, 4 ... seconds (at most ``max_lock``).

    In memory, so per process: enough to make password guessing slow; a shared store would be
    needed to share the count between several app instances.
    """

    def __init__(self, clock: Clock, *, threshold: int = 5, window: float = 900.0, max_lock: float = 900.0) -> None:
        self.clock = clock
        self.threshold = threshold
        self.window = window
        self.max_lock = max_lock
        self._buckets: dict[str, _Bucket] = {}

    def _now(self) -> float:
        return self.clock.now().timestamp()

    def check(self, *keys: str) -> None:
        now = self._now()
        wait = max((b.locked_until - now for k in keys if (b := self._buckets.get(k))), default=0.0)
        if wait > 0:
            raise RateLimited("too many failed sign-ins; try again later", details={"retry_after": math.ceil(wait)})

    def fail(self, *keys: str) -> None:
        now = self._now()
        if len(self._buckets) > 100_000:  # keep memory bounded under a spray of addresses
            self._buckets = {k: b for k, b in self._buckets.items() if b.locked_until > now}
        for key in keys:
            bucket = self._buckets.setdefault(key, _Bucket())
            bucket.failures = [t for t in bucket.failures if now - t < self.window] + [now]
            over = len(bucket.failures) - self.threshold
            if over >= 0:
                bucket.locked_until = now + min(2.0**over, self.max_lock)

    def succeed(self, key: str) -> None:
        self._buckets.pop(key, None)
