# ruff: noqa: F811  (pytest fixtures imported from api_support are parameters here)
"""One user never sees or touches another's objects: 404 on every verb, over REST and chat."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from langchain_core.messages import AIMessage
from sqlalchemy.engine import Engine

from assistant.agent.runner import AgentRunner
from assistant.agent.scripted import ScriptedChatModel
from assistant.db import unit_of_work
from assistant.models import Notification
from tests.api_support import Account, alice, app, bob, chat, client, until_end  # noqa: F401


@pytest.fixture
def alices_things(client: TestClient, alice: Account, engine: Engine) -> dict[str, Any]:
    h = alice.headers
    tx = client.post("/api/transactions", headers=h, json={"amount": "42.00", "description": "Secret dinner"}).json()
    sub = client.post("/api/subscriptions", headers=h, json={"name": "Private Gym", "amount": 30}).json()
    goal = client.post("/api/goals", headers=h, json={"name": "Surprise", "target_amount": 500}).json()
    cat = client.post("/api/categories", headers=h, json={"name": "Hobbies"}).json()
    with unit_of_work(engine) as s:
        note = Notification(
            user_id=alice.user["id"], kind="budget_alert", title="Dining at 90%", dedupe_key=f"iso-{alice.user['id']}"
        )
        s.add(note)
        s.flush()
        note_id = note.id
    return {"tx": tx, "sub": sub, "goal": goal, "cat": cat, "note_id": note_id}


def snapshot(client: TestClient, acct: Account) -> dict[str, Any]:
    h = acct.headers
    return {
        path: client.get(path, headers=h).json()
        for path in ["/api/transactions", "/api/subscriptions", "/api/goals", "/api/categories", "/api/notifications"]
    }


def test_rest_answers_404_for_another_users_objects(
    client: TestClient, alice: Account, bob: Account, alices_things: dict[str, Any]
) -> None:
    before = snapshot(client, alice)
    t = alices_things
    attempts = [
        ("GET", f"/api/transactions/{t['tx']['id']}", None),
        ("PATCH", f"/api/transactions/{t['tx']['id']}", {"amount": 1}),
        ("DELETE", f"/api/transactions/{t['tx']['id']}", None),
        ("GET", f"/api/subscriptions/{t['sub']['id']}", None),
        ("PATCH", f"/api/subscriptions/{t['sub']['id']}", {"active": False}),
        ("DELETE", f"/api/subscriptions/{t['sub']['id']}", None),
        ("GET", f"/api/goals/{t['goal']['id']}", None),
        ("PATCH", f"/api/goals/{t['goal']['id']}", {"saved_amount": 499}),
        ("POST", f"/api/goals/{t['goal']['id']}/contributions", {"amount": 5}),
        ("DELETE", f"/api/goals/{t['goal']['id']}", None),
        ("PATCH", f"/api/categories/{t['cat']['id']}", {"name": "Mine now"}),
        ("POST", f"/api/notifications/{t['note_id']}/read", None),
    ]
    for method, path, body in attempts:
        r = client.request(method, path, headers=bob.headers, json=body)
        assert r.status_code == 404, (method, path, r.status_code)
    # Bob's lists hold nothing of Alice's, and her things are exactly as they were.
    bobs = snapshot(client, bob)
    assert bobs["/api/transactions"]["total"] == 0 and bobs["/api/subscriptions"]["total"] == 0
    assert bobs["/api/goals"]["total"] == 0 and bobs["/api/notifications"]["total"] == 0
    assert "Hobbies" not in {c["name"] for c in bobs["/api/categories"]["items"]}
    assert snapshot(client, alice) == before


def run_turn(client: TestClient, acct: Account, text: str) -> list[dict[str, Any]]:
    with chat(client, acct) as ws:
        ws.send_json({"type": "user_message", "id": uuid.uuid4().hex, "text": text})
        return until_end(ws)


def test_chat_cannot_touch_another_users_objects(
    client: TestClient, app: FastAPI, alice: Account, bob: Account, alices_things: dict[str, Any]
) -> None:
    before = snapshot(client, alice)
    tx_id = alices_things["tx"]["id"]
    # The local engine, asked in words.
    for text in [f"delete transaction {tx_id}", f"change transaction {tx_id} to 1 dollar", "cancel Private Gym"]:
        events = run_turn(client, bob, text)
        assert events[0]["type"] == "turn_start" and events[-1]["type"] == "turn_end"
        touching = {"delete_transaction", "update_transaction", "cancel_subscription"}
        assert not any(e["ok"] for e in events if e["type"] == "tool_result" and e["name"] in touching)
    # A hostile model that names Alice's ids outright.
    hostile = [
        AIMessage(
            content="",
            tool_calls=[
                {"name": "delete_transaction", "args": {"transaction_id": tx_id}, "id": "c1"},
                {"name": "update_transaction", "args": {"transaction_id": str(tx_id), "amount": "1"}, "id": "c2"},
                {"name": "cancel_subscription", "args": {"name": "Private Gym"}, "id": "c3"},
                {"name": "goal_progress", "args": {"name": "Surprise"}, "id": "c4"},
            ],
        ),
        "Done.",
    ]
    app.state.runner = AgentRunner(
        engine=app.state.engine,
        settings=app.state.settings,
        clock=app.state.clock,
        model_factory=lambda _info: ScriptedChatModel.of(hostile),
    )
    events = run_turn(client, bob, "do it")
    results = [e for e in events if e["type"] == "tool_result"]
    # the writes on Alice's things never reach a tool (the write-safety policy answers that Bob has
    # no such transaction or subscription); the read runs and finds nothing of hers
    assert [r["name"] for r in results] == ["goal_progress"] and not results[0]["ok"]
    reply = next(e for e in events if e["type"] == "assistant_message")["text"]
    assert f"You don't have a transaction #{tx_id}" in reply and "Private Gym" in reply
    assert snapshot(client, alice) == before
