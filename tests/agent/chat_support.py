"""The chat tests' shared moves over the WebSocket (``tests.api_support.chat`` opens one): say
something, answer a confirm, and read the turn's events and the user's ledger."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient

from tests.api_support import Account, until_end


def say(ws: Any, text: str) -> list[dict[str, Any]]:
    ws.send_json({"type": "user_message", "id": uuid.uuid4().hex[:8], "text": text})
    return until_end(ws)


def answer(ws: Any, confirm_id: str, yes_no: str) -> list[dict[str, Any]]:
    ws.send_json({"type": "confirm", "id": confirm_id, "answer": yes_no})
    return until_end(ws)


def message(events: list[dict[str, Any]]) -> dict[str, Any]:
    return next(e for e in events if e["type"] == "assistant_message")


def tool_calls(events: list[dict[str, Any]]) -> list[str]:
    return [e["name"] for e in events if e["type"] == "tool_call"]


def ledger(client: TestClient, account: Account) -> tuple[int, int]:
    """How many transactions and subscriptions the user has."""
    txs = client.get("/api/transactions", headers=account.headers).json()["total"]
    subs = client.get("/api/subscriptions", headers=account.headers).json()["total"]
    return int(txs), int(subs)
