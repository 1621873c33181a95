"""Shared fixtures: a real database on each backend (SQLite file, throwaway PostgreSQL).

Every test that takes ``session`` runs once on SQLite and once on PostgreSQL. The schema is
built by the Alembic migrations, so the tests also prove the migrations build what the models
describe. Each test's session is rolled back at the end, which isolates tests for free.
Under ``CI=true`` a missing PostgreSQL fails the run instead of skipping.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from assistant import migrate
from assistant.clock import FixedClock
from assistant.db import make_engine
from assistant.models import User
from assistant.services.users import create_user

PG_ADMIN_URL = os.environ.get("BUDGETWISE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI", "").lower() == "true"


def _pg_admin() -> Engine | None:
    try:
        eng = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with eng.connect() as conn:
            conn.execute(text("select 1"))
        return eng
    except Exception:
        return None


def need_postgres() -> Engine:
    """The admin engine, or skip (fail under CI) with a clear reason."""
    admin = _pg_admin()
    if admin is None:
        msg = f"PostgreSQL is not reachable at {PG_ADMIN_URL} (set BUDGETWISE_TEST_POSTGRES_URL)"
        if IN_CI:
            pytest.fail(msg)
        pytest.skip(msg)
    return admin


def new_database_url(backend: str, tmp_dir: str) -> tuple[str, object]:
    """A fresh, empty database; returns its URL and a handle used to drop it."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_dir}/bw-{uuid.uuid4().hex[:8]}.db", None
    admin = need_postgres()
    name = f"bw_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{name}", (admin, name)


def drop_database(handle: object) -> None:
    if handle is None:
        return
    admin, name = handle  # type: ignore[misc]
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def db_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url, handle = new_database_url(backend, str(tmp_path_factory.mktemp("db")))
    migrate.upgrade(url)
    yield url
    drop_database(handle)


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def fresh_db_url(backend: str, tmp_path: object) -> Iterator[str]:
    """A database of its own, migrated, for tests that look at every user's rows."""
    url, handle = new_database_url(backend, str(tmp_path))
    migrate.upgrade(url)
    yield url
    from assistant.db import _engines

    eng = _engines.pop(url, None)
    if eng is not None:
        eng.dispose()
    drop_database(handle)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back when the test ends."""
    with Session(engine, expire_on_commit=False) as s:
        try:
            yield s
        finally:
            s.rollback()


@pytest.fixture
def user(session: Session) -> User:
    return create_user(session, email=f"u-{uuid.uuid4().hex[:10]}@example.com", timezone="America/New_York")


@pytest.fixture
def clock() -> FixedClock:
    """Noon in New York on 2026-11-22 (a Sunday)."""
    return FixedClock(dt.datetime(2026, 11, 22, 17, 0, tzinfo=dt.UTC))
