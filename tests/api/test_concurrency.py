"""Bursts, races and saturation against a real server on loopback, on SQLite and PostgreSQL.

Each test sends its requests at once (asyncio + httpx against uvicorn) and checks what a user
would see: no 5xx, no lost contribution, one row per name, no 409 for a budget set twice, a quick
503 with Retry-After when the database truly is saturated, and ids that are never handed out again.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from assistant import migrate
from assistant.clock import FixedClock
from assistant.db import make_engine
from assistant.models import Budget, Category, Goal, Transaction
from assistant.services.budgets import set_budget
from assistant.services.users import create_user
from tests.api_support import PASSWORD, make_settings
from tests.e2e_server import LiveServer
from web import create_app


@pytest.fixture
def server(engine: Engine, db_url: str, clock: FixedClock) -> Iterator[LiveServer]:
    live = LiveServer(create_app(make_settings(db_url), engine=engine, clock=clock))
    live.start()
    try:
        yield live
    finally:
        live.stop()


async def _register(client: httpx.AsyncClient) -> dict[str, str]:
    body = {"email": f"c-{uuid.uuid4().hex[:12]}@example.com", "password": PASSWORD}
    r = await client.post("/api/auth/register", json=body)
    assert r.status_code == 201, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _run(server: LiveServer, scenario: Any) -> Any:
    async def main() -> Any:
        limits = httpx.Limits(max_connections=300, max_keepalive_connections=300)
        async with httpx.AsyncClient(base_url=server.url, timeout=30, limits=limits) as client:
            return await scenario(client)

    return asyncio.run(main())


def test_a_burst_gets_no_5xx(server: LiveServer) -> None:
    """80 signed-in requests and 12 registrations at once: every one answered, none 5xx, quickly."""

    async def scenario(client: httpx.AsyncClient) -> tuple[list[int], float]:
        headers = await _register(client)
        start = time.perf_counter()
        reads = [client.get("/api/goals", headers=headers) for _ in range(40)]
        writes = [
            client.post(
                "/api/transactions",
                headers=headers,
                json={"kind": "expense", "amount": "1.25", "description": f"burst {i}"},
            )
            for i in range(40)
        ]
        signups = [
            client.post(
                "/api/auth/register", json={"email": f"b-{uuid.uuid4().hex[:12]}@example.com", "password": PASSWORD}
            )
            for _ in range(12)
        ]
        answers = await asyncio.gather(*reads, *writes, *signups)
        return [r.status_code for r in answers], time.perf_counter() - start

    codes, took = _run(server, scenario)
    assert [c for c in codes if c >= 500] == []
    assert codes.count(200) == 40 and codes.count(201) == 52
    assert took < 60  # a bound, not a benchmark: bench/stress.py measures latency


def test_concurrent_contributions_all_count(server: LiveServer) -> None:
    async def scenario(client: httpx.AsyncClient) -> tuple[list[int], dict[str, Any]]:
        headers = await _register(client)
        goal = (await client.post("/api/goals", headers=headers, json={"name": "Bike", "target_amount": "500"})).json()
        url = f"/api/goals/{goal['id']}/contributions"
        answers = await asyncio.gather(*[client.post(url, headers=headers, json={"amount": "1.01"}) for _ in range(25)])
        final = (await client.get(f"/api/goals/{goal['id']}", headers=headers)).json()
        return [r.status_code for r in answers], final

    codes, final = _run(server, scenario)
    assert codes == [200] * 25
    assert Decimal(str(final["saved_amount"])) == Decimal("25.25")


def test_same_name_creates_make_one_row(server: LiveServer, engine: Engine) -> None:
    """Racing creates of one subscription name (any case): one row, the others a clear 409."""

    async def scenario(client: httpx.AsyncClient) -> tuple[list[httpx.Response], list[dict[str, Any]]]:
        headers = await _register(client)
        names = ["Netflix", "netflix", "NETFLIX", "Netflix", "netFlix", "Netflix"]
        body = {"amount": "15.49", "cadence": "monthly"}
        answers = await asyncio.gather(
            *[client.post("/api/subscriptions", headers=headers, json={**body, "name": n}) for n in names]
        )
        listed = (await client.get("/api/subscriptions", headers=headers)).json()["items"]
        return list(answers), listed

    answers, listed = _run(server, scenario)
    codes = sorted(r.status_code for r in answers)
    assert codes == [201] + [409] * 5, [r.text for r in answers]
    assert "already have an active subscription" in next(r for r in answers if r.status_code == 409).text
    assert len(listed) == 1


def test_same_name_goals_make_one_row(server: LiveServer) -> None:
    async def scenario(client: httpx.AsyncClient) -> tuple[list[int], list[dict[str, Any]]]:
        headers = await _register(client)
        answers = await asyncio.gather(
            *[
                client.post("/api/goals", headers=headers, json={"name": n, "target_amount": "900"})
                for n in ["Trip", "trip", "TRIP", "Trip", "tRip"]
            ]
        )
        listed = (await client.get("/api/goals", headers=headers)).json()["items"]
        return [r.status_code for r in answers], listed

    codes, listed = _run(server, scenario)
    # The same name again updates that goal (201 with it) or, when it raced the create, is a 409.
    assert set(codes) <= {201, 409} and 201 in codes
    assert len(listed) == 1


def test_concurrent_budget_puts_last_writer_wins(server: LiveServer) -> None:
    amounts = [f"{100 + i}.00" for i in range(15)]

    async def scenario(client: httpx.AsyncClient) -> tuple[list[int], list[int], dict[str, Any]]:
        headers = await _register(client)
        standing = await asyncio.gather(
            *[client.put("/api/budgets/Dining", headers=headers, json={"amount": a}) for a in amounts]
        )
        monthly = await asyncio.gather(
            *[
                client.put("/api/budgets/Travel", headers=headers, json={"amount": a, "month": "2026-12"})
                for a in amounts
            ]
        )
        summary = (await client.get("/api/budgets/summary?month=2026-12", headers=headers)).json()
        return [r.status_code for r in standing], [r.status_code for r in monthly], summary

    standing, monthly, summary = _run(server, scenario)
    assert standing == [200] * 15 and monthly == [200] * 15
    lines = {c["category"]: Decimal(str(c["budget"])) for c in summary["categories"]}
    assert str(lines["Dining"]) in amounts and str(lines["Travel"]) in amounts


def test_set_budget_twice_keeps_one_line(session: Session, clock: FixedClock) -> None:
    user = create_user(session, email=f"bb-{uuid.uuid4().hex[:10]}@example.com")
    set_budget(session, user, "Dining", "100", clock=clock)
    line = set_budget(session, user, "Dining", "120", clock=clock)
    rows = session.exec(select(Budget).where(Budget.user_id == user.id)).all()
    assert line.amount == Decimal("120.00") and [r.amount for r in rows] == [Decimal("120.00")]


def test_a_saturated_database_answers_503_quickly(db_url: str, clock: FixedClock) -> None:
    """Every pooled connection held: the request waits about the pool timeout, then 503 + Retry-After."""
    tight = make_engine(db_url, pool_size=1, max_overflow=0, pool_timeout=0.5)
    try:
        with TestClient(create_app(make_settings(db_url), engine=tight, clock=clock)) as client:
            r = client.post(
                "/api/auth/register", json={"email": f"s-{uuid.uuid4().hex[:8]}@example.com", "password": PASSWORD}
            )
            assert r.status_code == 201
            headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
            with tight.connect():  # the only connection, held elsewhere
                start = time.perf_counter()
                busy = client.get("/api/goals", headers=headers)
                took = time.perf_counter() - start
            assert busy.status_code == 503 and busy.headers["Retry-After"] == "1"
            assert took < 2
            assert client.get("/api/goals", headers=headers).status_code == 200  # and it recovers
    finally:
        tight.dispose()


def test_ids_are_never_reused(server: LiveServer) -> None:
    async def scenario(client: httpx.AsyncClient) -> tuple[int, int, int]:
        headers = await _register(client)
        tx = {"kind": "expense", "amount": "3.00", "description": "coffee"}
        first = (await client.post("/api/transactions", headers=headers, json=tx)).json()["id"]
        assert (await client.delete(f"/api/transactions/{first}", headers=headers)).status_code == 204
        second = (await client.post("/api/transactions", headers=headers, json=tx)).json()["id"]
        stale = (await client.delete(f"/api/transactions/{first}", headers=headers)).status_code
        return first, second, stale

    first, second, stale = _run(server, scenario)
    assert second > first and stale == 404


def test_migration_0002_keeps_every_row(fresh_db_url: str, clock: FixedClock) -> None:
    """Down to 0001 and up again rebuilds five tables on SQLite: no row lost, no cascade run."""
    eng = make_engine(fresh_db_url)
    try:
        with Session(eng) as s:
            user = create_user(s, email="m@example.com")
            set_budget(s, user, "Dining", "80", clock=clock)
            dining = s.exec(select(Category).where(Category.user_id == user.id, Category.name == "Dining")).one()
            s.add(
                Transaction(
                    user_id=user.id or 0, amount=Decimal("4.50"), date=clock.now().date(), category_id=dining.id
                )
            )
            s.add(Goal(user_id=user.id or 0, name="Car", target_amount=Decimal("900")))
            s.commit()

        def counts() -> tuple[int, int, int, int]:
            with Session(eng) as s:
                return (
                    s.exec(select(func.count()).select_from(Budget)).one(),
                    s.exec(select(func.count()).select_from(Category)).one(),
                    s.exec(select(func.count()).where(Transaction.category_id.is_not(None))).one(),  # type: ignore[union-attr]
                    s.exec(select(func.count()).select_from(Goal)).one(),
                )

        before = counts()
        eng.dispose()
        migrate.downgrade(fresh_db_url, "0001")
        migrate.upgrade(fresh_db_url)
        assert counts() == before == (1, 17, 1, 1)
        if eng.dialect.name == "sqlite":
            with eng.connect() as conn:
                sql = conn.execute(text("select sql from sqlite_master where name = 'transactions'")).scalar_one()
            assert "AUTOINCREMENT" in sql
        assert {c["name"] for c in inspect(eng).get_unique_constraints("goals")} >= {"uq_goals_user_name_key"}
    finally:
        eng.dispose()


def test_a_big_import_writes_in_short_transactions(
    server: LiveServer, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import parses on a read-only snapshot and (SQLite) writes in batches of its own
    transactions, so one user's big file never holds the one writer lock for long."""
    monkeypatch.setattr("web.routers.io.IMPORT_BATCH_ROWS", 500)
    lines = ["Date,Description,Amount"] + [f"2025-03-{1 + i % 28:02d},Shop {i},-{1 + i % 50}.25" for i in range(1800)]
    data = ("\n".join(lines) + "\n").encode()
    writes: list[float] = []

    async def scenario(client: httpx.AsyncClient) -> tuple[httpx.Response, list[int]]:
        importer, other = await _register(client), await _register(client)
        done = asyncio.Event()

        async def keep_writing() -> None:
            while not done.is_set():
                start = time.perf_counter()
                tx = {"kind": "expense", "amount": "2.00", "description": "meanwhile"}
                r = await client.post("/api/transactions", headers=other, json=tx)
                assert r.status_code == 201
                writes.append(time.perf_counter() - start)
                await asyncio.sleep(0.05)

        task = asyncio.create_task(keep_writing())
        r = await client.post("/api/import", headers=importer, files={"file": ("a.csv", data, "text/csv")})
        done.set()
        await task
        got = (await client.get("/api/transactions?limit=500&start=2025-01-01&end=2025-12-31", headers=importer)).json()
        return r, [t["id"] for t in got["items"]]

    r, listed = _run(server, scenario)
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["imported"] == 1800 and len(set(report["imported_ids"])) == 1800
    assert report["imported_ids"] == sorted(report["imported_ids"])  # file order
    assert set(listed) <= set(report["imported_ids"]) and len(listed) == 500
    assert writes  # the other user's writes went on during the import


def test_the_agent_is_imported_before_the_first_request(tmp_path: Any) -> None:
    """Start-up imports the chat agent on a worker thread, so the first chat turn does not import
    it on the event loop (which stalled every request, /healthz too, for seconds)."""
    script = (
        "import sys\n"
        "from fastapi.testclient import TestClient\n"
        "from tests.api_support import make_settings\n"
        "from web import create_app\n"
        "settings = make_settings('sqlite:///' + sys.argv[1], stt='off', tts='off')\n"
        "app = create_app(settings, warm_voice=True)\n"
        "before = 'assistant.agent.runner' in sys.modules\n"
        "with TestClient(app) as client:\n"
        "    print(before, 'assistant.agent.runner' in sys.modules, client.get('/healthz').status_code)\n"
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "warm.db")], cwd=root, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["False", "True", "200"]


def test_no_request_holds_a_connection_while_waiting_for_a_thread(db_url: str, clock: FixedClock) -> None:
    """Two worker threads, one pooled connection: each request must give its connection back
    before its next hop (the answer's validation) waits for a thread, or the requests starve
    each other into pool timeouts (the freeze of issue 11, in miniature)."""
    tight = make_engine(db_url, pool_size=1, max_overflow=0, pool_timeout=3)
    try:
        with TestClient(create_app(make_settings(db_url), engine=tight, clock=clock)) as client:
            assert client.portal is not None

            def two_threads() -> None:
                anyio.to_thread.current_default_thread_limiter().total_tokens = 2

            client.portal.call(two_threads)
            r = client.post(
                "/api/auth/register", json={"email": f"h-{uuid.uuid4().hex[:8]}@example.com", "password": PASSWORD}
            )
            headers = {"Authorization": f"Bearer {r.json()['access_token']}"}

            def write(i: int) -> int:
                tx = {"kind": "expense", "amount": "1.00", "description": f"hop {i}"}
                return client.post("/api/transactions", headers=headers, json=tx).status_code

            with ThreadPoolExecutor(max_workers=12) as pool:
                codes = list(pool.map(write, range(24)))
            assert codes == [201] * 24
    finally:
        tight.dispose()
