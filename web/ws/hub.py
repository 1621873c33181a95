"""Who is connected, per user, and the pushes to them (notifications, revocations).

Sessions really end: sign-out and password change signal this instance's hub (``recheck``),
which closes the user's revoked sockets at once; a sweep closes expired ones within a second
and re-checks every socket against the database every ``DB_RECHECK_SECONDS`` (for revocations
made on another instance). A revoked socket gets ``error`` (unauthorized) then close 4401, and
nothing queued before is sent. The token is also checked before every push.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import weakref
from collections import defaultdict
from typing import Any

from sqlalchemy.engine import Engine

from assistant.clock import Clock, SystemClock
from assistant.db import read_only_connection
from assistant.models import Notification

from ..security import TokenClaims, claims_still_valid
from .connection import Connection
from .protocol import notification_event

log = logging.getLogger("budgetwise.web")

SWEEP_SECONDS = 1.0  # expiry: a socket outlives its token by at most this
DB_RECHECK_SECONDS = 15.0  # revocations made on another instance, when no push came first


def notification_dict(n: Notification) -> dict[str, Any]:
    """A stored notification as the WebSocket pushes it and the inbox lists it."""
    return {
        "id": n.id,
        "kind": n.kind,
        "title": n.title,
        "body": n.body,
        "created_at": n.created_at.isoformat(),
        "data": n.data or {},
        "read": n.read,
    }


class NotificationHub:
    """Who is connected, per user; ``publish`` pushes a notification to all their sockets.

    The scheduler calls ``publish`` (or ``publish_threadsafe`` from a worker thread); with
    several app instances it feeds the hub from PostgreSQL LISTEN/NOTIFY.
    """

    def __init__(self, engine: Engine | None = None, clock: Clock | None = None) -> None:
        self._conns: dict[int, set[Connection]] = defaultdict(set)
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()
        self._loop: asyncio.AbstractEventLoop | None = None
        self.engine = engine
        self.clock: Clock = clock or SystemClock()
        self._sweeper: asyncio.Task[None] | None = None

    def register(self, user_id: int, conn: Connection) -> None:
        self._loop = asyncio.get_running_loop()
        self._conns[user_id].add(conn)
        if self._sweeper is None or self._sweeper.done():
            self._sweeper = self._loop.create_task(self._sweep(), name="ws-session-sweep")

    def unregister(self, user_id: int, conn: Connection) -> None:
        conns = self._conns.get(user_id)
        if conns is not None:
            conns.discard(conn)
            if not conns:
                del self._conns[user_id]

    def count(self, user_id: int | None = None) -> int:
        if user_id is None:
            return sum(len(c) for c in self._conns.values())
        return len(self._conns.get(user_id, ()))

    def user_lock(self, user_id: int) -> asyncio.Lock:
        """One user's turns run one after the other, across tabs (and REST chat and voice)."""
        lock = self._locks.get(user_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[user_id] = lock
        return lock

    # -- sessions that end

    def _valid(self, conns: list[Connection]) -> list[bool]:
        """Each socket's token against the clock and the database (a worker thread)."""
        now = self.clock.now().timestamp()
        if self.engine is None:
            return [not c.expired(now) for c in conns]
        out: list[bool] = []
        seen: dict[TokenClaims, bool] = {}
        with read_only_connection(self.engine) as db:
            for c in conns:
                if c.claims is None or c.expired(now):
                    out.append(c.claims is None)
                    continue
                if c.claims not in seen:
                    seen[c.claims] = claims_still_valid(db, c.claims)
                out.append(seen[c.claims])
        return out

    def _drop(self, user_id: int, conns: list[Connection], valid: list[bool]) -> list[Connection]:
        """Close (4401) the sockets whose token no longer holds; the others are returned."""
        kept = []
        for conn, ok in zip(conns, valid, strict=True):
            if ok:
                kept.append(conn)
            else:
                self.unregister(user_id, conn)
                conn.revoke()
        return kept

    async def recheck(self, user_id: int) -> int:
        """Close the user's sockets whose token no longer holds; returns how many were closed."""
        conns = [c for c in self._conns.get(user_id, ()) if not c.closed]
        if not conns:
            return 0
        try:
            valid = await asyncio.to_thread(self._valid, conns)
        except Exception:  # the next message, push or sweep checks again
            log.warning("could not re-check the sessions of user %s", user_id, exc_info=True)
            return 0
        return len(conns) - len(self._drop(user_id, conns, valid))

    def recheck_threadsafe(self, user_id: int) -> None:
        """From a worker thread (a sync endpoint, after its commit): ``recheck`` on the loop."""
        if self._loop is not None and self._loop.is_running():
            asyncio.run_coroutine_threadsafe(self.recheck(user_id), self._loop)

    async def aclose(self) -> None:
        """At shutdown: stop the sweep."""
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(BaseException):
                await self._sweeper

    async def _sweep(self) -> None:
        """Every second: close expired sockets; every ``DB_RECHECK_SECONDS``: re-check all."""
        last_db = time.monotonic()
        while self._conns:
            await asyncio.sleep(SWEEP_SECONDS)
            try:
                now = self.clock.now().timestamp()
                for user_id, conns in list(self._conns.items()):
                    for conn in [c for c in conns if c.expired(now)]:
                        self.unregister(user_id, conn)
                        conn.revoke("the session has expired; sign in again")
                if self.engine is not None and time.monotonic() - last_db >= DB_RECHECK_SECONDS:
                    last_db = time.monotonic()
                    for user_id in list(self._conns):
                        await self.recheck(user_id)
            except Exception:  # a database hiccup: the next sweep and every push check again
                log.warning("session sweep failed", exc_info=True)

    # -- pushes

    async def publish(self, user_id: int, notification: dict[str, Any]) -> int:
        """Push to every socket of the user whose token still holds; returns how many took it.

        The token check before the push reads the database, so a sign-out on another instance
        stops the push here too: that socket is closed (4401) instead.
        """
        event = notification_event(notification)
        conns = [c for c in self._conns.get(user_id, ()) if not c.closed]
        try:
            valid = await asyncio.to_thread(self._valid, conns) if conns else []
        except Exception:  # no check, no push: the notification stays in the inbox
            log.warning("could not check the sessions before a push", exc_info=True)
            return 0
        delivered = 0
        for conn in self._drop(user_id, conns, valid):
            if conn.offer(event):
                delivered += 1
            else:
                self.unregister(user_id, conn)
                conn.abort()
        return delivered

    def publish_threadsafe(self, user_id: int, notification: dict[str, Any]) -> None:
        """From a thread (a scheduler job): hand the push to the app's event loop."""
        if self._loop is not None and self._loop.is_running():
            asyncio.run_coroutine_threadsafe(self.publish(user_id, notification), self._loop)
