"""Ledger benchmark: the monthly budget summary over 100k transactions, and the due-renewal scan.

Why: the summary answers every "how am I doing?" and the renewal scan runs every few minutes
for every user, so both must stay fast as the ledger grows. This builds throwaway databases
(a SQLite file and, unless ``--skip-postgres``, a ``bw_bench_<random>`` PostgreSQL database,
dropped at the end), times the real service functions, and prints p50/p99 and the query plans.

    python bench/ledger.py [--skip-postgres] [--tx 100000] [--subs 500000] [--runs 300]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from pydantic_core import PydanticUndefined
from sqlalchemy import JSON, Table, create_engine, event, insert, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, select

from assistant import migrate
from assistant.clock import FixedClock, user_today
from assistant.db import make_engine, unit_of_work
from assistant.models import Category, CategoryKind, Subscription, Transaction, User, utcnow
from assistant.services.budgets import budget_summary, set_budget
from assistant.services.currency import set_rate
from assistant.services.users import create_user

ADMIN_URL = os.environ.get("BUDGETWISE_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


# ---------------------------------------------------------------- bulk loading


def model_defaults(model: type[SQLModel]) -> dict[str, Any]:
    """The model's own defaults for its columns, so the bench keeps up with new columns."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name == "id" or name not in table.c:
            continue
        if info.default_factory is not None:
            out[name] = info.default_factory()  # type: ignore[call-arg]
        elif info.default is not PydanticUndefined:
            out[name] = info.default
    return out


def bulk_insert(engine: Engine, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    """Fast load: COPY on PostgreSQL, executemany in one transaction on SQLite."""
    if not rows:
        return
    table: Table = model.__table__  # type: ignore[attr-defined]
    defaults = model_defaults(model)
    rows = [{**defaults, **row} for row in rows]
    if engine.dialect.name == "postgresql":
        cols = list(rows[0])
        types = [table.c[c].type for c in cols]

        procs = [json.dumps if isinstance(t, JSON) else t.bind_processor(engine.dialect) for t in types]

        raw: Any = engine.raw_connection()
        try:
            with raw.cursor() as cur:
                names = ", ".join(f'"{c}"' for c in cols)
                with cur.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([p(row[c]) if p else row[c] for c, p in zip(cols, procs, strict=True)])
            raw.commit()
        finally:
            raw.close()
        return
    with engine.begin() as conn:
        for i in range(0, len(rows), 20_000):
            conn.execute(insert(table), rows[i : i + 20_000])


def build(engine: Engine, *, n_tx: int, n_subs: int, n_users: int, years: int, seed: int) -> tuple[int, FixedClock]:
    """One heavy user with ``n_tx`` transactions; ``n_subs`` subscriptions over ``n_users`` users."""
    rng = random.Random(seed)
    clock = FixedClock(dt.datetime.now(dt.UTC))
    with unit_of_work(engine) as s:
        user = create_user(s, email=f"bench-{uuid.uuid4().hex[:8]}@example.com", timezone="America/New_York")
        for i, name in enumerate(["Housing", "Groceries", "Dining", "Transport", "Utilities", "Shopping"]):
            set_budget(s, user, name, str(200 * (i + 1)), clock=clock)
        set_rate(s, user, "EUR", "1.08")
        cats = {c.name: c.id for c in s.exec(select(Category).where(Category.user_id == user.id))}
        expense_ids = [
            c.id for c in s.exec(select(Category).where(Category.user_id == user.id)) if c.kind == CategoryKind.EXPENSE
        ]
        assert user.id is not None
        uid = user.id
    today = user_today(clock, "America/New_York")
    now = utcnow()
    days = 365 * years
    tx_rows = []
    for _ in range(n_tx):
        income = rng.random() < 0.05
        tx_rows.append(
            {
                "user_id": uid,
                "kind": "income" if income else "expense",
                "amount": Decimal(rng.randint(100, 2_000_00 if income else 300_00)) / 100,
                "currency": "EUR" if rng.random() < 0.05 else "USD",
                "date": today - dt.timedelta(days=rng.randrange(days)),
                "description": "bench",
                "category_id": cats["Salary"] if income else rng.choice(expense_ids),
                "source": "ui",
                "created_at": now,
                "updated_at": now,
            }
        )
    bulk_insert(engine, Transaction, tx_rows)
    user_rows = [
        {
            "email": f"b{i}-{uuid.uuid4().hex[:6]}@example.com",
            "display_name": "",
            "currency": "USD",
            "timezone": "UTC",
            "password_hash": "",
            "settings": {},
            "token_version": 0,
            "created_at": now,
        }
        for i in range(max(n_users - 1, 0))
    ]
    bulk_insert(engine, User, user_rows)
    with engine.connect() as conn:
        user_ids = [r[0] for r in conn.execute(text("SELECT id FROM users"))]
    sub_rows = []
    for i in range(n_subs):
        renew = today + dt.timedelta(days=rng.randrange(-3, 366))
        sub_rows.append(
            {
                "user_id": rng.choice(user_ids),
                "name": f"service {i}",
                "amount": Decimal(rng.randint(100, 50_00)) / 100,
                "currency": "USD",
                "cadence": rng.choice(["weekly", "monthly", "monthly", "quarterly", "yearly"]),
                "next_renewal": renew,
                "remind_days_before": 7,
                "active": rng.random() < 0.85,
                "notes": "",
                "anchor_day": renew.day,
                "extra_reminder_days": [],
                "created_at": now,
                "updated_at": now,
            }
        )
    bulk_insert(engine, Subscription, sub_rows)
    # Fresh statistics (and, on PostgreSQL, the visibility map), as autovacuum would give.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")
    return uid, clock


# ---------------------------------------------------------------- timing and plans


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def timed(fn: Callable[[], Any], runs: int, warmup: int = 10) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


@contextmanager
def captured(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """Every statement (with its driver-level parameters) the block sends."""
    seen: list[tuple[str, Any]] = []

    def hook(_conn: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _many: bool) -> None:
        seen.append((statement, params))

    event.listen(engine, "before_cursor_execute", hook)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", hook)


def explain(engine: Engine, statement: str, params: Any) -> str:
    pg = engine.dialect.name == "postgresql"
    prefix = "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " if pg else "EXPLAIN QUERY PLAN "
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(prefix + statement, params).fetchall()
    return "\n".join(("    " + str(r[0])) if pg else f"    {r[-1]}" for r in rows)


def due_renewals_fn() -> Callable[[Session, dt.date], Any]:
    """The subscriptions service's own ``due_renewals`` when present, else the plain query."""
    try:
        from assistant.services.subscriptions import due_renewals

        def service(s: Session, day: dt.date) -> Any:
            """subscriptions.due_renewals"""
            return due_renewals(s, on_or_before=day, limit=1000)

        return service
    except ImportError:

        def plain(s: Session, day: dt.date) -> Any:
            """plain ORM query"""
            stmt = (
                select(Subscription)
                .where(col(Subscription.active).is_(True), col(Subscription.next_renewal) <= day)
                .order_by(col(Subscription.next_renewal))
                .limit(1000)
            )
            return list(s.exec(stmt))

        return plain


def run_backend(name: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    print(f"\n=== {name}: building ({args.tx:,} transactions, {args.subs:,} subscriptions) ...", flush=True)
    migrate.upgrade(url)
    engine = make_engine(url)
    t0 = time.perf_counter()
    uid, clock = build(engine, n_tx=args.tx, n_subs=args.subs, n_users=args.users, years=args.years, seed=args.seed)
    print(f"built in {time.perf_counter() - t0:.1f} s", flush=True)
    with Session(engine) as s:
        user = s.get(User, uid)
        assert user is not None
        s.expunge(user)
    due = due_renewals_fn()
    horizon = user_today(clock, "UTC") + dt.timedelta(days=7)

    def summary() -> None:
        with Session(engine) as s:
            budget_summary(s, user, clock=clock)

    def renewals() -> None:
        with Session(engine) as s:
            due(s, horizon)

    def renewals_sql() -> None:
        with engine.connect() as conn:
            conn.execute(
                text(
                    "SELECT id, user_id, next_renewal FROM subscriptions WHERE active = :a AND "
                    "next_renewal <= :d ORDER BY next_renewal, id LIMIT 1000"
                ),
                {"a": True, "d": horizon},
            ).fetchall()

    with captured(engine) as stmts_summary, Session(engine) as s:
        result = budget_summary(s, user, clock=clock)
    with captured(engine) as stmts_due:
        renewals()
    with engine.connect() as conn:
        first = dt.date.fromisoformat(result.month + "-01")
        rows_in_month = conn.execute(
            text("SELECT count(*) FROM transactions WHERE user_id = :u AND date >= :d"), {"u": uid, "d": first}
        ).scalar_one()
    t_sum = timed(summary, args.runs)
    t_due = timed(renewals, max(args.runs // 3, 20))
    t_due_sql = timed(renewals_sql, max(args.runs // 3, 20))
    out = {
        "backend": name,
        "summary_p50": statistics.median(t_sum),
        "summary_p99": percentile(t_sum, 0.99),
        "due_p50": statistics.median(t_due),
        "due_p99": percentile(t_due, 0.99),
        "due_sql_p50": statistics.median(t_due_sql),
        "due_sql_p99": percentile(t_due_sql, 0.99),
        "month_rows": rows_in_month,
    }
    print(
        f"budget_summary ({result.month}, {rows_in_month:,} rows this month, {len(result.categories)} budgets): "
        f"p50 {out['summary_p50']:.2f} ms  p99 {out['summary_p99']:.2f} ms"
    )
    print(
        f"due renewals (<= {horizon}, limit 1000, {due.__doc__}): "
        f"p50 {out['due_p50']:.2f} ms  p99 {out['due_p99']:.2f} ms"
    )
    print(
        f"  the same query without the ORM (1000 rows): "
        f"p50 {out['due_sql_p50']:.2f} ms  p99 {out['due_sql_p99']:.2f} ms"
    )
    print("\n-- plans of the summary's queries")
    for stmt, params in [x for x in stmts_summary if x[0].lstrip().upper().startswith("SELECT")]:
        print("  " + " ".join(stmt.split())[:160])
        print(explain(engine, stmt, params))
    print("\n-- plan of the due-renewal query")
    for stmt, params in [x for x in stmts_due if x[0].lstrip().upper().startswith("SELECT")]:
        print("  " + " ".join(stmt.split())[:160])
        print(explain(engine, stmt, params))
    engine.dispose()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--skip-postgres", action="store_true")
    ap.add_argument("--tx", type=int, default=100_000)
    ap.add_argument("--subs", type=int, default=500_000)
    ap.add_argument("--users", type=int, default=5_000)
    ap.add_argument("--years", type=int, default=3, help="span of the heavy user's history")
    ap.add_argument("--runs", type=int, default=300)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"load average at the start: {os.getloadavg()[0]:.1f} (1 min)")
    results = []
    with tempfile.TemporaryDirectory(prefix="bw_bench_") as tmp:
        results.append(run_backend("sqlite", f"sqlite:///{tmp}/bench.db", args))
    if not args.skip_postgres:
        admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        name = f"bw_bench_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            results.append(run_backend("postgresql", ADMIN_URL.rsplit("/", 1)[0] + "/" + name, args))
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f} (1 min) on {os.cpu_count()} CPUs")
    print("\n| backend | summary p50 | summary p99 | due-renewal p50 | due-renewal p99 | due SQL only p50 / p99 |")
    print("|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['backend']} | {r['summary_p50']:.2f} ms | {r['summary_p99']:.2f} ms "
            f"| {r['due_p50']:.2f} ms | {r['due_p99']:.2f} ms | {r['due_sql_p50']:.2f} / {r['due_sql_p99']:.2f} ms |"
        )


if __name__ == "__main__":
    main()
