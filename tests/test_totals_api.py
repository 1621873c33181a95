# ruff: noqa: F811  (pytest fixtures imported from api_support are parameters here)
"""REST for totals you can trust: the home currency change, refunds, left-out amounts, rules."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .api_support import Account, alice, app, bob, client  # noqa: F401


def test_left_out_amounts_are_said_and_the_home_currency_change_converts(client: TestClient, alice: Account) -> None:
    h = alice.headers
    assert (
        client.post(
            "/api/transactions", json={"amount": "20", "currency": "EUR", "description": "museum"}, headers=h
        ).status_code
        == 201
    )
    assert (
        client.post(
            "/api/transactions", json={"amount": "10", "description": "lunch", "category": "Dining"}, headers=h
        ).status_code
        == 201
    )
    summary = client.get("/api/budgets/summary", headers=h).json()
    assert summary["total_expenses"] in ("10.00", 10.0, "10")
    assert summary["left_out"] == [{"currency": "EUR", "count": 1, "amount": "20.00"}]
    assert "1 transaction in EUR" in summary["note"]
    r = client.post("/api/me/currency", json={"currency": "EUR", "rate": "0.5"}, headers=h)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["new_currency"] == "EUR" and body["pending"] == 0 and "1 USD = 0.5 EUR" in body["message"]
    summary = client.get("/api/budgets/summary", headers=h).json()
    assert summary["currency"] == "EUR" and summary["left_out"] == []
    assert str(summary["total_expenses"]) in ("25.00", "25.0")
    assert client.post("/api/me/currency", json={"currency": "EUR", "rate": "-1"}, headers=h).status_code == 422


def test_a_refund_over_rest_lowers_spending(client: TestClient, bob: Account) -> None:
    h = bob.headers
    client.post("/api/transactions", json={"amount": "50", "description": "jacket", "category": "Shopping"}, headers=h)
    r = client.post(
        "/api/transactions",
        json={"kind": "refund", "amount": "20", "description": "jacket", "category": "Shopping"},
        headers=h,
    )
    assert r.status_code == 201, r.text
    summary = client.get("/api/budgets/summary", headers=h).json()
    assert str(summary["total_expenses"]) in ("30.00", "30.0") and str(summary["income"]) in ("0.00", "0.0", "0")
