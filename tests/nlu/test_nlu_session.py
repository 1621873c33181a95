"""A newcomer's session on the real runner and database: what issue 10 found wrong, now right.

Why through the runner: the engine's plan is only half of it; what a user notices is the ledger
afterwards (two rows for two expenses, none for a PIN, a 401k or a question).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine

from assistant.agent.runner import AgentRunner
from assistant.clock import FixedClock
from assistant.settings import Settings
from tests.agent.test_agent_local import calls_of, new_user, reply_of, rows, turn

WRITES = {
    "log_expense", "log_income", "set_budget", "add_subscription", "cancel_subscription", "delete_transaction",
    "update_transaction", "set_goal", "contribute_to_goal", "update_subscription", "set_exchange_rate", "move_budget",
    "set_monthly_income", "create_category",
}  # fmt: skip


@pytest.fixture
def runner(engine: Engine, db_url: str, clock: FixedClock) -> AgentRunner:
    return AgentRunner(engine=engine, settings=Settings(database_url=db_url, llm="local"), clock=clock)


async def test_a_newcomers_session(runner: AgentRunner, engine: Engine) -> None:
    uid = new_user(engine)
    said = {
        "set a goal of 5000 for my emergency fund": ["set_goal"],
        "put $200 toward my emergency fund": ["contribute_to_goal"],
        "add netflix 15.49 a month": ["add_subscription"],
        "Netflix went up to 17.99": ["update_subscription"],
        "1 euro is 1.08 dollars": ["set_exchange_rate"],
        "set my groceries budget to 400": ["set_budget"],
        "move 100 from groceries to dining": ["move_budget"],
        "I make 3200 a month": ["set_monthly_income"],
        "add a category called Pets": ["create_category"],
        "spent 8 on coffee and 42 on a haircut": ["log_expense", "log_expense"],
        "when is my netflix bill due": ["list_subscriptions"],
        "what was my last transaction": ["list_transactions"],
        "how am I doing": ["get_insights"],
        "can I afford headphones for 120?": ["check_purchase"],
        "and what about a $35 board game?": ["check_purchase"],
    }
    for text, want in said.items():
        events = await turn(runner, uid, text)
        assert calls_of(events) == want, (text, calls_of(events), reply_of(events))
        assert all(e["ok"] for e in events if e["type"] == "tool_result"), (text, events)
    assert [r.amount for r in rows(engine, uid)] == [Decimal("8.00"), Decimal("42.00")]  # both, and nothing else


@pytest.mark.parametrize(
    "text",
    [
        "i want 1234 to be my new pin",
        "i'd like to roll over my 401k",
        "book a table for 4 at 7",
        "show transaction 50205",
        "transfer 500 from checking to savings",
        "pay my phone bill",
        "when did my last paycheck come in?",
        "undo the last event on my calendar",
        "😀😀😀",
        "x" * 4000,
    ],
)
async def test_no_write_from_what_is_not_an_entry(runner: AgentRunner, engine: Engine, text: str) -> None:
    uid = new_user(engine)
    await turn(runner, uid, "spent 12 on lunch")  # something a wrong delete or edit could hit
    events = await turn(runner, uid, text)
    assert not [c for c in calls_of(events) if c in WRITES], (text, calls_of(events))
    assert reply_of(events)
    assert [r.amount for r in rows(engine, uid)] == [Decimal("12.00")]
