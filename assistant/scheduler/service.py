"""The scheduler's lifetime: APScheduler (3.x ``AsyncIOScheduler``) running the poll.

Started and stopped with the web app (``BUDGETWISE_SCHEDULER=on``, the default), or alone with
``budgetwise worker`` for deployments with several web instances (which then set
``BUDGETWISE_SCHEDULER=off``). The poll itself is blocking database work, so it runs in a thread.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.engine import Engine

from ..clock import Clock, SystemClock
from ..settings import Settings
from .delivery import deliver_pending
from .poll import PollReport, poll
from .pubsub import load_payloads

log = logging.getLogger(__name__)
Publish = Callable[[int, dict[str, Any]], Awaitable[None]]


class ReminderScheduler:
    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        *,
        clock: Clock | None = None,
        publish: Publish | None = None,
        on_sent: Callable[[int], None] | None = None,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.clock = clock or SystemClock()
        self.publish = publish
        self.on_sent = on_sent
        self._scheduler: AsyncIOScheduler | None = None
        self._lock = asyncio.Lock()

    def run_once(self) -> PollReport:
        """One poll and one delivery pass (blocking; used by tests and the worker)."""
        report = poll(self.engine, self.clock)
        counts = deliver_pending(self.engine, self.settings, self.clock.now())
        if self.on_sent and counts["sent"]:
            self.on_sent(counts["sent"])
        return report

    async def tick(self) -> PollReport:
        async with self._lock:  # a slow poll is never overlapped by the next one
            report = await asyncio.to_thread(self.run_once)
        if self.publish is not None and report.notifications and self.engine.dialect.name != "postgresql":
            # On PostgreSQL every instance's LISTEN loop pushes; here we push ourselves.
            payloads = await asyncio.to_thread(load_payloads, self.engine, [nid for _u, nid in report.notifications])
            for user_id, payload in payloads:
                await self.publish(user_id, payload)
        return report

    async def _safe_tick(self) -> None:
        try:
            await self.tick()
        except Exception:
            log.exception("reminder poll failed")

    def start(self) -> None:
        if self._scheduler is not None:
            return
        self._scheduler = AsyncIOScheduler()
        self._scheduler.add_job(
            self._safe_tick, "interval", seconds=max(1, self.settings.reminder_poll_seconds),
            id="reminder-poll", max_instances=1, coalesce=True,
        )  # fmt: skip
        self._scheduler.start()
        asyncio.get_running_loop().create_task(self._safe_tick())

    def shutdown(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None


async def run_worker(engine: Engine, settings: Settings) -> None:
    """``budgetwise worker``: the scheduler alone, until interrupted."""
    sched = ReminderScheduler(engine, settings)
    sched.start()
    log.info("reminder worker polling every %ss", settings.reminder_poll_seconds)
    try:
        await asyncio.Event().wait()
    finally:
        sched.shutdown()
