# ruff: noqa: F811  (pytest fixtures imported from api_support are parameters here)
"""Subscriptions, goals, the purchase check, the inbox, chat history and the dashboard."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from assistant.db import unit_of_work
from assistant.models import ChatMessage, Notification
from tests.api_support import Account, alice, app, bob, client  # noqa: F401


def test_subscriptions(client: TestClient, alice: Account) -> None:
    body = {"name": "Netflix", "amount": "15.49", "cadence": "monthly", "next_renewal": "2026-11-25"}
    r = client.post("/api/subscriptions", headers=alice.headers, json=body)
    assert r.status_code == 201, r.text
    sub = r.json()
    assert sub["amount"] == "15.49" and sub["days_until"] == 3 and sub["remind_days_before"] == 7
    assert sub["category"] == "Subscriptions"
    assert client.post("/api/subscriptions", headers=alice.headers, json=body).status_code == 409
    yearly = {"name": "Domain", "amount": 12, "cadence": "yearly", "next_renewal": "2027-06-01"}
    client.post("/api/subscriptions", headers=alice.headers, json=yearly)
    soon = client.get("/api/subscriptions", headers=alice.headers, params={"within_days": 7}).json()
    assert [s["name"] for s in soon["items"]] == ["Netflix"] and soon["total"] == 1
    assert client.get("/api/subscriptions", headers=alice.headers).json()["total"] == 2
    totals = client.get("/api/subscriptions/totals", headers=alice.headers).json()
    assert totals["monthly"] == "16.49"

    patched = client.patch(f"/api/subscriptions/{sub['id']}", headers=alice.headers, json={"amount": 17.99})
    assert patched.status_code == 200 and patched.json()["amount"] == "17.99"
    cancelled = client.patch(f"/api/subscriptions/{sub['id']}", headers=alice.headers, json={"active": False})
    assert cancelled.json()["active"] is False
    assert client.get("/api/subscriptions", headers=alice.headers).json()["total"] == 1
    everything = client.get("/api/subscriptions", headers=alice.headers, params={"include_cancelled": True})
    assert everything.json()["total"] == 2
    for bad in [
        {"name": "X", "amount": 5, "cadence": "daily"},
        {"name": "", "amount": 5},
        {"name": "Y", "amount": 5, "remind_days_before": 400},
        {"name": "Z", "amount": 5, "category": "Nope"},
    ]:
        assert client.post("/api/subscriptions", headers=alice.headers, json=bad).status_code == 422, bad
    assert client.delete(f"/api/subscriptions/{sub['id']}", headers=alice.headers).status_code == 204
    assert client.get(f"/api/subscriptions/{sub['id']}", headers=alice.headers).status_code == 404


def test_goals(client: TestClient, alice: Account) -> None:
    r = client.post(
        "/api/goals",
        headers=alice.headers,
        json={"name": "Japan trip", "target_amount": "3000", "target_date": "2027-11-22", "saved_amount": 600},
    )
    assert r.status_code == 201, r.text
    goal = r.json()
    assert goal["remaining"] == "2400.00" and goal["months_left"] == 12 and goal["monthly_needed"] == "200.00"
    more = client.post(f"/api/goals/{goal['id']}/contributions", headers=alice.headers, json={"amount": 400})
    assert more.json()["saved_amount"] == "1000.00"
    patched = client.patch(f"/api/goals/{goal['id']}", headers=alice.headers, json={"target_amount": 1000})
    assert patched.json()["reached"] is True
    listed = client.get("/api/goals", headers=alice.headers).json()
    assert listed["total"] == 1 and listed["items"][0]["name"] == "Japan trip"
    for bad in [{"name": "X", "target_amount": 0}, {"name": "X", "target_amount": 5, "target_date": "2020-01-01"}]:
        assert client.post("/api/goals", headers=alice.headers, json=bad).status_code == 422, bad
    assert client.delete(f"/api/goals/{goal['id']}", headers=alice.headers).status_code == 204
    assert client.get(f"/api/goals/{goal['id']}", headers=alice.headers).status_code == 404


def test_purchase_check_records_nothing(client: TestClient, alice: Account) -> None:
    client.put("/api/budgets/Entertainment", headers=alice.headers, json={"amount": 100})
    r = client.post(
        "/api/purchase-check",
        headers=alice.headers,
        json={"item": "PlayStation", "amount": 500, "category": "Entertainment"},
    )
    assert r.status_code == 200, r.text
    check = r.json()
    assert check["decision"] in {"wait", "dont_buy"} and check["fits_budget"] is False
    assert check["category"] == "Entertainment" and isinstance(check["alternatives"], list)
    small = client.post(
        "/api/purchase-check",
        headers=alice.headers,
        json={"item": "board game", "amount": "20", "category": "Entertainment"},
    ).json()
    assert small["fits_budget"] is True
    assert client.get("/api/transactions", headers=alice.headers).json()["total"] == 0
    assert (
        client.post("/api/purchase-check", headers=alice.headers, json={"item": "x", "amount": -1}).status_code == 422
    )


def _stored(engine: Engine, rows: list[Any]) -> None:
    """Rows the server made on its own (a reminder, a past chat), written straight to the database."""
    with unit_of_work(engine) as s:
        s.add_all(rows)


def test_notifications_inbox(client: TestClient, alice: Account, engine: Engine) -> None:
    uid = alice.user["id"]
    _stored(engine, [Notification(user_id=uid, kind="renewal_reminder", title=f"Renewal {i}",
                                  dedupe_key=f"test-{uid}-{i}", data={"n": i}) for i in range(3)])  # fmt: skip
    inbox = client.get("/api/notifications", headers=alice.headers).json()
    assert inbox["total"] == 3 and inbox["unread"] == 3
    first = inbox["items"][0]
    r = client.post(f"/api/notifications/{first['id']}/read", headers=alice.headers)
    assert r.status_code == 200 and r.json()["read"] is True
    unread = client.get("/api/notifications", headers=alice.headers, params={"unread_only": True}).json()
    assert unread["total"] == 2 and unread["unread"] == 2
    assert client.post("/api/notifications/999999999/read", headers=alice.headers).status_code == 404


def test_chat_history(client: TestClient, alice: Account, engine: Engine) -> None:
    uid = alice.user["id"]
    _stored(engine, [ChatMessage(user_id=uid, role="user" if i % 2 == 0 else "assistant", content=f"message {i}",
                                 turn_id=f"t{i // 2}") for i in range(5)])  # fmt: skip
    r = client.get("/api/chat/history", headers=alice.headers, params={"limit": 3}).json()
    assert r["total"] == 5
    assert [m["content"] for m in r["items"]] == ["message 2", "message 3", "message 4"]
    older = client.get(
        "/api/chat/history", headers=alice.headers, params={"limit": 3, "before_id": r["items"][0]["id"]}
    ).json()
    assert [m["content"] for m in older["items"]] == ["message 0", "message 1"]


def test_dashboard(client: TestClient, alice: Account) -> None:
    client.put("/api/budgets/Dining", headers=alice.headers, json={"amount": 150})
    for i in range(12):
        client.post(
            "/api/transactions",
            headers=alice.headers,
            json={"amount": 10 + i, "description": f"meal {i}", "category": "Dining"},
        )
    client.post(
        "/api/subscriptions",
        headers=alice.headers,
        json={"name": "Spotify", "amount": 11.99, "next_renewal": "2026-12-05"},
    )
    client.post(
        "/api/subscriptions",
        headers=alice.headers,
        json={"name": "Insurance", "amount": 400, "cadence": "yearly", "next_renewal": "2027-03-01"},
    )
    client.post("/api/goals", headers=alice.headers, json={"name": "Bike", "target_amount": 800})
    r = client.get("/api/dashboard", headers=alice.headers)
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["budget"]["total_spent"] == str(sum(10 + i for i in range(12))) + ".00"
    assert d["budget"]["overspent"] == ["Dining"]
    assert len(d["trend"]) == 6 and d["trend"][-1]["month"] == "2026-11"
    assert [s["name"] for s in d["upcoming_renewals"]] == ["Spotify"]
    assert len(d["recent_transactions"]) == 10
    assert [g["name"] for g in d["goals"]] == ["Bike"]
    assert d["tip"] and d["tip"] == client.get("/api/dashboard", headers=alice.headers).json()["tip"]
