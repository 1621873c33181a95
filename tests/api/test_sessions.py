# ruff: noqa: F811  (pytest fixtures imported from api_support are parameters here)
"""Sessions that really end, single-use refresh tokens, login backoff per account and address,
trusted proxies, and retried writes that run once (``Idempotency-Key``, WebSocket message ids)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from starlette.websockets import WebSocketDisconnect

from assistant.clock import FixedClock
from assistant.db import write_connection
from tests.api_support import PASSWORD, Account, alice, app, client, make_settings, signup  # noqa: F401
from tests.e2e_server import LiveServer
from web import create_app
from web.login_limits import PAIR_BACKOFF, client_address

NOTE = {"id": 1, "kind": "renewal_reminder", "title": "Netflix renews in 3 days", "body": "15.49", "data": {}}


def connect(ws: Any, token: str) -> None:
    ws.send_json({"type": "auth", "token": token})
    assert ws.receive_json()["type"] == "ready"


def closed_within(ws: Any, seconds: float = 2.0) -> dict[str, Any]:
    """Without the client sending anything: the error event, then close 4401, within ``seconds``."""
    start = time.monotonic()
    event = ws.receive_json()
    with pytest.raises(WebSocketDisconnect) as info:
        ws.receive_json()
    assert info.value.code == 4401
    assert time.monotonic() - start < seconds
    assert event["type"] == "error" and event["code"] == "unauthorized", event
    return dict(event)


def login(client: TestClient, acct: Account) -> dict[str, Any]:
    r = client.post("/api/auth/login", json={"email": acct.email, "password": acct.password})
    assert r.status_code == 200, r.text
    return dict(r.json())


def refresh(client: TestClient, token: str) -> httpx.Response:
    return client.post("/api/auth/refresh", json={"refresh_token": token})


def me(client: TestClient, token: str) -> int:
    return client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code


# ---------------------------------------------------------------- sockets that end


def test_logout_closes_an_idle_socket_at_once(client: TestClient, alice: Account) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        connect(ws, alice.token)
        assert client.post("/api/auth/logout", headers=alice.headers).status_code == 204
        closed_within(ws)


def test_password_change_closes_the_old_sessions_sockets(client: TestClient, alice: Account) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        connect(ws, alice.token)
        body = {"current_password": PASSWORD, "new_password": "a brand new passphrase"}
        r = client.post("/api/auth/password", headers=alice.headers, json=body)
        assert r.status_code == 200
        closed_within(ws)
        with client.websocket_connect("/ws/chat") as fresh:  # the new token works
            connect(fresh, r.json()["access_token"])


def test_expired_token_closes_the_socket(client: TestClient, alice: Account, clock: FixedClock) -> None:
    start = clock.now()
    try:
        with client.websocket_connect("/ws/chat") as ws:
            connect(ws, alice.token)
            clock.advance(minutes=61)  # the access token lives 60 minutes
            closed_within(ws, 2.5)  # the sweep runs every second
    finally:
        clock.set(start)


def test_no_push_after_revocation_made_elsewhere(client: TestClient, app: FastAPI, alice: Account) -> None:
    """Another instance signs the user out (only the database knows): the next push is refused."""
    uid = alice.user["id"]
    with client.websocket_connect("/ws/chat") as ws:
        connect(ws, alice.token)
        assert client.portal.call(app.state.hub.publish, uid, NOTE) == 1  # type: ignore[union-attr]
        assert ws.receive_json()["type"] == "notification"
        with write_connection(app.state.engine) as conn:
            conn.execute(text("UPDATE users SET token_version = token_version + 1 WHERE id = :u"), {"u": uid})
        assert client.portal.call(app.state.hub.publish, uid, NOTE) == 0  # type: ignore[union-attr]
        event = closed_within(ws)  # the error, never the notification
        assert "notification" not in event
    assert app.state.hub.count(uid) == 0


def test_idle_socket_closed_by_the_sweep_after_revocation_elsewhere(
    client: TestClient, app: FastAPI, alice: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No push comes: the periodic re-check against the database finds the sign-out."""
    import web.ws.hub

    monkeypatch.setattr(web.ws.hub, "DB_RECHECK_SECONDS", 0.5)
    with client.websocket_connect("/ws/chat") as ws:
        connect(ws, alice.token)
        with write_connection(app.state.engine) as conn:
            conn.execute(
                text("UPDATE users SET token_version = token_version + 1 WHERE id = :u"), {"u": alice.user["id"]}
            )
        closed_within(ws, 3.0)


def test_socket_in_use_is_closed_by_logout(client: TestClient, alice: Account) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        connect(ws, alice.token)
        ws.send_json({"type": "ping"})
        assert ws.receive_json() == {"type": "pong"}
        assert client.post("/api/auth/logout", headers=alice.headers).status_code == 204
        closed_within(ws)
    assert me(client, alice.token) == 401


# ---------------------------------------------------------------- refresh rotation


def test_refresh_rotates_and_reuse_revokes_the_family(client: TestClient, alice: Account, clock: FixedClock) -> None:
    first = login(client, alice)
    other = login(client, alice)  # another sign-in (another device): its own family
    second = refresh(client, first["refresh_token"])
    assert second.status_code == 200
    pair = second.json()
    assert pair["refresh_token"] != first["refresh_token"] and me(client, pair["access_token"]) == 200
    # A second tab refreshing with the same token at the same moment: refused, nothing revoked.
    raced = refresh(client, first["refresh_token"])
    assert raced.status_code == 401 and "just used" in raced.json()["detail"]
    assert me(client, pair["access_token"]) == 200
    start = clock.now()
    try:
        clock.advance(seconds=11)
        with client.websocket_connect("/ws/chat") as ws:
            connect(ws, pair["access_token"])
            reused = refresh(client, first["refresh_token"])  # a copy of the spent token, later
            assert reused.status_code == 401 and "already used" in reused.json()["detail"]
            closed_within(ws)
    finally:
        clock.set(start)
    # The whole family is gone: the newest refresh token and every access token of it.
    assert refresh(client, pair["refresh_token"]).status_code == 401
    assert me(client, pair["access_token"]) == 401
    assert me(client, first["access_token"]) == 401
    # The other sign-in goes on, and rotates too.
    assert me(client, other["access_token"]) == 200
    assert refresh(client, other["refresh_token"]).status_code == 200


def test_concurrent_refreshes_of_one_token_give_one_pair(engine: Engine, db_url: str, clock: FixedClock) -> None:
    server = LiveServer(create_app(make_settings(db_url), engine=engine, clock=clock))
    server.start()
    try:

        async def scenario() -> tuple[list[int], int]:
            async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
                email = f"r-{uuid.uuid4().hex[:10]}@example.com"
                r = await http.post("/api/auth/register", json={"email": email, "password": PASSWORD})
                token = r.json()["refresh_token"]
                answers = await asyncio.gather(
                    *(http.post("/api/auth/refresh", json={"refresh_token": token}) for _ in range(6))
                )
                winner = next(a.json() for a in answers if a.status_code == 200)
                again = await http.post("/api/auth/refresh", json={"refresh_token": winner["refresh_token"]})
                return sorted(a.status_code for a in answers), again.status_code

        codes, next_refresh = asyncio.run(scenario())
    finally:
        server.stop()
    assert codes == [200, 401, 401, 401, 401, 401]
    assert next_refresh == 200  # the race revoked nothing: the winner's sign-in goes on


# ---------------------------------------------------------------- login backoff and proxies


@pytest.fixture
def proxied(engine: Engine, db_url: str, clock: FixedClock) -> Iterator[TestClient]:
    """The app behind a trusted proxy (the test client's peer): X-Forwarded-For names the client."""
    settings = make_settings(db_url, trusted_proxies=["testclient", "10.0.0.0/8"])
    with TestClient(create_app(settings, engine=engine, clock=clock)) as c:
        yield c


def test_flood_from_one_address_never_locks_the_owner_out_elsewhere(proxied: TestClient, clock: FixedClock) -> None:
    acct = signup(proxied)
    attacker, owner = {"X-Forwarded-For": "203.0.113.9"}, {"X-Forwarded-For": "198.51.100.4, 10.1.2.3"}
    wrong = {"email": acct.email, "password": "not the password"}
    right = {"email": acct.email, "password": PASSWORD}
    start = clock.now()
    try:
        codes = [proxied.post("/api/auth/login", json=wrong, headers=attacker).status_code for _ in range(40)]
        assert codes[:5] == [401] * 5 and codes.count(429) >= 30
        assert proxied.post("/api/auth/login", json=right, headers=attacker).status_code == 429
        assert proxied.post("/api/auth/login", json=right, headers=owner).status_code == 200
        # The owner's own mistakes: a short backoff, bounded however often it happens.
        waits = []
        for _ in range(12):
            r = proxied.post("/api/auth/login", json=wrong, headers=owner)
            if r.status_code == 429:
                waits.append(int(r.headers["retry-after"]))
                clock.advance(seconds=waits[-1])
        assert waits and max(waits) <= PAIR_BACKOFF.max_lock
        assert proxied.post("/api/auth/login", json=right, headers=owner).status_code == 200
    finally:
        clock.set(start)


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(client: TestClient, clock: FixedClock) -> None:
    acct = signup(client)
    wrong = {"email": acct.email, "password": "not the password"}
    start = clock.now()
    try:
        for i in range(6):  # a new made-up address each time does not dodge the backoff
            r = client.post("/api/auth/login", json=wrong, headers={"X-Forwarded-For": f"192.0.2.{i}"})
        assert r.status_code == 429
    finally:
        clock.set(start)


def test_client_address_reads_only_the_trusted_chain() -> None:
    trusted = ["10.0.0.0/8", "proxy.local"]
    assert client_address("10.0.0.5", "198.51.100.4", []) == "10.0.0.5"  # default: nobody trusted
    assert client_address("203.0.113.1", "198.51.100.4", trusted) == "203.0.113.1"  # not a proxy
    assert client_address("10.0.0.5", "198.51.100.4", trusted) == "198.51.100.4"
    # A client that writes its own X-Forwarded-For: only the hop the trusted proxy added counts.
    assert client_address("10.0.0.5", "1.2.3.4, 198.51.100.4, 10.9.9.9", trusted) == "198.51.100.4"
    assert client_address("proxy.local", "2001:db8::1", trusted) == "2001:db8::1"
    assert client_address("10.0.0.5", "10.0.0.7", trusted) == "10.0.0.7"  # only proxies: the last one


# ---------------------------------------------------------------- retried writes run once


def count_transactions(client: TestClient, acct: Account) -> int:
    return int(client.get("/api/transactions", headers=acct.headers).json()["total"])


def test_idempotency_key_replays_the_first_answer(client: TestClient, alice: Account) -> None:
    headers = {**alice.headers, "Idempotency-Key": uuid.uuid4().hex}
    body = {"kind": "expense", "amount": "4.50", "description": "coffee"}
    first = client.post("/api/transactions", json=body, headers=headers)
    again = client.post("/api/transactions", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert count_transactions(client, alice) == 1
    # The same key on another request is a mistake, said so; a new key is a new write.
    other = client.delete(f"/api/transactions/{first.json()['id']}", headers=headers)
    assert other.status_code == 422
    assert client.post("/api/transactions", json=body, headers={**alice.headers, "Idempotency-Key": "k2"}).is_success
    assert count_transactions(client, alice) == 2
    # Keys are per user; a bad key is refused; a request that failed to sign in stores nothing.
    bob = signup(client)
    assert client.post("/api/transactions", json=body, headers={**bob.headers, "Idempotency-Key": "k2"}).is_success
    assert count_transactions(client, bob) == 1
    empty_key = {**alice.headers, "Idempotency-Key": ""}
    assert client.post("/api/transactions", json=body, headers=empty_key).status_code == 422
    stale = {"Authorization": "Bearer nonsense", "Idempotency-Key": "k3"}
    assert client.post("/api/transactions", json=body, headers=stale).status_code == 401
    assert client.post("/api/transactions", json=body, headers={**alice.headers, "Idempotency-Key": "k3"}).is_success


def test_tokens_are_never_kept_for_a_replay(client: TestClient, alice: Account) -> None:
    """``/api/auth/*`` answers hold tokens: a key there is not stored, the request runs again."""
    headers = {**alice.headers, "Idempotency-Key": "pw-1"}
    body = {"current_password": PASSWORD, "new_password": "a brand new passphrase"}
    assert client.post("/api/auth/password", headers=headers, json=body).status_code == 200
    again = client.post("/api/auth/password", headers=headers, json=body)
    assert again.status_code == 401 and "idempotent-replayed" not in again.headers


def test_concurrent_requests_with_one_key_write_one_row(engine: Engine, db_url: str, clock: FixedClock) -> None:
    server = LiveServer(create_app(make_settings(db_url), engine=engine, clock=clock))
    server.start()
    try:

        async def scenario() -> tuple[list[httpx.Response], int]:
            async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
                email = f"i-{uuid.uuid4().hex[:10]}@example.com"
                r = await http.post("/api/auth/register", json={"email": email, "password": PASSWORD})
                auth = {"Authorization": f"Bearer {r.json()['access_token']}", "Idempotency-Key": "pay-rent-1"}
                body = {"kind": "expense", "amount": "950", "description": "rent"}
                answers = await asyncio.gather(
                    *(http.post("/api/transactions", json=body, headers=auth) for _ in range(8))
                )
                listed = await http.get("/api/transactions", headers={"Authorization": auth["Authorization"]})
                return list(answers), int(listed.json()["total"])

        answers, total = asyncio.run(scenario())
    finally:
        server.stop()
    assert total == 1
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["id"] for a in answers}) == 1


def test_repeated_chat_message_id_writes_once(client: TestClient, alice: Account) -> None:
    def turn(ws: Any, msg_id: str) -> list[dict[str, Any]]:
        ws.send_json({"type": "user_message", "id": msg_id, "text": "spent 4.50 on coffee"})
        events = []
        while not events or events[-1]["type"] != "turn_end":
            events.append(ws.receive_json())
        return events

    with client.websocket_connect("/ws/chat") as ws:
        connect(ws, alice.token)
        first = turn(ws, "m-1")
        assert any(e["type"] == "tool_result" and e["ok"] for e in first)
        reply = next(e for e in first if e["type"] == "assistant_message")
        again = turn(ws, "m-1")
        assert [e["type"] for e in again] == ["turn_start", "assistant_message", "turn_end"]
        assert again[1]["text"] == reply["text"] and again[1]["duplicate"] is True
        assert again[0]["reply_to"] == "m-1"
    with client.websocket_connect("/ws/chat") as ws:  # a reconnecting client retries
        connect(ws, alice.token)
        assert not any(e["type"] == "tool_call" for e in turn(ws, "m-1"))
        assert any(e["type"] == "tool_result" for e in turn(ws, "m-2"))  # a new id is a new turn
    assert count_transactions(client, alice) == 2


# ---------------------------------------------------------------- several instances (PostgreSQL)


def test_sign_out_on_one_instance_stops_pushes_on_another(tmp_path: Any) -> None:
    """Instance B holds the socket; the user signs out through instance A; a reminder made by
    another process reaches B (LISTEN/NOTIFY), which closes the socket instead of pushing it."""
    import datetime as dt
    import json
    from decimal import Decimal

    import websockets

    from assistant import migrate
    from assistant.db import make_engine, unit_of_work
    from assistant.models import Cadence, Subscription
    from assistant.scheduler.service import ReminderScheduler
    from assistant.settings import Settings
    from tests.conftest import drop_database, new_database_url
    from tests.e2e_server import SECRET

    url, handle = new_database_url("postgres", str(tmp_path))
    migrate.upgrade(url)
    a = LiveServer(
        create_app(Settings(database_url=url, secret_key=SECRET, scheduler="off", pg_listen=False), warm_voice=False)
    )
    b = LiveServer(
        create_app(Settings(database_url=url, secret_key=SECRET, scheduler="off", pg_listen=True), warm_voice=False)
    )
    a.start()
    b.start()
    try:

        async def scenario() -> tuple[list[dict[str, Any]], int | None, float]:
            async with httpx.AsyncClient(base_url=a.url) as http:
                r = await http.post("/api/auth/register", json={"email": "multi@example.com", "password": PASSWORD})
                body = r.json()
                ws = await websockets.connect(b.url.replace("http", "ws", 1) + "/ws/chat")
                await ws.send(json.dumps({"type": "auth", "token": body["access_token"]}))
                assert json.loads(await ws.recv())["type"] == "ready"
                auth = {"Authorization": f"Bearer {body['access_token']}"}
                assert (await http.post("/api/auth/logout", headers=auth)).status_code == 204
            eng = make_engine(url)
            with unit_of_work(eng) as s:
                s.add(
                    Subscription(
                        user_id=body["user"]["id"], name="Netflix", amount=Decimal("15.49"),
                        cadence=Cadence.MONTHLY, next_renewal=dt.date(2026, 11, 25), anchor_day=25,
                    )
                )  # fmt: skip
            clock = FixedClock(dt.datetime(2026, 11, 22, 15, 0, tzinfo=dt.UTC))
            settings = Settings(database_url=url, secret_key=SECRET, scheduler="on")
            start = time.monotonic()
            await asyncio.to_thread(ReminderScheduler(eng, settings, clock=clock).run_once)
            eng.dispose()
            events: list[dict[str, Any]] = []
            try:
                while True:
                    events.append(json.loads(await asyncio.wait_for(ws.recv(), 10)))
            except websockets.ConnectionClosed as closed:
                return events, closed.rcvd.code if closed.rcvd else None, time.monotonic() - start

        events, code, took = asyncio.run(scenario())
    finally:
        a.stop()
        b.stop()
        drop_database(handle)
    assert code == 4401 and took < 5
    assert [e["type"] for e in events] == ["error"] and events[0]["code"] == "unauthorized"
