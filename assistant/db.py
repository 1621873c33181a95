"""Engines and units of work.

SQLite gets WAL and ``synchronous=FULL`` (durable on power loss, readers never block the
writer); PostgreSQL goes through psycopg 3. One transaction per request, tool call or job:
``unit_of_work`` commits at the end or rolls everything back, so a service never leaves a
half-written row.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine


def normalize_url(url: str) -> str:
    """Accept ``postgres://`` and ``postgresql://`` and route both through psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def make_engine(url: str, **kwargs: Any) -> Engine:
    url = normalize_url(url)
    if is_sqlite(url):
        connect_args = {"check_same_thread": False, "timeout": 30}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs.setdefault("poolclass", StaticPool)
        engine = create_engine(url, connect_args=connect_args, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy own BEGIN so SAVEPOINTs and rollbacks behave (pysqlite quirk).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            # IMMEDIATE takes the write lock up front: a transaction that reads and then writes
            # cannot be refused half-way ("database is locked") when another writer committed
            # in between; busy_timeout makes it wait its turn instead.
            # A read-only session (``read_only``) never writes, so it takes a plain deferred
            # BEGIN: a WAL snapshot that neither waits for the writer nor holds it up.
            if conn.get_execution_options().get(READ_ONLY_OPTION):
                conn.exec_driver_sql("BEGIN")
            else:
                conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 20)
    return create_engine(url, **kwargs)


READ_ONLY_OPTION = "budgetwise_read_only"


def read_only_engine(engine: Engine) -> Engine:
    """``engine`` (same pool) for sessions that only read: see ``read_only``."""
    ro: Engine | None = engine.__dict__.get("_budgetwise_read_only")
    if ro is None:
        ro = engine.execution_options(**{READ_ONLY_OPTION: True})
        engine.__dict__["_budgetwise_read_only"] = ro
    return ro


_engines: dict[str, Engine] = {}


def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for a URL (the configured one by default)."""
    if url is None:
        from .settings import get_settings

        url = get_settings().database_url
    url = normalize_url(url)
    if url not in _engines:
        _engines[url] = make_engine(url)
    return _engines[url]


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Session]:
    """One transaction: commit when the block ends, roll back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def read_only(engine: Engine) -> Iterator[Session]:
    """A session that only reads and is always rolled back.

    On SQLite it begins with a deferred ``BEGIN`` instead of ``BEGIN IMMEDIATE``: WAL gives it a
    consistent snapshot without the write lock, so reads never queue behind a writer's fsync.
    """
    with Session(read_only_engine(engine), expire_on_commit=False) as session:
        try:
            yield session
        finally:
            session.rollback()
