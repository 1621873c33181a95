"""A BudgetWise server for the benchmarks: a free loopback port, and ``budgetwise serve`` in a
subprocess on its own database (``Server`` for ``stress.py``, ``own_server`` for the voice benches)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``budgetwise serve`` in a subprocess, on its own database."""

    def __init__(self, database_url: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "BUDGETWISE_DATABASE_URL": database_url,
            "BUDGETWISE_SECRET_KEY": "stress-" + "k" * 40,
            "BUDGETWISE_SCHEDULER": "off",
            "BUDGETWISE_STT": "off",
            "BUDGETWISE_TTS": "off",
            "BUDGETWISE_LLM": "local",
        }
        cmd = [sys.executable, "-m", "assistant.cli", "serve", "--port", str(self.port), "--log-level", "warning"]
        self.proc = subprocess.Popen(cmd, env=env, cwd=ROOT)

    def wait(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("the server exited during start")
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("the server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@contextlib.contextmanager
def own_server(stt: str | None = None, tts: str | None = None) -> Iterator[tuple[str, int]]:
    """``budgetwise serve`` on a fresh SQLite file (voice is warmed at start, as in production):
    yields its URL and process id."""
    tmp = tempfile.mkdtemp(prefix="bw-voice-eval-")
    port = free_port()
    env = {
        **os.environ,
        "BUDGETWISE_DATABASE_URL": f"sqlite:///{tmp}/eval.db",
        "BUDGETWISE_SECRET_KEY": "voice-eval-" + "k" * 40,
        "BUDGETWISE_SCHEDULER": "off",
        "BUDGETWISE_LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
        **({"BUDGETWISE_STT": stt} if stt else {}),
        **({"BUDGETWISE_TTS": tts} if tts else {}),
    }
    cmd = [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, cwd=str(ROOT))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600  # a busy machine loads the models slowly
        while True:
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the server did not start")
            time.sleep(0.2)
        yield url, proc.pid
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=15)
