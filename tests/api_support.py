"""Helpers for the web tests: an app over the fixtures' real database, and signed-up users."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import delete
from sqlalchemy.engine import Engine

from assistant.clock import FixedClock
from assistant.db import write_connection
from assistant.models import LoginFailure
from assistant.settings import Settings
from web import create_app

SECRET = "test-secret-" + "k" * 60
PASSWORD = "correct horse battery staple"


def make_settings(db_url: str, **overrides: Any) -> Settings:
    return Settings(
        database_url=db_url,
        secret_key=SECRET,
        llm="local",
        scheduler="off",
        pg_listen=False,
        _env_file=None,
        **overrides,
    )  # type: ignore[call-arg]


@pytest.fixture
def app(engine: Engine, db_url: str, clock: FixedClock) -> FastAPI:
    # The sign-in backoff lives in the database, which the tests share, at one fixed time: each
    # test starts with no failed sign-ins counted (every test client signs in from "testclient").
    with write_connection(engine) as conn:
        conn.execute(delete(LoginFailure))
    return create_app(make_settings(db_url), engine=engine, clock=clock)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@dataclass
class Account:
    email: str
    password: str
    token: str
    refresh_token: str
    user: dict[str, Any]

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def signup(client: TestClient, **fields: Any) -> Account:
    body = {"email": f"u-{uuid.uuid4().hex[:12]}@example.com", "password": PASSWORD, **fields}
    r = client.post("/api/auth/register", json=body)
    assert r.status_code == 201, r.text
    data = r.json()
    return Account(body["email"], body["password"], data["access_token"], data["refresh_token"], data["user"])


@pytest.fixture
def alice(client: TestClient) -> Account:
    return signup(client, display_name="Alice", timezone="America/New_York")


@pytest.fixture
def bob(client: TestClient) -> Account:
    return signup(client, display_name="Bob")


@contextmanager
def chat(client: TestClient, account: Account) -> Iterator[Any]:
    """A signed-in chat socket, closed when the block ends."""
    with client.websocket_connect("/ws/chat") as ws:
        ws.send_json({"type": "auth", "token": account.token})
        assert ws.receive_json()["type"] == "ready"
        yield ws


def until_end(ws: Any) -> list[dict[str, Any]]:
    """The events of the turn under way, up to its ``turn_end`` (live notifications passed over)."""
    events: list[dict[str, Any]] = []
    while True:
        event = ws.receive_json()
        if event["type"] == "notification":
            continue
        events.append(event)
        if event["type"] == "turn_end":
            return events
