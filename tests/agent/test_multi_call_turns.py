"""Several tool calls in one turn ("8 on coffee and 42 on a haircut"): every call runs and is reported.

The understanding that splits a message is the engine's; these tests give the runner two
``log_expense`` calls in one turn, from the local engine and from a provider, and check that both
run (two rows), that the events pair each ``tool_call`` with its ``tool_result`` in order, and
that the local reply states both amounts and their sum.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from langchain_core.messages import AIMessage
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from assistant.agent.responders import LocalResponder
from assistant.agent.runner import AgentRunner
from assistant.agent.scripted import ScriptedChatModel
from assistant.clock import FixedClock
from assistant.models import ChatMessage, Transaction
from assistant.settings import Settings

from .test_agent_local import new_user, reply_of, turn

TWO = [
    {"name": "log_expense", "args": {"amount": "8", "description": "coffee", "category": "Dining"}},
    {"name": "log_expense", "args": {"amount": "42", "description": "haircut", "category": "Personal care"}},
]


def two_expenses(text: str, ctx: Any) -> Any:
    """The local engine's reading of every message: the two expenses above."""
    calls = [SimpleNamespace(name=c["name"], args=c["args"]) for c in TWO]
    return SimpleNamespace(calls=calls, confidence=1.0, reply=None)


def amounts(engine: Engine, user_id: int) -> list[str]:
    with Session(engine) as s:
        rows = s.exec(select(Transaction).where(Transaction.user_id == user_id).order_by(col(Transaction.id)))
        return [str(t.amount) for t in rows]


def two_expense_runner(
    engine: Engine, db_url: str, clock: FixedClock, responder: type[LocalResponder] = LocalResponder
) -> AgentRunner:
    """A local-engine runner whose ``responder`` reads every message as two expenses (8 and 42)."""
    settings = Settings(database_url=db_url, llm="local")
    return AgentRunner(engine=engine, settings=settings, clock=clock, responder=responder(understand=two_expenses))


def pairs(events: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(e["type"], e["name"]) for e in events if e["type"] in ("tool_call", "tool_result")]


async def test_the_local_engine_runs_both_expenses(engine: Engine, db_url: str, clock: FixedClock) -> None:
    uid = new_user(engine)
    runner = two_expense_runner(engine, db_url, clock)
    events = await turn(runner, uid, "spent 8 on coffee and 42 on a haircut")
    assert pairs(events) == [("tool_call", "log_expense"), ("tool_result", "log_expense")] * 2
    assert all(e["ok"] for e in events if e["type"] == "tool_result")
    assert amounts(engine, uid) == ["8.00", "42.00"]
    text = reply_of(events)
    assert "$8.00" in text and "$42.00" in text and "$50.00" in text, text
    with Session(engine) as s:
        stored = s.exec(select(ChatMessage).where(ChatMessage.user_id == uid, ChatMessage.role == "assistant")).one()
        assert [c["args"]["amount"] for c in stored.tool_calls] == ["8", "42"]


async def test_a_provider_may_call_a_tool_twice(engine: Engine, db_url: str, clock: FixedClock) -> None:
    uid = new_user(engine)
    calls = [{**c, "id": f"call_{i}", "type": "tool_call"} for i, c in enumerate(TWO)]
    script = ScriptedChatModel.of([AIMessage(content="", tool_calls=calls), "Logged both: $8.00 and $42.00."])
    runner = AgentRunner(
        engine=engine, settings=Settings(database_url=db_url), clock=clock, model_factory=lambda info: script
    )
    events = await turn(runner, uid, "spent 8 on coffee and 42 on a haircut")
    assert pairs(events) == [("tool_call", "log_expense"), ("tool_result", "log_expense")] * 2
    assert amounts(engine, uid) == ["8.00", "42.00"]
    results = [e["result"]["transaction"]["amount"] for e in events if e["type"] == "tool_result"]
    assert results == ["8.00", "42.00"] and reply_of(events) == "Logged both: $8.00 and $42.00."


def chat_rows(engine: Engine, user_id: int) -> list[str]:
    with Session(engine) as s:
        rows = s.exec(select(ChatMessage).where(ChatMessage.user_id == user_id).order_by(col(ChatMessage.id)))
        return [m.role for m in rows]


async def test_a_write_turn_stores_its_write_and_its_chat_in_one_commit(
    engine: Engine, db_url: str, clock: FixedClock
) -> None:
    """One durable commit per write turn: the last call's transaction takes the chat rows too
    (the first of two calls still commits on its own, before the second starts)."""
    uid = new_user(engine)
    runner = AgentRunner(engine=engine, settings=Settings(database_url=db_url, llm="local"), clock=clock)
    commits: list[int] = []
    listener = lambda conn: commits.append(1)  # noqa: E731
    event.listen(engine, "commit", listener)
    try:
        events = await turn(runner, uid, "spent 5 on coffee")
        one = len(commits)
        two_runner = two_expense_runner(engine, db_url, clock)
        await turn(two_runner, uid, "spent 8 on coffee and 42 on a haircut")
    finally:
        event.remove(engine, "commit", listener)
    assert [e["ok"] for e in events if e["type"] == "tool_result"] == [True]
    assert one == 1 and len(commits) == 3
    assert amounts(engine, uid) == ["5.00", "8.00", "42.00"]
    assert chat_rows(engine, uid) == ["user", "assistant"] * 2


class ReplyFails(LocalResponder):
    """The local engine whose reply step breaks after its tools ran."""

    def next_step(self, turn: Any) -> Any:
        if turn.rounds:
            raise RuntimeError("the reply broke")
        return super().next_step(turn)


async def test_a_turn_that_fails_after_its_write_keeps_the_write_and_the_chat(
    engine: Engine, db_url: str, clock: FixedClock
) -> None:
    uid = new_user(engine)
    runner = two_expense_runner(engine, db_url, clock, ReplyFails)
    events = await turn(runner, uid, "spent 8 on coffee and 42 on a haircut")
    assert [e["type"] for e in events][-2:] == ["error", "turn_end"]
    assert amounts(engine, uid) == ["8.00", "42.00"]
    assert chat_rows(engine, uid) == ["user", "assistant"]
