# ruff: noqa: F811  (pytest fixtures imported from api_support are parameters here)
"""Refunds said in chat lower their category's spending (issue 13), and asking for one writes nothing."""

from __future__ import annotations

import datetime as dt

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.agent.chat_support import message, say, tool_calls
from tests.api_support import Account, alice, app, chat, client  # noqa: F401


def shopping_spent(client: TestClient, acct: Account, today: dt.date) -> str:
    span = {"start": (today - dt.timedelta(days=7)).isoformat(), "end": today.isoformat()}
    summary = client.get("/api/spending/summary", headers=acct.headers, params=span)
    assert summary.status_code == 200, summary.text
    rows = {r["category"]: r["amount"] for r in summary.json()["by_category"]}
    return str(rows.get("Shopping", "0.00"))


def test_a_refund_said_in_chat_lowers_its_categorys_spending(client: TestClient, alice: Account, app: FastAPI) -> None:
    today = app.state.clock.now().date()
    with chat(client, alice) as ws:
        assert tool_calls(say(ws, "spent 60 on headphones at Amazon")) == ["log_expense"]
        assert shopping_spent(client, alice, today) == "60.00"
        events = say(ws, "Amazon refunded me 35.99 for the headphones")
        assert tool_calls(events) == ["log_refund"]
        assert "35.99" in message(events)["text"] and "Shopping" in message(events)["text"]
        assert shopping_spent(client, alice, today) == "24.01"  # lowered, not counted as income
        me = client.get("/api/budgets/summary", headers=alice.headers).json()
        assert str(me.get("income", "0")) in ("0", "0.00")
        # Asking for a refund is not money back: nothing is written.
        events = say(ws, "can you get me a refund of 20 from amazon")
        assert tool_calls(events) == [] and "can't ask" in message(events)["text"]
        assert shopping_spent(client, alice, today) == "24.01"


def test_a_tax_refund_is_income_and_a_first_paycheck_is_not_an_outlier(client: TestClient, alice: Account) -> None:
    with chat(client, alice) as ws:
        for text in ("got 20 for babysitting", "sold a lamp for 15", "got 25 for mowing the lawn"):
            assert tool_calls(say(ws, text)) == ["log_income"]
        # Pay is judged against pay (none yet), not against three small side earnings: no question.
        assert tool_calls(say(ws, "paycheck came in, 2350")) == ["log_income"]
        # A tax refund is money owed to the user (income), not money back for a purchase. "Other
        # income" holds unlike things (gifts, sales, refunds): a large one among small side earnings
        # is ordinary there, so it is logged without a question.
        assert tool_calls(say(ws, "got a tax refund of 620")) == ["log_income"]
        # ... but past the absolute bound it is still asked about first, as income.
        events = say(ws, "got a tax refund of 62000")
        assert tool_calls(events) == [] and message(events)["confirm"]["action"]["name"] == "log_income"
