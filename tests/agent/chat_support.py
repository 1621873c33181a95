"""The chat tests' shared moves: over the WebSocket (``tests.api_support.chat`` opens one) say
something, answer a confirm, read the turn's events and the user's ledger; on the engine, a
committed user of its own and their transactions."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from assistant.db import unit_of_work
from assistant.models import Transaction
from assistant.services.users import create_user
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


def new_user(engine: Engine) -> int:
    with unit_of_work(engine) as s:
        user = create_user(s, email=f"a-{uuid.uuid4().hex[:12]}@example.com", timezone="America/New_York")
        assert user.id is not None
        return user.id


def rows(engine: Engine, user_id: int) -> list[Transaction]:
    with Session(engine) as s:
        return list(s.exec(select(Transaction).where(Transaction.user_id == user_id).order_by(col(Transaction.id))))
