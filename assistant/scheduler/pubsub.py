"""Live pushes across app instances.

A notification's creation issues ``pg_notify`` in its own transaction (see
``services.notifications``), so on PostgreSQL every app instance that LISTENs hears about it
exactly when it commits, whichever process made it. ``PgListener`` is that LISTEN loop; it
loads the notification and hands it to the instance's local publisher (the WebSocket hub). On
SQLite there is one process, and the scheduler calls the publisher directly after its commit.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.engine import Engine

from ..db import unit_of_work
from ..models import Notification
from ..services.notifications import PG_CHANNEL, push_payload

log = logging.getLogger(__name__)
Publish = Callable[[int, dict[str, Any]], Awaitable[None]]


def load_payloads(engine: Engine, ids: list[int]) -> list[tuple[int, dict[str, Any]]]:
    out = []
    with unit_of_work(engine) as session:
        for nid in ids:
            n = session.get(Notification, nid)
            if n is not None:
                out.append((n.user_id, push_payload(n)))
    return out


class PgListener:
    """LISTEN on the notifications channel and publish what arrives (reconnects on failure)."""

    def __init__(self, engine: Engine, publish: Publish) -> None:
        self.engine = engine
        self.publish = publish
        self._task: asyncio.Task[None] | None = None
        self.ready = asyncio.Event()

    def _dsn(self) -> str:
        url = self.engine.url.set(drivername="postgresql")
        return url.render_as_string(hide_password=False)

    async def _run(self) -> None:
        import psycopg

        while True:
            try:
                async with await psycopg.AsyncConnection.connect(self._dsn(), autocommit=True) as conn:
                    await conn.execute(f"LISTEN {PG_CHANNEL}")
                    self.ready.set()
                    async for note in conn.notifies():
                        try:
                            _user, _, nid = note.payload.partition(":")
                            for user_id, payload in await asyncio.to_thread(load_payloads, self.engine, [int(nid)]):
                                await self.publish(user_id, payload)
                        except Exception:
                            log.exception("could not push notification %r", note.payload)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("LISTEN connection lost; reconnecting", exc_info=True)
                self.ready.clear()
                await asyncio.sleep(1)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="pg-listen")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None
