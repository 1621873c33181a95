"""Retried writes run once: ``Idempotency-Key`` on REST writes, the message id on the WebSocket.

Why: a client whose answer was lost (a dropped connection, a timeout) cannot tell whether its
write happened, so it retries; without a key the retry logs the expense twice. With one, the
first request claims (user, key) in ``idempotency_keys`` (a unique constraint, so of two racing
copies exactly one claims it, on SQLite and PostgreSQL alike), runs, and stores its answer;
every later copy gets that stored status and body back (``Idempotent-Replayed: true``) and runs
nothing. A copy that arrives while the first still runs waits for its answer (up to
``WAIT_SECONDS``, then 409 with ``Retry-After``).

What is stored: answers below 500, except 401/403/429 (the request did not run as that user,
or not yet). A 5xx or a crash before the answer releases the claim, so a retry runs again: a
request that failed wrote nothing (one transaction per request). The key is per user, kept for
``RETENTION``, and bound to its method and path: the same key on another request is a 422.
``/api/auth/*`` is left out: its answers hold tokens, and tokens are never stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.clock import Clock
from assistant.db import read_only, unit_of_work
from assistant.errors import Unauthorized
from assistant.models import IdempotencyRecord

from .security import decode_token

log = logging.getLogger("budgetwise.web")

HEADER = "idempotency-key"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_KEY = 255
RETENTION = dt.timedelta(hours=24)
WAIT_SECONDS = 10.0
NOT_STORED = frozenset({401, 403, 429})
MAX_STORED_BODY = 4 * 1024 * 1024

_rec = IdempotencyRecord.__table__.c  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Claim:
    outcome: Literal["run", "replay", "pending", "mismatch", "unclaimed"]
    record_id: int | None = None
    status_code: int | None = None
    content_type: str = ""
    body: str | None = None


def claim(engine: Engine, clock: Clock, user_id: int, key: str, request: str) -> Claim:
    """Claim (user, key) for ``request``, or say what the earlier claim holds."""
    now = clock.now()
    for _ in range(3):
        try:
            with unit_of_work(engine) as session:
                session.execute(
                    delete(IdempotencyRecord).where(_rec.user_id == user_id, _rec.created_at < now - RETENTION)
                )
                record = IdempotencyRecord(user_id=user_id, key=key, request=request, created_at=now)
                session.add(record)
                session.flush()
                return Claim("run", record_id=record.id)
        except IntegrityError:
            pass  # claimed before (or the user is gone): look at the existing row
        found = lookup(engine, user_id, key)
        if found is None:
            continue  # released in between: try to claim again
        if found.outcome == "replay" or found.outcome == "pending":
            return found if _same_request(engine, user_id, key, request) else Claim("mismatch")
    return Claim("unclaimed")


def _same_request(engine: Engine, user_id: int, key: str, request: str) -> bool:
    with read_only(engine) as session:
        stored = session.execute(select(_rec.request).where(_rec.user_id == user_id, _rec.key == key)).scalar()
    return stored is None or stored == request


def lookup(engine: Engine, user_id: int, key: str) -> Claim | None:
    with read_only(engine) as session:
        row = session.execute(
            select(_rec.id, _rec.status_code, _rec.content_type, _rec.body).where(
                _rec.user_id == user_id, _rec.key == key
            )
        ).first()
    if row is None:
        return None
    if row.status_code is None:
        return Claim("pending", record_id=row.id)
    return Claim("replay", row.id, row.status_code, row.content_type, row.body)


def store(engine: Engine, record_id: int, status_code: int, content_type: str, body: str) -> None:
    with unit_of_work(engine) as session:
        session.execute(
            update(IdempotencyRecord)
            .where(_rec.id == record_id)
            .values(status_code=status_code, content_type=content_type[:200], body=body)
        )


def release(engine: Engine, record_id: int) -> None:
    with unit_of_work(engine) as session:
        session.execute(delete(IdempotencyRecord).where(_rec.id == record_id))


# ---------------------------------------------------------------- WebSocket messages


_MESSAGE_REQUEST = "ws user_message"
# The chat message statements, built once with bound parameters: a statement built per call with
# its values inline is compiled (or at least cache-keyed value by value) on every message.
_PRUNE_Q = delete(IdempotencyRecord).where(_rec.user_id == bindparam("uid"), _rec.created_at < bindparam("before"))
_CLAIM_VALUES = {"user_id": bindparam("uid"), "key": bindparam("msg_key"), "request": _MESSAGE_REQUEST}
# ON CONFLICT DO NOTHING (SQLite and PostgreSQL alike): a copy that lost the race inserts nothing
# and fails nothing, so the batch's transaction it shares goes on (PostgreSQL aborts a transaction
# on a failed statement; a savepoint per claim cost more than the claim).
_CLAIM_Q = {
    "sqlite": sqlite_insert(IdempotencyRecord)
    .values(**_CLAIM_VALUES, created_at=bindparam("now"))
    .on_conflict_do_nothing(index_elements=["user_id", "key"])
    .returning(_rec.id),
    "postgresql": pg_insert(IdempotencyRecord)
    .values(**_CLAIM_VALUES, created_at=bindparam("now"))
    .on_conflict_do_nothing(index_elements=["user_id", "key"])
    .returning(_rec.id),
}
_CLAIMED_Q = select(_rec.request, _rec.status_code, _rec.body).where(
    _rec.user_id == bindparam("uid"), _rec.key == bindparam("msg_key")
)
_REPLY_Q = (
    update(IdempotencyRecord)
    .where(_rec.user_id == bindparam("uid"), _rec.key == bindparam("msg_key"))
    .values(status_code=200, content_type="application/json", body=bindparam("body"))
)


_RELEASE_Q = delete(IdempotencyRecord).where(
    _rec.user_id == bindparam("uid"),
    _rec.key == bindparam("msg_key"),
    _rec.request == _MESSAGE_REQUEST,
    _rec.status_code.is_(None),
)


def _message_key(message_id: str) -> str:
    return "ws:" + message_id[:MAX_KEY]


def claim_message(
    conn: Connection, now: dt.datetime, user_id: int, message_id: str, *, prune: bool = True
) -> tuple[bool, dict[str, Any] | None]:
    """Claim a chat message id inside the caller's write transaction.

    (True, None) for an id not seen before; else (False, the stored reply or None while the
    first copy still runs). Of two racing copies exactly one inserts (the unique constraint).
    ``prune``: also delete the user's records older than ``RETENTION`` (a socket does it now and
    then, not for every message).
    """
    key = _message_key(message_id)
    if prune:
        conn.execute(_PRUNE_Q, {"uid": user_id, "before": now - RETENTION})
    took = conn.execute(_CLAIM_Q[conn.dialect.name], {"uid": user_id, "msg_key": key, "now": now})
    if took.first() is not None:  # the row returned: this copy inserted it
        return True, None
    row = conn.execute(_CLAIMED_Q, {"uid": user_id, "msg_key": key}).first()
    if row is None:  # the user is gone (the turn says so)
        return True, None
    if row.request != _MESSAGE_REQUEST or row.status_code is None or not row.body:
        return False, None
    reply = json.loads(row.body)
    return False, reply if isinstance(reply, dict) else None


def store_message_reply(conn: Connection, user_id: int, message_id: str, reply: dict[str, Any]) -> None:
    """Keep a chat message's reply with its id, inside the caller's write transaction."""
    body = json.dumps(reply, default=str)
    conn.execute(_REPLY_Q, {"uid": user_id, "msg_key": _message_key(message_id), "body": body})


def release_message(conn: Connection, user_id: int, message_id: str) -> None:
    """Give up a claim whose turn never ran (the server was saturated): a retry of the id runs."""
    conn.execute(_RELEASE_Q, {"uid": user_id, "msg_key": _message_key(message_id)})


# ---------------------------------------------------------------- REST middleware


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def _user_id(scope: Scope) -> int | None:
    """Whose key this is: the bearer token's subject. The endpoint still checks the token in
    full (revocation included); a request it refuses stores nothing (401 is never stored)."""
    auth = _header(scope, b"authorization")
    if not auth or auth[:7].lower() != "bearer ":
        return None
    state = scope["app"].state
    try:
        return decode_token(state.settings, state.clock, auth[7:].strip(), "access").user_id
    except Unauthorized:
        return None


async def _answer(send: Send, status: int, body: bytes, content_type: str, extra: list[tuple[bytes, bytes]]) -> None:
    headers = [(b"content-type", content_type.encode("latin-1")), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers + extra})
    await send({"type": "http.response.body", "body": body})


async def _json(send: Send, status: int, detail: str, code: str, extra: list[tuple[bytes, bytes]] = []) -> None:  # noqa: B006
    body = json.dumps({"detail": detail, "code": code}).encode()
    await _answer(send, status, body, "application/json", extra)


class IdempotencyMiddleware:
    """REST writes under /api with an ``Idempotency-Key``: run once per (user, key)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        # Not under /api/auth/: those answers hold tokens, which are never stored.
        if (
            scope["type"] != "http"
            or scope["method"] not in WRITE_METHODS
            or not path.startswith("/api/")
            or path.startswith("/api/auth/")
        ):
            await self.app(scope, receive, send)
            return
        key = _header(scope, HEADER.encode())
        if key is None:
            await self.app(scope, receive, send)
            return
        if not 1 <= len(key) <= MAX_KEY or not key.isprintable() or not key.isascii():
            await _json(send, 422, f"Idempotency-Key must be 1 to {MAX_KEY} printable ASCII characters", "invalid")
            return
        user_id = _user_id(scope)
        if user_id is None:  # not signed in (the endpoint answers 401) or signing in: nothing to key
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        engine: Engine = state.engine
        request = f"{scope['method']} {scope['path']}"[:600]
        try:
            found = await run_in_threadpool(claim, engine, state.clock, user_id, "api:" + key, request)
            waited = 0.0
            while found.outcome == "pending" and waited < WAIT_SECONDS:
                await asyncio.sleep(0.05)
                waited += 0.05
                again = await run_in_threadpool(lookup, engine, user_id, "api:" + key)
                found = (
                    again
                    if again is not None
                    else await run_in_threadpool(claim, engine, state.clock, user_id, "api:" + key, request)
                )
        except SQLAlchemyError:  # the database is busy or gone: nothing ran, say when to retry
            log.warning("idempotency claim failed", exc_info=True)
            msg = "the database is busy; nothing was written, retry shortly"
            await _json(send, 503, msg, "unavailable", [(b"retry-after", b"1")])
            return
        if found.outcome == "mismatch":
            await _json(send, 422, "this Idempotency-Key was already used for another request", "invalid")
        elif found.outcome == "pending":
            msg = "a request with this Idempotency-Key is still running; retry shortly"
            await _json(send, 409, msg, "conflict", [(b"retry-after", b"1")])
        elif found.outcome == "replay":
            body = (found.body or "").encode("utf-8")
            assert found.status_code is not None
            await _answer(send, found.status_code, body, found.content_type, [(b"idempotent-replayed", b"true")])
        elif found.outcome == "unclaimed":
            await self.app(scope, receive, send)
        else:
            assert found.record_id is not None
            await self._run(scope, receive, send, engine, found.record_id)

    async def _run(self, scope: Scope, receive: Receive, send: Send, engine: Engine, record_id: int) -> None:
        """Run the request, keep its answer, then send it (stored first: a retry never misses it)."""
        start: Message | None = None
        chunks: list[bytes] = []
        sent = False

        async def capture(message: Message) -> None:
            nonlocal start, sent
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            status = int(start["status"])
            content_type = next(
                (bytes(v).decode("latin-1") for k, v in start.get("headers", ()) if k == b"content-type"), ""
            )
            try:
                if status < 500 and status not in NOT_STORED and len(body) <= MAX_STORED_BODY:
                    text = body.decode("utf-8", "replace")  # write answers are JSON
                    await run_in_threadpool(store, engine, record_id, status, content_type, text)
                else:
                    await run_in_threadpool(release, engine, record_id)
            except SQLAlchemyError:  # the answer still goes out; a retry then waits, then gets 409
                log.warning("could not keep the answer for an idempotency key", exc_info=True)
            sent = True
            await send(start)
            await send({"type": "http.response.body", "body": body})

        try:
            await self.app(scope, receive, capture)
        except BaseException:
            if not sent:
                with contextlib.suppress(Exception):
                    await asyncio.shield(run_in_threadpool(release, engine, record_id))
            raise
        if not sent:
            with contextlib.suppress(Exception):
                await run_in_threadpool(release, engine, record_id)
