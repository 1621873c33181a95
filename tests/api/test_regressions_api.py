# ruff: noqa: F811  (pytest fixtures imported from api_support are parameters here)
"""REST: regressions found in review, each failed before its fix."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api_support import Account, alice, app, client  # noqa: F401


def test_spending_summary_and_insights_over_rest(client: TestClient, alice: Account) -> None:
    # principle 5: the chat's spending_summary and get_insights tools have REST twins
    client.post(
        "/api/transactions",
        headers=alice.headers,
        json={"amount": "12.50", "description": "lunch", "category": "Dining", "date": "2026-11-20"},
    )
    r = client.get("/api/spending/summary", headers=alice.headers, params={"start": "2026-11-01", "end": "2026-11-30"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == "12.50" and body["by_category"][0]["category"] == "Dining"
    bad = client.get(
        "/api/spending/summary", headers=alice.headers, params={"start": "2026-12-01", "end": "2026-11-01"}
    )
    assert bad.status_code == 422
    early = client.get(
        "/api/spending/summary", headers=alice.headers, params={"start": "0001-01-01", "end": "0001-01-02"}
    )
    assert early.status_code == 422
    r = client.get("/api/insights", headers=alice.headers, params={"month": "2026-11"})
    assert r.status_code == 200 and r.json()["month"] == "2026-11"
    assert client.get("/api/insights", headers=alice.headers, params={"month": "2026-00"}).status_code == 422


def test_category_in_use_keeps_its_kind(client: TestClient, alice: Account) -> None:
    # an expense category with expenses (or a budget) flipped to income broke the kind invariant
    cats = client.get("/api/categories", headers=alice.headers, params={"limit": 500}).json()["items"]
    dining = next(c for c in cats if c["name"] == "Dining")
    r = client.post(
        "/api/transactions", headers=alice.headers, json={"amount": 9, "description": "x", "category": "Dining"}
    )
    assert r.status_code == 201
    r = client.patch(f"/api/categories/{dining['id']}", headers=alice.headers, json={"kind": "income"})
    assert r.status_code == 409, r.text
    assert client.get("/api/categories?kind=income", headers=alice.headers).json()["total"] == 2
    travel = next(c for c in cats if c["name"] == "Travel")
    assert client.put("/api/budgets/Travel", headers=alice.headers, json={"amount": 100}).status_code == 200
    assert (
        client.patch(f"/api/categories/{travel['id']}", headers=alice.headers, json={"kind": "income"}).status_code
        == 409
    )
    r = client.post("/api/categories", headers=alice.headers, json={"name": "Refunds", "necessity_score": 5})
    unused = r.json()
    r = client.patch(f"/api/categories/{unused['id']}", headers=alice.headers, json={"kind": "income"})
    assert r.status_code == 200 and r.json()["kind"] == "income"
