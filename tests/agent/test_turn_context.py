"""A turn's context (the user, categories, merchant memory) is kept between turns, and never stale.

The copy is the database's while ``users.context_version`` is unchanged; triggers change it on
every write of those rows (migration 0007), whoever makes it. Each test warms the copy with a
turn, changes the rows through a second engine (another app process: its own pool, no shared
memory) or a plain SQL statement, and checks the next turn acts on the change.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from assistant.agent.runner import AgentRunner
from assistant.clock import FixedClock
from assistant.db import make_engine, unit_of_work
from assistant.models import Category, MerchantMemory, User
from assistant.services.categories import create_category, update_category
from assistant.services.users import update_profile
from assistant.settings import Settings
from tests.agent.chat_support import new_user, rows


@pytest.fixture
def runner(engine: Engine, db_url: str, clock: FixedClock) -> AgentRunner:
    return AgentRunner(engine=engine, settings=Settings(database_url=db_url, llm="local"), clock=clock)


@pytest.fixture
def elsewhere(db_url: str) -> Iterator[Engine]:
    """Another app process's engine on the same database."""
    other = make_engine(db_url)
    yield other
    other.dispose()


async def say(runner: AgentRunner, user_id: int, words: str) -> list[dict[str, Any]]:
    return [e.to_dict() async for e in runner.run_turn(user_id, words)]


def reply(events: list[dict[str, Any]]) -> str:
    return str(next(e["text"] for e in events if e["type"] == "assistant_message"))


def category_of_last(engine: Engine, user_id: int) -> str | None:
    last = rows(engine, user_id)[-1]
    with Session(engine) as s:
        cat = s.get(Category, last.category_id) if last.category_id else None
        return cat.name if cat else None


async def test_a_category_made_in_another_process_is_known_on_the_next_turn(
    runner: AgentRunner, engine: Engine, elsewhere: Engine
) -> None:
    uid = new_user(engine)
    await say(runner, uid, "spent 5 on coffee")  # the context is now kept
    with unit_of_work(elsewhere) as s:
        create_category(s, s.get_one(User, uid), name="Pets")
    await say(runner, uid, "spent 30 on pets")
    assert category_of_last(engine, uid) == "Pets"


async def test_a_renamed_category_and_a_changed_currency_show_on_the_next_turn(
    runner: AgentRunner, engine: Engine, elsewhere: Engine
) -> None:
    uid = new_user(engine)
    await say(runner, uid, "spent 5 on coffee")
    with unit_of_work(elsewhere) as s:
        user = s.get_one(User, uid)
        dining = s.exec(select(Category).where(Category.user_id == uid, Category.name == "Dining")).one()
        update_category(s, user, dining.id, name="Eating out")
        update_profile(s, user, currency="EUR")
    events = await say(runner, uid, "spent 12 on eating out")
    assert category_of_last(engine, uid) == "Eating out"
    assert "€12.00" in reply(events)


async def test_merchant_memory_taught_elsewhere_files_the_next_expense(
    runner: AgentRunner, engine: Engine, elsewhere: Engine
) -> None:
    uid = new_user(engine)
    await say(runner, uid, "spent 8 at Zorblat")  # no category for it yet: asked, nothing written
    assert rows(engine, uid) == []
    with Session(elsewhere) as s:
        health = s.exec(select(Category).where(Category.user_id == uid, Category.name == "Health")).one()
        s.add(MerchantMemory(user_id=uid, merchant="zorblat", category_id=health.id))
        s.commit()
    await say(runner, uid, "spent 9 at Zorblat")
    assert category_of_last(engine, uid) == "Health"


_MEMORY_ROW = (
    "INSERT INTO merchant_memory (user_id, merchant, category_id, updated_at) "
    "SELECT :uid, 'corner shop', id, CURRENT_TIMESTAMP FROM categories WHERE user_id = :uid AND name = 'Dining'"
)


@pytest.mark.parametrize(
    ("before", "statement"),
    [
        ("", "UPDATE users SET display_name = 'Renamed' WHERE id = :uid"),
        (
            "",
            "INSERT INTO categories (name, kind, necessity_score, archived, fixed, user_id, created_at) "
            "VALUES ('Hobbies', 'expense', 5, false, false, :uid, CURRENT_TIMESTAMP)",
        ),
        ("", "UPDATE categories SET necessity_score = 9 WHERE user_id = :uid AND name = 'Dining'"),
        ("", "DELETE FROM categories WHERE user_id = :uid AND name = 'Travel'"),
        ("", _MEMORY_ROW),
        (_MEMORY_ROW, "UPDATE merchant_memory SET merchant = 'corner store' WHERE user_id = :uid"),
        (_MEMORY_ROW, "DELETE FROM merchant_memory WHERE user_id = :uid"),
    ],
)
def test_every_write_of_the_cached_rows_changes_the_version(engine: Engine, before: str, statement: str) -> None:
    """Any statement, from any client: a migration that rebuilds one of these tables and drops its
    triggers fails here."""
    uid = new_user(engine)
    version = text("SELECT context_version FROM users WHERE id = :uid")
    with engine.begin() as conn:
        if before:
            conn.execute(text(before), {"uid": uid})
        was = conn.execute(version, {"uid": uid}).scalar()
        assert conn.execute(text(statement), {"uid": uid}).rowcount == 1
        assert conn.execute(version, {"uid": uid}).scalar() != was


def test_a_new_user_never_shares_a_version_with_an_earlier_one(engine: Engine) -> None:
    """Random, not a counter from 0: a user row made anew (a database restored or re-created under
    the same id) never matches a copy of another one kept by a running process."""
    versions = set()
    for _ in range(5):
        uid = new_user(engine)
        with engine.begin() as conn:
            versions.add(conn.execute(text("SELECT context_version FROM users WHERE id = :uid"), {"uid": uid}).scalar())
    assert len(versions) == 5
