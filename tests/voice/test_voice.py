# ruff: noqa: F811  (pytest fixtures imported from api_support are parameters here)
"""Voice: questions spoken by espeak-ng go in over the WebSocket and ``POST /api/voice``.

Checks the transcript (key words and the amount), the tool the assistant ran, that the spoken
reply is a WAV that decodes with non-zero duration, and that empty, silent, 61-second and
garbage recordings get clear errors and write nothing. One speech model is loaded per process.
Under ``CI=true`` a missing espeak-ng, sox, ffmpeg or speech model fails instead of skipping.
"""

from __future__ import annotations

import base64

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from assistant.clock import FixedClock
from tests.api_support import Account, alice, app, client, make_settings, signup  # noqa: F401
from tests.voice.voice_support import nothing_written, split, spoken_turn, wav_seconds, ws_voice

# ---------------------------------------------------------------- WebSocket


def test_ws_spoken_expense_is_logged_and_answered_with_speech(
    voice_client: TestClient, alice: Account, speech: dict[str, bytes]
) -> None:
    events = ws_voice(voice_client, alice, split(speech["expense.wav"]), speak=True)
    kinds = [e["type"] for e in events]
    assert kinds[:2] == ["turn_start", "transcript"] and kinds[-2:] == ["audio_reply", "turn_end"], kinds
    assert kinds.index("assistant_message") < kinds.index("audio_reply")
    assert events[0]["reply_to"] == "v1" and len({e["turn_id"] for e in events}) == 1
    heard = events[1]["text"].lower()
    assert "lunch" in heard and "12.50" in heard, heard
    call = next(e for e in events if e["type"] == "tool_call")
    assert call["name"] == "log_expense" and float(call["args"]["amount"]) == 12.5
    assert next(e for e in events if e["type"] == "tool_result")["ok"] is True
    spoken = [e for e in events if e["type"] == "audio_reply"]  # one per sentence, in order
    assert all(e["format"] == "wav" for e in spoken) and [e["index"] for e in spoken] == list(range(len(spoken)))
    assert sum(wav_seconds(base64.b64decode(e["data"])) for e in spoken) > 0.5
    # The transcript is stored as the user's message, like a typed one.
    history = voice_client.get("/api/chat/history", headers=alice.headers).json()["items"]
    assert [m["role"] for m in history] == ["user", "assistant"] and history[0]["content"] == events[1]["text"]


@pytest.mark.parametrize("fmt", ["webm", "ogg"])
def test_ws_compressed_recordings_are_understood(
    voice_client: TestClient, alice: Account, speech: dict[str, bytes], fmt: str
) -> None:
    events = ws_voice(voice_client, alice, split(speech[f"purchase.{fmt}"], 4096), fmt=fmt)
    heard = next(e["text"] for e in events if e["type"] == "transcript").lower()
    assert "headphones" in heard and "250" in heard, heard
    call = next(e for e in events if e["type"] == "tool_call")
    assert call["name"] == "check_purchase" and float(call["args"]["amount"]) == 250
    assert "audio_reply" not in [e["type"] for e in events]  # speak was false
    assert voice_client.get("/api/transactions", headers=alice.headers).json()["total"] == 0  # a check never records


@pytest.mark.parametrize(
    ("key", "code"),
    [("empty", "no_speech"), ("silence.wav", "no_speech"), ("long.wav", "too_large"), ("garbage", "bad_audio")],
)
def test_ws_bad_recordings_get_clear_errors_and_write_nothing(
    voice_client: TestClient, alice: Account, speech: dict[str, bytes], key: str, code: str
) -> None:
    events = ws_voice(voice_client, alice, split(speech[key]), speak=True)
    assert [e["type"] for e in events] == ["turn_start", "error", "turn_end"]
    assert events[1]["code"] == code and events[1]["message"] and events[1]["turn_id"] == events[0]["turn_id"]
    nothing_written(voice_client, alice)


def test_ws_voice_message_rules(voice_client: TestClient, alice: Account) -> None:
    with voice_client.websocket_connect("/ws/chat") as ws:
        ws.send_json({"type": "auth", "token": alice.token})
        ws.receive_json()
        for message in (
            {"type": "audio_start", "id": "a", "format": "aiff"},
            {"type": "audio_start", "id": "a", "format": "wav", "speak": "yes"},
            {"type": "audio_end"},
        ):
            ws.send_json(message)
            assert ws.receive_json()["code"] == "bad_request", message
        ws.send_bytes(b"RIFF")
        assert ws.receive_json()["code"] == "bad_request"
        # Over 8 MB in a recording: answered at once; the rest and audio_end are dropped quietly.
        ws.send_json({"type": "audio_start", "id": "big", "format": "webm", "speak": False})
        for _ in range(5):
            ws.send_bytes(b"\0" * (2 * 1024 * 1024))
        events = [ws.receive_json() for _ in range(3)]
        assert [e["type"] for e in events] == ["turn_start", "error", "turn_end"]
        assert events[0]["reply_to"] == "big" and events[1]["code"] == "too_large"
        ws.send_json({"type": "audio_end"})
        # A frame over 2 MB spoils its recording: an error now, a too_large turn at audio_end.
        ws.send_json({"type": "audio_start", "id": "hole", "format": "wav"})
        ws.send_bytes(b"\0" * (2 * 1024 * 1024 + 1))
        assert ws.receive_json()["code"] == "too_large"
        ws.send_json({"type": "audio_end"})
        events = [ws.receive_json() for _ in range(3)]
        assert [e["type"] for e in events] == ["turn_start", "error", "turn_end"] and events[1]["code"] == "too_large"
        ws.send_json({"type": "ping"})
        assert ws.receive_json() == {"type": "pong"}
    nothing_written(voice_client, alice)


def test_ws_without_server_speech_says_no_tts_and_still_answers(
    engine: Engine, db_url: str, clock: FixedClock, stt_ready: None, speech: dict[str, bytes]
) -> None:
    events, _tts = spoken_turn(engine, db_url, clock, speech["expense.wav"], tts="browser")
    kinds = [e["type"] for e in events]
    assert "audio_reply" not in kinds and kinds[-1] == "turn_end"
    notice = next(e for e in events if e["type"] == "error")
    assert notice["code"] == "no_tts" and "browser" in notice["message"]
    assert next(e for e in events if e["type"] == "assistant_message")["text"]
    assert next(e for e in events if e["type"] == "tool_call")["name"] == "log_expense"


# ---------------------------------------------------------------- REST


def test_rest_voice_answers_with_transcript_tools_and_audio(
    voice_client: TestClient, alice: Account, speech: dict[str, bytes]
) -> None:
    files = {"audio": ("q.wav", speech["expense.wav"], "audio/wav")}
    r = voice_client.post("/api/voice", headers=alice.headers, files=files, data={"speak": "true"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert "lunch" in body["transcript"].lower() and body["reply"]
    [call] = body["tool_calls"]
    assert call["name"] == "log_expense" and float(call["args"]["amount"]) == 12.5 and call["ok"] is True
    assert call["result"]["transaction"]["amount"] in ("12.50", 12.5)
    assert wav_seconds(base64.b64decode(body["audio"])) > 0.5
    files = {"audio": ("q.webm", speech["purchase.webm"], "audio/webm")}
    body = voice_client.post("/api/voice", headers=alice.headers, files=files).json()
    assert [c["name"] for c in body["tool_calls"]] == ["check_purchase"] and "audio" not in body


@pytest.mark.parametrize(
    ("key", "status"), [("empty", 422), ("silence.wav", 422), ("garbage", 422), ("long.wav", 413), ("huge", 413)]
)
def test_rest_voice_refuses_bad_recordings(
    voice_client: TestClient, alice: Account, speech: dict[str, bytes], key: str, status: int
) -> None:
    data = b"\0" * (8 * 1024 * 1024 + 1) if key == "huge" else speech[key]
    r = voice_client.post("/api/voice", headers=alice.headers, files={"audio": ("a.wav", data, "audio/wav")})
    assert r.status_code == status, r.text
    detail = r.json()["detail"]
    assert detail if isinstance(detail, str) else detail[0]["loc"] == ["body", "audio"] and detail[0]["msg"]
    nothing_written(voice_client, alice)


def test_rest_voice_needs_sign_in_and_a_file(voice_client: TestClient, alice: Account) -> None:
    assert voice_client.post("/api/voice", files={"audio": ("a.wav", b"x", "audio/wav")}).status_code == 401
    assert voice_client.post("/api/voice", headers=alice.headers, data={"speak": "true"}).status_code == 422
