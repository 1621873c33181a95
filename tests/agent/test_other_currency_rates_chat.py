# ruff: noqa: F811  (pytest fixtures imported from api_support are parameters here)
"""A rate said with a worked example after it is the rate the statement gives, so amounts in that currency
are judged at it (round 45: "1 KRW = 0.00075 USD (so 1000 won is 75 cents)" saved 0.75, and every won
amount after it was held as "far more than you usually spend"); a bare new amount for a foreign entry is
in the entry's own currency."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.agent.chat_support import message, say, tool_calls
from tests.api_support import Account, alice, app, chat, client  # noqa: F401


def test_won_amounts_run_at_the_stated_rate_and_an_update_keeps_won(client: TestClient, alice: Account) -> None:
    with chat(client, alice) as ws:
        events = say(ws, "set the won rate please: 1 KRW = 0.00075 USD (so 10000 won is 7.50)")
        assert tool_calls(events) == ["set_exchange_rate"]
        assert "0.00075" in message(events)["text"]
        for text in ("groceries at Lotte Mart 54,000 won", "bibimbap for lunch 9,000원", "taxi 12,500 won"):
            events = say(ws, text)
            assert tool_calls(events) == ["log_expense"], message(events)["text"]
            assert "far more" not in message(events)["text"]
        events = say(ws, "oops, that taxi was actually 13,200")
        assert tool_calls(events) == ["update_transaction"], message(events)["text"]
        assert "far more" not in message(events)["text"]
