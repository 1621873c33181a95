"""The terminal says whose ledger it uses and takes --user; the demo twice offers --reset."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlmodel import Session, func, select

from assistant.db import make_engine
from assistant.models import Transaction, User


def run(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BUDGETWISE_DATABASE_URL": url, "BUDGETWISE_LLM": "local"}
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_ask_picks_the_user_says_whose_ledger_and_demo_twice_offers_reset(fresh_db_url: str) -> None:
    first = run(fresh_db_url, "ask", "spent 5 on coffee")
    assert first.returncode == 0, first.stderr
    assert "Using the ledger of you@localhost." in first.stderr and "$5.00" in first.stdout

    demo = run(fresh_db_url, "demo")
    assert demo.returncode == 0, demo.stderr
    again = run(fresh_db_url, "demo")
    assert again.returncode == 0 and "Traceback" not in again.stderr
    assert "loaded already" in again.stdout and "--reset" in again.stdout

    several = run(fresh_db_url, "ask", "how much did I spend this month")
    assert several.returncode == 2
    assert "--user EMAIL" in several.stderr and "demo@budgetwise.local" in several.stderr

    mine = run(fresh_db_url, "ask", "--user", "Demo@BudgetWise.local", "spent 7 on tea")
    assert mine.returncode == 0, mine.stderr
    assert "Using the ledger of demo@budgetwise.local." in mine.stderr
    unknown = run(fresh_db_url, "ask", "--user", "nobody@example.com", "hi")
    assert unknown.returncode == 2 and "no user" in unknown.stderr

    eng = make_engine(fresh_db_url)
    try:
        with Session(eng) as s:
            demo_user = s.exec(select(User).where(User.email == "demo@budgetwise.local")).one()
            before = s.exec(
                select(func.count()).select_from(Transaction).where(Transaction.user_id == demo_user.id)
            ).one()
        reset = run(fresh_db_url, "demo", "--reset")
        assert reset.returncode == 0, reset.stderr
        with Session(eng) as s:
            fresh = s.exec(select(User).where(User.email == "demo@budgetwise.local")).one()
            after = s.exec(select(func.count()).select_from(Transaction).where(Transaction.user_id == fresh.id)).one()
        assert (
            fresh.created_at > demo_user.created_at and after == before - 1
        )  # the tea logged above is gone with the old demo
    finally:
        eng.dispose()
