"""Tools: regressions found in review, each failed before its fix."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.engine import Engine

from assistant.clock import FixedClock
from assistant.db import unit_of_work
from assistant.services.users import create_user
from tests.api_support import Account, alice, app, client  # noqa: F401
from tools import ToolContext, run_tool


def tool_ctx(engine: Engine, clock: FixedClock) -> ToolContext:
    with unit_of_work(engine) as s:
        user = create_user(s, email=f"r-{uuid.uuid4().hex[:12]}@example.com", timezone="America/New_York")
        assert user.id is not None
        uid = user.id
    return ToolContext(engine=engine, user_id=uid, clock=clock, timezone="America/New_York")


def test_spending_summary_tool_with_year_one_is_an_error_result(engine: Engine, clock: FixedClock) -> None:
    ok, result = run_tool(tool_ctx(engine, clock), "spending_summary", {"start": "0001-01-01", "end": "0001-01-05"})
    assert not ok and result["error"]["code"] == "invalid"


@pytest.mark.parametrize("tool", ["update_transaction", "delete_transaction"])
def test_tools_with_a_huge_transaction_id_answer_not_found(engine: Engine, clock: FixedClock, tool: str) -> None:
    ctx = tool_ctx(engine, clock)
    ok, result = run_tool(ctx, tool, {"transaction_id": str(10**30), "amount": 5})
    assert not ok and result["error"]["code"] == "not_found"
