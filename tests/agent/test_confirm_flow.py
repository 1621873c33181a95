# ruff: noqa: F811  (pytest fixtures imported from api_support are parameters here)
"""The contract's confirm: an unsure write asks first, a yes runs it once, a no, another message or
time drops it; a malformed confirm is refused."""

from __future__ import annotations

import datetime as dt

from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.clock import FixedClock
from tests.agent.chat_support import answer, ledger, message, say, tool_calls
from tests.api_support import Account, alice, app, chat, client  # noqa: F401

WRITES = {"log_expense", "log_income", "add_subscription", "cancel_subscription", "delete_transaction", "set_goal"}


def test_unsure_write_asks_and_yes_runs_it_once(client: TestClient, alice: Account) -> None:
    with chat(client, alice) as ws:
        events = say(ws, "I spent 100")
        assert tool_calls(events) == []
        confirm = message(events)["confirm"]
        assert confirm["action"]["name"] == "log_expense" and confirm["action"]["args"]["amount"] == "100.00"
        assert confirm["text"] == "Log $100.00 under Other?" and confirm["text"] in message(events)["text"]
        assert ledger(client, alice) == (0, 0)

        events = answer(ws, confirm["id"], "yes")
        assert events[0] == {"type": "turn_start", "turn_id": events[0]["turn_id"], "reply_to": confirm["id"]}
        assert [e["type"] for e in events] == [
            "turn_start",
            "tool_call",
            "tool_result",
            "assistant_message",
            "turn_end",
        ]
        assert events[2]["ok"] is True and "$100.00" in message(events)["text"]
        assert ledger(client, alice) == (1, 0)

        events = answer(ws, confirm["id"], "yes")  # a double yes writes nothing more
        assert tool_calls(events) == [] and "Nothing is waiting" in message(events)["text"]
        events = say(ws, "yes")
        assert not set(tool_calls(events)) & WRITES
        assert ledger(client, alice) == (1, 0)


def test_a_sure_entry_nothing_files_is_logged_under_other_at_once(client: TestClient, alice: Account) -> None:
    """The thing bought is said, the money is money, nothing files it: logged under Other, and the reply
    says so; income from a gig app is logged too. Someone else's money, a plan and "I spent 100" are not."""
    with chat(client, alice) as ws:
        events = say(ws, "bought a replacement doorbell for the rental 64")
        assert tool_calls(events) == ["log_expense"] and "confirm" not in message(events)
        assert "Other" in message(events)["text"] and "$64.00" in message(events)["text"]
        assert ledger(client, alice) == (1, 0)
        events = say(ws, "made 120 on doordash tonight")
        assert tool_calls(events) == ["log_income"] and "confirm" not in message(events)
        assert ledger(client, alice) == (2, 0)
        for text in (
            "a guy at the hardware store paid 20 for a doorbell",
            "planning on 250 for the new doorbell",
            "invest my extra 300 from doordash tips",
        ):
            events = say(ws, text)
            assert not set(tool_calls(events)) & WRITES and "confirm" not in message(events), text
        events = say(ws, "I spent 100")  # on what? asked, not written
        assert tool_calls(events) == [] and message(events)["confirm"]["text"] == "Log $100.00 under Other?"
        assert ledger(client, alice) == (2, 0)


def test_typed_yes_and_no_answer_the_confirmation(client: TestClient, alice: Account) -> None:
    with chat(client, alice) as ws:
        assert "confirm" in message(say(ws, "I spent 100"))
        events = say(ws, "Yes please")
        assert tool_calls(events) == ["log_expense"]
        assert ledger(client, alice) == (1, 0)

        confirm = message(say(ws, "I spent 70"))["confirm"]
        events = say(ws, "no")
        assert tool_calls(events) == [] and "won't" in message(events)["text"]
        assert answer(ws, confirm["id"], "yes") and ledger(client, alice) == (1, 0)  # no comes first: gone

        confirm = message(say(ws, "I spent 40"))["confirm"]
        assert tool_calls(answer(ws, confirm["id"], "no")) == []
        assert ledger(client, alice) == (1, 0)


def test_another_message_drops_the_confirmation(client: TestClient, alice: Account) -> None:
    with chat(client, alice) as ws:
        confirm = message(say(ws, "I spent 100"))["confirm"]
        events = say(ws, "how much did I spend this month?")
        assert tool_calls(events) == ["spending_summary"]
        assert tool_calls(answer(ws, confirm["id"], "yes")) == []
        assert tool_calls(say(ws, "yes")) == []
        assert ledger(client, alice) == (0, 0)


def test_a_confirmation_expires(client: TestClient, alice: Account, clock: FixedClock) -> None:
    with chat(client, alice) as ws:
        confirm = message(say(ws, "I spent 100"))["confirm"]
        clock.advance(minutes=6)
        events = answer(ws, confirm["id"], "yes")
        assert tool_calls(events) == [] and "expired" in message(events)["text"]
        assert ledger(client, alice) == (0, 0)


def test_a_confirm_message_must_be_well_formed(client: TestClient, alice: Account) -> None:
    with chat(client, alice) as ws:
        for bad in (
            {"type": "confirm"},
            {"type": "confirm", "id": "x", "answer": "maybe"},
            {"type": "confirm", "id": 5},
        ):
            ws.send_json(bad)
            event = ws.receive_json()
            assert event["type"] == "error" and event["code"] == "bad_request"


def test_an_amount_far_outside_the_users_history_is_confirmed(client: TestClient, alice: Account, app: FastAPI) -> None:
    today = app.state.clock.now().date()
    amounts = ("42.10", "55.00", "61.30", "48.00", "39.90", "52.75", "44.00", "58.20", "47.15", "50.60")
    for i, amount in enumerate(amounts):  # ten grocery runs: enough history to judge by
        day = (today - dt.timedelta(days=3 + i * 7)).isoformat()
        body = {"kind": "expense", "amount": amount, "description": "groceries", "category": "Groceries", "date": day}
        assert client.post("/api/transactions", headers=alice.headers, json=body).status_code == 201
    with chat(client, alice) as ws:
        events = say(ws, "spent 900 on groceries")
        assert tool_calls(events) == [] and "far more than you usually" in message(events)["text"]
        assert message(events)["confirm"]["action"]["args"]["category"] == "Groceries"
        assert tool_calls(say(ws, "spent 60 on groceries")) == ["log_expense"]  # normal: no question
        events = say(ws, "I spent 7000 on a new roof")  # no history there: the absolute bound
        assert tool_calls(events) == [] and "confirm" in message(events)
        assert ledger(client, alice) == (11, 0)
