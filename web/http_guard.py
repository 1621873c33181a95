"""uvicorn's HTTP protocol with a bounded request head and no connection held forever.

Why: uvicorn bounds neither the size of a request head on its httptools parser (a 10 MB
``Authorization`` header was parsed) nor the time a client may take: a connection that sends
nothing, half a head, or half a body is kept open for as long as the peer likes (slowloris).
Its own ``timeout_keep_alive`` only covers the wait *between* requests.

This subclass adds, per connection:
- a head deadline: the request line and headers must arrive in full within
  ``header_timeout`` seconds of the connection (or of the request's first byte), else 408;
- a head size limit: more than ``max_header_bytes`` before the head ends is answered 431;
- a body idle limit: a body that stops arriving for ``body_idle_timeout`` seconds closes the
  connection (the app sees a disconnect). A pause caused by the app not reading (flow control)
  does not count against the client.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from assistant.settings import Settings

STATUS_408 = b"HTTP/1.1 408 Request Timeout\r\n"
STATUS_431 = b"HTTP/1.1 431 Request Header Fields Too Large\r\n"


@dataclass(frozen=True)
class Guard:
    max_header_bytes: int = 32 * 1024
    header_timeout: float = 10.0
    body_idle_timeout: float = 15.0


def server_options(settings: Settings) -> dict[str, Any]:
    """The uvicorn options that bound heads and idle connections (``budgetwise serve`` and the tests)."""
    guard = Guard(settings.max_header_bytes, settings.header_timeout_seconds, settings.body_idle_timeout_seconds)
    return {
        "http": guarded_protocol(guard),
        "h11_max_incomplete_event_size": settings.max_header_bytes,
        "timeout_keep_alive": settings.keep_alive_seconds,
        # uvicorn's access line quotes the query string (search words, dates: user input); the app's own
        # JSON request line (web/metrics.py) names the route and the path only.
        "access_log": False,
    }


class _HeadTooLarge(Exception):
    """Raised from a parser callback to stop parsing a head over the limit."""


def guarded_protocol(guard: Guard) -> Any:
    """A protocol class for ``uvicorn.run(http=...)``, or ``"h11"`` where httptools is not installed
    (then ``h11_max_incomplete_event_size`` bounds the head and the timers are uvicorn's own)."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:  # pragma: no cover - uvicorn[standard] brings httptools
        return "h11"

    class GuardedHttpToolsProtocol(HttpToolsProtocol):
        _guard = guard

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            self._in_head = True
            self._in_body = False
            self._head_bytes = 0
            self._parsed_head = 0
            self._head_too_large = False
            self._timer: asyncio.TimerHandle | None = None
            super().connection_made(transport)
            self._arm(self._guard.header_timeout, self._head_timed_out)

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            if not self._in_head and not self._in_body:  # the first bytes of the next request
                self._in_head, self._head_bytes = True, 0
                self._arm(self._guard.header_timeout, self._head_timed_out)
            if self._in_head:
                self._head_bytes += len(data)
            try:
                super().data_received(data)
            except _HeadTooLarge:  # raised from on_url / on_header below, however httptools passes it on
                self._reject(STATUS_431, "request headers too large")
                return
            if self.transport.get_protocol() is not self:  # upgraded to a WebSocket: its own pings take over
                self._disarm()
                self._in_head = self._in_body = False
                return
            if self._in_head and self._head_bytes > self._guard.max_header_bytes and not self.transport.is_closing():
                self._reject(STATUS_431, "request headers too large")
            elif self._in_body:
                self._arm(self._guard.body_idle_timeout, self._body_timed_out)

        # The exact count: one read can hold a whole oversized head (asyncio reads up to 256 KiB at once).
        def on_url(self, url: bytes) -> None:
            self._count_head(len(url))
            super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self._count_head(len(name) + len(value) + 4)
            super().on_header(name, value)

        def _count_head(self, size: int) -> None:
            self._parsed_head += size
            if self._parsed_head > self._guard.max_header_bytes:
                self._head_too_large = True
                raise _HeadTooLarge

        def send_400_response(self, msg: str) -> None:
            if self._head_too_large:  # our own callback's refusal, as httptools reports it
                self._reject(STATUS_431, "request headers too large")
            else:
                super().send_400_response(msg)

        def on_message_begin(self) -> None:
            self._parsed_head = 0
            super().on_message_begin()

        def on_headers_complete(self) -> None:
            self._in_head = False
            self._in_body = True
            self._disarm()
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            self._in_body = False
            self._disarm()
            super().on_message_complete()

        # -- timers

        def _arm(self, seconds: float, callback: Any) -> None:
            self._disarm()
            self._timer = self.loop.call_later(seconds, callback)

        def _disarm(self) -> None:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

        def _head_timed_out(self) -> None:
            self._timer = None
            if self._in_head and not self.transport.is_closing():
                self._reject(STATUS_408, "request head not received in time")

        def _body_timed_out(self) -> None:
            self._timer = None
            if not self._in_body or self.transport.is_closing():
                return
            if self.flow.read_paused:  # we are not reading: the wait is ours, not the client's
                self._arm(self._guard.body_idle_timeout, self._body_timed_out)
                return
            self.transport.close()  # the app's receive() gets http.disconnect

        def _reject(self, status_line: bytes, message: str) -> None:
            body = message.encode("ascii")
            head = [
                status_line,
                b"content-type: text/plain; charset=utf-8\r\n",
                b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
                b"connection: close\r\n\r\n",
            ]
            self.transport.write(b"".join(head) + body)
            self.transport.close()

    return GuardedHttpToolsProtocol
