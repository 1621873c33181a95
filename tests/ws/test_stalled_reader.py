"""A chat client that stops reading (issue 11): a background tab frozen by the browser, a phone
app suspended mid-conversation. It keeps its socket open and even sends, but reads nothing, so
the server's writes to it block and its outbox fills up.

What a user would notice if that went wrong: another user's chat slowing down (the stalled
socket's turn holding an admission slot), or their own other tab never answering (the stalled
turn holding the user's turn lock forever). The socket is dropped instead (close 1013, "try
again later") once it has made no room for the bounded wait, and what it still had queued is
not run.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy.engine import Engine
from websockets.client import ClientProtocol
from websockets.frames import Opcode
from websockets.protocol import State
from websockets.sync.client import connect
from websockets.uri import parse_uri

from assistant.clock import FixedClock
from tests.api_support import PASSWORD, make_settings
from tests.e2e_server import LiveServer
from web import create_app

BOUND = 1.0  # the admission's wait: also how long a socket may make no room in its outbox
BACKLOG = 300  # messages the stalled client sends: far more events than its buffers and outbox hold
TEXT = "how much did I spend this month?"


class StalledClient:
    """A signed-in chat socket that sends but does not read (until ``read_to_close``).

    Small socket buffers on both ends (the server's are set on its listening socket) make the
    server's writes block after a few tens of KB, as they would after a few MB on a real network.
    """

    def __init__(self, url: str, token: str) -> None:
        self.token = token
        parts = urlsplit(url)
        self.proto = ClientProtocol(parse_uri(f"ws://{parts.netloc}/ws/chat"))
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.settimeout(30)
        self.sock.connect((parts.hostname, parts.port))
        self.proto.send_request(self.proto.connect())
        self._flush()
        while self.proto.state is State.CONNECTING:  # the handshake's answer
            self._pump()
        self.send({"type": "auth", "token": token})
        texts: list[str] = []
        while not texts:
            texts = self._pump()
        assert json.loads(texts[0])["type"] == "ready"

    def _flush(self) -> None:
        for data in self.proto.data_to_send():
            if data:
                self.sock.sendall(data)

    def send(self, message: dict[str, Any]) -> None:
        self.proto.send_text(json.dumps(message).encode())
        self._flush()

    def _pump(self) -> list[str]:
        """Read once: the text frames that arrived (the answer to a close frame goes out)."""
        data = self.sock.recv(65536)
        if data:
            self.proto.receive_data(data)
        else:
            self.proto.receive_eof()
        texts = [e.data.decode() for e in self.proto.events_received() if getattr(e, "opcode", None) is Opcode.TEXT]
        self._flush()
        return texts

    def read_to_close(self) -> tuple[list[dict[str, Any]], int | None]:
        """Start reading again: every event that was waiting, and the close code the server sent."""
        events: list[dict[str, Any]] = []
        while self.proto.close_rcvd is None and self.proto.state is not State.CLOSED:
            events += [json.loads(t) for t in self._pump()]
        return events, self.proto.close_rcvd.code if self.proto.close_rcvd is not None else None

    def close(self) -> None:
        self.sock.close()


def _sign_up(http: httpx.Client) -> tuple[int, str]:
    body = {"email": f"s-{time.monotonic_ns()}@example.com", "password": PASSWORD}
    r = http.post("/api/auth/register", json=body)
    assert r.status_code == 201, r.text
    return int(r.json()["user"]["id"]), str(r.json()["access_token"])


class OtherUser(threading.Thread):
    """Another user chatting back to back (a reading client) until ``stop`` is set."""

    def __init__(self, url: str, token: str) -> None:
        super().__init__(daemon=True)
        self.url, self.token = url, token
        self.stop = threading.Event()
        self.took: list[float] = []
        self.errors: list[Any] = []

    def run(self) -> None:
        try:
            with connect(self.url.replace("http", "ws", 1) + "/ws/chat", open_timeout=30) as ws:
                ws.send(json.dumps({"type": "auth", "token": self.token}))
                assert json.loads(ws.recv(timeout=30))["type"] == "ready"
                while not self.stop.is_set():
                    events, took = _turn(ws, f"other-{len(self.took)}")
                    self.took.append(took)
                    self.errors += [e for e in events if e["type"] == "error"]
        except Exception as exc:  # reported by the test
            self.errors.append(repr(exc))


def _turn(ws: Any, message_id: str) -> tuple[list[dict[str, Any]], float]:
    """One message on a reading client's socket: the turn's events and how long it took."""
    start = time.perf_counter()
    ws.send(json.dumps({"type": "user_message", "id": message_id, "text": TEXT}))
    events: list[dict[str, Any]] = []
    while not events or events[-1]["type"] != "turn_end":
        events.append(json.loads(ws.recv(timeout=60)))
    return events, time.perf_counter() - start


def _dropped(app: Any) -> float:
    value = app.state.metrics.registry.get_sample_value("budgetwise_ws_connections_total", {"outcome": "too_slow"})
    return float(value or 0)


def test_a_client_that_stops_reading_holds_up_no_one_and_is_dropped(
    engine: Engine, db_url: str, clock: FixedClock
) -> None:
    settings = make_settings(db_url, admission_capacity=1, admission_max_wait_seconds=BOUND)
    app = create_app(settings, engine=engine, clock=clock)
    live = LiveServer(app)
    live.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)  # accepted sockets inherit it
    live.start()
    try:
        with httpx.Client(base_url=live.url, timeout=60) as http:
            (stalled_user, stalled_token), (_, other_token) = _sign_up(http), _sign_up(http)
        other = OtherUser(live.url, other_token)
        stalled = StalledClient(live.url, stalled_token)
        try:
            other.start()
            _stall_and_check(app, live.url, stalled, stalled_user, other)
        finally:
            other.stop.set()
            other.join(timeout=60)
            stalled.close()
    finally:
        live.stop()


def _stall_and_check(app: Any, url: str, stalled: StalledClient, stalled_user: int, other: OtherUser) -> None:
    for _ in range(BACKLOG):  # then it stops reading: its turns' events fill its buffers and outbox
        stalled.send({"type": "user_message", "text": TEXT})
    deadline = time.monotonic() + 60
    while not _dropped(app) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _dropped(app) == 1  # dropped once its outbox stayed full for the bounded wait

    # Another user, one slot in all, chatting all along: never refused, never kept waiting long
    # (a stalled turn that kept its slot through the wait would have had it refused).
    other.stop.set()
    other.join(timeout=60)
    assert other.errors == [] and other.took
    assert max(other.took) < 10

    # The stalled client's own other tab: its turn needs the user's turn lock, which the stalled
    # socket's turns gave up: the one waiting on the full outbox, and every one queued behind it.
    with connect(url.replace("http", "ws", 1) + "/ws/chat", open_timeout=30) as tab:
        tab.send(json.dumps({"type": "auth", "token": stalled.token}))
        assert json.loads(tab.recv(timeout=30))["type"] == "ready"
        events, took = _turn(tab, "tab-1")
    assert not [e for e in events if e["type"] == "error"]
    assert took < 10

    # Reading again, the stalled client finds the events that were waiting for it, then close 1013
    # ("try again later"): far fewer answers than it asked for, and its session is over.
    received, code = stalled.read_to_close()
    assert code == 1013
    assert 0 < sum(e["type"] == "turn_end" for e in received) < BACKLOG
    deadline = time.monotonic() + 10
    while app.state.hub.count(stalled_user) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert app.state.hub.count(stalled_user) == 0
