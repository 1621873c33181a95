"""The reading side of one socket: authentication, then one handler per client message.

- Turns run as tasks, so ``ping`` is answered mid-turn; the hub's per-user lock runs one user's
  turns one after the other, even across tabs.
- The token is checked before every message (so every turn) against the clock and the
  database (sign-out, password change, a reused refresh token); a revoked socket gets
  ``error`` (unauthorized) and close 4401.
- A ``user_message`` id is handled once per user (``idempotency_keys``): a retried message gets
  the stored reply (or a duplicate notice) and writes nothing again. The id is claimed in the
  same transaction as the token check, and the reply kept before ``turn_end`` goes out (so a
  retry sent the moment the turn ends already finds it); both ride the socket layer's group
  commit (``batch``).
- Voice: ``audio_start`` opens a recording, binary frames fill it (bounded), ``audio_end`` runs
  it as a voice turn (``transcript`` and, when asked, ``audio_reply``). Bad audio is an error
  turn; nothing is stored for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from fastapi import FastAPI
from sqlalchemy.engine import Connection as DBConnection
from starlette.concurrency import run_in_threadpool

from assistant.db import KeepReply, read_only
from assistant.errors import Unauthorized
from assistant.models import User, UserPublic

from ..hardening import BAD_UNICODE_MSG, bad_unicode_in_json
from ..idempotency import claim_message, release_message, store_message_reply
from ..metrics import log_event
from ..security import TokenClaims, access_claims
from .batch import SocketDatabase, refuse
from .connection import CLOSE_UNAUTHORIZED, REVOKED_MESSAGE, Connection
from .hub import NotificationHub
from .protocol import (
    MAX_BINARY,
    MAX_TEXT,
    PONG,
    AudioEnd,
    AudioStart,
    Auth,
    Confirm,
    Ping,
    UserMessage,
    error_event,
    error_turn,
    parse_json,
    parse_message,
    ready_event,
    replayed_turn,
)
from .turns import get_runner, stream_turn

log = logging.getLogger("budgetwise.web")

AUTH_TIMEOUT = 15.0
PRUNE_SECONDS = 600.0  # how often a socket deletes its user's message ids past their retention


def socket_database(app: FastAPI) -> SocketDatabase:
    db: SocketDatabase | None = getattr(app.state, "ws_database", None)
    if db is None or db.engine is not app.state.engine:
        db = app.state.ws_database = SocketDatabase(app.state.engine)
    return db


def _sign_in(app: FastAPI, token: str) -> tuple[dict[str, Any], TokenClaims]:
    """The ``auth`` message's token: its claims and the user it names (a worker thread)."""
    with read_only(app.state.engine) as session:
        claims = access_claims(session, app.state.settings, app.state.clock, token)
        user = session.get(User, claims.user_id)
        if user is None:
            raise Unauthorized("the token has been revoked; sign in again")
        return UserPublic.model_validate(user).model_dump(mode="json"), claims


class _Recording:
    """One voice message being received."""

    def __init__(self, reply_to: str, fmt: str, speak: bool) -> None:
        self.reply_to, self.format, self.speak = reply_to, fmt, speak
        self.chunks: list[bytes] = []
        self.size = 0
        self.rejected = False
        self.answered = False


class ChatSession:
    """One socket's session: ``serve`` reads, a handler per message type answers."""

    def __init__(self, app: FastAPI, conn: Connection) -> None:
        self.app = app
        self.conn = conn
        self.hub: NotificationHub = app.state.hub
        self.db = socket_database(app)
        self.token = ""
        self.claims: TokenClaims | None = None
        self.user_id: int | None = None
        self.turns: set[asyncio.Task[None]] = set()
        self.recording: _Recording | None = None
        self.pruned_at = -PRUNE_SECONDS
        self.handlers: dict[type, Callable[[Any], Awaitable[None]]] = {
            Ping: self.on_ping,
            UserMessage: self.on_user_message,
            Confirm: self.on_confirm,
            AudioStart: self.on_audio_start,
            AudioEnd: self.on_audio_end,
        }

    # -- reading

    async def _receive(self, timeout: float | None = None) -> dict[str, Any] | None:
        msg = await asyncio.wait_for(self.conn.ws.receive(), timeout)
        return None if msg["type"] == "websocket.disconnect" else dict(msg)

    async def serve(self) -> None:
        try:
            first = await self._receive(AUTH_TIMEOUT)
        except TimeoutError:
            await self._refuse('send {"type":"auth","token":...} first')
            return
        if first is None:
            return
        data = parse_json(first.get("text"))
        message = parse_message(data) if data is not None else None
        user = await self._authenticate(message.token) if isinstance(message, Auth) else None
        if user is None:
            await self._refuse("sign in first: the first message must be a valid auth message")
            return
        self.user_id = int(user["id"])
        self.hub.register(self.user_id, self.conn)
        self.app.state.metrics.ws_connections.labels("ready").inc()
        log_event("ws_ready", user_id=self.user_id)
        await self.conn.send(ready_event(user))
        while not self.conn.closed:
            msg = await self._receive()
            if msg is None or self.conn.closed or not await self._handle(msg):
                return  # a socket dropped while its frame was awaited runs nothing more

    async def _handle(self, msg: dict[str, Any]) -> bool:
        """One client frame; False ends the session."""
        text, raw = msg.get("text"), msg.get("bytes")
        if raw is not None:
            if len(raw) > MAX_BINARY:
                if self.recording is not None:  # a recording with a hole in it is not worth transcribing
                    self.recording.rejected = True
                await self.conn.send(error_event("too_large", f"binary frames are limited to {MAX_BINARY} bytes"))
                return True
        elif text is None or (len(text) > MAX_TEXT // 4 and len(text.encode("utf-8", "surrogatepass")) > MAX_TEXT):
            await self.conn.send(error_event("too_large", f"messages are limited to {MAX_TEXT} bytes"))
            return True
        data = parse_json(text) if text is not None else None
        message = parse_message(data) if data is not None else None
        if isinstance(message, Auth):  # a fresh token (after a refresh)
            return await self.on_auth(message)
        if isinstance(message, UserMessage) and message.remember:
            return await self.on_user_message_once(message)
        if not await self._still_signed_in():
            return False
        if raw is not None:
            await self.on_audio_chunk(raw)
        elif message is None:
            bad_unicode = text is not None and bad_unicode_in_json(text) is not None
            await self.conn.send(
                error_event("invalid", BAD_UNICODE_MSG)  # a REST body like it gets a 422
                if bad_unicode
                else error_event("bad_request", 'messages are JSON objects with a "type"')
            )
        elif isinstance(message, dict):  # a message that does not fit its type
            await self.conn.send(message)
        else:
            await self.handlers[type(message)](message)
        return True

    # -- the token

    def _token_job(self) -> Callable[[DBConnection], TokenClaims]:
        settings, clock, token, claims = self.app.state.settings, self.app.state.clock, self.token, self.claims

        def check(conn: DBConnection) -> TokenClaims:
            try:
                return access_claims(conn, settings, clock, token, claims)
            except Unauthorized as exc:
                raise refuse(exc) from None

        return check

    async def _still_signed_in(self) -> bool:
        """The check before every message; a token that no longer holds ends the session."""
        if self.user_id is not None:
            try:
                await self.db.reads.run(self._token_job())
                return True
            except Unauthorized:
                pass
        await self._refuse(REVOKED_MESSAGE)
        return False

    async def _authenticate(self, token: Any) -> dict[str, Any] | None:
        if not isinstance(token, str) or not token:
            return None
        try:
            user, claims = await run_in_threadpool(_sign_in, self.app, token)
        except Unauthorized:
            return None
        if self.user_id is None or int(user["id"]) == self.user_id:
            self.token, self.claims = token, claims
            self.conn.claims = claims  # expiry and revocation now follow this token
        return user

    async def _refuse(self, message: str) -> None:
        self.app.state.metrics.ws_connections.labels("unauthorized").inc()
        await self.conn.send(error_event("unauthorized", message))
        await self.conn.close(CLOSE_UNAUTHORIZED)

    # -- one handler per message type

    async def on_auth(self, message: Auth) -> bool:
        user = await self._authenticate(message.token)
        if user is None or int(user["id"]) != self.user_id:
            await self._refuse("that token is not valid for this connection")
            return False
        await self.conn.send(ready_event(user))
        return True

    async def on_ping(self, _: Ping) -> None:
        await self.conn.send(PONG)

    def _start(self, turn: Awaitable[None]) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(turn)
        self.turns.add(task)
        task.add_done_callback(self.turns.discard)

    async def on_user_message(self, message: UserMessage) -> None:
        """A message without an id: a turn, nothing kept."""
        self._start(self._answer(message.text, message.reply_to, remember=False))

    async def on_user_message_once(self, message: UserMessage) -> bool:
        """A message with an id: the token check and the id's claim in one transaction."""
        assert self.user_id is not None
        user_id, reply_to, check, clock = self.user_id, message.reply_to, self._token_job(), self.app.state.clock

        prune, now = False, time.monotonic()
        if now - self.pruned_at >= PRUNE_SECONDS:  # the user's expired ids: now and then, not per message
            prune, self.pruned_at = True, now

        def check_and_claim(conn: DBConnection) -> tuple[bool, dict[str, Any] | None]:
            check(conn)
            return claim_message(conn, clock.now(), user_id, reply_to, prune=prune)

        try:
            claimed, reply = await self.db.writes.run(check_and_claim)
        except Unauthorized:
            await self._refuse(REVOKED_MESSAGE)
            return False
        except Exception:  # the database is down: the check again on its own, and the turn will say so
            log.warning("could not record message id", exc_info=True)
            if not await self._still_signed_in():
                return False
            claimed, reply = True, None
        if claimed:
            self._start(self._answer(message.text, reply_to, remember=True))
        elif reply is not None:
            await self.conn.send_all(replayed_turn(reply_to, reply))
        else:
            duplicate = "this message was already received; it is not run again"
            await self.conn.send_all(error_turn(reply_to, "duplicate", duplicate))
        return True

    async def _answer(self, text: str, reply_to: str, *, remember: bool) -> None:
        """A typed turn; a remembered one keeps its reply with the message id before ``turn_end``."""
        assert self.user_id is not None
        user_id, writes = self.user_id, self.db.writes
        # The reply is kept in the turn's own commit, with its chat rows; where the turn did not
        # keep it there (a confirmation answered, a failed commit), ``keep`` does, before turn_end.
        keeper = KeepReply(lambda conn, kept: store_message_reply(conn, user_id, reply_to, kept)) if remember else None

        async def keep(reply: dict[str, Any] | None) -> None:
            if not remember or reply is None or (keeper is not None and keeper.kept):
                return
            kept = {k: v for k, v in reply.items() if k != "turn_id"}
            try:  # the turn is answered; the record is a convenience
                await writes.run(lambda conn: store_message_reply(conn, user_id, reply_to, kept))
            except Exception:
                log.warning("could not keep the reply of a message", exc_info=True)

        async def give_up() -> None:
            if remember:  # the turn never ran: a retry of this id must run it, not be told "duplicate"
                await writes.run(lambda conn: release_message(conn, user_id, reply_to))

        def events() -> AsyncIterator[Any]:
            return get_runner(self.app).run_turn(user_id, text, reply_to, keep=keeper)  # type: ignore[no-any-return]

        await stream_turn(self.app, self.conn, user_id, reply_to, events, None, keep, give_up)

    async def on_confirm(self, message: Confirm) -> None:
        """The client's answer to a ``confirm``: "yes" runs the held write as a new turn, "no" drops it."""
        assert self.user_id is not None
        user_id, confirm_id, answer = self.user_id, message.id, message.answer

        def events() -> AsyncIterator[Any]:
            return get_runner(self.app).run_confirm(user_id, confirm_id, answer, confirm_id)  # type: ignore[no-any-return]

        self._start(stream_turn(self.app, self.conn, user_id, confirm_id, events, None))

    # -- voice

    async def on_audio_start(self, message: AudioStart) -> None:
        self.recording = _Recording(message.reply_to, message.format, message.speak)

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
        await self.conn.send_all(error_turn(rec.reply_to, "too_large", message))

    async def on_audio_end(self, _: AudioEnd) -> None:
        rec, self.recording = self.recording, None
        if rec is None:
            await self.conn.send(error_event("bad_request", "audio_end without audio_start"))
            return
        if rec.rejected:
            if not rec.answered:
                await self._reject(rec, f"audio frames are limited to {MAX_BINARY // (1024 * 1024)} MB each")
            return
        assert self.user_id is not None
        user_id, audio, speak = self.user_id, b"".join(rec.chunks), rec.speak

        async def events() -> AsyncIterator[Any]:
            from assistant.voice.pipeline import voice_for, voice_turn

            async for ev in voice_turn(
                get_runner(self.app), voice_for(self.app.state), user_id, audio, rec.reply_to, speak=speak
            ):
                yield ev

        self._start(stream_turn(self.app, self.conn, user_id, rec.reply_to, events, "voice"))

    # -- the end

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
