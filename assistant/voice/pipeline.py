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
import datetime as dt
import logging
import threading
import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any, Protocol

from ..errors import BudgetWiseError, Unavailable
from ..nlu import NLUContext, Understanding, understand
from .audio import NoSpeech, voice_code
from .normalize import normalize
from .stt import OFF, Hypothesis, SpeechToText, get_stt
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


# How far below the best reading (in mean log-probability per token, Whisper's own ranking
# score) another reading may be and still be chosen for being understood better. Measured on the
# spoken dev, held-out and blind sets (docs/voice.md, "Spoken eval"): gains grow up to about 0.4
# and stay flat beyond; 0.5 keeps a clearly unlikely reading out.
CHOICE_MARGIN = 0.5
# Intents that are an answer in themselves: a greeting, thanks, help, a refusal, an off-topic
# question. A best reading heard as one of these is kept; it is never traded for a tool call.
CONVERSATION = frozenset({"greeting", "thanks", "help", "refuse", "out_of_scope"})
# Requests that remove data. A runner-up asking for one never replaces a best reading that
# asks for something else ("Cancel the Paramount Plus subscription" is not traded for "Cancel
# that ..." = delete the last transaction); it may replace one the engine cannot act on at all
# ("A goop net." -> "Undo that.") or the same request with a better-heard name.
REMOVING = frozenset({"delete_transaction", "cancel_subscription"})


def _better(candidate: Understanding, chosen: Understanding) -> bool:
    """Whether the engine understands a reading better than the one chosen so far: a tool request
    over none, then more confidence, then (the same request) more details found (amount, category,
    date...). Details are only compared within one tool: another tool's defaults (a spending
    summary's dates) are not details the user said."""
    if not candidate.calls:
        return False
    if not chosen.calls or candidate.confidence > chosen.confidence:
        return True
    new, old = candidate.calls[0], chosen.calls[0]
    return candidate.confidence == chosen.confidence and new.name == old.name and len(new.args) > len(old.args)


def choose_transcript(
    readings: Sequence[Hypothesis], *, margin: float = CHOICE_MARGIN, today: dt.date | None = None
) -> str:
    """The reading to act on, normalised (``normalize``): the best-scoring one, unless a reading
    within ``margin`` of it is understood better by the offline engine (``_better``: a tool
    request where the best is not one, a request it is surer of, the same request with more
    details).

    Why the engine judges: Whisper tiny.en often puts the right words second ("Should I buy
    another free coffee?" over "...a $3 coffee?"), and the engine knows which reading is a
    budgeting request it can act on. It only ranks readings here (no tools run, nothing is
    written, a few milliseconds at most each) and it judges whichever model answers the turn, so a
    remote provider gets the same chosen transcript. The context is a neutral one (today, the
    default categories, no history): the choice needs the kind of request, not the user's data.
    A best reading that is small talk, help or a refusal is kept as it is, and one that asks for
    something is never traded for a runner-up that would delete or cancel something else.
    """
    texts = [(normalize(r.text), r.score) for r in readings]
    texts = [(t, s) for t, s in texts if t]
    if not texts:
        return ""
    best_text, best_score = texts[0]
    ctx = NLUContext(today=today or dt.date.today())
    best = understand(best_text, ctx)
    if not best.calls and best.intent in CONVERSATION:
        return best_text
    chosen, understood = best_text, best
    for text, score in texts[1:]:
        if best_score - score > margin:
            break
        candidate = understand(text, ctx)
        removes = candidate.calls and candidate.calls[0].name in REMOVING
        if removes and best.calls and best.calls[0].name != candidate.calls[0].name:
            continue
        if _better(candidate, understood):  # ties keep the likelier reading
            chosen, understood = text, candidate
    if chosen != best_text:
        log.debug("chose reading %r over %r", chosen, best_text)
    return chosen


async def transcribe(voice: Voice, audio: bytes) -> str:
    """The words in the recording, numbers and finance words put the way the understanding engine
    reads them (``normalize``), the reading chosen by ``choose_transcript`` where the speech model
    gives several; raises NoSpeech / BadAudio (422), TooLarge (413), Unavailable."""
    readings = await voice.stt().atranscribe_readings(audio)
    # judging up to ten readings takes a few milliseconds each: off the event loop too
    text = await asyncio.to_thread(choose_transcript, readings)
    if not text:
        raise NoSpeech("I couldn't hear anything in that recording", field="audio")
    return text


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
