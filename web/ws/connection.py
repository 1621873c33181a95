"""One open socket's outbox: a bounded queue drained by the connection's writer task.

Why: a slow client only slows its own turns (``send`` waits while its outbox is full) and never
the others; a notification it cannot take at once closes it (``offer``). A client that makes no
room at all for ``send_timeout`` seconds (the admission's bounded wait) has stopped reading: it
is dropped too (close 1013), or the turn waiting on it would hold its user's turn lock, so every
later turn of that user from any tab, for as long as the client kept the socket open. Events are
encoded here, once, as they go out.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from typing import Any

import orjson
from fastapi import WebSocket
from starlette.websockets import WebSocketState

from ..security import TokenClaims
from .protocol import error_event

QUEUE_SIZE = 256
SEND_TIMEOUT = 5.0  # the app passes its admission wait (``admission_max_wait_seconds``)
CLOSE_UNAUTHORIZED = 4401
CLOSE_FORBIDDEN_ORIGIN = 4403
CLOSE_TOO_SLOW = 1013
REVOKED_MESSAGE = "the session has ended (signed out or expired); sign in again"

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


def encode_event(event: Any) -> str:
    """An event as a text frame: ``json.dumps(event, default=str)``'s JSON, encoded by orjson."""
    try:
        return orjson.dumps(event, default=_orjson_default, option=_ORJSON_OPTS).decode()
    except (TypeError, orjson.JSONEncodeError):  # NaN, huge ints, non-string keys: the slow path
        return json.dumps(event, default=str)


class Connection:
    """One open socket: a bounded outbox and the writer task that drains it."""

    def __init__(
        self,
        ws: WebSocket,
        queue_size: int = QUEUE_SIZE,
        send_timeout: float = SEND_TIMEOUT,
        on_drop: Callable[[], None] | None = None,
    ) -> None:
        self.ws = ws
        self.on_drop = on_drop  # called once when the socket is dropped for not keeping up
        self.user_id: int | None = None
        self.claims: TokenClaims | None = None  # the token this socket acts on
        self.queue: asyncio.Queue[Any] = asyncio.Queue(maxsize=queue_size)
        self.send_timeout = send_timeout
        self.closed = False
        self.writer = asyncio.create_task(self._write_loop())
        self._closer: asyncio.Task[None] | None = None

    async def _write_loop(self) -> None:
        send = self.ws.send_text
        get, get_nowait = self.queue.get, self.queue.get_nowait
        try:
            while True:
                item = await get()
                while True:  # all that is queued goes out without waking this task again
                    if isinstance(item, int):  # a close code: everything queued before it went out
                        await self.ws.close(code=item)
                        return
                    await send(encode_event(item))
                    try:
                        item = get_nowait()
                    except asyncio.QueueEmpty:
                        break
        except Exception:  # the peer went away; the reader notices the disconnect
            pass
        finally:
            self.closed = True

    async def _put(self, item: Any) -> bool:
        """Queue ``item``, waiting while the outbox is full, at most ``send_timeout`` seconds."""
        try:
            self.queue.put_nowait(item)
            return True
        except asyncio.QueueFull:
            pass
        try:
            await asyncio.wait_for(self.queue.put(item), self.send_timeout)
            return True
        except TimeoutError:
            return False

    async def send(self, event: Any) -> None:
        """Queue an event, waiting while the outbox is full (back-pressure on this turn only); a
        client that made no room for ``send_timeout`` seconds is dropped (close 1013)."""
        if not self.closed and not await self._put(event):
            self.abort()

    async def send_all(self, events: list[Any]) -> None:
        for event in events:
            await self.send(event)

    def offer(self, event: Any) -> bool:
        """Queue without waiting; False when the client is too slow to keep up."""
        if self.closed:
            return False
        try:
            self.queue.put_nowait(event)
            return True
        except asyncio.QueueFull:
            return False

    async def close(self, code: int) -> None:
        if not self.closed and not await self._put(code):
            self.abort(code)
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
        """Drop a client that cannot keep up, without waiting on it (the close frame goes out
        when its socket takes data again, or never: the session ends at its next frame or at
        the disconnect)."""
        self.closed = True
        self.writer.cancel()
        if self._closer is None:
            self._closer = asyncio.get_running_loop().create_task(quiet_close(self.ws, code))
            if self.on_drop is not None:
                self.on_drop()


async def quiet_close(ws: WebSocket, code: int) -> None:
    with contextlib.suppress(Exception):
        if ws.application_state != WebSocketState.DISCONNECTED:
            await ws.close(code=code)
