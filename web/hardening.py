"""Hostile-input hardening in front of the whole app: body limits, bad Unicode, security headers, safe 500s.

Why a pure ASGI middleware (not a FastAPI dependency): it runs before routing, authentication,
JSON decoding and multipart spooling, so an oversized or malformed request costs a few header
bytes, never memory or disk. It is the outermost piece of our own stack (only Starlette's
``ServerErrorMiddleware`` sits outside), so every answer, errors included, carries the headers.

- **Body limits** (``Settings.max_*_bytes``): a ``Content-Length`` over the limit is answered 413
  before a byte of the body is read; a chunked or lying body is counted as it arrives and cut
  off with 413 as soon as it passes the limit. An upload (import, voice) with no
  ``Authorization`` header at all is answered 401 before its body is read.
- **Lone surrogates and NUL**: JSON allows ``"\\ud800"`` and ``"\\u0000"``, which Python decodes
  into a ``str`` that cannot be encoded or stored (the database, argon2 and logging fail on it).
  Such a body is answered 422 at the door, in FastAPI's validation shape, naming the field.
- **Security headers**: a CSP without inline script, nosniff, no framing, no referrer, and
  ``Cache-Control: no-store`` on everything that is not a static asset.
- **Safe 500s**: an unexpected exception is answered with a plain JSON 500 and logged as its
  type and stack only. Exception messages often quote input (a password, a description); the
  message is never logged, and the exception does not travel on to the server's own logger.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.logsafe import log_exception_safely

log = logging.getLogger("budgetwise.web")

# `"\ud800"` (any case) or `"\u0000"` as it appears in JSON text: only bodies that contain one are
# decoded to check.
_SURROGATE_ESCAPE = re.compile(rb"\\u(?:[dD][89a-fA-F][0-9a-fA-F]{2}|0000)")
_JSON_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SNIPPET_CHARS = 80

# No inline script or style anywhere: the UI and the API docs (/docs) load everything from our own origin.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"microphone=(self), camera=(), geolocation=(), payment=()"),
)


@dataclass(frozen=True)
class BodyLimits:
    """The largest request body each kind of route accepts, in bytes."""

    json: int
    import_file: int
    audio: int

    def for_path(self, path: str) -> int:
        if path == "/api/import" or path.startswith("/api/import/"):
            return self.import_file
        if path == "/api/voice" or path.startswith("/api/voice/"):
            return self.audio
        return self.json


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` once a body passes its limit; FastAPI passes HTTPExceptions through."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=f"the request body is larger than {limit} bytes")
        self.limit = limit


def lone_surrogate_path(value: Any, path: tuple[str | int, ...] = ()) -> tuple[str | int, ...] | None:
    """Where in a decoded JSON value a string (or key) holds a lone surrogate, or None when none does."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if not _encodes(item):
                return where
        elif isinstance(item, dict):
            for key, child in item.items():
                if isinstance(key, str) and not _encodes(key):
                    return (*where, key.encode("utf-8", "replace").decode())
                stack.append((child, (*where, key)))
        elif isinstance(item, list):
            stack.extend((child, (*where, i)) for i, child in enumerate(item))
    return None


def _encodes(text: str) -> bool:
    """Whether the text can be stored: UTF-8 encodable and free of NUL, which PostgreSQL's text refuses."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def bad_unicode_in_json(body: bytes | str) -> tuple[str | int, ...] | None:
    """The path of a lone surrogate in a JSON text, or None (also for text that is not JSON at all)."""
    raw = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    if not _SURROGATE_ESCAPE.search(raw):
        return None
    try:
        decoded = json.loads(raw)
    except ValueError:
        return None  # not JSON: the route's own parser answers that
    return lone_surrogate_path(decoded)


BAD_ENCODING_MSG = "the body is not valid UTF-8 text"
BAD_UNICODE_MSG = "text must be valid Unicode without NUL characters (a lone surrogate such as \\ud800 is not)"


def snippet(value: Any, limit: int = SNIPPET_CHARS) -> Any:
    """A short stand-in for echoed input: a 422 never sends a large body back to its sender."""
    if isinstance(value, str):
        return value if len(value) <= limit else value[:limit] + "…"
    if isinstance(value, bytes):
        return snippet(value.decode("utf-8", "replace"), limit)
    if isinstance(value, dict | list | tuple):
        try:
            text = json.dumps(value, default=str, ensure_ascii=False)
        except ValueError:
            text = str(value)
        return value if len(text) <= limit else text[:limit] + "…"
    return value


class HardeningMiddleware:
    """See the module docstring. One instance wraps the whole app."""

    def __init__(self, app: ASGIApp, limits: BodyLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        limit = self.limits.for_path(path)
        headers = _wanted_headers(scope)
        started = False
        extra = _ASSET_HEADERS if path.startswith(_ASSET_PREFIXES) else _PAGE_HEADERS
        has_body = headers.get("content-length", "0").strip() != "0" or "transfer-encoding" in headers
        counted = _CountingReceive(receive, limit)

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                # Answering before the body is all in (a 413, a 401): close, or the server reads the rest.
                unread = has_body and not counted.complete
                message = _with_headers(message, [*extra, (b"connection", b"close")] if unread else extra)
            await send(message)

        length_text = headers.get("content-length")
        if length_text is not None:
            length = _parse_length(length_text)
            if length is None:
                await _answer(send_with_headers, 400, {"detail": "the Content-Length header is not a number"})
                return
            if length > limit:
                await _answer(send_with_headers, 413, _too_large_body(limit))
                return

        if has_body and limit != self.limits.json and not headers.get("authorization", "").strip():
            # An upload route (import, voice) with no credentials at all: refused before a byte is spooled.
            # A token that is there is checked by the route, as always.
            refusal = {"detail": "sign in first (Authorization: Bearer <token>)", "code": "unauthorized"}
            await _answer(send_with_headers, 401, refusal, [(b"www-authenticate", b"Bearer")])
            return

        inner_receive: Receive = counted
        if scope.get("method") in _JSON_METHODS and _maybe_json(headers.get("content-type")):
            try:
                body = await counted.read_all()
            except BodyTooLarge:
                await _answer(send_with_headers, 413, _too_large_body(limit))
                return
            if counted.disconnected:
                return
            problem = _unicode_problem(body)
            if problem is not None:
                await _answer(send_with_headers, 422, {"detail": [problem]})
                return
            inner_receive = _Replay(body, receive)

        try:
            await self.app(scope, inner_receive, send_with_headers)
        except BodyTooLarge:
            if not started:
                await _answer(send_with_headers, 413, _too_large_body(limit))
        except Exception as exc:
            log_exception_safely(log, "unhandled error on %s %s", scope.get("method"), path, exc=exc)
            if not started:
                await _answer(
                    send_with_headers, 500, {"detail": "something went wrong on our side", "code": "internal"}
                )

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A chat socket's unexpected error is logged without its message (it may quote what was said)."""
        try:
            await self.app(scope, receive, send)
        except Exception as exc:
            log_exception_safely(log, "unhandled error on WebSocket %s", scope.get("path", ""), exc=exc)
            with contextlib.suppress(Exception):  # already closed, or never accepted: nothing more to say
                await send({"type": "websocket.close", "code": 1011})


class _CountingReceive:
    """``receive`` that counts body bytes and raises ``BodyTooLarge`` (now and on every later call) past the limit."""

    def __init__(self, receive: Receive, limit: int) -> None:
        self.receive = receive
        self.limit = limit
        self.total = 0
        self.complete = False
        self.disconnected = False

    async def __call__(self) -> Message:
        if self.total > self.limit:
            raise BodyTooLarge(self.limit)
        message = await self.receive()
        if message["type"] == "http.request":
            self.total += len(message.get("body", b""))
            if self.total > self.limit:
                raise BodyTooLarge(self.limit)
            self.complete = not message.get("more_body", False)
        elif message["type"] == "http.disconnect":
            self.disconnected = True
        return message

    async def read_all(self) -> bytes:
        chunks: list[bytes] = []
        while True:
            message = await self()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


class _Replay:
    """Hands the app the body the middleware already read, then the real ``receive`` (for disconnects)."""

    def __init__(self, body: bytes, receive: Receive) -> None:
        self.body: bytes | None = body
        self.receive = receive

    async def __call__(self) -> Message:
        if self.body is not None:
            body, self.body = self.body, None
            return {"type": "http.request", "body": body, "more_body": False}
        return await self.receive()


def _unicode_problem(body: bytes) -> dict[str, Any] | None:
    """The validation error for a JSON body that is not valid Unicode, in FastAPI's shape; None when it is."""
    if not _decodes(body):
        return {"type": "unicode_invalid", "loc": ["body"], "msg": BAD_ENCODING_MSG, "input": None}
    where = bad_unicode_in_json(body)
    if where is None:
        return None
    return {"type": "string_unicode", "loc": ["body", *where], "msg": BAD_UNICODE_MSG, "input": None}


def _decodes(body: bytes) -> bool:
    """Whether a JSON body decodes in the encoding JSON detects (UTF-8 unless it starts UTF-16/32)."""
    try:
        body.decode(json.detect_encoding(body))
    except UnicodeDecodeError:
        return False
    return True


def _maybe_json(content_type: str | None) -> bool:
    if not content_type:
        return True  # FastAPI may read a body without a content type as JSON
    main = content_type.split(";", 1)[0].strip().lower()
    return main == "application/json" or (main.startswith("application/") and main.endswith("+json"))


def _parse_length(text: str) -> int | None:
    text = text.strip()
    if not text.isdigit() or len(text) > 18:
        return None
    return int(text)


def _too_large_body(limit: int) -> dict[str, str]:
    return {"detail": f"the request body is larger than the {limit:,} bytes allowed here", "code": "too_large"}


_ASSET_PREFIXES = ("/static/", "/docs-static/")
_ASSET_HEADERS = [*SECURITY_HEADERS, (b"content-security-policy", CSP.encode())]
_PAGE_HEADERS = [*_ASSET_HEADERS, (b"cache-control", b"no-store")]  # API answers and pages are never cached
_WANTED = {b"content-length", b"content-type", b"transfer-encoding", b"authorization"}


def _wanted_headers(scope: Scope) -> dict[str, str]:
    """The few request headers this middleware reads (the first of each), decoded as latin-1 like Starlette."""
    found: dict[str, str] = {}
    for name, value in scope.get("headers", ()):
        key = name.lower()
        if key in _WANTED and key.decode() not in found:
            found[key.decode()] = value.decode("latin-1")
    return found


def _with_headers(message: Message, extra: Iterable[tuple[bytes, bytes]]) -> Message:
    """Add each header the response does not set itself (a route's own Cache-Control wins)."""
    existing: list[tuple[bytes, bytes]] = list(message.get("headers", []))
    present = {name.lower() for name, _ in existing}
    existing.extend((name, value) for name, value in extra if name not in present)
    return {**message, "headers": existing}


async def _answer(
    send: Send, status: int, body: dict[str, Any], more_headers: Iterable[tuple[bytes, bytes]] = ()
) -> None:
    payload = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    headers.extend(more_headers)
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
