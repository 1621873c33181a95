"""The conversation a turn continues: what the model is shown of earlier turns, and what is kept.

``services.conversations`` owns the stored chat and the turn's context; a provider must see the
user's earlier messages and the answers it gave, oldest first, between the system prompt and the
new message (so "and for groceries?" means something), and nothing of another user's chat.
"""

from __future__ import annotations

import uuid

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from sqlalchemy.engine import Engine
from sqlmodel import Session

from assistant.agent.runner import AgentRunner
from assistant.agent.scripted import ScriptedChatModel
from assistant.clock import FixedClock
from assistant.db import unit_of_work
from assistant.services.conversations import HISTORY_LIMIT, chat_page, load_setup, save_turn
from assistant.services.users import create_user
from assistant.settings import Settings


def new_user(engine: Engine) -> int:
    with unit_of_work(engine) as s:
        user = create_user(s, email=f"c-{uuid.uuid4().hex[:12]}@example.com", timezone="America/New_York")
        assert user.id is not None
        return user.id


async def say(runner: AgentRunner, uid: int, text: str) -> str:
    events = [e.to_dict() async for e in runner.run_turn(uid, text)]
    return str(next(e for e in events if e["type"] == "assistant_message")["text"])


async def test_the_model_sees_the_conversation_so_far_and_only_this_users(
    engine: Engine, db_url: str, clock: FixedClock
) -> None:
    alice, bob = new_user(engine), new_user(engine)
    model = ScriptedChatModel.of(["Noted, you want to save more.", "Bob's answer.", "Try cooking at home."])
    runner = AgentRunner(
        engine=engine, settings=Settings(database_url=db_url), clock=clock, model_factory=lambda i: model
    )

    assert await say(runner, alice, "I would like to save more this year") == "Noted, you want to save more."
    await say(runner, bob, "something only Bob said")
    await say(runner, alice, "so what would you suggest")

    shown = model.seen[-1]
    assert isinstance(shown[0], SystemMessage)
    assert [(type(m), m.content) for m in shown[1:]] == [
        (HumanMessage, "I would like to save more this year"),
        (AIMessage, "Noted, you want to save more."),
        (HumanMessage, "so what would you suggest"),
    ]


def test_the_context_keeps_the_last_messages_and_the_page_counts_them_all(engine: Engine, clock: FixedClock) -> None:
    uid = new_user(engine)
    for i in range(HISTORY_LIMIT):
        save_turn(engine, uid, f"t{i}", f"question {i}", f"answer {i}", [])
    save_turn(
        engine, uid, "last", "log 5 for coffee", "Logged $5.00.", [{"name": "log_expense", "args": {"amount": 5}}]
    )

    setup = load_setup(engine, uid, clock)
    assert len(setup.history) == HISTORY_LIMIT
    assert setup.history[-2:] == (("user", "log 5 for coffee"), ("assistant", "Logged $5.00."))
    assert (setup.last_tool, setup.last_args) == ("log_expense", {"amount": 5})

    with Session(engine) as session:
        rows, total = chat_page(session, uid, limit=3)
        older, _ = chat_page(session, uid, limit=2, before_id=rows[0].id)
    assert total == 2 * (HISTORY_LIMIT + 1)
    assert [r.content for r in rows] == ["answer 9", "log 5 for coffee", "Logged $5.00."]
    assert [r.content for r in older] == ["answer 8", "question 9"]
