"""The chat WebSocket (``/ws/chat``) and the hub that pushes notifications to open sockets.

Why this shape:
- Each connection has a bounded send queue drained by its own writer task, so a slow client
  only slows its own turns and never the others (a notification it cannot take closes it).
- Turns run as tasks, so ``ping`` is answered mid-turn; a per-user lock runs one user's turns
  one after the other, even across tabs.
- Sessions really end: the token is checked before every message (so every turn) and before
  every push, against the clock (expiry) and the database (sign-out, password change, a reused
  refresh token). Sign-out and password change also signal this instance's hub, which closes
  the user's revoked sockets at once; a sweep closes expired ones within a second and
  re-checks every socket against the database every ``DB_RECHECK_SECONDS`` (for revocations
  made on another instance). A revoked socket gets ``error`` (unauthorized) then close 4401,
  and nothing queued before is sent.
- A ``user_message`` id is handled once per user (``idempotency_keys``): a retried message
  gets the stored reply (or a duplicate notice) and writes nothing again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
import weakref
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import orjson
from fastapi import APIRouter, FastAPI, WebSocket
from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocketState

from assistant.clock import Clock, SystemClock
from assistant.db import read_only, read_only_connection
from assistant.errors import BudgetWiseError, Unauthorized, Unavailable
from assistant.logsafe import log_exception_safely
from assistant.models import Notification, UserPublic

from .deps import user_for_token
from .hardening import BAD_UNICODE_MSG, bad_unicode_in_json, lone_surrogate_path
from .idempotency import claim_message, store_message_reply
from .metrics import Metrics, log_event
from .security import TokenClaims, claims_still_valid, decode_token

log = logging.getLogger("budgetwise.web")
router = APIRouter()

MAX_TEXT = 64 * 1024
MAX_BINARY = 2 * 1024 * 1024
QUEUE_SIZE = 256
AUTH_TIMEOUT = 15.0
CLOSE_UNAUTHORIZED = 4401
CLOSE_FORBIDDEN_ORIGIN = 4403
CLOSE_TOO_SLOW = 1013
SWEEP_SECONDS = 1.0  # expiry: a socket outlives its token by at most this
DB_RECHECK_SECONDS = 15.0  # revocations made on another instance, when no push came first
REVOKED_MESSAGE = "the session has ended (signed out or expired); sign in again"


class Connection:
    """One open socket: a bounded outbox and the writer task that drains it."""

    def __init__(self, ws: WebSocket, queue_size: int = QUEUE_SIZE) -> None:
        self.ws = ws
        self.user_id: int | None = None
        self.claims: TokenClaims | None = None  # the token this socket acts on
        self.queue: asyncio.Queue[dict[str, Any] | int] = asyncio.Queue(maxsize=queue_size)
        self.closed = False
        self.writer = asyncio.create_task(self._write_loop())

    async def _write_loop(self) -> None:
        try:
            while True:
                item = await self.queue.get()
                if isinstance(item, int):  # a close code: everything queued before it went out
                    await self.ws.close(code=item)
                    return
                await self.ws.send_text(encode_event(item))
        except Exception:  # the peer went away; the reader notices the disconnect
            pass
        finally:
            self.closed = True

    async def send(self, event: dict[str, Any]) -> None:
        """Queue an event, waiting while the outbox is full (back-pressure on this turn only)."""
        if not self.closed:
            await self.queue.put(event)

    def offer(self, event: dict[str, Any]) -> bool:
        """Queue without waiting; False when the client is too slow to keep up."""
        if self.closed:
            return False
        try:
            self.queue.put_nowait(event)
            return True
        except asyncio.QueueFull:
            return False

    async def close(self, code: int) -> None:
        if not self.closed:
            await self.queue.put(code)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(asyncio.shield(self.writer), timeout=5)

    def revoke(self, message: str = REVOKED_MESSAGE) -> None:
        """The token no longer holds: drop what is queued, send the error, close with 4401.

        Marked closed first, so nothing more (no push, no turn event) is queued after it.
        """
        if self.closed:
            return
        self.closed = True
        while not self.queue.empty():
            self.queue.get_nowait()
        self.queue.put_nowait(error_event("unauthorized", message))
        self.queue.put_nowait(CLOSE_UNAUTHORIZED)

    def expired(self, now: float) -> bool:
        return self.claims is not None and now >= self.claims.exp

    def abort(self, code: int = CLOSE_TOO_SLOW) -> None:
        """Drop a client that cannot keep up, without waiting on it."""
        self.closed = True
        self.writer.cancel()
        asyncio.get_running_loop().create_task(_quiet_close(self.ws, code))


_ORJSON_OPTS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS


def _orjson_default(value: Any) -> Any:
    """Subclasses (passed through to keep ``json.dumps``'s output): what it writes for them."""
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list):
        return list(value)
    if isinstance(value, str | int | float):  # an enum member
        return json.loads(json.dumps(value))
    return str(value)


def encode_event(event: dict[str, Any]) -> str:
    """An event as a text frame: ``json.dumps(event, default=str)``'s JSON, encoded by orjson."""
    try:
        return orjson.dumps(event, default=_orjson_default, option=_ORJSON_OPTS).decode()
    except (TypeError, orjson.JSONEncodeError):  # NaN, huge ints, non-string keys: the slow path
        return json.dumps(event, default=str)


async def _quiet_close(ws: WebSocket, code: int) -> None:
    with contextlib.suppress(Exception):
        if ws.application_state != WebSocketState.DISCONNECTED:
            await ws.close(code=code)


def notification_dict(n: Notification) -> dict[str, Any]:
    """A stored notification as the WebSocket pushes it and the inbox lists it."""
    return {
        "id": n.id,
        "kind": n.kind,
        "title": n.title,
        "body": n.body,
        "created_at": n.created_at.isoformat(),
        "data": n.data or {},
        "read": n.read,
    }


class NotificationHub:
    """Who is connected, per user; ``publish`` pushes a notification to all their sockets.

    The scheduler calls ``publish`` (or ``publish_threadsafe`` from a worker thread); with
    several app instances it feeds the hub from PostgreSQL LISTEN/NOTIFY.
    """

    def __init__(self, engine: Engine | None = None, clock: Clock | None = None) -> None:
        self._conns: dict[int, set[Connection]] = defaultdict(set)
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()
        self._loop: asyncio.AbstractEventLoop | None = None
        self.engine = engine
        self.clock: Clock = clock or SystemClock()
        self._sweeper: asyncio.Task[None] | None = None

    def register(self, user_id: int, conn: Connection) -> None:
        self._loop = asyncio.get_running_loop()
        self._conns[user_id].add(conn)
        if self._sweeper is None or self._sweeper.done():
            self._sweeper = self._loop.create_task(self._sweep(), name="ws-session-sweep")

    # -- sessions that end

    def _valid(self, conns: list[Connection]) -> list[bool]:
        """Each socket's token against the clock and the database (a worker thread)."""
        now = self.clock.now().timestamp()
        if self.engine is None:
            return [not c.expired(now) for c in conns]
        out: list[bool] = []
        seen: dict[TokenClaims, bool] = {}
        with read_only_connection(self.engine) as db:
            for c in conns:
                if c.claims is None or c.expired(now):
                    out.append(c.claims is None)
                    continue
                if c.claims not in seen:
                    seen[c.claims] = claims_still_valid(db, c.claims)
                out.append(seen[c.claims])
        return out

    async def recheck(self, user_id: int) -> int:
        """Close the user's sockets whose token no longer holds; returns how many were closed."""
        conns = [c for c in self._conns.get(user_id, ()) if not c.closed]
        if not conns:
            return 0
        try:
            valid = await asyncio.to_thread(self._valid, conns)
        except Exception:  # the next message, push or sweep checks again
            log.warning("could not re-check the sessions of user %s", user_id, exc_info=True)
            return 0
        closed = 0
        for conn, ok in zip(conns, valid, strict=True):
            if not ok:
                self.unregister(user_id, conn)
                conn.revoke()
                closed += 1
        return closed

    def recheck_threadsafe(self, user_id: int) -> None:
        """From a worker thread (a sync endpoint, after its commit): ``recheck`` on the loop."""
        if self._loop is not None and self._loop.is_running():
            asyncio.run_coroutine_threadsafe(self.recheck(user_id), self._loop)

    async def aclose(self) -> None:
        """At shutdown: stop the sweep."""
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(BaseException):
                await self._sweeper

    async def _sweep(self) -> None:
        """Every second: close expired sockets; every ``DB_RECHECK_SECONDS``: re-check all."""
        last_db = time.monotonic()
        while self._conns:
            await asyncio.sleep(SWEEP_SECONDS)
            try:
                now = self.clock.now().timestamp()
                for user_id, conns in list(self._conns.items()):
                    for conn in [c for c in conns if c.expired(now)]:
                        self.unregister(user_id, conn)
                        conn.revoke("the session has expired; sign in again")
                if self.engine is not None and time.monotonic() - last_db >= DB_RECHECK_SECONDS:
                    last_db = time.monotonic()
                    for user_id in list(self._conns):
                        await self.recheck(user_id)
            except Exception:  # a database hiccup: the next sweep and every push check again
                log.warning("session sweep failed", exc_info=True)

    def unregister(self, user_id: int, conn: Connection) -> None:
        conns = self._conns.get(user_id)
        if conns is not None:
            conns.discard(conn)
            if not conns:
                del self._conns[user_id]

    def count(self, user_id: int | None = None) -> int:
        if user_id is None:
            return sum(len(c) for c in self._conns.values())
        return len(self._conns.get(user_id, ()))

    def user_lock(self, user_id: int) -> asyncio.Lock:
        lock = self._locks.get(user_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[user_id] = lock
        return lock

    async def publish(self, user_id: int, notification: dict[str, Any]) -> int:
        """Push to every socket of the user whose token still holds; returns how many took it.

        The token check before the push reads the database, so a sign-out on another instance
        stops the push here too: that socket is closed (4401) instead.
        """
        event = {"type": "notification", "notification": notification}
        delivered = 0
        conns = [c for c in self._conns.get(user_id, ()) if not c.closed]
        try:
            valid = await asyncio.to_thread(self._valid, conns) if conns else []
        except Exception:  # no check, no push: the notification stays in the inbox
            log.warning("could not check the sessions before a push", exc_info=True)
            return 0
        for conn, ok in zip(conns, valid, strict=True):
            if not ok:
                self.unregister(user_id, conn)
                conn.revoke()
                continue
            if conn.offer(event):
                delivered += 1
            else:
                self.unregister(user_id, conn)
                conn.abort()
        return delivered

    def publish_threadsafe(self, user_id: int, notification: dict[str, Any]) -> None:
        """From a thread (a scheduler job): hand the push to the app's event loop."""
        if self._loop is not None and self._loop.is_running():
            asyncio.run_coroutine_threadsafe(self.publish(user_id, notification), self._loop)


# ---------------------------------------------------------------- the endpoint


def origin_allowed(ws: WebSocket) -> bool:
    """Browsers send Origin: it must be this app (or a configured one). No Origin: not a browser."""
    origin = ws.headers.get("origin")
    if not origin:
        return True
    settings = ws.app.state.settings
    allowed = {o.rstrip("/").lower() for o in [*settings.allowed_origins, *settings.cors_origins]}
    if "*" in allowed or origin.rstrip("/").lower() in allowed:
        return True
    return urlsplit(origin).netloc.lower() == ws.headers.get("host", "").lower()


def _check_token(app: FastAPI, token: str) -> tuple[dict[str, Any], TokenClaims]:
    with read_only(app.state.engine) as session:
        user = user_for_token(session, app.state.settings, app.state.clock, token)
        claims = decode_token(app.state.settings, app.state.clock, token, "access")
        return UserPublic.model_validate(user).model_dump(mode="json"), claims


def _token_still_valid(app: FastAPI, token: str, user_id: int) -> bool:
    """The check before every message: ``user_for_token``'s, reading columns, not the user."""
    try:
        claims = decode_token(app.state.settings, app.state.clock, token, "access")
    except Unauthorized:
        return False
    if claims.user_id != user_id:
        return False
    with read_only_connection(app.state.engine) as conn:
        return claims_still_valid(conn, claims)


def error_event(code: str, message: str, turn_id: str | None = None) -> dict[str, Any]:
    event: dict[str, Any] = {"type": "error", "code": code, "message": message}
    if turn_id is not None:
        event["turn_id"] = turn_id
    return event


def get_runner(app: FastAPI) -> Any:
    """The agent runner, made on first use (so the app starts even while it cannot be built)."""
    runner = getattr(app.state, "runner", None)
    if runner is None:
        try:
            from assistant.agent.runner import AgentRunner
        except ImportError as exc:
            raise Unavailable("the assistant is not available in this installation") from exc
        runner = AgentRunner(engine=app.state.engine, settings=app.state.settings, clock=app.state.clock)
        app.state.runner = runner
    return runner


async def _stream(
    app: FastAPI, conn: Connection, user_id: int, reply_to: str, events: AsyncIterator[Any], label: str | None
) -> None:
    """Send a turn's events; whatever fails, the client still gets ``error`` and ``turn_end``.

    Turns of one user run one after the other (the hub's per-user lock). ``label`` names the
    turn in the latency histogram (``None``: the engine that answered).
    """
    hub: NotificationHub = app.state.hub
    metrics: Metrics = app.state.metrics
    turn_id: str | None = None
    ended = False
    engine = label or "none"
    async with hub.user_lock(user_id):
        start = time.perf_counter()
        try:
            async for ev in events:
                event = ev.to_dict() if hasattr(ev, "to_dict") else dict(ev)
                kind = event.get("type")
                turn_id = event.get("turn_id", turn_id)
                if kind == "tool_result":
                    metrics.tool_calls.labels(str(event.get("name")), str(bool(event.get("ok"))).lower()).inc()
                elif kind == "assistant_message" and label is None:
                    engine = str(event.get("engine", engine))
                elif kind == "turn_end":
                    ended = True
                await conn.send(event)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if not isinstance(exc, BudgetWiseError):
                log_exception_safely(log, "turn failed", exc=exc)  # the message may quote what the user said
            code, message = (
                (str(exc.code), exc.message)
                if isinstance(exc, BudgetWiseError)
                else ("internal", "something went wrong on our side; nothing was changed by this message")
            )
            if turn_id is None:
                turn_id = uuid.uuid4().hex
                await conn.send({"type": "turn_start", "turn_id": turn_id, "reply_to": reply_to})
            await conn.send(error_event(code, message, turn_id))
        if not ended:
            await conn.send({"type": "turn_end", "turn_id": turn_id or uuid.uuid4().hex})
        metrics.turn_seconds.labels(engine).observe(time.perf_counter() - start)


async def run_turn(app: FastAPI, conn: Connection, user_id: int, text: str, reply_to: str) -> None:
    """One typed turn, streamed."""

    async def events() -> AsyncIterator[Any]:
        async for ev in get_runner(app).run_turn(user_id, text, reply_to):
            yield ev

    await _stream(app, conn, user_id, reply_to, events(), None)


async def run_confirm(app: FastAPI, conn: Connection, user_id: int, confirm_id: str, answer: str) -> None:
    """The client's answer to a ``confirm``: "yes" runs the held write as a new turn, "no" drops it."""

    async def events() -> AsyncIterator[Any]:
        async for ev in get_runner(app).run_confirm(user_id, confirm_id, answer, confirm_id):
            yield ev

    await _stream(app, conn, user_id, confirm_id, events(), None)


class _Recording:
    """One voice message being received."""

    def __init__(self, reply_to: str, fmt: str, speak: bool) -> None:
        self.reply_to, self.format, self.speak = reply_to, fmt, speak
        self.chunks: list[bytes] = []
        self.size = 0
        self.rejected = False
        self.answered = False


async def run_voice_turn(
    app: FastAPI, conn: Connection, user_id: int, audio: bytes, reply_to: str, speak: bool
) -> None:
    """A voice turn (``assistant.voice.pipeline``): transcript, the turn, the spoken reply."""

    async def events() -> AsyncIterator[Any]:
        from assistant.voice.pipeline import voice_for, voice_turn

        async for ev in voice_turn(get_runner(app), voice_for(app.state), user_id, audio, reply_to, speak=speak):
            yield ev

    await _stream(app, conn, user_id, reply_to, events(), "voice")


@router.websocket("/ws/chat")
async def chat_socket(ws: WebSocket) -> None:
    app: FastAPI = ws.app
    metrics: Metrics = app.state.metrics
    if not origin_allowed(ws):
        metrics.ws_connections.labels("forbidden_origin").inc()
        await ws.close(code=CLOSE_FORBIDDEN_ORIGIN)
        return
    await ws.accept()
    conn = Connection(ws)
    session = ChatSession(app, conn)
    try:
        await session.serve()
    finally:
        await session.cleanup()


class ChatSession:
    """The reading side of one socket: authentication, then one message at a time."""

    def __init__(self, app: FastAPI, conn: Connection) -> None:
        self.app = app
        self.conn = conn
        self.hub: NotificationHub = app.state.hub
        self.token = ""
        self.user_id: int | None = None
        self.turns: set[asyncio.Task[None]] = set()

    async def _receive(self, timeout: float | None = None) -> dict[str, Any] | None:
        msg = await asyncio.wait_for(self.conn.ws.receive(), timeout)
        return None if msg["type"] == "websocket.disconnect" else dict(msg)

    async def _authenticate(self, token: Any) -> dict[str, Any] | None:
        if not isinstance(token, str) or not token:
            return None
        try:
            user, claims = await run_in_threadpool(_check_token, self.app, token)
        except Unauthorized:
            return None
        if self.user_id is None or int(user["id"]) == self.user_id:
            self.conn.claims = claims  # expiry and revocation now follow this token
        return user

    async def _refuse(self, message: str) -> None:
        self.app.state.metrics.ws_connections.labels("unauthorized").inc()
        await self.conn.send(error_event("unauthorized", message))
        await self.conn.close(CLOSE_UNAUTHORIZED)

    async def serve(self) -> None:
        try:
            first = await self._receive(AUTH_TIMEOUT)
        except TimeoutError:
            await self._refuse('send {"type":"auth","token":...} first')
            return
        if first is None:
            return
        data = _parse(first.get("text"))
        user = await self._authenticate(data.get("token")) if data and data.get("type") == "auth" else None
        if user is None:
            await self._refuse("sign in first: the first message must be a valid auth message")
            return
        self.token, self.user_id = str(data["token"]), int(user["id"])  # type: ignore[index]
        self.hub.register(self.user_id, self.conn)
        self.app.state.metrics.ws_connections.labels("ready").inc()
        log_event("ws_ready", user_id=self.user_id)
        await self.conn.send({"type": "ready", "user": user})
        while not self.conn.closed:
            msg = await self._receive()
            if msg is None:
                return
            if not await self._handle(msg):
                return

    async def _handle(self, msg: dict[str, Any]) -> bool:
        """One client frame; False ends the session."""
        text, raw = msg.get("text"), msg.get("bytes")
        if raw is not None:
            if len(raw) > MAX_BINARY:
                if self.recording is not None:  # a recording with a hole in it is not worth transcribing
                    self.recording.rejected = True
                await self.conn.send(error_event("too_large", f"binary frames are limited to {MAX_BINARY} bytes"))
                return True
        elif text is None or len(text.encode("utf-8", "surrogatepass")) > MAX_TEXT:
            await self.conn.send(error_event("too_large", f"messages are limited to {MAX_TEXT} bytes"))
            return True
        data = _parse(text) if text is not None else None
        if data is not None and data.get("type") == "auth":  # a fresh token (after a refresh)
            user = await self._authenticate(data.get("token"))
            if user is None or int(user["id"]) != self.user_id:
                await self._refuse("that token is not valid for this connection")
                return False
            self.token = str(data["token"])
            await self.conn.send({"type": "ready", "user": user})
            return True
        if self.user_id is None or not await run_in_threadpool(_token_still_valid, self.app, self.token, self.user_id):
            await self._refuse(REVOKED_MESSAGE)
            return False
        if raw is not None:
            await self.on_audio_chunk(raw)
            return True
        if data is None and text is not None and bad_unicode_in_json(text) is not None:
            await self.conn.send(error_event("invalid", BAD_UNICODE_MSG))  # a REST body like it gets a 422
            return True
        if data is None:
            await self.conn.send(error_event("bad_request", 'messages are JSON objects with a "type"'))
            return True
        await self._dispatch(data)
        return True

    async def _dispatch(self, data: dict[str, Any]) -> None:
        kind = data.get("type")
        if kind == "ping":
            await self.conn.send({"type": "pong"})
        elif kind == "user_message":
            text, reply_to = data.get("text"), data.get("id") or uuid.uuid4().hex
            if not isinstance(text, str) or not text.strip() or not _is_id(reply_to):
                await self.conn.send(error_event("bad_request", 'user_message needs a non-empty "text"'))
                return
            assert self.user_id is not None
            if "id" in data and not await self._first_time(str(reply_to)):
                return
            task = asyncio.create_task(self._answer(text, str(reply_to), remember="id" in data))
            self.turns.add(task)
            task.add_done_callback(self.turns.discard)
        elif kind == "confirm":
            confirm_id, answer = data.get("id"), data.get("answer")
            if not isinstance(confirm_id, str) or not confirm_id or answer not in ("yes", "no"):
                await self.conn.send(error_event("bad_request", 'confirm needs an "id" and "answer": "yes" or "no"'))
                return
            assert self.user_id is not None
            task = asyncio.create_task(run_confirm(self.app, self.conn, self.user_id, confirm_id, str(answer)))
            self.turns.add(task)
            task.add_done_callback(self.turns.discard)
        elif kind == "audio_start":
            await self.on_audio_start(data)
        elif kind == "audio_end":
            await self.on_audio_end(data)
        else:
            await self.conn.send(error_event("bad_request", f"unknown message type {kind!r}"))

    async def _first_time(self, reply_to: str) -> bool:
        """Claim this message id for the user; a retried one is answered from the record."""
        assert self.user_id is not None
        try:
            claimed, reply = await run_in_threadpool(
                claim_message, self.app.state.engine, self.app.state.clock, self.user_id, reply_to
            )
        except Exception:  # the database is down: the turn itself will say so
            log.warning("could not record message id", exc_info=True)
            return True
        if claimed:
            return True
        turn_id = uuid.uuid4().hex
        await self.conn.send({"type": "turn_start", "turn_id": turn_id, "reply_to": reply_to})
        if reply is not None:
            await self.conn.send({**reply, "turn_id": turn_id, "duplicate": True})
        else:
            await self.conn.send(
                error_event("duplicate", "this message was already received; it is not run again", turn_id)
            )
        await self.conn.send({"type": "turn_end", "turn_id": turn_id})
        return False

    async def _answer(self, text: str, reply_to: str, *, remember: bool) -> None:
        """A typed turn; its reply is kept with the message id (before ``turn_end`` goes out, so
        a retry sent the moment the turn ends already finds it)."""
        assert self.user_id is not None
        user_id = self.user_id
        replies: list[dict[str, Any]] = []
        kept = False

        async def keep() -> None:
            nonlocal kept
            if remember and replies and not kept:
                kept = True
                reply = {k: v for k, v in replies[-1].items() if k != "turn_id"}
                with contextlib.suppress(Exception):  # the turn is answered; the record is a convenience
                    await run_in_threadpool(store_message_reply, self.app.state.engine, user_id, reply_to, reply)

        async def events() -> AsyncIterator[Any]:
            async for ev in get_runner(self.app).run_turn(user_id, text, reply_to):
                event = ev.to_dict() if hasattr(ev, "to_dict") else dict(ev)
                if event.get("type") == "assistant_message":
                    replies.append(event)
                elif event.get("type") == "turn_end":
                    await keep()
                yield ev

        await _stream(self.app, self.conn, user_id, reply_to, events(), None)
        await keep()

    # Voice: audio_start opens a recording, binary frames fill it (bounded), audio_end transcribes
    # it off the event loop and runs the text as a turn ("transcript" and, when asked,
    # "audio_reply" events). Bad audio is an error turn; nothing is stored for it.
    recording: _Recording | None = None

    async def on_audio_start(self, data: dict[str, Any]) -> None:
        from assistant.voice.pipeline import WS_FORMATS

        fmt, speak, rid = str(data.get("format") or "").lower(), data.get("speak", False), data.get("id")
        if fmt not in WS_FORMATS:
            formats = ", ".join(sorted(WS_FORMATS))
            await self.conn.send(error_event("bad_request", f"audio_start needs a format: one of {formats}"))
            return
        if not isinstance(speak, bool) or (rid is not None and not _is_id(rid)):
            await self.conn.send(error_event("bad_request", 'audio_start: "speak" is true or false, "id" a string'))
            return
        self.recording = _Recording(str(rid) if rid not in (None, "") else uuid.uuid4().hex, fmt, speak)

    async def on_audio_chunk(self, chunk: bytes) -> None:
        from assistant.voice.pipeline import MAX_RECORDING_BYTES

        rec = self.recording
        if rec is None:
            await self.conn.send(error_event("bad_request", "send audio_start before audio frames"))
            return
        if rec.rejected:
            return
        rec.size += len(chunk)
        if rec.size > MAX_RECORDING_BYTES:  # answer at once, drop the rest until audio_end
            rec.rejected = True
            await self._reject(rec, f"the recording is too large (at most {MAX_RECORDING_BYTES // (1024 * 1024)} MB)")
            return
        rec.chunks.append(chunk)

    async def _reject(self, rec: _Recording, message: str) -> None:
        """A too-large recording: its own turn with a too_large error; nothing is stored."""
        rec.answered = True
        rec.chunks.clear()
        turn_id = uuid.uuid4().hex
        await self.conn.send({"type": "turn_start", "turn_id": turn_id, "reply_to": rec.reply_to})
        await self.conn.send(error_event("too_large", message, turn_id))
        await self.conn.send({"type": "turn_end", "turn_id": turn_id})

    async def on_audio_end(self, data: dict[str, Any]) -> None:
        rec, self.recording = self.recording, None
        if rec is None:
            await self.conn.send(error_event("bad_request", "audio_end without audio_start"))
            return
        if rec.rejected:
            if not rec.answered:
                await self._reject(rec, f"audio frames are limited to {MAX_BINARY // (1024 * 1024)} MB each")
            return
        assert self.user_id is not None
        audio = b"".join(rec.chunks)
        task = asyncio.create_task(run_voice_turn(self.app, self.conn, self.user_id, audio, rec.reply_to, rec.speak))
        self.turns.add(task)
        task.add_done_callback(self.turns.discard)

    async def cleanup(self) -> None:
        if self.user_id is not None:
            self.hub.unregister(self.user_id, self.conn)
        for task in list(self.turns):
            task.cancel()
        if self.turns:
            await asyncio.gather(*self.turns, return_exceptions=True)
        if not self.conn.writer.done():
            self.conn.writer.cancel()
            with contextlib.suppress(BaseException):
                await self.conn.writer


def _is_id(value: Any) -> bool:
    """A client id is a string or a whole number (JSON ``true`` is not one, though Python's bool is an int)."""
    return isinstance(value, str | int) and not isinstance(value, bool)


def _parse(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    # A lone surrogate ("\\ud800") decodes to text nothing downstream can store or encode.
    return data if isinstance(data, dict) and lone_surrogate_path(data) is None else None
