"""Voice turns as three stages: speech to text, the turn, text to speech, as typed events.

```text
audio --[1 speech to text: transcribe]--> Heard(text, confident)
      --[2 the turn: turn_events]--> the agent's events, Transcript after turn_start
      --[3 text to speech: Speech]--> AudioReply per sentence (or a no_tts / voice_busy error)
                                      before turn_end
```

Both entry points use this: the WebSocket (``audio_start`` / frames / ``audio_end``) streams
``voice_turn``'s events as the contract orders them; ``POST /api/voice`` transcribes, then
collects ``reply_events`` into one JSON answer. Nothing here knows about HTTP or sockets. Stage 1
runs on ``Voice.stt_pool`` and stage 3 on ``Voice.tts_pool`` (``assistant.voice.engines``: bounded,
``voice_busy`` beyond the bound). The reply is spoken sentence by sentence (Piper): stage 3 starts
as soon as the ``assistant_message`` is known, so the first ``audio_reply`` goes out as soon as its
sentence is made, while the next is being made.

The unsure signal: ``transcribe`` returns a ``Heard`` whose ``confident`` is False when Whisper
was unsure of the words (low average log-probability, stt.py ``Transcription``). It is sent in
the ``transcript`` event and the ``/api/voice`` answer (``"confident": false``); the confirm flow
(assistant/agent) decides from it that such a transcript must not write without a confirmation.
Audio nobody can hear is the agent's ``error_turn`` (``turn_start``, ``error``, ``turn_end``) and
nothing is stored.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Protocol

from ..agent.events import AssistantMessage, TurnEnd, TurnError, TurnEvent, TurnStart, error_turn
from ..errors import BudgetWiseError, Unavailable
from .audio import NoSpeech, decode, voice_code
from .choice import CHOICE_MARGIN, choose_transcript
from .engines import (
    MAX_FRAME_BYTES,
    MAX_RECORDING_BYTES,
    NO_TTS,
    RETRY_AFTER_SECONDS,
    TTS_MODES,
    VOICE_BUSY,
    WS_FORMATS,
    BoundedExecutor,
    Voice,
    VoiceBusy,
    voice_for,
)
from .events import AudioReply, Transcript
from .stt import NO_SPEECH, SpeechToText, Transcription
from .tts import Speaker

__all__ = [
    "CHOICE_MARGIN",
    "MAX_FRAME_BYTES",
    "MAX_RECORDING_BYTES",
    "NO_TTS",
    "RETRY_AFTER_SECONDS",
    "TTS_MODES",
    "VOICE_BUSY",
    "WS_FORMATS",
    "AudioReply",
    "BoundedExecutor",
    "Heard",
    "Speech",
    "SpeechStream",
    "Transcript",
    "Voice",
    "VoiceBusy",
    "choose_transcript",
    "hear",
    "reply_events",
    "transcribe",
    "turn_events",
    "voice_for",
    "voice_turn",
]


@dataclass(frozen=True)
class Heard:
    """The transcript a voice turn acts on and how sure the speech model was of it.

    ``confident`` False: Whisper's average log-probability for the words was low (or it thought
    nobody might have spoken); a write heard this way needs a confirmation.
    """

    text: str
    confident: bool = True
    avg_logprob: float = 0.0
    no_speech_prob: float = 0.0
    language: str = "en"


class Runner(Protocol):
    def run_turn(
        self, user_id: int, text: str, reply_to: str | None = None, *, confident: bool = True, spoken: bool = False
    ) -> AsyncIterator[TurnEvent]: ...


# -- stage 1: speech to text


def hear(stt: SpeechToText, audio: bytes) -> Heard:
    """Decode, transcribe and choose the reading (blocking; runs on the STT executor)."""
    result: Transcription = stt.transcribe_nbest(decode(audio))
    text = choose_transcript(result.readings)
    if not text:
        raise NoSpeech(NO_SPEECH, field="audio")
    return Heard(text, result.confident, result.avg_logprob, result.no_speech_prob, result.language)


async def transcribe(voice: Voice, audio: bytes) -> Heard:
    """The words in the recording, numbers and finance words put the way the understanding engine
    reads them (``normalize``), the reading chosen by ``choose_transcript`` where the speech model
    gives several, and whether the model was sure; raises NoSpeech / BadAudio / NotEnglish (422),
    TooLarge (413), VoiceBusy / Unavailable (503)."""
    stt = voice.stt()
    return await voice.stt_pool.run(hear, stt, audio)


# -- stage 2: the turn


async def turn_events(runner: Runner, user_id: int, heard: Heard, reply_to: str) -> AsyncIterator[TurnEvent]:
    """The runner's ordinary turn for ``heard.text``, with ``transcript`` right after ``turn_start``.

    An unsure transcript, or a change to what is recorded, is asked about before it is written."""
    async for event in runner.run_turn(user_id, heard.text, reply_to, confident=heard.confident, spoken=True):
        yield event
        if isinstance(event, TurnStart):
            yield Transcript(event.turn_id, text=heard.text, confident=heard.confident)


# -- stage 3: text to speech


class SpeechStream:
    """A reply being spoken on the TTS executor, one WAV per sentence, read as they come."""

    def __init__(self, voice: Voice, tts: Speaker, text: str) -> None:
        self._loop = asyncio.get_running_loop()
        self._queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        self._stop = threading.Event()
        self._future = voice.tts_pool.submit(self._work, tts, text)  # VoiceBusy when full

    def _put(self, item: tuple[str, Any]) -> None:
        with contextlib.suppress(RuntimeError):  # the loop is gone: nobody is listening
            self._loop.call_soon_threadsafe(self._queue.put_nowait, item)

    def _work(self, tts: Speaker, text: str) -> None:
        try:
            for wav in tts.sentences(text):
                if self._stop.is_set():
                    return
                self._put(("wav", wav))
        except Exception as exc:
            self._put(("error", exc))
        finally:
            self._put(("end", None))

    async def wavs(self) -> AsyncIterator[bytes]:
        while True:
            kind, value = await self._queue.get()
            if kind == "end":
                return
            if kind == "error":
                raise value if isinstance(value, BudgetWiseError) else Unavailable(f"speech output failed ({value})")
            yield value

    def cancel(self) -> None:
        self._stop.set()
        self._future.cancel()


class Speech:
    """Stage 3 for one turn: ``start`` speaks the reply at once (while the turn's events go out);
    ``events`` are its ``audio_reply``s, or the error saying why there are none."""

    def __init__(self, voice: Voice, tts: Speaker | None) -> None:
        self.voice, self.tts = voice, tts
        self.reply = ""
        self.stream: SpeechStream | None = None
        self.busy: VoiceBusy | None = None

    def start(self, reply: str) -> None:
        self.reply = reply
        if self.tts is not None and reply and self.stream is None:
            try:
                self.stream = SpeechStream(self.voice, self.tts, reply)  # starts at once, runs while we send
            except VoiceBusy as exc:
                self.busy = exc

    async def events(self, turn_id: str) -> AsyncIterator[TurnEvent]:
        if not self.reply:
            return
        if self.tts is None:
            yield TurnError(turn_id, code=NO_TTS, message=self.voice.no_tts_message())
        elif self.busy is not None:
            yield TurnError(turn_id, code=VOICE_BUSY, message=self.busy.message)
        elif self.stream is not None:
            index = 0
            try:
                async for wav in self.stream.wavs():
                    yield AudioReply(turn_id, data=base64.b64encode(wav).decode("ascii"), index=index)
                    index += 1
            except BudgetWiseError as exc:
                yield TurnError(turn_id, code=NO_TTS, message=exc.message)

    def cancel(self) -> None:
        if self.stream is not None:
            self.stream.cancel()


# -- the stages together


async def reply_events(
    runner: Runner, voice: Voice, user_id: int, heard: Heard, reply_to: str, *, speak: bool
) -> AsyncIterator[TurnEvent]:
    """Stages 2 and 3: the turn for ``heard`` with ``transcript`` after ``turn_start`` and, when
    asked, one ``audio_reply`` per spoken sentence (``index`` 0, 1, ...; or an ``error`` with
    code ``no_tts`` / ``voice_busy``) before ``turn_end``."""
    speech = Speech(voice, await voice.atts()) if speak else None
    try:
        async for event in turn_events(runner, user_id, heard, reply_to):
            if isinstance(event, TurnEnd) and speech is not None:
                async for spoken in speech.events(event.turn_id):
                    yield spoken
            yield event
            if isinstance(event, AssistantMessage) and speech is not None:
                speech.start(event.text)
    finally:
        if speech is not None:
            speech.cancel()


async def voice_turn(
    runner: Runner, voice: Voice, user_id: int, audio: bytes, reply_to: str, *, speak: bool
) -> AsyncIterator[TurnEvent]:
    """A whole voice turn (all three stages); bad audio is ``turn_start``, ``error``, ``turn_end``
    (codes no_speech, not_english, bad_audio, too_large, voice_busy, unavailable) and nothing is
    stored."""
    try:
        heard = await transcribe(voice, audio)
    except BudgetWiseError as exc:
        for event in error_turn(reply_to, voice_code(exc), exc.message):
            yield event
        return
    async for event in reply_events(runner, voice, user_id, heard, reply_to, speak=speak):
        yield event
