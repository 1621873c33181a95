"""Migrations agree with the models and round-trip; the CLI's db and demo commands work."""

from __future__ import annotations

import os
import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import Session, SQLModel, func, select

from assistant import migrate
from assistant.db import make_engine
from assistant.demo import load_demo
from assistant.models import Budget, Goal, Subscription, Transaction, User


def _diff(url: str) -> list[object]:
    eng = make_engine(url)
    try:
        with eng.connect() as conn:
            return list(compare_metadata(MigrationContext.configure(conn), SQLModel.metadata))
    finally:
        eng.dispose()


def test_autogenerate_finds_no_difference(fresh_db_url: str) -> None:
    assert _diff(fresh_db_url) == []


def test_upgrade_downgrade_round_trip(fresh_db_url: str) -> None:
    migrate.downgrade(fresh_db_url, "base")
    eng = make_engine(fresh_db_url)
    try:
        tables = set(inspect(eng).get_table_names()) - {"alembic_version"}
    finally:
        eng.dispose()
    assert tables == set()
    migrate.upgrade(fresh_db_url)
    assert _diff(fresh_db_url) == []


def test_cli_db_commands(fresh_db_url: str) -> None:
    env = {**os.environ, "BUDGETWISE_DATABASE_URL": fresh_db_url}
    cli = [sys.executable, "-m", "assistant.cli"]
    down = subprocess.run([*cli, "db", "downgrade", "base"], env=env, capture_output=True, text=True)
    assert down.returncode == 0, down.stderr
    up = subprocess.run([*cli, "db", "upgrade"], env=env, capture_output=True, text=True)
    assert up.returncode == 0, up.stderr
    assert "upgraded" in up.stdout
    assert _diff(fresh_db_url) == []


def test_demo_loads_a_living_ledger(fresh_db_url: str) -> None:
    eng = make_engine(fresh_db_url)
    try:
        with Session(eng) as session:
            message = load_demo(session, email="demo@example.com")
            session.commit()
            user = session.exec(select(User).where(User.email == "demo@example.com")).one()
            n_tx = session.exec(
                select(func.count()).select_from(Transaction).where(Transaction.user_id == user.id)
            ).one()
            dates = session.exec(select(Transaction.date).where(Transaction.user_id == user.id)).all()
            months = len({(d.year, d.month) for d in dates})
            assert n_tx > 150 and months == 6
            assert session.exec(select(func.count()).select_from(Budget).where(Budget.user_id == user.id)).one() >= 10
            assert (
                session.exec(
                    select(func.count()).select_from(Subscription).where(Subscription.user_id == user.id)
                ).one()
                == 5
            )
            assert session.exec(select(func.count()).select_from(Goal).where(Goal.user_id == user.id)).one() == 1
        assert "Demo loaded" in message
    finally:
        eng.dispose()
