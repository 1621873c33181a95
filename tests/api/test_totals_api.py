# ruff: noqa: F811  (pytest fixtures imported from api_support are parameters here)
"""REST for totals you can trust: the home currency change, refunds, left-out amounts, rules."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api_support import Account, alice, app, bob, client  # noqa: F401


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


def test_rules_over_rest_categorise_an_import(client: TestClient, alice: Account) -> None:
    h = alice.headers
    r = client.post("/api/rules", json={"pattern": "Uber", "category": "Transport"}, headers=h)
    assert r.status_code == 201, r.text
    rule = r.json()
    assert rule["pattern"] == "Uber" and rule["category"] == "Transport"
    assert client.post("/api/rules", json={"pattern": "  ", "category": "Transport"}, headers=h).status_code == 422
    assert client.post("/api/rules", json={"pattern": "x", "category": "Nope"}, headers=h).status_code in (404, 422)
    listed = client.get("/api/rules", headers=h).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == rule["id"]
    csv = (
        "Date,Description,Amount\n"
        "2026-11-02,UBER *TRIP 8812,-14.20\n2026-11-03,Starbucks 1123,-5.10\n2026-11-03,Zorblax,-9\n"
    )
    report = client.post("/api/import", files={"file": ("bank.csv", csv, "text/csv")}, headers=h).json()
    assert report["imported"] == 3
    assert [(c["category"], c["how"], c["detail"]) for c in report["categorised"]] == [
        ("Transport", "rule", "Uber"),
        ("Dining", "recognised", "Starbucks"),
        ("Other", "default", ""),
    ]
    assert client.delete(f"/api/rules/{rule['id']}", headers=h).status_code == 204
    assert client.delete(f"/api/rules/{rule['id']}", headers=h).status_code == 404
    assert client.get("/api/rules", headers=h).json()["total"] == 0
