# ruff: noqa: F811  (pytest fixtures imported from api_support are parameters here)
"""Transactions, budgets, export and import over REST: happy paths and refusals."""

from __future__ import annotations

import csv
import io
import json

from fastapi.testclient import TestClient

from tests.api_support import Account, alice, app, client  # noqa: F401


def add(client: TestClient, acct: Account, **body: object) -> dict:
    r = client.post("/api/transactions", headers=acct.headers, json={"description": "x", **body})
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_transaction_lifecycle(client: TestClient, alice: Account) -> None:
    tx = add(client, alice, amount="12.5", description="Lunch", category="dining", merchant="Chipotle")
    # Money goes out as an exact decimal string; today is the user's (New York) date.
    assert tx["amount"] == "12.50" and tx["category"] == "Dining" and tx["date"] == "2026-11-22"
    assert tx["kind"] == "expense" and tx["currency"] == "USD" and tx["source"] == "ui"
    as_number = add(client, alice, amount=0.1, description="gum", date="2026-11-20")
    assert as_number["amount"] == "0.10" and as_number["category"] == "Other"

    got = client.get(f"/api/transactions/{tx['id']}", headers=alice.headers)
    assert got.status_code == 200 and got.json() == tx
    patched = client.patch(
        f"/api/transactions/{tx['id']}", headers=alice.headers, json={"amount": "15", "category": "Groceries"}
    ).json()
    assert patched["amount"] == "15.00" and patched["category"] == "Groceries"
    assert patched["description"] == "Lunch"
    # The correction taught the merchant memory.
    again = add(client, alice, amount=9, description="burrito", merchant="Chipotle")
    assert again["category"] == "Groceries"

    assert client.delete(f"/api/transactions/{tx['id']}", headers=alice.headers).status_code == 204
    assert client.get(f"/api/transactions/{tx['id']}", headers=alice.headers).status_code == 404
    assert client.delete(f"/api/transactions/{tx['id']}", headers=alice.headers).status_code == 404


def test_transaction_refusals_write_nothing(client: TestClient, alice: Account) -> None:
    bad_bodies = [
        {"amount": 0},
        {"amount": -5},
        {"amount": "abc"},
        {"amount": "1000000.01"},
        {"amount": True},
        {"amount": 5, "kind": "transfer"},
        {"amount": 5, "date": "2026-02-30"},
        {"amount": 5, "date": "1800-01-01"},
        {"amount": 5, "category": "Nonexistent stuff"},
        {"amount": 5, "category": "Salary"},  # an income category for an expense
        {"amount": 5, "currency": "ZZZ"},
        {"amount": 5, "description": "d" * 501},
        {"description": "no amount"},
    ]
    for body in bad_bodies:
        r = client.post("/api/transactions", headers=alice.headers, json=body)
        assert r.status_code == 422, body
        assert isinstance(r.json()["detail"], list) and r.json()["detail"][0]["msg"]
    assert client.get("/api/transactions", headers=alice.headers).json()["total"] == 0
    tx = add(client, alice, amount=5)
    r = client.patch(f"/api/transactions/{tx['id']}", headers=alice.headers, json={"amount": 7, "category": "Nope"})
    assert r.status_code == 422
    assert client.get(f"/api/transactions/{tx['id']}", headers=alice.headers).json()["amount"] == "5.00"


def test_transaction_filters_and_paging(client: TestClient, alice: Account) -> None:
    add(client, alice, amount=10, description="Groceries at Trader Joe's", category="Groceries", date="2026-11-01")
    add(client, alice, amount=20, description="Cinema", category="Entertainment", date="2026-11-10")
    add(client, alice, amount=3000, description="Paycheck", kind="income", category="Salary", date="2026-11-15")
    add(client, alice, amount=30, description="Dinner", category="Dining", date="2026-10-30")

    def listed(**params: object) -> dict:
        r = client.get("/api/transactions", headers=alice.headers, params=params)
        assert r.status_code == 200, r.text
        return dict(r.json())

    everything = listed()
    assert everything["total"] == 4
    assert [t["date"] for t in everything["items"]] == ["2026-11-15", "2026-11-10", "2026-11-01", "2026-10-30"]
    assert listed(start="2026-11-01", end="2026-11-30")["total"] == 3
    assert listed(kind="income")["items"][0]["amount"] == "3000.00"
    assert listed(category="groceries")["total"] == 1
    assert listed(q="trader")["total"] == 1
    page = listed(limit=2, offset=1)
    assert page["total"] == 4 and [t["description"] for t in page["items"]] == ["Cinema", "Groceries at Trader Joe's"]
    for params in [{"start": "2026-12-01", "end": "2026-11-01"}, {"category": "Unknown"}, {"kind": "gift"}]:
        assert client.get("/api/transactions", headers=alice.headers, params=params).status_code == 422


def test_budgets(client: TestClient, alice: Account) -> None:
    add(client, alice, amount="250", description="Supermarket", category="Groceries")
    r = client.put("/api/budgets/Groceries", headers=alice.headers, json={"amount": 300})
    assert r.status_code == 200
    assert r.json()["amount"] == "300.00" and r.json()["standing"] is True
    r = client.put("/api/budgets/Gifts%20%26%20Donations", headers=alice.headers, json={"amount": "50"})
    assert r.status_code == 200 and r.json()["category"] == "Gifts & Donations"
    summary = client.get("/api/budgets/summary", headers=alice.headers).json()
    assert summary["month"] == "2026-11" and summary["currency"] == "USD"
    assert summary["total_budget"] == "350.00" and summary["total_spent"] == "250.00"
    groceries = next(c for c in summary["categories"] if c["category"] == "Groceries")
    assert groceries["remaining"] == "50.00" and groceries["status"] == "warning"
    assert summary["overspent"] == []
    december = client.get("/api/budgets/summary", headers=alice.headers, params={"month": "2026-12"}).json()
    assert december["total_budget"] == "350.00" and december["total_spent"] == "0.00"
    one_month = client.put("/api/budgets/Dining", headers=alice.headers, json={"amount": 80, "month": "2026-12"})
    assert one_month.json()["standing"] is False
    assert client.delete("/api/budgets/Dining", headers=alice.headers, params={"month": "2026-12"}).status_code == 200
    assert client.delete("/api/budgets/Dining", headers=alice.headers).status_code == 404
    for path, body in [
        ("/api/budgets/Nope", {"amount": 10}),
        ("/api/budgets/Salary", {"amount": 10}),
        ("/api/budgets/Dining", {"amount": 0}),
        ("/api/budgets/Dining", {"amount": 5, "month": "2026-13"}),
    ]:
        assert client.put(path, headers=alice.headers, json=body).status_code == 422, (path, body)
    assert client.get("/api/budgets/summary", headers=alice.headers, params={"month": "26-1"}).status_code == 422


def test_export_and_import_round_trip(client: TestClient, alice: Account) -> None:
    add(client, alice, amount="4.75", description="Coffee, large", category="Dining", date="2026-11-02")
    add(client, alice, amount="1200", description="Salary", kind="income", category="Salary", date="2026-11-01")
    r = client.get("/api/export", headers=alice.headers, params={"format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 2 and {row["amount"] for row in rows} == {"4.75", "1200.00"}
    as_json = client.get("/api/export", headers=alice.headers, params={"format": "json"})
    assert as_json.headers["content-type"].startswith("application/json")
    assert {t["amount"] for t in json.loads(as_json.text)} == {"4.75", "1200.00"}
    assert client.get("/api/export", headers=alice.headers, params={"format": "xml"}).status_code == 422

    # Importing the export again finds only duplicates.
    report = client.post("/api/import", headers=alice.headers, files={"file": ("e.csv", r.content, "text/csv")})
    assert report.status_code == 200, report.text
    assert report.json()["imported"] == 0 and len(report.json()["duplicates"]) == 2

    bank = "Posted,Payee,Debit\n2026-11-05,Corner shop,7.20\n2026-11-06,Bakery,3.10\n"
    mapping = json.dumps({"date": "Posted", "description": "Payee", "debit": "Debit"})
    done = client.post(
        "/api/import", headers=alice.headers, files={"file": ("bank.csv", bank, "text/csv")}, data={"mapping": mapping}
    )
    assert done.status_code == 200, done.text
    assert done.json()["imported"] == 2
    assert client.get("/api/transactions", headers=alice.headers).json()["total"] == 4

    bad = client.post("/api/import", headers=alice.headers, files={"file": ("b.csv", bank)}, data={"mapping": "{oops"})
    assert bad.status_code == 422
    assert client.post("/api/import", headers=alice.headers).status_code == 422
    huge = b"date,amount,description\n" + b"2026-11-01,1.00,x\n" * 320_000
    assert client.post("/api/import", headers=alice.headers, files={"file": ("h.csv", huge)}).status_code == 413
    assert client.get("/api/transactions", headers=alice.headers).json()["total"] == 4
