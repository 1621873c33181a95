"""Live pushes: a notification made on instance A reaches a WebSocket client on instance B
(PostgreSQL LISTEN/NOTIFY), and on SQLite the in-app scheduler pushes to its own sockets."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from fastapi import FastAPI

from assistant import migrate
from assistant.clock import FixedClock
from assistant.db import make_engine, unit_of_work
from assistant.models import Cadence, Subscription
from assistant.scheduler.service import ReminderScheduler
from assistant.settings import Settings
from tests.conftest import drop_database, new_database_url
from tests.e2e_server import SECRET, LiveServer
from web.app import create_app

PASSWORD = "correct horse battery staple"


@pytest.fixture
def pg_url(tmp_path: Path) -> Iterator[str]:
    url, handle = new_database_url("postgres", str(tmp_path))
    migrate.upgrade(url)
    yield url
    drop_database(handle)


async def _signup_and_listen(base: str) -> tuple[int, Any]:
    async with httpx.AsyncClient(base_url=base) as http:
        r = await http.post("/api/auth/register", json={"email": "push@example.com", "password": PASSWORD})
        r.raise_for_status()
        body = r.json()
    ws = await websockets.connect(base.replace("http", "ws", 1) + "/ws/chat")
    await ws.send(json.dumps({"type": "auth", "token": body["access_token"]}))
    ready = json.loads(await asyncio.wait_for(ws.recv(), 10))
    assert ready["type"] == "ready"
    return int(body["user"]["id"]), ws


async def _next_notification(ws: Any, timeout: float = 10) -> dict[str, Any]:
    async def wait() -> dict[str, Any]:
        while True:
            ev = json.loads(await ws.recv())
            if ev["type"] == "notification":
                return dict(ev["notification"])

    return await asyncio.wait_for(wait(), timeout)


def _due_subscription(url: str, user_id: int) -> None:
    eng = make_engine(url)
    with unit_of_work(eng) as s:
        s.add(
            Subscription(
                user_id=user_id, name="Netflix", amount=Decimal("15.49"), cadence=Cadence.MONTHLY,
                next_renewal=dt.date(2026, 11, 25), anchor_day=25,
            )
        )  # fmt: skip
    eng.dispose()


def _pushed_note(app: FastAPI, url: str, then: Callable[[], None] | None = None) -> dict[str, Any]:
    """The first notification a new user's socket gets from ``app`` (served live) once one of their
    renewals is due; ``then`` runs after that, off the event loop (another instance's scheduler)."""
    server = LiveServer(app)
    server.start()
    try:

        async def scenario() -> dict[str, Any]:
            user_id, ws = await _signup_and_listen(server.url)
            try:
                _due_subscription(url, user_id)
                if then is not None:
                    await asyncio.to_thread(then)
                return await _next_notification(ws)
            finally:
                await ws.close()

        return asyncio.run(scenario())
    finally:
        server.stop()


def test_notification_from_instance_a_reaches_socket_on_instance_b(pg_url: str) -> None:
    settings_b = Settings(database_url=pg_url, secret_key=SECRET, scheduler="off", pg_listen=True)

    def instance_a() -> None:
        """Another process's scheduler, on its own engine, same database."""
        settings_a = Settings(database_url=pg_url, secret_key=SECRET, scheduler="on")
        engine_a = make_engine(pg_url)
        clock = FixedClock(dt.datetime(2026, 11, 22, 15, 0, tzinfo=dt.UTC))
        ReminderScheduler(engine_a, settings_a, clock=clock).run_once()
        engine_a.dispose()

    note = _pushed_note(create_app(settings_b), pg_url, instance_a)
    assert note["kind"] == "renewal_reminder"
    assert note["title"] == "Netflix renews in 3 days"
    assert {"id", "kind", "title", "body", "created_at", "data"} <= set(note)


def test_sqlite_app_scheduler_pushes_to_its_own_sockets(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'push.db'}"
    clock = FixedClock(dt.datetime(2026, 11, 22, 15, 0, tzinfo=dt.UTC))
    settings = Settings(database_url=url, secret_key=SECRET, scheduler="on", reminder_poll_seconds=1)
    note = _pushed_note(create_app(settings, clock=clock), url)
    assert note["title"] == "Netflix renews in 3 days"
