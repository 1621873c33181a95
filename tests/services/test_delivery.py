"""Outside delivery: a real SMTP server (aiosmtpd) and an Apprise JSON endpoint on loopback."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from assistant.clock import FixedClock
from assistant.db import make_engine, unit_of_work
from assistant.models import NotificationDelivery
from assistant.scheduler.service import ReminderScheduler
from assistant.services.notifications import create_notification, set_reminder_preferences
from assistant.services.users import create_user
from assistant.settings import Settings


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[int, _Inbox]]:
    inbox = _Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    ctl = Controller(inbox, hostname="127.0.0.1", port=port)
    ctl.start()
    try:
        yield port, inbox
    finally:
        ctl.stop()


@pytest.fixture
def hook() -> Iterator[tuple[int, list[dict[str, Any]], dict[str, int]]]:
    """An HTTP endpoint that records JSON posts; ``fail["n"]`` answers 500 that many times first."""
    received: list[dict[str, Any]] = []
    fail = {"n": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if fail["n"] > 0:
                fail["n"] -= 1
                self.send_response(500)
                self.end_headers()
                return
            received.append(json.loads(body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], received, fail
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def db(fresh_db_url: str) -> Iterator[Engine]:
    eng = make_engine(fresh_db_url)
    yield eng
    eng.dispose()


# One injected instant for the whole test: the notification is made at it and the scheduler runs at it,
# so the tests pass on any date (they once mixed the wall clock with a fixed one).
NOW = dt.datetime(2026, 11, 22, 15, tzinfo=dt.UTC)


def _notify(engine: Engine, channels: list[dict[str, str]], key: str = "test:1") -> None:
    with unit_of_work(engine) as s:
        user = create_user(s, email=f"d-{key}@example.com")
        set_reminder_preferences(s, user, channels=channels)
        create_notification(
            s, user, kind="renewal_reminder", title="Netflix renews in 7 days",
            body="Netflix renews on 2026-11-29 for $15.49.", dedupe_key=key, now=NOW,
        )  # fmt: skip


def test_email_and_apprise_both_delivered(db: Engine, smtp: tuple[int, _Inbox], hook: Any) -> None:
    smtp_port, inbox = smtp
    hook_port, received, _fail = hook
    _notify(
        db,
        [
            {"type": "email", "target": "me@example.com"},
            {"type": "apprise", "target": f"json://127.0.0.1:{hook_port}/hook"},
        ],
    )
    settings = Settings(database_url=str(db.url), smtp_host="127.0.0.1", smtp_port=smtp_port, secret_key="x" * 32)
    sent: list[int] = []
    ReminderScheduler(db, settings, clock=FixedClock(NOW), on_sent=sent.append).run_once()
    assert len(inbox.messages) == 1
    assert inbox.messages[0]["Subject"] == "Netflix renews in 7 days"
    assert "$15.49" in inbox.messages[0].get_payload()
    assert received[0]["title"] == "Netflix renews in 7 days"
    assert sent == [2]
    with Session(db) as s:
        assert {d.status for d in s.exec(select(NotificationDelivery))} == {"sent"}


def test_a_failing_channel_is_recorded_and_retried_without_blocking_others(
    db: Engine, smtp: tuple[int, _Inbox], hook: Any
) -> None:
    smtp_port, inbox = smtp
    hook_port, received, fail = hook
    fail["n"] = 3  # the hook answers 500 to all three quick tries of the first pass
    _notify(
        db,
        [
            {"type": "apprise", "target": f"json://127.0.0.1:{hook_port}/hook"},
            {"type": "email", "target": "me@example.com"},
        ],
    )
    settings = Settings(database_url=str(db.url), smtp_host="127.0.0.1", smtp_port=smtp_port, secret_key="x" * 32)
    clock = FixedClock(NOW)
    sched = ReminderScheduler(db, settings, clock=clock)
    sched.run_once()
    assert len(inbox.messages) == 1 and received == []
    with Session(db) as s:
        failed = s.exec(
            select(NotificationDelivery).where(col(NotificationDelivery.channel).startswith("apprise"))
        ).one()
        assert failed.status == "pending" and failed.attempts == 1 and failed.last_error
    sched.run_once()  # too early: the backoff holds it
    assert received == []
    clock.advance(minutes=5)
    sched.run_once()
    assert len(received) == 1 and len(inbox.messages) == 1
