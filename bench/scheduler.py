"""Scheduler benchmark: poll time at 500,000 subscriptions, and notifications made per second.

    python bench/scheduler.py [--subs 500000] [--due 2000] [--skip-postgres]

Builds a throwaway SQLite file and a throwaway PostgreSQL database (127.0.0.1:5432), fills them
with subscriptions across 5,000 users, then measures:
- a quiet poll (nothing due: the index on next_action_at answers at once), median of 5;
- a busy poll in which ``--due`` reminders fall due: seconds, and notifications per second
  (each one claimed, copied to the chat history and queued for delivery in its transaction).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine, insert, text, update

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant import migrate
from assistant.clock import FixedClock
from assistant.db import make_engine
from assistant.models import Subscription, User
from assistant.scheduler.poll import poll

NOW = dt.datetime(2026, 11, 22, 15, 0, tzinfo=dt.UTC)
USERS = 5000


def fill(url: str, subs: int) -> None:
    eng = make_engine(url)
    far = NOW + dt.timedelta(days=20)
    with eng.begin() as conn:
        conn.execute(
            insert(User),
            [{"email": f"b{i}@example.com", "display_name": "", "currency": "USD", "timezone": "America/New_York",
              "password_hash": "", "settings": {}, "token_version": 0, "created_at": NOW} for i in range(USERS)],
        )  # fmt: skip
        first = conn.execute(text("SELECT min(id) FROM users")).scalar_one()
        step = 50_000
        for start in range(0, subs, step):
            conn.execute(
                insert(Subscription),
                [{"user_id": first + (i % USERS), "name": f"S{i}", "amount": Decimal("9.99"), "currency": "USD",
                  "cadence": "monthly", "next_renewal": dt.date(2026, 12, 15 + i % 10), "anchor_day": 15 + i % 10,
                  "remind_days_before": 7, "active": True, "notes": "", "extra_reminder_days": [], "notice_days": 0,
                  "next_action_at": far, "created_at": NOW, "updated_at": NOW}
                 for i in range(start, min(subs, start + step))],
            )  # fmt: skip
    if eng.dialect.name == "postgresql":
        with eng.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()
    eng.dispose()


def measure(url: str, label: str, due: int) -> None:
    eng = make_engine(url)
    clock = FixedClock(NOW)
    quiet = []
    for _ in range(5):
        t0 = time.perf_counter()
        poll(eng, clock)
        quiet.append((time.perf_counter() - t0) * 1000)
    with eng.begin() as conn:
        ids = conn.execute(text(f"SELECT id FROM subscriptions ORDER BY id LIMIT {due}")).scalars().all()
        conn.execute(
            update(Subscription)
            .where(Subscription.id.in_(ids))
            .values(  # type: ignore[union-attr]
                next_renewal=dt.date(2026, 11, 26), next_action_at=NOW - dt.timedelta(minutes=1)
            )
        )
    t0 = time.perf_counter()
    report = poll(eng, clock)
    busy = time.perf_counter() - t0
    made = len(report.notifications)
    print(f"{label}: quiet poll p50 {statistics.median(quiet):.1f} ms; busy poll {busy:.2f} s for {made} "
          f"reminders = {made / busy:.0f} notifications/s")  # fmt: skip
    active = "active IS true" if eng.dialect.name == "postgresql" else "active IS 1"  # as the ORM writes it
    queries = [
        f"SELECT * FROM subscriptions WHERE {active} AND next_action_at IS NULL ORDER BY id LIMIT 200",
        f"SELECT * FROM subscriptions WHERE {active} AND next_action_at <= :now ORDER BY next_action_at, id LIMIT 200",
    ]
    with eng.connect() as conn:
        for sql in queries:
            if eng.dialect.name == "postgresql":
                plan = conn.execute(text("EXPLAIN " + sql), {"now": NOW}).scalars().all()
            else:
                rows = conn.execute(text("EXPLAIN QUERY PLAN " + sql), {"now": NOW.isoformat()})
                plan = [str(r[-1]) for r in rows]
            print("  plan: " + " | ".join(p.strip() for p in plan))
    eng.dispose()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--subs", type=int, default=500_000)
    ap.add_argument("--due", type=int, default=2000)
    ap.add_argument("--skip-postgres", action="store_true")
    ap.add_argument("--postgres-admin", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        migrate.upgrade(url)
        t0 = time.perf_counter()
        fill(url, a.subs)
        print(f"SQLite: {a.subs} subscriptions loaded in {time.perf_counter() - t0:.0f} s")
        measure(url, "SQLite", a.due)
    if a.skip_postgres:
        return
    admin = create_engine(a.postgres_admin, isolation_level="AUTOCOMMIT")
    name = f"bw_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = a.postgres_admin.rsplit("/", 1)[0] + f"/{name}"
    try:
        migrate.upgrade(url)
        t0 = time.perf_counter()
        fill(url, a.subs)
        print(f"PostgreSQL: {a.subs} subscriptions loaded in {time.perf_counter() - t0:.0f} s")
        measure(url, "PostgreSQL", a.due)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
