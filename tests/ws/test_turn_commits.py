# ruff: noqa: F811  (pytest fixtures imported from api_support are parameters here)
"""A remembered chat message's turn keeps its reply in its own commit (issue 11): the claim of the
message id, then one commit for the turn's write, its chat rows and the reply kept with the id.
Every commit is a transaction the user's next turn waits behind; a retry still gets the reply."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tests.api_support import Account, alice, app, chat, client, until_end  # noqa: F401


@contextmanager
def commits(engine: Engine) -> Iterator[list[Any]]:
    seen: list[Any] = []

    def count(conn: Any) -> None:
        seen.append(conn)

    event.listen(engine, "commit", count)
    try:
        yield seen
    finally:
        event.remove(engine, "commit", count)


@pytest.mark.parametrize("text", ["spent 4.50 on coffee today", "how much did I spend this month?"])
def test_a_remembered_turn_commits_its_reply_with_its_chat_rows(
    client: TestClient, alice: Account, engine: Engine, text: str
) -> None:
    with chat(client, alice) as ws:
        with commits(engine) as seen:
            ws.send_json({"type": "user_message", "id": f"once-{text}", "text": text})
            events = until_end(ws)
        answer = next(e for e in events if e["type"] == "assistant_message")
        assert len(seen) == 2  # the id's claim; the turn (its write, chat rows and kept reply)

        ws.send_json({"type": "user_message", "id": f"once-{text}", "text": text})  # a retry
        replayed = until_end(ws)
    again = next(e for e in replayed if e["type"] == "assistant_message")
    assert again["text"] == answer["text"]
    assert not any(e["type"] in ("tool_call", "error") for e in replayed)
