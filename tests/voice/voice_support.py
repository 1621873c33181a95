"""The voice tests' shared parts: the spoken questions, the tools that make recordings, the speech
engine check (skip, or fail under CI), and one voice message over the socket."""

from __future__ import annotations

import io
import shutil
import subprocess
from typing import Any

import av
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from assistant.clock import FixedClock
from tests.api_support import Account, chat, make_settings, signup, until_end
from tests.conftest import IN_CI
from web import create_app

QUESTIONS = {
    "expense": "I spent twelve dollars fifty on lunch at Chipotle yesterday",
    "purchase": "Should I buy headphones for $250?",
}


def _missing(reason: str) -> None:
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)


def _need_tools() -> None:
    for tool in ("espeak-ng", "sox", "ffmpeg"):
        if shutil.which(tool) is None:
            _missing(f"{tool} is not installed (apt-get install espeak-ng sox ffmpeg)")


def _run(*cmd: str, timeout: float = 60) -> None:
    subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)


def need_stt(engine: str, what: str, hint: str = "", *, load: bool = False) -> None:
    """Skip (fail under CI) when the speech engine cannot be loaded (``load``) or warmed up."""
    from assistant.errors import Unavailable
    from assistant.voice.stt import get_stt

    try:
        stt = get_stt(engine)
        if load:
            stt.load()
        else:
            stt.warm_up()
    except (Unavailable, ImportError, RuntimeError, OSError) as exc:
        _missing(f"{what} cannot be loaded: {exc}{hint}")


def wav_seconds(data: bytes) -> float:
    with av.open(io.BytesIO(data), "r") as container:
        assert container.format.name == "wav"
        stream = container.streams.audio[0]
        samples = sum(int(frame.samples) for frame in container.decode(stream))
        return float(samples / stream.rate)


def ws_voice(
    client: TestClient, account: Account, chunks: list[bytes], *, fmt: str = "wav", speak: bool = False
) -> list[dict[str, Any]]:
    """One voice message over the socket; the events of its turn, up to ``turn_end``."""
    with chat(client, account) as ws:
        ws.send_json({"type": "audio_start", "id": "v1", "format": fmt, "speak": speak})
        for chunk in chunks:
            ws.send_bytes(chunk)
        ws.send_json({"type": "audio_end"})
        return until_end(ws)


def split(data: bytes, size: int = 64 * 1024) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def nothing_written(client: TestClient, account: Account) -> None:
    for path in ("/api/chat/history", "/api/transactions"):
        page = client.get(path, headers=account.headers).json()
        assert page["total"] == 0, (path, page)


def spoken_turn(
    engine: Engine, db_url: str, clock: FixedClock, recording: bytes, **settings: Any
) -> tuple[list[dict[str, Any]], Any]:
    """One spoken question (a reply in speech asked for) from a new user of an app with these
    settings: the turn's events and the app's speech engine (None without one)."""
    app = create_app(make_settings(db_url, **settings), engine=engine, clock=clock)
    with TestClient(app) as client:
        events = ws_voice(client, signup(client), [recording], speak=True)
        return events, app.state.voice.tts()
