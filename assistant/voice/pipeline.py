"""Voice turns: audio in, transcript, the assistant's ordinary turn, spoken reply out.

Both entry points use this: the WebSocket (``audio_start`` / frames / ``audio_end``) streams the
events as the contract orders them; ``POST /api/voice`` collects them into one JSON answer.
Nothing here knows about HTTP or sockets. Transcription and speech synthesis run in worker
threads; the reply is synthesised while the last events of the turn are still being sent.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import threading
import uuid
from collections.abc import AsyncIterator
from typing import Any, Protocol

from ..errors import BudgetWiseError, Unavailable
from .audio import voice_code
from .normalize import normalize
from .stt import OFF, SpeechToText, get_stt
from .tts import TextToSpeech, get_tts

log = logging.getLogger("budgetwise.voice")

# What ``audio_start`` may name (the contract's three, plus mp3 for phone shortcuts).
WS_FORMATS = {"webm", "ogg", "wav", "mp3"}
MAX_FRAME_BYTES = 2 * 1024 * 1024
MAX_RECORDING_BYTES = 8 * 1024 * 1024
NO_TTS = "no_tts"


class Runner(Protocol):
    def run_turn(self, user_id: int, text: str, reply_to: str | None = None) -> AsyncIterator[Any]: ...


class Voice:
    """The app's voice settings and engines: which STT and TTS, whether they work, warm-up."""

    def __init__(self, stt: str = "local", tts: str = "local") -> None:
        self.stt_spec = (stt or "local").strip()
        self.tts_mode = (tts or "local").strip().lower()
        self._tts_ok: bool | None = None
        self._warm: threading.Thread | None = None

    @property
    def stt_enabled(self) -> bool:
        return self.stt_spec.lower() not in OFF

    @property
    def server_speech(self) -> bool:
        """Whether this server is configured to speak replies (``BUDGETWISE_TTS=local``)."""
        return self.tts_mode not in {"browser", "off", "none", "disabled"}

    def stt(self) -> SpeechToText:
        if not self.stt_enabled:
            raise Unavailable("speech recognition is turned off on this server (BUDGETWISE_STT=off)")
        return get_stt(self.stt_spec)

    def tts(self) -> TextToSpeech | None:
        """The speech engine, or None when this server does not speak (off, browser, no espeak-ng)."""
        if not self.server_speech:
            return None
        if self._tts_ok is None:
            self._tts_ok = get_tts().available()
            if not self._tts_ok:
                log.warning("speech output is not available (is espeak-ng installed?); replies come as text")
        return get_tts() if self._tts_ok else None

    async def atts(self) -> TextToSpeech | None:
        if self._tts_ok is None and self.server_speech:
            return await asyncio.to_thread(self.tts)
        return self.tts()

    def no_tts_message(self) -> str:
        if self.tts_mode == "browser":
            return "this server leaves speaking to your browser (BUDGETWISE_TTS=browser); the reply is text"
        if not self.server_speech:
            return "speech output is turned off on this server (BUDGETWISE_TTS=off); the reply is text"
        return "speech output is not available on this server (espeak-ng is missing); the reply is text"

    def warm_up(self) -> None:
        """Load and run the speech model once and start the speech engine (blocking)."""
        if self.stt_enabled:
            self.stt().warm_up()
        self.tts()

    def start_warm_up(self) -> threading.Thread | None:
        """``warm_up`` in a background thread, so the app starts at once and the first question is quick."""
        if self._warm is not None or not (self.stt_enabled or self.server_speech):
            return self._warm

        def work() -> None:
            try:
                self.warm_up()
                log.info("voice is warm (stt=%s, tts=%s)", self.stt_spec, self.tts_mode)
            except Exception as exc:  # voice is optional: the rest of the app works without it
                log.warning("voice warm-up failed: %s", exc)

        self._warm = threading.Thread(target=work, name="voice-warm-up", daemon=True)
        self._warm.start()
        return self._warm


def voice_for(state: Any) -> Voice:
    """The app's ``Voice`` (made from its settings on first use)."""
    voice = getattr(state, "voice", None)
    if voice is None:
        settings = state.settings
        voice = Voice(settings.stt, settings.tts)
        state.voice = voice
    return voice  # type: ignore[no-any-return]


async def transcribe(voice: Voice, audio: bytes) -> str:
    """The words in the recording, numbers and finance words put the way the understanding engine
    reads them (``normalize``); raises NoSpeech / BadAudio (422), TooLarge (413), Unavailable."""
    return normalize(await voice.stt().atranscribe(audio))


def _event(ev: Any) -> dict[str, Any]:
    return ev.to_dict() if hasattr(ev, "to_dict") else dict(ev)


async def reply_events(
    runner: Runner, voice: Voice, user_id: int, text: str, reply_to: str, *, speak: bool
) -> AsyncIterator[dict[str, Any]]:
    """The runner's turn for ``text`` with ``transcript`` after ``turn_start`` and, when asked,
    ``audio_reply`` (or an ``error`` with code ``no_tts``) before ``turn_end``."""
    tts = await voice.atts() if speak else None
    spoken: asyncio.Future[bytes] | None = None
    reply = ""
    try:
        async for ev in runner.run_turn(user_id, text, reply_to):
            event = _event(ev)
            kind = event.get("type")
            turn_id = str(event.get("turn_id", ""))
            if kind == "turn_end" and speak and reply:
                if tts is None:
                    yield {"type": "error", "turn_id": turn_id, "code": NO_TTS, "message": voice.no_tts_message()}
                elif spoken is not None:
                    try:
                        wav = await spoken
                    except BudgetWiseError as exc:
                        yield {"type": "error", "turn_id": turn_id, "code": NO_TTS, "message": exc.message}
                    else:
                        data = base64.b64encode(wav).decode("ascii")
                        yield {"type": "audio_reply", "turn_id": turn_id, "format": "wav", "data": data}
            yield event
            if kind == "turn_start":
                yield {"type": "transcript", "turn_id": turn_id, "text": text}
            elif kind == "assistant_message":
                reply = str(event.get("text") or "")
                if tts is not None and reply:
                    spoken = asyncio.ensure_future(tts.asynthesize(reply))  # runs while we send
    finally:
        if spoken is not None and not spoken.done():
            spoken.cancel()
            with contextlib.suppress(BaseException):
                await spoken


async def voice_turn(
    runner: Runner, voice: Voice, user_id: int, audio: bytes, reply_to: str, *, speak: bool
) -> AsyncIterator[dict[str, Any]]:
    """A whole voice turn as WebSocket events; bad audio is ``turn_start``, ``error``, ``turn_end``
    (codes no_speech, bad_audio, too_large, unavailable) and nothing is stored."""
    try:
        text = await transcribe(voice, audio)
    except BudgetWiseError as exc:
        turn_id = uuid.uuid4().hex
        yield {"type": "turn_start", "turn_id": turn_id, "reply_to": reply_to}
        yield {"type": "error", "turn_id": turn_id, "code": voice_code(exc), "message": exc.message}
        yield {"type": "turn_end", "turn_id": turn_id}
        return
    async for event in reply_events(runner, voice, user_id, text, reply_to, speak=speak):
        yield event
