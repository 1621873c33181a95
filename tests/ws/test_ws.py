# ruff: noqa: F811  (pytest fixtures imported from api_support are parameters here)
"""The chat WebSocket: authentication, ping, limits, revocation, origins and pushed notifications."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from tests.api_support import Account, alice, app, client  # noqa: F401


def expect_close(ws: Any, code: int) -> dict[str, Any]:
    """The error event the server sends, then the close with ``code``."""
    event = ws.receive_json()
    with pytest.raises(WebSocketDisconnect) as info:
        ws.receive_json()
    assert info.value.code == code
    return dict(event)


def test_auth_then_ready_and_ping(client: TestClient, alice: Account) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        ws.send_json({"type": "auth", "token": alice.token})
        ready = ws.receive_json()
        assert ready == {"type": "ready", "user": alice.user | {"settings": ready["user"]["settings"]}}
        ws.send_json({"type": "ping"})
        assert ws.receive_json() == {"type": "pong"}


@pytest.mark.parametrize(
    "first",
    [
        {"type": "auth", "token": "nonsense"},
        {"type": "auth"},
        {"type": "ping"},
        {"type": "user_message", "id": "1", "text": "hi"},
    ],
)
def test_bad_first_message_is_refused_with_4401(client: TestClient, first: dict[str, Any]) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        ws.send_json(first)
        event = expect_close(ws, 4401)
        assert event["type"] == "error" and event["code"] == "unauthorized"


def test_non_json_first_message_is_refused(client: TestClient) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        ws.send_text("hello")
        assert expect_close(ws, 4401)["code"] == "unauthorized"


def test_bad_messages_keep_the_socket_usable(client: TestClient, alice: Account) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        ws.send_json({"type": "auth", "token": alice.token})
        ws.receive_json()
        cases: list[tuple[str, Any, str]] = [
            ("text", "x" * (64 * 1024 + 1), "too_large"),
            ("bytes", b"\0" * (2 * 1024 * 1024 + 1), "too_large"),
            ("text", "{not json", "bad_request"),
            ("text", "[1, 2]", "bad_request"),
            ("json", {"type": "dance"}, "bad_request"),
            ("json", {"type": "user_message", "id": "1", "text": "   "}, "bad_request"),
            ("json", {"type": "user_message", "id": True, "text": "spent 5 on tea"}, "bad_request"),
            ("json", {"type": "audio_start", "id": False, "format": "wav"}, "bad_request"),
            ("json", {"type": "audio_start", "id": "a", "format": "aiff"}, "bad_request"),
            ("bytes", b"RIFF....", "bad_request"),
            ("json", {"type": "audio_end"}, "bad_request"),
        ]
        for how, payload, code in cases:
            if how == "text":
                ws.send_text(payload)
            elif how == "bytes":
                ws.send_bytes(payload)
            else:
                ws.send_json(payload)
            event = ws.receive_json()
            assert (event["type"], event["code"]) == ("error", code), (how, str(payload)[:40])
            ws.send_json({"type": "ping"})
            assert ws.receive_json() == {"type": "pong"}


def test_logout_elsewhere_closes_the_socket(client: TestClient, alice: Account) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        ws.send_json({"type": "auth", "token": alice.token})
        ws.receive_json()
        assert client.post("/api/auth/logout", headers=alice.headers).status_code == 204
        ws.send_json({"type": "ping"})
        assert expect_close(ws, 4401)["code"] == "unauthorized"


def test_foreign_origin_is_refused(client: TestClient, alice: Account) -> None:
    # Refused before the handshake completes (a real server answers HTTP 403).
    with (
        pytest.raises(WebSocketDisconnect) as info,
        client.websocket_connect("/ws/chat", headers={"Origin": "https://evil.example"}),
    ):
        pass
    assert info.value.code == 4403
    with client.websocket_connect("/ws/chat", headers={"Origin": "http://testserver"}) as ws:
        ws.send_json({"type": "auth", "token": alice.token})
        assert ws.receive_json()["type"] == "ready"


def test_notifications_are_pushed_to_every_open_socket(client: TestClient, app: FastAPI, alice: Account) -> None:
    note = {"id": 1, "kind": "renewal_reminder", "title": "Netflix renews in 3 days", "body": "", "data": {}}
    with client.websocket_connect("/ws/chat") as one, client.websocket_connect("/ws/chat") as two:
        for ws in (one, two):
            ws.send_json({"type": "auth", "token": alice.token})
            ws.receive_json()
        assert app.state.hub.count(alice.user["id"]) == 2
        delivered = client.portal.call(app.state.hub.publish, alice.user["id"], note)  # type: ignore[union-attr]
        assert delivered == 2
        for ws in (one, two):
            assert ws.receive_json() == {"type": "notification", "notification": note}
    assert app.state.hub.count(alice.user["id"]) == 0
