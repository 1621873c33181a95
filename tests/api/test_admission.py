"""Admission under saturation (issue 11): one user's flood does not hold back another user, a
saturated server answers a quick 503 with Retry-After (REST) or an ``unavailable`` error turn
(chat), and a burst of sign-ups gets 201s or quick 503s with Retry-After, never a 500."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from assistant.clock import FixedClock
from tests.api_support import PASSWORD, chat, make_settings, signup, until_end
from tests.e2e_server import LiveServer
from web import create_app, security
from web.admission import FairGate


def _coffee(ws: Any) -> list[dict[str, Any]]:
    """One chat message with a fixed id (so a second send is a retry of the same message), and its turn."""
    ws.send_json({"type": "user_message", "id": "m1", "text": "spent 4.50 on coffee"})
    return until_end(ws)


@pytest.fixture
def one_slot(engine: Engine, db_url: str, clock: FixedClock) -> Iterator[TestClient]:
    """An app that lets one signed-in request or chat turn run at a time, waiting at most 0.3 s."""
    settings = make_settings(db_url, admission_capacity=1, admission_max_wait_seconds=0.3)
    with TestClient(create_app(settings, engine=engine, clock=clock)) as client:
        yield client


def test_a_saturated_server_answers_503_with_retry_after_quickly(one_slot: TestClient) -> None:
    acct = signup(one_slot)
    gate = one_slot.app.state.gate  # type: ignore[attr-defined]
    portal = one_slot.portal  # type: ignore[attr-defined]
    portal.call(gate.acquire, "someone else's long request")  # the only slot, taken
    try:
        start = time.perf_counter()
        busy = one_slot.get("/api/goals", headers=acct.headers)
        took = time.perf_counter() - start
        assert busy.status_code == 503 and busy.headers["Retry-After"] == "1"
        assert busy.json()["code"] == "unavailable"
        assert took < 1.5  # the bounded wait (0.3 s), not a hang
        # Sign-up and sign-in do not queue here (they have the hasher's own line).
        assert one_slot.post("/api/auth/login", json={"email": acct.email, "password": PASSWORD}).status_code == 200
        with chat(one_slot, acct) as ws:
            errors = [e for e in _coffee(ws) if e["type"] == "error"]
            assert [e["code"] for e in errors] == ["unavailable"]
    finally:
        portal.call(gate.release)
    assert one_slot.get("/api/goals", headers=acct.headers).status_code == 200  # and it recovers
    tx = one_slot.get("/api/transactions", headers=acct.headers).json()
    assert tx["total"] == 0  # the refused chat message wrote nothing
    with chat(one_slot, acct) as ws:  # its retry (same id) runs, once
        assert not [e for e in _coffee(ws) if e["type"] == "error"]
    assert one_slot.get("/api/transactions", headers=acct.headers).json()["total"] == 1


def test_one_users_flood_does_not_hold_back_another_user(engine: Engine, db_url: str, clock: FixedClock) -> None:
    """One slot, 40 writes of one user queued: another user's request runs next but one, not 41st."""
    settings = make_settings(db_url, admission_capacity=1, admission_max_wait_seconds=30)
    app = create_app(settings, engine=engine, clock=clock)
    live = LiveServer(app)
    live.start()
    try:

        async def scenario() -> tuple[list[float], float]:
            limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
            async with httpx.AsyncClient(base_url=live.url, timeout=60, limits=limits) as http:
                heads = []
                for _ in range(2):
                    r = await http.post(
                        "/api/auth/register",
                        json={"email": f"f-{uuid.uuid4().hex[:10]}@example.com", "password": PASSWORD},
                    )
                    heads.append({"Authorization": f"Bearer {r.json()['access_token']}"})
                flooder, other = heads

                async def write(i: int) -> float:
                    tx = {"kind": "expense", "amount": "1.00", "description": f"flood {i}"}
                    r = await http.post("/api/transactions", headers=flooder, json=tx)
                    assert r.status_code == 201, r.text
                    return time.perf_counter()

                flood = [asyncio.create_task(write(i)) for i in range(40)]
                deadline = time.monotonic() + 10
                while app.state.gate.waiting < 20 and time.monotonic() < deadline:
                    await asyncio.sleep(0.005)
                assert app.state.gate.waiting >= 20  # the flood is queued
                r = await http.get("/api/goals", headers=other)
                assert r.status_code == 200
                answered = time.perf_counter()
                return list(await asyncio.gather(*flood)), answered

        flood_done, other_done = asyncio.run(scenario())
    finally:
        live.stop()
    assert sum(t < other_done for t in flood_done) < 20  # served in turn, not after the whole flood


def test_a_burst_of_sign_ups_gets_201_or_a_quick_503_with_retry_after(
    engine: Engine, db_url: str, clock: FixedClock
) -> None:
    """The hasher's line is bounded by the wait it implies: a sign-up that would wait longer is told
    at once when to retry; the others are created. Never a 500."""
    settings = make_settings(db_url, password_queue_max_wait_seconds=0.001)
    gate = threading.Event()
    with TestClient(create_app(settings, engine=engine, clock=clock)) as client:
        busy = [security._hasher.submit(gate.wait, 30) for _ in range(security._HASH_WORKERS)]  # every hasher busy
        try:
            with ThreadPoolExecutor(max_workers=8) as pool:

                def sign_up(_: int) -> tuple[int, str | None, float]:
                    body = {"email": f"q-{uuid.uuid4().hex[:10]}@example.com", "password": PASSWORD}
                    start = time.perf_counter()
                    r = client.post("/api/auth/register", json=body)
                    return r.status_code, r.headers.get("Retry-After"), time.perf_counter() - start

                first = pool.submit(sign_up, 0)
                deadline = time.monotonic() + 10
                while security._in_line == 0 and time.monotonic() < deadline:
                    time.sleep(0.005)
                refused = list(pool.map(sign_up, range(6)))  # the line ahead would take too long
                gate.set()
                answers: list[Any] = [first.result(timeout=60), *refused]
        finally:
            gate.set()
            for f in busy:
                f.result(timeout=30)
        assert answers[0][0] == 201
        for code, retry_after, took in answers[1:]:
            assert code == 503 and retry_after is not None and int(retry_after) >= 1
            assert took < 1.5
        # The line drains: a sign-up after the burst is created.
        assert signup(client).user["email"]


async def test_a_waiting_chat_turn_alternates_with_its_users_requests() -> None:
    """A waiting chat turn holds its user's turn lock (the user's later turns, from every tab, wait
    behind it): in its user's line, turns and page loads take turns instead of the turn queueing
    behind every request sent before it (first come, first served ran it after all four). The
    requests keep their order, and another user still gets a slot in between."""
    gate = FairGate(capacity=1, max_wait=30)
    await gate.acquire("someone else")  # the one slot, busy
    order: list[str] = []

    async def request(i: int) -> None:
        await gate.acquire("alice")
        order.append(f"request {i}")
        gate.release()

    async def turns(n: int) -> None:  # one chat turn after another, as the turn lock passes them on
        for i in range(n):
            await gate.acquire("alice", turn=True)
            order.append(f"turn {i}")
            gate.release()

    async def bob() -> None:
        async with gate.slot("bob"):
            order.append("bob")

    waiting = [asyncio.create_task(request(i)) for i in range(4)]
    await asyncio.sleep(0)
    waiting += [asyncio.create_task(bob()), asyncio.create_task(turns(3))]
    await asyncio.sleep(0)
    gate.release()
    await asyncio.gather(*waiting)
    assert order == ["turn 0", "bob", "request 0", "turn 1", "request 1", "turn 2", "request 2", "request 3"]
