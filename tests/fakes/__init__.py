"""Small local HTTP servers that speak the LLM providers' wire protocols, for tests.

Why real servers: the point is to test the real client classes (ChatOpenAI,
ChatGoogleGenerativeAI, ChatOllama) and our retry/fallback code end to end, over real sockets,
without a network or a key. Each server runs uvicorn on 127.0.0.1 (a random port) in a
background thread, answers from a queue of scripted ``Reply`` objects (rendered streamed or
not, as the client asked), and records every request it received.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

_ids = itertools.count(1)


@dataclass
class ToolCall:
    """One function call the scripted model asks for."""

    name: str
    args: dict[str, Any]
    id: str = field(default_factory=lambda: f"call_{next(_ids)}")


@dataclass
class Reply:
    """One scripted answer: text and/or tool calls, or an HTTP error, optionally after a hang."""

    text: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    chunks: list[str] | None = None
    status: int | None = None
    hang: float = 0.0
    retry_after: float | None = None

    def text_chunks(self) -> list[str]:
        """How the text is split when streamed (word by word unless given)."""
        if self.chunks is not None:
            return list(self.chunks)
        return re.findall(r"\S+\s*|\s+", self.text) if self.text else []


def text(value: str, chunks: list[str] | None = None) -> Reply:
    return Reply(text=value, chunks=chunks)


def tool_call(name: str, **args: Any) -> Reply:
    return Reply(tool_calls=[ToolCall(name, args)])


def error(status: int = 500, retry_after: float | None = None) -> Reply:
    return Reply(status=status, retry_after=retry_after)


def hang(seconds: float = 5.0) -> Reply:
    """Say nothing for ``seconds`` (longer than the client's timeout: a timeout)."""
    return Reply(hang=seconds, status=504)


@dataclass
class Recorded:
    """A request the server received."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any


DEFAULT_REPLY = "(fake server: no scripted reply left)"


class FakeServer:
    """Base: the thread, the socket, the reply queue and the request log."""

    provider = "fake"

    def __init__(self) -> None:
        self.replies: deque[Reply] = deque()
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._stopping = False
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # -- scripting

    def script(self, *replies: Reply | str) -> FakeServer:
        """Queue replies (a plain string is a text reply)."""
        with self._lock:
            for reply in replies:
                self.replies.append(text(reply) if isinstance(reply, str) else reply)
        return self

    def reset(self) -> None:
        """Forget scripted replies and recorded requests (a server shared by several tests)."""
        with self._lock:
            self.replies.clear()
            self.requests.clear()

    @property
    def request_count(self) -> int:
        return len(self.requests)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """What a client's ``base_url`` should be (overridden where the API has a prefix)."""
        return self.url

    async def _next(self, request: Request) -> Reply:
        raw = await request.body()
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        with self._lock:
            self.requests.append(
                Recorded(
                    method=request.method,
                    path=request.url.path,
                    query=dict(request.query_params),
                    headers={k.lower(): v for k, v in request.headers.items()},
                    body=body,
                )
            )
            reply = self.replies.popleft() if self.replies else text(DEFAULT_REPLY)
        if reply.hang:
            deadline = time.monotonic() + reply.hang
            while time.monotonic() < deadline and not self._stopping:
                await asyncio.sleep(0.02)
        return reply

    async def _serve(self, request: Request, render: Callable[[Reply, dict[str, Any]], Response]) -> Response:
        """The next scripted reply to ``request``: its error, or ``render(reply, the request's JSON body)``."""
        reply = await self._next(request)
        if reply.status is not None:
            return self.error_response(reply)
        return render(reply, self.requests[-1].body or {})

    def error_response(self, reply: Reply) -> Response:
        status = reply.status or 500
        headers = {"retry-after": str(reply.retry_after)} if reply.retry_after is not None else None
        return JSONResponse(self.error_body(status), status_code=status, headers=headers)

    def error_body(self, status: int) -> dict[str, Any]:
        """The provider's JSON for a scripted HTTP error (OpenAI's shape unless overridden)."""
        return {"error": {"message": f"scripted error {status}", "code": status}}

    # -- protocol (subclasses)

    def routes(self) -> list[Route]:
        raise NotImplementedError

    # -- lifecycle

    def start(self) -> FakeServer:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            Starlette(routes=self.routes()),
            log_level="warning",
            access_log=False,
            lifespan="off",
            ws="none",
            http="h11",
            loop="asyncio",
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name=f"fake-{self.provider}", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError(f"fake {self.provider} server did not start")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        self._stopping = True
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def sse(events: list[Any], done: str | None = None) -> bytes:
    """Server-sent events: one ``data:`` line per JSON event, then an optional sentinel."""
    out = [f"data: {json.dumps(e)}\n\n" for e in events]
    if done is not None:
        out.append(f"data: {done}\n\n")
    return "".join(out).encode()


def split_json(value: str, parts: int = 3) -> list[str]:
    """A JSON string in a few pieces, the way providers stream tool-call arguments."""
    size = max(1, -(-len(value) // parts))
    return [value[i : i + size] for i in range(0, len(value), size)] or [""]


__all__ = [
    "DEFAULT_REPLY",
    "FakeServer",
    "Recorded",
    "Reply",
    "ToolCall",
    "error",
    "hang",
    "split_json",
    "sse",
    "text",
    "tool_call",
]
