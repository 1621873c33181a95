# ruff: noqa: F811  (pytest fixtures imported from api_support are parameters here)
"""Sign-up, sign-in, tokens and their revocation, and the sign-in rate limit."""

from __future__ import annotations

import datetime as dt
import uuid

import jwt
from fastapi.testclient import TestClient

from assistant.clock import FixedClock
from tests.api_support import PASSWORD, SECRET, Account, alice, app, client, signup  # noqa: F401

CLAIMS_OK = {"aud": "budgetwise", "iss": "budgetwise", "typ": "access", "ver": 0}


def me(client: TestClient, token: str) -> int:
    return client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code


def forge(user_id: int, clock: FixedClock, key: str = SECRET, alg: str = "HS256", **over: object) -> str:
    now = int(clock.now().timestamp())
    claims = {"sub": str(user_id), "iat": now, "nbf": now, "exp": now + 600, **CLAIMS_OK, **over}
    return jwt.encode(claims, key, algorithm=alg)


def test_register_answers_user_and_working_token(client: TestClient) -> None:
    email = f"New-{uuid.uuid4().hex[:8]}@Example.com"
    r = client.post("/api/auth/register", json={"email": email, "password": PASSWORD, "currency": "EUR"})
    assert r.status_code == 201
    body = r.json()
    assert body["token_type"] == "bearer"
    assert body["user"]["email"] == email.lower()
    assert body["user"]["currency"] == "EUR"
    assert "password_hash" not in body["user"]
    got = client.get("/api/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert got.status_code == 200 and got.json()["id"] == body["user"]["id"]


def test_register_refuses_taken_email_weak_and_bad_input(client: TestClient, alice: Account) -> None:
    taken = client.post("/api/auth/register", json={"email": alice.email.upper(), "password": PASSWORD})
    assert taken.status_code == 409
    for password in ["short", "password123", "x" * 129]:
        r = client.post("/api/auth/register", json={"email": f"{uuid.uuid4().hex}@ex.com", "password": password})
        assert r.status_code == 422, password
        assert r.json()["detail"][0]["loc"] == ["body", "password"]
    for body in [
        {"email": "not-an-email", "password": PASSWORD},
        {"email": f"{uuid.uuid4().hex}@ex.com", "password": PASSWORD, "timezone": "Mars/Base"},
        {"email": f"{uuid.uuid4().hex}@ex.com", "password": PASSWORD, "currency": "XYZ"},
        {"email": f"{uuid.uuid4().hex}@ex.com"},
    ]:
        assert client.post("/api/auth/register", json=body).status_code == 422, body


def test_login_refresh_and_wrong_password(client: TestClient, alice: Account) -> None:
    r = client.post("/api/auth/login", json={"email": alice.email, "password": PASSWORD})
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 3600
    assert me(client, body["access_token"]) == 200
    bad = client.post("/api/auth/login", json={"email": alice.email, "password": "wrong password!"})
    assert bad.status_code == 401 and bad.headers["www-authenticate"] == "Bearer"
    nobody = client.post("/api/auth/login", json={"email": "nobody@example.com", "password": PASSWORD})
    assert nobody.status_code == 401
    fresh = client.post("/api/auth/refresh", json={"refresh_token": body["refresh_token"]})
    assert fresh.status_code == 200 and me(client, fresh.json()["access_token"]) == 200
    # A refresh token is not an access token, and the other way round.
    assert me(client, body["refresh_token"]) == 401
    assert client.post("/api/auth/refresh", json={"refresh_token": body["access_token"]}).status_code == 401


def test_logout_revokes_every_token(client: TestClient, alice: Account) -> None:
    other = client.post("/api/auth/login", json={"email": alice.email, "password": PASSWORD}).json()
    assert client.post("/api/auth/logout", headers=alice.headers).status_code == 204
    assert me(client, alice.token) == 401
    assert me(client, other["access_token"]) == 401
    assert client.post("/api/auth/refresh", json={"refresh_token": alice.refresh_token}).status_code == 401
    again = client.post("/api/auth/login", json={"email": alice.email, "password": PASSWORD})
    assert me(client, again.json()["access_token"]) == 200


def test_password_change(client: TestClient, alice: Account) -> None:
    wrong = client.post(
        "/api/auth/password",
        headers=alice.headers,
        json={"current_password": "not it at all", "new_password": "a brand new passphrase"},
    )
    assert wrong.status_code == 422
    weak = client.post(
        "/api/auth/password", headers=alice.headers, json={"current_password": PASSWORD, "new_password": "qwerty123"}
    )
    assert weak.status_code == 422
    ok = client.post(
        "/api/auth/password",
        headers=alice.headers,
        json={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
    )
    assert ok.status_code == 200
    assert me(client, alice.token) == 401  # the old session ends
    assert me(client, ok.json()["access_token"]) == 200  # this one goes on
    assert client.post("/api/auth/login", json={"email": alice.email, "password": PASSWORD}).status_code == 401
    login = client.post("/api/auth/login", json={"email": alice.email, "password": "a brand new passphrase"})
    assert login.status_code == 200


def test_forged_and_expired_tokens_are_refused(client: TestClient, alice: Account, clock: FixedClock) -> None:
    uid = alice.user["id"]
    assert me(client, forge(uid, clock)) == 200  # the forge helper makes a valid token
    header = jwt.utils.base64url_encode(b'{"alg":"none","typ":"JWT"}').decode()
    payload = alice.token.split(".")[1]
    refused = {
        "alg none": f"{header}.{payload}.",
        "HS512": forge(uid, clock, alg="HS512"),
        "wrong key": forge(uid, clock, key="another-secret-" + "z" * 60),
        "expired": forge(uid, clock, exp=int(clock.now().timestamp()) - 1),
        "not yet valid": forge(uid, clock, nbf=int(clock.now().timestamp()) + 3600),
        "wrong audience": forge(uid, clock, aud="someone-else"),
        "wrong issuer": forge(uid, clock, iss="evil"),
        "old version": forge(uid, clock, ver=-1),
        "no ver claim": jwt.encode(
            {k: v for k, v in jwt.decode(forge(uid, clock), options={"verify_signature": False}).items() if k != "ver"},
            SECRET,
            algorithm="HS256",
        ),
        "tampered": alice.token[:-4] + ("AAAA" if not alice.token.endswith("AAAA") else "BBBB"),
        "other user": forge(uid + 10_000_000, clock),
        "garbage": "not.a.token",
    }
    for why, token in refused.items():
        assert me(client, token) == 401, why
    assert client.get("/api/me").status_code == 401
    assert client.get("/api/me", headers={"Authorization": "Basic abc"}).status_code == 401


def test_access_token_expires_with_the_clock(client: TestClient, alice: Account, clock: FixedClock) -> None:
    start = clock.now()
    try:
        clock.advance(minutes=59)
        assert me(client, alice.token) == 200
        clock.advance(minutes=2)
        assert me(client, alice.token) == 401
    finally:
        clock.set(start)


def test_login_rate_limit_backs_off(client: TestClient, clock: FixedClock) -> None:
    acct = signup(client)
    start = clock.now()
    wrong = {"email": acct.email, "password": "wrong password!"}
    try:
        for _ in range(5):
            assert client.post("/api/auth/login", json=wrong).status_code == 401
        locked = client.post("/api/auth/login", json={"email": acct.email, "password": PASSWORD})
        assert locked.status_code == 429  # even the right password waits
        first_wait = int(locked.headers["retry-after"])
        clock.advance(seconds=first_wait)
        assert client.post("/api/auth/login", json=wrong).status_code == 401
        second = client.post("/api/auth/login", json=wrong)
        assert second.status_code == 429 and int(second.headers["retry-after"]) > first_wait
        clock.advance(seconds=int(second.headers["retry-after"]))
        assert client.post("/api/auth/login", json={"email": acct.email, "password": PASSWORD}).status_code == 200
    finally:
        clock.set(start + dt.timedelta(0))
