"""Fair admission to the database work of signed-in users: REST requests and chat turns.

Why: the server has two cores and one SQLite writer. Under a flood, whoever has the most work in
flight got the most of both: 50 REST clients sending back to back held most of AnyIO's 40 worker
threads, while 100 chat sockets shared the event loop's default executor (6 threads on two
cores), so turns waited 12-16 s while REST answered in 1 s. Admission here is per user, round
robin: at most ``capacity`` requests and turns run at a time; the others wait in their user's
line, and a free slot goes to the next user in turn (first come, first served within one user).
One user's flood then lengthens that user's own line, not anyone else's.

Within one user's line a chat turn does not queue behind all of that user's REST requests: the
user's grants alternate between the two (a turn, then a request, then a turn ...). A waiting turn
holds the user's turn lock (``web.ws.turns``), so every later turn of that user, from any tab,
waits behind it; a REST request holds up only itself. Plain FIFO put a turn behind the two or
three requests its user's REST clients had queued, and the turn lock multiplied that wait by the
user's queued turns: on PostgreSQL under ``--saturate`` two thirds of the time a turn held the
lock was spent in this line. Alternating (not strict priority) keeps the user's requests served:
the user's next turn is usually queued again before the user's next grant.

A wait is bounded: whoever has waited ``max_wait`` seconds is answered 503 with Retry-After (a
REST request) or an ``unavailable`` error turn (a chat message), never a long hang. Requests
without a bearer token (sign-up, sign-in, health, the UI) are not admitted here: sign-up and
sign-in queue on the password hasher's own bounded line (``web.security``).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.errors import Unavailable

from .metrics import log_event

# Enough in flight to keep two cores and the disk busy while one request waits on an fsync or a
# PostgreSQL round trip; few enough that a line forms here (fair) rather than at the GIL, the
# thread pools or SQLite's writer lock (first to grab wins).
DEFAULT_CAPACITY = 12
DEFAULT_MAX_WAIT_SECONDS = 5.0


class Saturated(Unavailable):
    """Waited ``max_wait`` for a slot: answered 503 with Retry-After."""


class _Line:
    """One user's waiters: chat turns and other requests, each FIFO; grants alternate between them."""

    __slots__ = ("requests", "turn_next", "turns")

    def __init__(self) -> None:
        self.turns: deque[asyncio.Future[None]] = deque()
        self.requests: deque[asyncio.Future[None]] = deque()
        self.turn_next = True

    def __len__(self) -> int:
        return len(self.turns) + len(self.requests)

    def pop(self) -> asyncio.Future[None]:
        """The next waiter: a turn and a request in turn while both wait, else whichever waits."""
        if self.turns and (self.turn_next or not self.requests):
            self.turn_next = False
            return self.turns.popleft()
        self.turn_next = True
        return self.requests.popleft()

    def remove(self, future: asyncio.Future[None]) -> bool:
        for queue in (self.turns, self.requests):
            try:
                queue.remove(future)
                return True
            except ValueError:
                pass
        return False


class FairGate:
    """``capacity`` slots, handed out round robin over keys (users); within a key, chat turns and
    requests alternate, each FIFO."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY, max_wait: float = DEFAULT_MAX_WAIT_SECONDS) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self.max_wait = max_wait
        self._busy = 0
        self._lines: OrderedDict[Hashable, _Line] = OrderedDict()
        self.refused = 0

    @property
    def busy(self) -> int:
        return self._busy

    @property
    def waiting(self) -> int:
        return sum(len(line) for line in self._lines.values())

    @asynccontextmanager
    async def slot(self, key: Hashable, *, turn: bool = False) -> AsyncIterator[None]:
        """Hold one slot for the block; waits its user's turn, at most ``max_wait`` seconds."""
        await self.acquire(key, turn=turn)
        try:
            yield
        finally:
            self.release()

    async def acquire(self, key: Hashable, *, turn: bool = False) -> None:
        """Wait for a slot; ``turn``: a chat turn (it alternates with its user's other requests)."""
        if self._busy < self.capacity and not self._lines:
            self._busy += 1
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        line = self._lines.get(key)
        if line is None:
            line = self._lines[key] = _Line()
        (line.turns if turn else line.requests).append(future)
        start = time.monotonic()
        try:
            await asyncio.wait_for(asyncio.shield(future), self.max_wait)
        except TimeoutError:
            if future.done() and not future.cancelled():  # handed a slot just as the wait ran out
                return
            self._forget(key, future)
            self.refused += 1
            waited = time.monotonic() - start
            log_event("admission_refused", waited_s=round(waited, 3), waiting=self.waiting, busy=self._busy)
            raise Saturated(
                "the server is saturated; try again in a moment",
                details={"retry_after": max(1, math.ceil(self.max_wait))},
            ) from None
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():  # the slot was ours: hand it on
                self.release()
            else:
                self._forget(key, future)
            raise

    def release(self) -> None:
        """Give the slot to the next waiter of the next user in line (round robin)."""
        while self._lines:
            key, line = next(iter(self._lines.items()))
            future = line.pop()
            if line:
                self._lines.move_to_end(key)  # this user's next waiter waits for everyone else's turn
            else:
                del self._lines[key]
            if not future.done():
                future.set_result(None)
                return  # the slot passes straight on: ``_busy`` is unchanged
        self._busy -= 1

    def _forget(self, key: Hashable, future: asyncio.Future[None]) -> None:
        line = self._lines.get(key)
        if line is not None and line.remove(future) and not line:
            del self._lines[key]


def _bearer(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token.strip() if scheme.lower() == "bearer" and token.strip() else None
    return None


class AdmissionMiddleware:
    """Signed-in REST requests take a slot of the app's ``FairGate``, keyed by their user.

    The token is verified here only to pick the line (its user id); a bad or revoked token gets
    its own line and is refused by the route as before. The slot is held until the answer's
    head is sent (the endpoint, its commit and the validation of its answer are done by then).
    """

    def __init__(self, app: ASGIApp, gate: FairGate, key_for_token: Any) -> None:
        self.app = app
        self.gate = gate
        self.key_for_token = key_for_token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = _bearer(scope) if scope["type"] == "http" else None
        if token is None:
            await self.app(scope, receive, send)
            return
        key = self.key_for_token(token)
        try:
            await self.gate.acquire(key)
        except Saturated as exc:
            await _answer_503(send, exc)
            return
        held = True

        async def send_and_release(message: Message) -> None:
            nonlocal held
            if held and message["type"] == "http.response.start":
                held = False
                self.gate.release()
            await send(message)

        try:
            await self.app(scope, receive, send_and_release)
        finally:
            if held:
                self.gate.release()


async def _answer_503(send: Send, exc: Saturated) -> None:
    retry = str((exc.details or {}).get("retry_after", 1)) if isinstance(exc.details, dict) else "1"
    body = b'{"detail":"the server is saturated; try again in a moment","code":"unavailable"}'
    await send(
        {
            "type": "http.response.start",
            "status": 503,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", retry.encode()),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
