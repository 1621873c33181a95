"""Per-request database work kept small (issue 11): reads never queue for SQLite's writer lock,
bookkeeping writes do not pay their own fsync, a busy pool is not pinged at every checkout."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import InvalidRequestError, OperationalError

from assistant import db
from assistant.clock import FixedClock
from assistant.db import make_engine, unit_of_work, write_connection
from tests.api_support import PASSWORD, make_settings
from tests.conftest import drop_database, new_database_url
from web import create_app


def _durability(engine: Engine, durable: bool) -> str:
    with unit_of_work(engine, durable=durable) as session:
        if engine.dialect.name == "sqlite":
            value = session.execute(text("PRAGMA synchronous")).scalar()
            return {1: "NORMAL", 2: "FULL"}[int(value)]  # type: ignore[arg-type]
        return str(session.execute(text("SHOW synchronous_commit")).scalar())


def test_only_bookkeeping_writes_skip_their_own_fsync(engine: Engine) -> None:
    full = "FULL" if engine.dialect.name == "sqlite" else "on"
    lazy = "NORMAL" if engine.dialect.name == "sqlite" else "off"
    assert _durability(engine, durable=True) == full
    assert _durability(engine, durable=False) == lazy
    # The pooled connection goes back to full durability for the next ordinary write.
    for _ in range(3):
        assert _durability(engine, durable=True) == full
    with write_connection(engine) as conn:
        if engine.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2
        else:
            assert conn.execute(text("SHOW synchronous_commit")).scalar() == "on"


@pytest.fixture
def sqlite_client(tmp_path: object, clock: FixedClock) -> Iterator[tuple[TestClient, str]]:
    url = f"sqlite:///{tmp_path}/reads.db"
    from assistant import migrate

    migrate.upgrade(url)
    eng = make_engine(url)
    try:
        with TestClient(create_app(make_settings(url), engine=eng, clock=clock)) as client:
            yield client, url
    finally:
        eng.dispose()


def test_reads_do_not_wait_for_the_sqlite_writer_lock(sqlite_client: tuple[TestClient, str]) -> None:
    client, url = sqlite_client
    r = client.post("/api/auth/register", json={"email": f"r-{uuid.uuid4().hex[:8]}@example.com", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
    other = make_engine(url)
    try:
        with other.connect() as holder:  # another process's long write transaction holds the lock
            holder.begin()  # BEGIN IMMEDIATE (assistant.db): the writer lock, held until the rollback
            start = time.perf_counter()
            pages = [client.get(path, headers=headers) for path in ("/api/transactions", "/api/budgets/summary")]
            took = time.perf_counter() - start
            holder.rollback()
    finally:
        other.dispose()
    assert [p.status_code for p in pages] == [200, 200]
    assert took < 1.0  # before: each waited for the lock (busy_timeout 5 s), then 503


@contextmanager
def _throwaway(kind: str, where: object) -> Iterator[str]:
    url, handle = new_database_url(kind, str(where))
    try:
        yield url
    finally:
        drop_database(handle)


@pytest.fixture
def postgres_url(tmp_path: object) -> Iterator[str]:
    """A throwaway PostgreSQL database: pool behaviour only PostgreSQL has (no SQLite twin to skip)."""
    with _throwaway("postgres", tmp_path) as url:
        yield url


def test_a_dropped_idle_postgres_connection_is_replaced_before_use(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_url = postgres_url
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)
    eng = make_engine(db_url, pool_size=1, max_overflow=0)
    killer = make_engine(db_url)
    try:
        with eng.connect() as conn:
            pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
        with killer.connect() as k:  # the server drops the idle pooled connection
            k.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            k.commit()
        time.sleep(0.1)
        with eng.connect() as conn:  # pinged at checkout, found dead, replaced: no error here
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar() != pid
    finally:
        eng.dispose()
        killer.dispose()


def test_postgres_reads_keep_prepared_statements_and_writes_keep_their_transaction(postgres_url: str) -> None:
    """A read that is always rolled back runs without a transaction on PostgreSQL (at READ
    COMMITTED each statement has its own snapshot either way): psycopg's ROLLBACK used to forget
    every statement prepared on the connection, so the hot reads were parsed and planned again and
    again. Writes on the same pooled connection still commit or roll back as one."""
    eng = make_engine(postgres_url, pool_size=1, max_overflow=0)
    marks = sa.table("marks", sa.column("n", sa.Integer))
    try:
        with write_connection(eng) as conn:
            conn.execute(text("CREATE TABLE marks (n integer)"))
        hot = sa.select(sa.func.count()).select_from(marks).where(marks.c.n > sa.bindparam("n"))
        for i in range(8):  # psycopg prepares a statement on its 5th run on a connection
            with db.read_only_connection(eng) as conn:
                assert conn.execute(hot, {"n": i}).scalar() == 0
        with db.read_only_connection(eng) as conn:
            prepared = conn.execute(text("SELECT statement FROM pg_prepared_statements")).scalars().all()
        assert any("marks" in statement for statement in prepared)

        # A write on the same connection after those reads: one transaction, all or nothing.
        with pytest.raises(RuntimeError), write_connection(eng) as conn:
            conn.execute(sa.insert(marks), [{"n": 1}, {"n": 2}])
            raise RuntimeError("the unit of work fails after its inserts")
        with unit_of_work(eng) as session:
            session.execute(sa.insert(marks).values(n=3))
        # A write in a read that is never committed is refused, and nothing of it stays.
        with pytest.raises(InvalidRequestError), db.read_only_connection(eng) as conn:
            conn.execute(sa.insert(marks).values(n=4))
        with db.read_only_connection(eng) as conn:
            assert conn.execute(sa.select(marks.c.n)).scalars().all() == [3]
    finally:
        eng.dispose()


@pytest.fixture
def sqlite_url(tmp_path: object) -> Iterator[str]:
    with _throwaway("sqlite", tmp_path) as url:
        yield url


def test_sqlite_writers_get_the_lock_in_arrival_order_and_a_bounded_wait(sqlite_url: str) -> None:
    """The writer lock goes to the waiting writers first come, first served (a chat turn that
    queued is not overtaken by writers that came later); one that waits past the limit is refused
    (an OperationalError: the app answers 503 with Retry-After), and its place is given up."""
    engine = make_engine(sqlite_url, writer_timeout=2.0)
    with write_connection(engine) as conn:
        conn.execute(text("CREATE TABLE arrivals (n INTEGER)"))
    order: list[int] = []
    try:

        def write(n: int) -> None:
            with write_connection(engine) as conn:
                conn.execute(text("INSERT INTO arrivals VALUES (:n)"), {"n": n})
                order.append(n)

        with ThreadPoolExecutor(max_workers=6) as pool:
            with engine.connect() as holder:
                holder.begin()  # this process's writer lock, held until the connection is back
                futures = []
                for n in range(6):
                    futures.append(pool.submit(write, n))
                    time.sleep(0.05)  # arrive one after the other
                holder.rollback()
            for f in futures:
                f.result(timeout=10)
        assert order == list(range(6))
    finally:
        engine.dispose()
    impatient = make_engine(sqlite_url, writer_timeout=0.2)
    try:
        with impatient.connect() as holder:
            holder.begin()
            start = time.perf_counter()
            with pytest.raises(OperationalError), write_connection(impatient) as conn:
                conn.execute(text("INSERT INTO arrivals VALUES (99)"))
            assert time.perf_counter() - start < 1.0
            holder.rollback()
        with write_connection(impatient) as conn:  # the refused writer left no place behind
            conn.execute(text("INSERT INTO arrivals VALUES (7)"))
    finally:
        impatient.dispose()
