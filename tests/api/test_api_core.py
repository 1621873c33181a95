# ruff: noqa: F811  (pytest fixtures imported from api_support are parameters here)
"""Health, metrics, the UI's files, the profile and categories, and the error shapes."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api_support import Account, alice, app, bob, client  # noqa: F401


def test_health_docs_and_metrics(client: TestClient, alice: Account) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/docs").status_code == 200
    assert "/api/transactions" in client.get("/openapi.json").json()["paths"]
    client.get("/api/me", headers=alice.headers)
    text = client.get("/metrics").text
    assert 'budgetwise_http_requests_total{method="GET",route="/api/me",status="200"}' in text
    assert "budgetwise_turn_seconds" in text and "budgetwise_reminders_sent_total" in text


def test_ui_is_served(client: TestClient) -> None:
    index = client.get("/")
    assert index.status_code in (200, 404)  # 404 only while the UI is not in the checkout
    if index.status_code == 200:
        assert index.headers["content-type"].startswith("text/html")
    assert client.get("/static/no-such-file.js").status_code == 404


def test_requests_without_a_token_are_401(client: TestClient) -> None:
    for path in ["/api/me", "/api/transactions", "/api/categories", "/api/dashboard", "/api/notifications"]:
        r = client.get(path)
        assert r.status_code == 401, path
        assert r.json()["detail"] and r.headers["www-authenticate"] == "Bearer"


def test_profile_update(client: TestClient, alice: Account) -> None:
    r = client.patch(
        "/api/me",
        headers=alice.headers,
        json={
            "display_name": "Ana",
            "currency": "eur",
            "timezone": "Europe/Lisbon",
            "settings": {"theme": "dark", "remind_days_before": 3},
        },
    )
    assert r.status_code == 200
    body = r.json()
    assert (body["display_name"], body["currency"], body["timezone"]) == ("Ana", "EUR", "Europe/Lisbon")
    assert body["settings"] == {"theme": "dark", "remind_days_before": 3}
    again = client.patch("/api/me", headers=alice.headers, json={"settings": {"theme": "light"}})
    assert again.json()["settings"] == {"theme": "light", "remind_days_before": 3}
    for bad in [
        {"timezone": "Nowhere/City"},
        {"currency": "ABC"},
        {"settings": {"theme": "neon"}},
        {"settings": {"is_admin": True}},
        {"settings": {"remind_days_before": -1}},
    ]:
        r = client.patch("/api/me", headers=alice.headers, json=bad)
        assert r.status_code == 422, bad
        assert isinstance(r.json()["detail"], list)
    assert client.get("/api/me", headers=alice.headers).json()["timezone"] == "Europe/Lisbon"


def test_categories(client: TestClient, alice: Account) -> None:
    listed = client.get("/api/categories", headers=alice.headers).json()
    assert listed["total"] == 17 and len(listed["items"]) == 17
    names = {c["name"] for c in listed["items"]}
    assert {"Housing", "Groceries", "Salary", "Other income"} <= names
    income = client.get("/api/categories", headers=alice.headers, params={"kind": "income"}).json()
    assert {c["name"] for c in income["items"]} == {"Salary", "Other income"}
    page = client.get("/api/categories", headers=alice.headers, params={"limit": 5, "offset": 15}).json()
    assert page["total"] == 17 and len(page["items"]) == 2

    r = client.post("/api/categories", headers=alice.headers, json={"name": "Pets", "necessity_score": 7})
    assert r.status_code == 201
    pets = r.json()
    assert pets["name"] == "Pets" and pets["kind"] == "expense"
    assert client.post("/api/categories", headers=alice.headers, json={"name": "pets"}).status_code == 409
    assert (
        client.post("/api/categories", headers=alice.headers, json={"name": "X", "necessity_score": 11}).status_code
        == 422
    )
    renamed = client.patch(f"/api/categories/{pets['id']}", headers=alice.headers, json={"name": "Pet care"})
    assert renamed.status_code == 200 and renamed.json()["name"] == "Pet care"
    clash = client.patch(f"/api/categories/{pets['id']}", headers=alice.headers, json={"name": "Housing"})
    assert clash.status_code == 409
    assert client.patch("/api/categories/999999999", headers=alice.headers, json={"name": "Y"}).status_code == 404


def test_paging_bounds_and_bad_ids(client: TestClient, alice: Account) -> None:
    for params in [{"limit": 0}, {"limit": 501}, {"offset": -1}, {"limit": "ten"}]:
        assert client.get("/api/transactions", headers=alice.headers, params=params).status_code == 422, params
    assert client.get("/api/transactions", headers=alice.headers, params={"limit": 500}).status_code == 200
    for path in [
        "/api/transactions/0",
        "/api/transactions/abc",
        f"/api/transactions/{10**30}",
        "/api/transactions/2147483648",
    ]:
        assert client.get(path, headers=alice.headers).status_code == 422, path
    assert client.get("/api/transactions/999999999", headers=alice.headers).status_code == 404


def test_malformed_json_is_422_not_500(client: TestClient, alice: Account) -> None:
    headers = alice.headers | {"Content-Type": "application/json"}
    for raw in ["{", "[]", "null", '{"amount": NaN}', '{"kind":"expense","amount":1e999,"description":"x"}']:
        r = client.post("/api/transactions", headers=headers, content=raw)
        assert r.status_code == 422, raw
