# ruff: noqa: F811  (pytest fixtures imported from api_support are parameters here)
"""Hostile input: body limits, bad Unicode, short 422s, nothing sensitive logged, headers, offline docs, 0600 files."""

from __future__ import annotations

import json
import logging
import os
import re
import stat
from pathlib import Path

import pytest
from fastapi import FastAPI, WebSocket
from fastapi.testclient import TestClient
from sqlalchemy import text
from starlette.websockets import WebSocketDisconnect

from assistant.db import make_engine
from assistant.settings import Settings
from tests.api_support import Account, alice, app, client  # noqa: F401

SECRET_WORD = "Zebra-Quokka-7731"  # a password; must never appear in a log line
JSON = {"content-type": "application/json"}


def _server_log(caplog: pytest.LogCaptureFixture) -> str:
    """Everything the app and the server logged (the test's HTTP client logs its own URLs: not ours)."""
    return "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records if not r.name.startswith("httpx"))


def _escaped(body: dict[str, str]) -> bytes:
    """JSON text with a lone surrogate escape, as a hostile client sends it (json.dumps keeps the escape)."""
    return json.dumps(body).encode()


def test_lone_surrogate_is_a_422_naming_the_field_and_nothing_is_logged(
    client: TestClient, alice: Account, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    bad_password = SECRET_WORD + "\ud800"
    r = client.post("/api/auth/login", content=_escaped({"email": alice.email, "password": bad_password}), headers=JSON)
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"] == ["body", "password"]
    assert r.json()["detail"][0]["type"] == "string_unicode"
    r = client.post(
        "/api/auth/register", content=_escaped({"email": "x@example.com", "password": bad_password}), headers=JSON
    )
    assert r.status_code == 422
    r = client.post(
        "/api/transactions",
        content=_escaped({"amount": "4.50", "description": "tea \udfff"}),
        headers={**JSON, **alice.headers},
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "description"]
    # A surrogate *pair* is a real character (an emoji): accepted and stored as that character.
    r = client.post(
        "/api/transactions",
        content=json.dumps({"amount": "4.50", "description": "tea \ud83c\udf75"}).encode(),
        headers={**JSON, **alice.headers},
    )
    assert r.status_code == 201, r.text
    assert r.json()["description"] == "tea 🍵"
    # Bytes that are not UTF-8 at all: a 422 too (was a 400 "error parsing the body").
    r = client.post(
        "/api/transactions", content=b'{"amount": "1", "description": "\xff\xfe"}', headers={**JSON, **alice.headers}
    )
    assert r.status_code == 422 and r.json()["detail"][0]["type"] == "unicode_invalid"
    assert SECRET_WORD not in _server_log(caplog)


def test_a_nul_character_is_a_422_not_a_500(client: TestClient, alice: Account) -> None:
    """PostgreSQL's text cannot hold NUL; a name with one is refused at the door on both backends."""
    r = client.post(
        "/api/categories",
        content=json.dumps({"name": "\u0000!", "kind": "expense", "necessity_score": 3}).encode(),
        headers={**JSON, **alice.headers},
    )
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"] == ["body", "name"]
    names = [c["name"] for c in client.get("/api/categories", headers=alice.headers).json()["items"]]
    assert not [n for n in names if "\x00" in n]


def test_lone_surrogate_on_the_websocket_is_an_invalid_error(client: TestClient, alice: Account) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        ws.send_json({"type": "auth", "token": alice.token})
        assert ws.receive_json()["type"] == "ready"
        ws.send_text(json.dumps({"type": "user_message", "id": "1", "text": "spent 5 on tea \ud800"}))
        event = ws.receive_json()
        assert event["type"] == "error" and event["code"] == "invalid", event
        ws.send_json({"type": "ping"})  # the socket is still usable
        assert ws.receive_json()["type"] == "pong"


def test_an_unexpected_error_answers_json_500_and_logs_no_message(
    app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    def explode() -> None:
        raise ValueError(f"could not hash {SECRET_WORD}")

    app.add_api_route("/api/test-explode", explode, methods=["GET"])
    caplog.set_level(logging.DEBUG)
    with TestClient(app) as c:  # raise_server_exceptions stays on: nothing escapes the app
        r = c.get("/api/test-explode")
    assert r.status_code == 500
    assert r.json()["code"] == "internal"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "ValueError" in caplog.text and "explode" in caplog.text  # enough to find the bug
    assert SECRET_WORD not in _server_log(caplog)


def test_an_unexpected_websocket_error_closes_1011_and_logs_no_message(
    app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    async def explode(ws: WebSocket) -> None:
        await ws.accept()
        text = await ws.receive_text()
        raise ValueError(f"could not store {text}")

    app.add_api_websocket_route("/ws/test-explode", explode)
    caplog.set_level(logging.DEBUG)
    with TestClient(app) as c, c.websocket_connect("/ws/test-explode") as ws:
        ws.send_text(SECRET_WORD)
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_text()
    assert closed.value.code == 1011
    assert "ValueError" in caplog.text and SECRET_WORD not in _server_log(caplog)


def test_failed_sign_ins_and_bad_bodies_never_log_the_password(
    client: TestClient, alice: Account, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    assert client.post("/api/auth/login", json={"email": alice.email, "password": SECRET_WORD}).status_code == 401
    assert client.post("/api/auth/login", json={"email": 5, "password": SECRET_WORD}).status_code == 422
    assert client.post("/api/auth/register", json={"email": alice.email, "password": SECRET_WORD}).status_code == 409
    body = {"current_password": SECRET_WORD, "new_password": 1}
    r = client.post("/api/auth/password", json=body, headers=alice.headers)
    assert r.status_code == 422
    assert client.get(f"/api/transactions?q={SECRET_WORD}", headers=alice.headers).status_code == 200
    assert "/api/transactions" in caplog.text  # the request line is there, its query is not
    assert SECRET_WORD not in _server_log(caplog)


def test_bodies_over_the_limit_are_413_and_a_422_echoes_only_a_snippet(client: TestClient, alice: Account) -> None:
    huge = "x" * (20 * 1024 * 1024)
    r = client.post("/api/transactions", json={"amount": "1", "description": huge}, headers=alice.headers)
    assert r.status_code == 413 and len(r.content) < 1000
    # Unauthenticated: still 413 (the limit comes before authentication), not a 401 after reading it all.
    r = client.post("/api/transactions", json={"amount": "1", "description": huge})
    assert r.status_code == 413
    long = "y" * (900 * 1024)  # under the 1 MB limit, over the field's 500 characters
    r = client.post("/api/transactions", json={"amount": "1", "description": long}, headers=alice.headers)
    assert r.status_code == 422
    assert len(r.content) < 2000, len(r.content)
    assert r.json()["detail"][0]["input"].startswith("yyyy")
    # A file upload has its own, larger limit: a 6 MB CSV passes the door (the import says it is too big).
    csv = b"date,amount,description\n" + b"2026-01-01,1.00,x\n" * (6 * 1024 * 1024 // 18)
    r = client.post("/api/import", files={"file": ("big.csv", csv, "text/csv")}, headers=alice.headers)
    assert r.status_code == 413 and "MB" in r.json()["detail"]
    # Audio has its own limit (10 MiB), met before authentication.
    r = client.post("/api/voice", content=b"x" * (11 * 1024 * 1024), headers={"content-type": "multipart/form-data"})
    assert r.status_code == 413 and r.json()["code"] == "too_large"
    # Under the limit but with no credentials at all: 401 at the door, the body is not spooled first.
    r = client.post("/api/import", files={"file": ("a.csv", b"date,amount\n", "text/csv")})
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert r.json()["code"] == "unauthorized" and r.headers["connection"] == "close"


def test_security_headers_on_every_answer(client: TestClient) -> None:
    for path in ("/", "/api/me", "/api/nope", "/healthz", "/openapi.json"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp
        script_src = re.search(r"script-src ([^;]*)", csp)
        assert script_src is not None and "unsafe" not in script_src.group(1)
        assert "unsafe-inline" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert r.headers["cache-control"] == "no-store", path
    asset = client.get("/static/js/app.js")
    assert asset.status_code == 200 and "no-store" not in asset.headers.get("cache-control", "")
    assert asset.headers["x-content-type-options"] == "nosniff"


def test_docs_are_served_without_a_cdn_and_without_inline_script(client: TestClient) -> None:
    for page in ("/docs",):
        html = client.get(page).text
        assert "cdn" not in html.lower() and "http" not in html
        sources = re.findall(r"<script([^>]*)>", html)
        assert sources and all("src=" in attrs for attrs in sources)  # no inline script
        for ref in re.findall(r'(?:src|href)="(/[^"]+)"', html):
            assert client.get(ref).status_code == 200, ref
        script_src = re.search(r"script-src ([^;]*)", client.get(page).headers["content-security-policy"])
        assert script_src is not None and "unsafe" not in script_src.group(1)


def test_database_wal_shm_and_key_file_are_created_0600(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = os.umask(0o022)  # the usual umask, which would make them 0644
    try:
        engine = make_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
            conn.execute(text("INSERT INTO t VALUES (1)"))
        with engine.connect() as conn:  # a second connection keeps -wal and -shm on disk
            assert conn.execute(text("SELECT x FROM t")).scalar() == 1
            names = sorted(p.name for p in tmp_path.iterdir())
            assert names == ["ledger.db", "ledger.db-shm", "ledger.db-wal"]
            for p in tmp_path.iterdir():
                assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
        engine.dispose()

        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
        settings = Settings(database_url="sqlite://", _env_file=None)  # type: ignore[call-arg]
        key = settings.get_secret_key()
        key_file = tmp_path / "xdg" / "budgetwise" / "secret_key"
        assert key_file.read_text() == key and len(key) > 40
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
        assert settings.get_secret_key() == key  # kept, not regenerated
    finally:
        os.umask(old)
