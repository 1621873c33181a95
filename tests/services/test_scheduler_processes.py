"""Several scheduler processes on one PostgreSQL: every due reminder delivered exactly once,
none lost, also when one process is killed in the middle of its run."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import insert, text
from sqlalchemy.engine import Engine

from assistant import migrate
from assistant.db import make_engine, unit_of_work
from assistant.models import Subscription
from assistant.services.users import create_user
from tests.conftest import drop_database, new_database_url

ROOT = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2026, 11, 22, 15, 0, tzinfo=dt.UTC)  # 10:00 in New York, after the 09:00 reminder time
DUE = 1000


@pytest.fixture
def pg(tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    url, handle = new_database_url("postgres", str(tmp_path))
    migrate.upgrade(url)
    eng = make_engine(url)
    yield url, eng
    eng.dispose()
    drop_database(handle)


def _seed(engine: Engine) -> None:
    with unit_of_work(engine) as s:
        ids = []
        for i in range(50):
            user = create_user(s, email=f"p{i}@example.com", timezone="America/New_York")
            ids.append(user.id)
        rows = [
            {"user_id": ids[i % 50], "name": f"Service {i}", "amount": Decimal("9.99"), "currency": "USD",
             "cadence": "monthly", "next_renewal": dt.date(2026, 11, 25), "anchor_day": 25,
             "remind_days_before": 7, "active": True, "notes": "", "extra_reminder_days": [],
             "notice_days": 0, "created_at": NOW, "updated_at": NOW}
            for i in range(DUE)
        ]  # fmt: skip
        s.execute(insert(Subscription), rows)


def _count(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        total = conn.execute(text("SELECT count(*) FROM notifications WHERE kind = 'renewal_reminder'")).scalar_one()
        distinct = conn.execute(
            text("SELECT count(DISTINCT dedupe_key) FROM notifications WHERE kind = 'renewal_reminder'")
        ).scalar_one()
        return int(total), int(distinct)


def _start(url: str, batch: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "scheduler_proc.py"), url, NOW.isoformat(), str(batch)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_two_processes_deliver_each_reminder_exactly_once(pg: tuple[str, Engine]) -> None:
    url, engine = pg
    _seed(engine)
    a, b = _start(url, 20), _start(url, 20)
    outs = [p.communicate(timeout=120) for p in (a, b)]
    assert a.returncode == 0 and b.returncode == 0, outs
    done = [int(out.strip()) for out, _err in outs]
    assert sum(done) == DUE and all(n > 0 for n in done)  # both worked, neither repeated the other
    assert _count(engine) == (DUE, DUE)


def test_a_killed_process_loses_nothing(pg: tuple[str, Engine]) -> None:
    url, engine = pg
    _seed(engine)
    a = _start(url, 5)
    deadline = time.monotonic() + 60
    while _count(engine)[0] < 100 and time.monotonic() < deadline:
        time.sleep(0.02)
    b = _start(url, 5)
    time.sleep(0.05)
    a.kill()  # mid-run: its open batch rolls back
    a.communicate(timeout=30)
    _out, err = b.communicate(timeout=120)
    assert b.returncode == 0, err
    # the next regular poll picks up whatever the killed process had locked
    again = _start(url, 50)
    again.communicate(timeout=120)
    assert again.returncode == 0
    total, distinct = _count(engine)
    assert total == distinct == DUE
    with engine.connect() as conn:
        users_notified = conn.execute(text("SELECT count(DISTINCT user_id) FROM notifications")).scalar_one()
    assert users_notified == 50
