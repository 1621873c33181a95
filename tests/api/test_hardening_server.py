"""The server's own limits, over real sockets: oversized and stalled requests end quickly, WebSockets do not.

The app runs under uvicorn with exactly the options ``budgetwise serve`` passes (``server_options``),
with short timeouts so the test is quick.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
import websockets

from assistant.settings import Settings
from tests.e2e_server import SECRET, _ws_impl
from web.app import create_app
from web.http_guard import server_options

TIMEOUT = 1.0  # header and body-idle timeouts for this test's server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    db = tmp_path_factory.mktemp("guard") / "guard.db"
    settings = Settings(
        database_url=f"sqlite:///{db}",
        secret_key=SECRET,
        scheduler="off",
        header_timeout_seconds=TIMEOUT,
        body_idle_timeout_seconds=TIMEOUT,
        keep_alive_seconds=1,
        _env_file=None,
    )  # type: ignore[call-arg]
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    config = uvicorn.Config(create_app(settings), log_level="warning", ws=_ws_impl(), **server_options(settings))
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield "127.0.0.1", port
    finally:
        srv.should_exit = True
        thread.join(timeout=15)
        sock.close()


def _connect(server: tuple[str, int]) -> socket.socket:
    conn = socket.create_connection(server, timeout=10)
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return conn


def _read_answer(conn: socket.socket) -> bytes:
    """Everything the server sends until it closes (or 10 s pass)."""
    data = b""
    with contextlib.suppress(ConnectionResetError, TimeoutError):
        while chunk := conn.recv(65536):
            data += chunk
    return data


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0


def test_declared_oversized_upload_is_413_before_any_body_is_sent(server: tuple[str, int]) -> None:
    with _connect(server) as conn:
        head = (
            "POST /api/import HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
            f"Content-Length: {250 * 1024 * 1024}\r\n\r\n"
        )
        start = time.monotonic()
        conn.sendall(head.encode())
        answer = _read_answer(conn)
    assert _status(answer) == 413, answer[:200]
    assert b"content-security-policy" in answer.lower()
    assert time.monotonic() - start < 2


MULTIPART_START = b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'


@pytest.mark.parametrize(
    ("path", "content_type", "first", "limit_mb"),
    [
        ("/api/transactions", "application/json", b'{"description": "', 1),
        # A made-up token: tokens are checked once the body is in, so the size limit is what answers.
        ("/api/import", "multipart/form-data; boundary=b\r\nAuthorization: Bearer made-up", MULTIPART_START, 20),
    ],
    ids=["json", "import"],
)
def test_chunked_body_is_cut_off_at_the_limit(
    server: tuple[str, int], path: str, content_type: str, first: bytes, limit_mb: int
) -> None:
    with _connect(server) as conn:
        head = f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\nTransfer-Encoding: chunked\r\n\r\n"
        conn.sendall(head.encode() + b"%x\r\n%s\r\n" % (len(first), first))
        chunk = b"x" * 65536
        sent = 0
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            while sent < 50 * 1024 * 1024:  # far past the limit; the server stops us long before
                conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
        answer = _read_answer(conn)
    assert _status(answer) == 413, answer[:200]
    assert sent < (limit_mb + 8) * 1024 * 1024  # cut off near the limit, not after the whole body


@pytest.mark.parametrize(
    "head",
    [
        b"GET /api/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + b"a" * (1024 * 1024),  # still coming
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (70 * 1024) + b"\r\n\r\n",  # whole, in one read
    ],
    ids=["endless", "complete"],
)
def test_oversized_header_is_431(server: tuple[str, int], head: bytes) -> None:
    with _connect(server) as conn:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            conn.sendall(head)
        answer = _read_answer(conn)
    assert _status(answer) == 431, answer[:200]


def test_a_head_under_the_limit_is_served(server: tuple[str, int]) -> None:
    with _connect(server) as conn:
        conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Fine: " + b"a" * (16 * 1024) + b"\r\n\r\n")
        assert conn.recv(100).startswith(b"HTTP/1.1 200")


@pytest.mark.parametrize(
    "sent",
    [
        b"",  # connects and says nothing
        b"GET /healthz HTTP/1.1\r\nHost: x\r\n",  # half a head (slowloris)
        b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
    ],
    ids=["silent", "half-head", "half-body"],
)
def test_stalled_connections_are_closed(server: tuple[str, int], sent: bytes) -> None:
    with _connect(server) as conn:
        conn.sendall(sent)
        start = time.monotonic()
        answer = _read_answer(conn)
        waited = time.monotonic() - start
    assert waited < TIMEOUT + 2, waited  # closed by the server, not by our 10 s read timeout
    assert answer == b"" or _status(answer) in (400, 408), answer[:200]


def test_keep_alive_and_websocket_outlive_the_timeouts(server: tuple[str, int]) -> None:
    with _connect(server) as conn:  # two requests on one connection, with a pause under the keep-alive
        for _ in range(2):
            conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert conn.recv(65536).startswith(b"HTTP/1.1 200")
            time.sleep(0.3)

    async def chat() -> list[str]:
        host, port = server
        body = {"email": "ws-guard@example.com", "password": "a long passphrase 42"}
        reader, writer = await asyncio.open_connection(host, port)
        payload = json.dumps(body).encode()
        writer.write(
            b"POST /api/auth/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(payload), payload)
        )
        raw = await reader.read()
        writer.close()
        token = json.loads(raw.split(b"\r\n\r\n", 1)[1])["access_token"]
        kinds = []
        async with websockets.connect(f"ws://{host}:{port}/ws/chat") as ws:
            await ws.send(json.dumps({"type": "auth", "token": token}))
            kinds.append(json.loads(await ws.recv())["type"])
            await asyncio.sleep(TIMEOUT * 2.5)  # idle for longer than every HTTP timeout
            await ws.send(json.dumps({"type": "ping"}))
            kinds.append(json.loads(await ws.recv())["type"])
        return kinds

    assert asyncio.run(chat()) == ["ready", "pong"]
