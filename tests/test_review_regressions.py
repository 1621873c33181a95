# ruff: noqa: F811  (pytest fixtures imported from api_support are parameters here)
"""Regressions found in review: each test failed before its fix."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from assistant.clock import FixedClock
from assistant.db import unit_of_work
from assistant.errors import InvalidInput, NotFound
from assistant.models import User
from assistant.services.goals import goal_progress, set_goal
from assistant.services.spending import spending_summary
from assistant.services.transactions import get_transaction
from assistant.services.users import create_user
from tools import ToolContext, run_tool

from .api_support import Account, alice, app, client  # noqa: F401


def tool_ctx(engine: Engine, clock: FixedClock) -> ToolContext:
    with unit_of_work(engine) as s:
        user = create_user(s, email=f"r-{uuid.uuid4().hex[:12]}@example.com", timezone="America/New_York")
        assert user.id is not None
        uid = user.id
    return ToolContext(engine=engine, user_id=uid, clock=clock, timezone="America/New_York")


def test_goal_start_day_is_the_users_day(session: Session, clock: FixedClock) -> None:
    # 2026-11-22 17:00 UTC is already 2026-11-23 06:00 in Auckland: the goal starts today there,
    # so nothing is expected saved yet and an empty goal is on track (the UTC day said it was behind).
    user = create_user(session, email=f"nz-{uuid.uuid4().hex[:10]}@example.com", timezone="Pacific/Auckland")
    set_goal(session, user, name="Trip", target_amount="100", target_date="2026-11-25", clock=clock)
    (progress,) = goal_progress(session, user, clock=clock)
    assert progress.on_track is True


def test_spending_summary_near_the_start_of_the_calendar_is_refused(
    session: Session, user: User, clock: FixedClock
) -> None:
    with pytest.raises(InvalidInput):
        spending_summary(session, user, "0001-01-01", "0001-01-05", clock=clock)


def test_spending_summary_tool_with_year_one_is_an_error_result(engine: Engine, clock: FixedClock) -> None:
    ok, result = run_tool(tool_ctx(engine, clock), "spending_summary", {"start": "0001-01-01", "end": "0001-01-05"})
    assert not ok and result["error"]["code"] == "invalid"


def test_huge_transaction_id_is_not_found(session: Session, user: User) -> None:
    for tx_id in (2**31, 10**30, 0, -1):
        with pytest.raises(NotFound):
            get_transaction(session, user, tx_id)


@pytest.mark.parametrize("tool", ["update_transaction", "delete_transaction"])
def test_tools_with_a_huge_transaction_id_answer_not_found(engine: Engine, clock: FixedClock, tool: str) -> None:
    ctx = tool_ctx(engine, clock)
    ok, result = run_tool(ctx, tool, {"transaction_id": str(10**30), "amount": 5})
    assert not ok and result["error"]["code"] == "not_found"


def test_spending_summary_and_insights_over_rest(client: TestClient, alice: Account) -> None:
    # principle 5: the chat's spending_summary and get_insights tools have REST twins
    client.post(
        "/api/transactions",
        headers=alice.headers,
        json={"amount": "12.50", "description": "lunch", "category": "Dining", "date": "2026-11-20"},
    )
    r = client.get("/api/spending/summary", headers=alice.headers, params={"start": "2026-11-01", "end": "2026-11-30"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == "12.50" and body["by_category"][0]["category"] == "Dining"
    bad = client.get(
        "/api/spending/summary", headers=alice.headers, params={"start": "2026-12-01", "end": "2026-11-01"}
    )
    assert bad.status_code == 422
    early = client.get(
        "/api/spending/summary", headers=alice.headers, params={"start": "0001-01-01", "end": "0001-01-02"}
    )
    assert early.status_code == 422
    r = client.get("/api/insights", headers=alice.headers, params={"month": "2026-11"})
    assert r.status_code == 200 and r.json()["month"] == "2026-11"
    assert client.get("/api/insights", headers=alice.headers, params={"month": "2026-00"}).status_code == 422


def test_category_in_use_keeps_its_kind(client: TestClient, alice: Account) -> None:
    # an expense category with expenses (or a budget) flipped to income broke the kind invariant
    cats = client.get("/api/categories", headers=alice.headers, params={"limit": 500}).json()["items"]
    dining = next(c for c in cats if c["name"] == "Dining")
    r = client.post(
        "/api/transactions", headers=alice.headers, json={"amount": 9, "description": "x", "category": "Dining"}
    )
    assert r.status_code == 201
    r = client.patch(f"/api/categories/{dining['id']}", headers=alice.headers, json={"kind": "income"})
    assert r.status_code == 409, r.text
    assert client.get("/api/categories?kind=income", headers=alice.headers).json()["total"] == 2
    travel = next(c for c in cats if c["name"] == "Travel")
    assert client.put("/api/budgets/Travel", headers=alice.headers, json={"amount": 100}).status_code == 200
    assert (
        client.patch(f"/api/categories/{travel['id']}", headers=alice.headers, json={"kind": "income"}).status_code
        == 409
    )
    r = client.post("/api/categories", headers=alice.headers, json={"name": "Refunds", "necessity_score": 5})
    unused = r.json()
    r = client.patch(f"/api/categories/{unused['id']}", headers=alice.headers, json={"kind": "income"})
    assert r.status_code == 200 and r.json()["kind"] == "income"


def test_renewal_dates_far_ahead_are_refused(session: Session, user: User, clock: FixedClock) -> None:
    """9999-12-31 would overflow when the renewal moves on; it is refused with a clear error."""
    from assistant.services.subscriptions import add_subscription, update_subscription

    with pytest.raises(InvalidInput):
        add_subscription(session, user, name="Forever", amount="5", next_renewal="9999-12-31", clock=clock)
    sub = add_subscription(session, user, name="Soon", amount="5", next_renewal="2027-01-05", clock=clock)
    assert sub.id is not None
    with pytest.raises(InvalidInput):
        update_subscription(session, user, sub.id, next_renewal="9999-12-31", clock=clock)
