"""Chat: a foreign amount with no rate is recorded, said to be left out, and the assistant asks for the rate."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from assistant.agent.runner import AgentRunner
from assistant.db import unit_of_work
from assistant.services.currency import set_rate
from assistant.services.users import get_user

from .test_agent_local import new_user, reply_of, runner, turn  # noqa: F401


async def test_a_euro_expense_without_a_rate_asks_for_one(runner: AgentRunner, engine: Engine) -> None:  # noqa: F811
    uid = new_user(engine)
    events = await turn(runner, uid, "spent 20 euros on a museum ticket")
    assert [e["name"] for e in events if e["type"] == "tool_call"] == ["log_expense"]
    result = next(e["result"] for e in events if e["type"] == "tool_result")
    assert result["transaction"]["currency"] == "EUR" and result["transaction"]["home_amount"] is None
    text = reply_of(events)
    assert "What's a euro worth in US dollars?" in text and "I'll remember it" in text
    with unit_of_work(engine) as s:
        set_rate(s, get_user(s, uid), "EUR", "1.10")
    again = reply_of(await turn(runner, uid, "spent 10 euros on a coffee"))
    assert "worth in" not in again
