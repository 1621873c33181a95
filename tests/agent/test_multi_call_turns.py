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


def pairs(events: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(e["type"], e["name"]) for e in events if e["type"] in ("tool_call", "tool_result")]


async def test_the_local_engine_runs_both_expenses(engine: Engine, db_url: str, clock: FixedClock) -> None:
    uid = new_user(engine)
    runner = AgentRunner(
        engine=engine,
        settings=Settings(database_url=db_url, llm="local"),
        clock=clock,
        responder=LocalResponder(understand=two_expenses),
    )
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
