"""Reminders in the browser: the in-app scheduler's reminder arrives live (toast and inbox
badge), and the inbox's buttons act on it (snooze), as a user would see it."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.settings import Settings
from tests.e2e.support import ARTIFACTS, TIMEOUT_MS
from tests.e2e_server import SECRET, LiveServer
from web.app import create_app

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple 42"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'rem.db'}", secret_key=SECRET, scheduler="on", reminder_poll_seconds=1
    )
    running = LiveServer(create_app(settings))
    running.start()
    try:
        yield running
    finally:
        running.stop()


def test_reminder_arrives_live_and_can_be_snoozed(server: LiveServer, browser: Any) -> None:
    r = httpx.post(f"{server.url}/api/auth/register", json={"email": "rem@example.com", "password": PASSWORD})
    assert r.status_code == 201, r.text
    token = r.json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    page = browser.new_page(viewport={"width": 1200, "height": 860})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url + "/")
    page.evaluate("t => localStorage.setItem('bw.tokens', JSON.stringify({access_token: t}))", token)
    page.goto(server.url + "/#/inbox")
    page.get_by_role("heading", name="Inbox").wait_for(timeout=TIMEOUT_MS)
    # A subscription renewing in 3 days: the scheduler's next poll (1 s) reminds, pushed live.
    soon = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=3)).isoformat()
    made = httpx.post(
        f"{server.url}/api/subscriptions",
        headers=headers,
        json={"name": "Netflix", "amount": "15.49", "next_renewal": soon},
    )
    assert made.status_code == 201, made.text
    note = page.locator('[data-testid="note"][data-kind="renewal_reminder"]')
    note.first.wait_for(timeout=TIMEOUT_MS)
    assert "Netflix renews in" in note.first.inner_text()
    page.reload()
    page.locator('[data-testid="note-snooze"]').first.click()
    page.locator('[data-testid="note-outcome"]').first.wait_for(timeout=TIMEOUT_MS)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "reminders-inbox.png"))
    deadline = time.monotonic() + 10
    snoozed = None
    while time.monotonic() < deadline:
        items = httpx.get(f"{server.url}/api/notifications", headers=headers).json()["items"]
        snoozed = next((n for n in items if n["kind"] == "renewal_reminder" and n["snoozed_until"]), None)
        if snoozed:
            break
        time.sleep(0.2)
    assert snoozed is not None
    page.close()
    assert errors == []
