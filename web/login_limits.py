"""Sign-in rate limits (per account and address, shared by every app instance through the
database) and the client address behind trusted proxies; split from ``web.security``."""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, case, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine

from assistant.clock import Clock
from assistant.db import deferred_sync_engine, read_only_connection
from assistant.errors import RateLimited
from assistant.models import LoginFailure

# ---------------------------------------------------------------- login rate limit


@dataclass(frozen=True)
class Backoff:
    """After ``threshold`` failures in ``window`` seconds, each further failure locks the key
    for 1, 2, 4 ... seconds, at most ``max_lock``."""

    threshold: int
    window: float
    max_lock: float

    def lock_for(self, failures: int) -> float:
        over = failures - self.threshold
        return min(2.0 ** min(over, 60), self.max_lock) if over >= 0 else 0.0


# (account, address): the owner mistyping, or a guesser at one address; short and bounded, so
# the owner is never locked out for long, and never from another address.
PAIR_BACKOFF = Backoff(threshold=5, window=900.0, max_lock=30.0)
# One address, whatever the accounts: a password spray from one place slows right down.
ADDRESS_BACKOFF = Backoff(threshold=20, window=900.0, max_lock=900.0)

_fail_table: Any = LoginFailure.__table__  # type: ignore[attr-defined]
_fail = _fail_table.c
_LOCKED_Q = select(func.max(_fail.locked_until)).where(_fail.key.in_(bindparam("keys", expanding=True)))


class LoginLimiter:
    """Failed sign-ins slow down per (account, client address) and per client address.

    Why not per account alone: then anyone could lock the owner out by failing on purpose. A
    flood of wrong passwords from one address locks that address (and that address's tries at
    the account), never the owner signing in from elsewhere; the owner's own backoff after
    mistyping is at most ``PAIR_BACKOFF.max_lock`` seconds. Guessing spread over many addresses
    is slowed by the password hash's cost, not by locking the account.

    The counts live in the database (``login_failures``), so several app instances on one
    PostgreSQL (or processes on one SQLite file) share them: a guesser gains nothing by having
    the load balancer spread the tries. Each key's window is fixed: ``threshold`` failures within
    ``window`` seconds of the first lock it for 1, 2, 4 ... seconds (at most ``max_lock``); a
    failure after the window starts a new count. A failure is counted with one atomic upsert per
    key (keys in a fixed order, so two instances never wait on each other in a cycle), committed
    without its own fsync: a power cut may forget a few failures, which only shortens a lock.
    Rows whose window and lock are over are pruned as failures come in.
    """

    PRUNE_EVERY = 200  # failures between two prunes of spent rows

    def __init__(
        self,
        clock: Clock,
        engine: Engine,
        *,
        pair: Backoff = PAIR_BACKOFF,
        address: Backoff = ADDRESS_BACKOFF,
    ) -> None:
        self.clock = clock
        self.engine = engine
        self.rules = {"pair": pair, "addr": address, "user": pair}
        self._since_prune = 0
        self._longest_window = max(r.window for r in self.rules.values())

    def _now(self) -> float:
        return self.clock.now().timestamp()

    @staticmethod
    def keys(account: str, address: str) -> tuple[str, str]:
        """The keys a sign-in counts against: (account at this address, this address)."""
        return f"pair:{account.strip().lower()}|{address}"[:400], f"addr:{address}"[:400]

    def check(self, *keys: str) -> None:
        """429 (``RateLimited`` with ``retry_after``) while any of ``keys`` is locked."""
        now = self._now()
        with read_only_connection(self.engine) as conn:
            locked_until = conn.execute(_LOCKED_Q, {"keys": list(keys)}).scalar()
        wait = (locked_until or 0.0) - now
        if wait > 0:
            raise RateLimited("too many failed sign-ins; try again later", details={"retry_after": math.ceil(wait)})

    def fail(self, *keys: str) -> None:
        now = self._now()
        with deferred_sync_engine(self.engine).begin() as conn:
            for key in sorted(set(keys)):
                rule = self.rules[key.split(":", 1)[0]]
                stale = now - _fail.first_at >= rule.window
                upsert = _upsert(conn).values(key=key, failures=1, first_at=now, locked_until=0.0)
                upsert = upsert.on_conflict_do_update(
                    index_elements=["key"],
                    set_={
                        "failures": case((stale, 1), else_=_fail.failures + 1),
                        "first_at": case((stale, now), else_=_fail.first_at),
                    },
                ).returning(_fail.failures)
                failures = int(conn.execute(upsert).scalar_one())
                lock = rule.lock_for(failures)
                if lock > 0:
                    conn.execute(
                        update(_fail_table)
                        .where(_fail.key == key, _fail.locked_until < now + lock)
                        .values(locked_until=now + lock)
                    )
            self._since_prune += 1
            if self._since_prune >= self.PRUNE_EVERY:
                self._since_prune = 0
                conn.execute(
                    delete(_fail_table).where(_fail.locked_until < now, _fail.first_at < now - self._longest_window)
                )

    def succeed(self, key: str) -> None:
        """The right password: this key's count starts again (the address's count stays)."""
        with deferred_sync_engine(self.engine).begin() as conn:
            conn.execute(delete(_fail_table).where(_fail.key == key))


def _upsert(conn: Connection) -> Any:
    if conn.dialect.name == "postgresql":
        return pg_insert(_fail_table)
    return sqlite_insert(_fail_table)


# ---------------------------------------------------------------- client address


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=16)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    out: list[Network] = []
    for item in proxies:
        try:
            out.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            continue  # a name, not an address: compared as text below
    return tuple(out)


def _is_trusted(host: str, proxies: tuple[str, ...]) -> bool:
    if host in proxies:
        return True
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(addr in net for net in _networks(proxies))


def client_address(peer: str | None, forwarded_for: str | None, trusted_proxies: list[str]) -> str:
    """The client's address: the TCP peer, unless the peer is a configured proxy.

    ``X-Forwarded-For`` is believed only when it arrives from a trusted proxy, and then only
    as far back as the chain of trusted proxies goes (read right to left; the first address
    that is not a trusted proxy is the client). By default nobody is trusted, so a client
    cannot pick its own address to dodge the sign-in backoff.
    """
    host = peer or "unknown"
    proxies = tuple(p.strip() for p in trusted_proxies if p.strip())
    if not proxies or not forwarded_for or not _is_trusted(host, proxies):
        return host
    hops = [h.strip() for h in forwarded_for[:4096].split(",") if h.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, proxies):
            return hop[:64]
        host = hop
    return host
