"""Run the real app under uvicorn in a background thread, on a free port and a temp SQLite file.

Used by the browser tests: ``with live_server(tmp_path) as server: ... server.url ...``. The app migrates its
own database on start (as ``budgetwise serve`` does), so the test sees exactly what users get.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import uvicorn

# 32+ bytes: PyJWT warns (an error under our pytest settings) on shorter HMAC keys.
SECRET = "e2e-secret-0123456789abcdef0123456789"
START_TIMEOUT = 30.0


def _ws_impl() -> str:
    """The sans-I/O websockets protocol when this uvicorn has it (no deprecated legacy API)."""
    try:
        import uvicorn.protocols.websockets.websockets_sansio_impl  # noqa: F401
    except ImportError:
        return "auto"
    return "websockets-sansio"


def build_app(db_path: Path) -> Any:
    """The app exactly as ``create_app`` builds it, on its own SQLite database."""
    from assistant.settings import Settings
    from web.app import create_app

    settings = Settings(database_url=f"sqlite:///{db_path}", secret_key=SECRET, scheduler="off")
    return create_app(settings)


class LiveServer:
    """uvicorn serving ``app`` from a thread; ``url`` once started."""

    def __init__(self, app: Any, host: str = "127.0.0.1") -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, 0))
        self.app = app
        self.port = int(self.sock.getsockname()[1])
        self.url = f"http://{host}:{self.port}"
        config = uvicorn.Config(app, log_level="warning", lifespan="on", ws=_ws_impl(), access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError("the app failed to start (see the log above)")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the app did not start within {START_TIMEOUT:.0f} s")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        with contextlib.suppress(OSError):
            self.sock.close()


@contextlib.contextmanager
def live_server(tmp_dir: Path) -> Iterator[LiveServer]:
    """Start the app on a fresh database; yields the running server (``url``, ``app``); stops it after."""
    server = LiveServer(build_app(tmp_dir / "e2e.db"))
    server.start()
    try:
        yield server
    finally:
        server.stop()
