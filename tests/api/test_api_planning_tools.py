# ruff: noqa: F811  (pytest fixtures imported from api_support are parameters here)
"""REST twins of issue 10's tools: rates, budget moves, the monthly income, merchant and bill filters."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api_support import Account, alice, app, bob, client  # noqa: F401


def test_exchange_rates(client: TestClient, alice: Account, bob: Account) -> None:
    h = alice.headers
    assert client.get("/api/rates", headers=h).json() == {"items": [], "total": 0, "base": "USD"}
    client.post("/api/transactions", headers=h, json={"amount": 10, "currency": "EUR", "description": "tapas"})
    r = client.put("/api/rates/eur", headers=h, json={"rate": "1.08"})
    assert r.status_code == 200, r.text
    assert {k: r.json()[k] for k in ("currency", "rate", "base")} == {"currency": "EUR", "rate": "1.08", "base": "USD"}
    assert client.put("/api/rates/EUR", headers=h, json={"rate": 1.1}).json()["rate"] == "1.1"
    listed = client.get("/api/rates", headers=h).json()
    assert [(i["currency"], i["rate"]) for i in listed["items"]] == [("EUR", "1.1")] and listed["total"] == 1
    summary = client.get("/api/budgets/summary", headers=h).json()
    # The waiting euro row took the first rate known (1.08) and keeps it: a later rate never rewrites it.
    assert summary["total_expenses"] == "10.80" and summary["missing_rates"] == []
    assert client.get("/api/rates", headers=bob.headers).json()["items"] == []  # alice's rates are hers
    assert client.delete("/api/rates/EUR", headers=bob.headers).status_code == 404
    for code, body in [("USD", {"rate": 1}), ("XYZ", {"rate": 1}), ("GBP", {"rate": 0}), ("GBP", {"rate": "abc"})]:
        assert client.put(f"/api/rates/{code}", headers=h, json=body).status_code == 422, (code, body)
    assert client.put("/api/rates/EURO", headers=h, json={"rate": 1}).status_code == 422
    assert client.delete("/api/rates/EUR", headers=h).status_code == 204
    assert client.delete("/api/rates/EUR", headers=h).status_code == 404
    after = client.get("/api/budgets/summary", headers=h).json()  # recorded amounts stay converted
    assert after["total_expenses"] == "10.80" and after["missing_rates"] == []
    client.post("/api/transactions", headers=h, json={"amount": 5, "currency": "EUR", "description": "churros"})
    assert client.get("/api/budgets/summary", headers=h).json()["missing_rates"] == ["EUR"]  # a new one waits


def test_budget_move(client: TestClient, alice: Account) -> None:
    h = alice.headers
    client.put("/api/budgets/Dining", headers=h, json={"amount": 300})
    client.put("/api/budgets/Groceries", headers=h, json={"amount": 400})
    client.post("/api/transactions", headers=h, json={"amount": 250, "description": "dinners", "category": "Dining"})
    body = {"from_category": "Dining", "to_category": "Groceries", "amount": "30"}
    r = client.post("/api/budgets/move", headers=h, json=body)
    assert r.status_code == 200, r.text
    moved = r.json()
    assert moved["from_line"]["budget"] == "270.00" and moved["to_line"]["budget"] == "430.00"
    assert moved["from_line"]["remaining"] == "20.00" and moved["month"] == "2026-11"
    too_much = client.post("/api/budgets/move", headers=h, json={**body, "amount": 25})
    assert too_much.status_code == 422 and "$20.00 left" in str(too_much.json()["detail"])
    for bad in [
        {**body, "to_category": "Nope"},
        {**body, "to_category": "Dining"},
        {**body, "amount": -1},
        {**body, "month": "2026-13"},
        {"from_category": "Dining"},
    ]:
        assert client.post("/api/budgets/move", headers=h, json=bad).status_code == 422, bad
    cats = client.get("/api/budgets/summary", headers=h).json()["categories"]
    assert {c["category"]: c["budget"] for c in cats} == {"Dining": "270.00", "Groceries": "430.00"}
    december = client.get("/api/budgets/summary", headers=h, params={"month": "2026-12"}).json()["categories"]
    assert {c["category"]: c["budget"] for c in december} == {"Dining": "300.00", "Groceries": "400.00"}


def test_monthly_income(client: TestClient, alice: Account, bob: Account) -> None:
    h = alice.headers
    assert client.get("/api/me", headers=h).json()["monthly_income"] is None
    r = client.put("/api/me/income", headers=h, json={"amount": "3200"})
    assert r.status_code == 200, r.text
    assert r.json()["monthly_income"] == "3200.00" and r.json()["received"] == "0.00"
    client.post("/api/transactions", headers=h, json={"kind": "income", "amount": 1200, "description": "pay"})
    view = client.get("/api/me/income", headers=h).json()
    assert (view["received"], view["expected_left"]) == ("1200.00", "2000.00")
    assert client.get("/api/me", headers=h).json()["monthly_income"] == "3200.00"
    assert client.get("/api/dashboard", headers=h).json()["monthly_income"] == "3200.00"
    assert client.get("/api/me", headers=bob.headers).json()["monthly_income"] is None
    assert client.get("/api/transactions", headers=h).json()["total"] == 1  # saying it logs nothing
    for bad in [{"amount": 0}, {"amount": "lots"}, {"amount": 2_000_000}, {}]:
        assert client.put("/api/me/income", headers=h, json=bad).status_code == 422, bad
    assert client.delete("/api/me/income", headers=h).status_code == 204
    assert client.get("/api/me", headers=h).json()["monthly_income"] is None


def test_categories_goals_and_subscriptions_twins(client: TestClient, alice: Account, bob: Account) -> None:
    h = alice.headers
    assert client.post("/api/categories", headers=h, json={"name": "Pets", "necessity_score": 7}).status_code == 201
    dup = client.post("/api/categories", headers=h, json={"name": "pets"})
    assert dup.status_code == 409 and "exists" in str(dup.json()["detail"])
    assert client.post("/api/categories", headers=bob.headers, json={"name": "Pets"}).status_code == 201
    goal = client.post("/api/goals", headers=h, json={"name": "Trip", "target_amount": 500}).json()
    added = client.post(f"/api/goals/{goal['id']}/contributions", headers=h, json={"amount": "20.50"})
    assert added.json()["saved_amount"] == "20.50"
    theirs = client.post(f"/api/goals/{goal['id']}/contributions", headers=bob.headers, json={"amount": 5})
    assert theirs.status_code == 404
    sub = client.post("/api/subscriptions", headers=h, json={"name": "City Water", "amount": 45}).json()
    client.post("/api/subscriptions", headers=h, json={"name": "Netflix", "amount": 15})
    found = client.get("/api/subscriptions", headers=h, params={"name": "water bill"}).json()
    assert [s["name"] for s in found["items"]] == ["City Water"] and found["total"] == 1
    assert client.get("/api/subscriptions", headers=bob.headers, params={"name": "water"}).json()["total"] == 0
    patched = client.patch(f"/api/subscriptions/{sub['id']}", headers=h, json={"amount": "47.50"})
    assert patched.json()["amount"] == "47.50"
    assert client.patch(f"/api/subscriptions/{sub['id']}", headers=bob.headers, json={"amount": 1}).status_code == 404


def test_merchant_filters_and_checkup(client: TestClient, alice: Account) -> None:
    h = alice.headers
    for body in [
        {"amount": "5.40", "description": "latte", "merchant": "Starbucks", "category": "Dining", "date": "2026-11-03"},
        {"amount": "6.10", "description": "starbucks run", "category": "Dining", "date": "2026-11-12"},
        {"amount": 30, "description": "lunch", "merchant": "Chipotle", "category": "Dining", "date": "2026-11-12"},
        {"amount": 20, "description": "shoes", "category": "Shopping", "date": "2026-10-12"},
    ]:
        assert client.post("/api/transactions", headers=h, json=body).status_code == 201
    listed = client.get("/api/transactions", headers=h, params={"merchant": "STARBUCKS"}).json()
    assert [t["amount"] for t in listed["items"]] == ["6.10", "5.40"] and listed["total"] == 2
    params = {"start": "2026-11-01", "end": "2026-11-30", "merchant": "starbucks"}
    summary = client.get("/api/spending/summary", headers=h, params=params).json()
    assert (summary["total"], summary["count"], summary["merchant"]) == ("11.50", 2, "starbucks")
    assert client.get("/api/spending/summary", headers=h, params={**params, "merchant": "x" * 201}).status_code == 422
    check = client.get("/api/insights/checkup", headers=h).json()
    assert check["pace"]["this_period"]["total"] == "41.50" and check["pace"]["last_period"]["total"] == "20.00"
    assert check["where_to_cut"][0]["category"] == "Dining" and check["where_to_cut"][0]["trim_saves"] == "8.30"
    assert client.get("/api/insights/checkup", headers=h, params={"month": "nope"}).status_code == 422
