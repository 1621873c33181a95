"""Voice turns: audio in, transcript, the assistant's ordinary turn, spoken reply out.

Both entry points use this: the WebSocket (``audio_start`` / frames / ``audio_end``) streams the
events as the contract orders them; ``POST /api/voice`` collects them into one JSON answer.
Nothing here knows about HTTP or sockets.

Transcription and speech synthesis run on two bounded executors of their own (``Voice.stt_pool``,
``Voice.tts_pool``): one worker each, and at most ``voice_max_waiting`` turns waiting behind it.
Why: the speech model already uses the cores it is given, so a queue only adds seconds; a turn
beyond the bound gets ``voice_busy`` at once ("busy, try again"; 503 with Retry-After on REST),
and typed chat, which runs on the default thread pool, is never stuck behind a pile of
recordings. The reply is spoken sentence by sentence (Piper): the first ``audio_reply`` goes out
as soon as its sentence is made, while the next is being made.

The unsure signal: ``transcribe`` returns a ``Heard`` whose ``confident`` is False when Whisper
was unsure of the words (low average log-probability, tts.py/stt.py ``Transcription``). It is
sent in the ``transcript`` event and the ``/api/voice`` answer (``"confident": false``); the
confirm flow (assistant/agent) decides from it that such a transcript must not write without a
confirmation.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import contextlib
import datetime as dt
import logging
import threading
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from ..errors import BudgetWiseError, Unavailable
from ..nlu import NLUContext, Understanding, understand
from ..settings import get_settings
from .audio import NoSpeech, decode, voice_code
from .normalize import normalize
from .stt import NO_SPEECH, OFF, Hypothesis, SpeechToText, Transcription, get_stt
from .tts import Speaker, get_tts

log = logging.getLogger("budgetwise.voice")

# What ``audio_start`` may name (the contract's three, plus mp3 for phone shortcuts).
WS_FORMATS = {"webm", "ogg", "wav", "mp3"}
MAX_FRAME_BYTES = 2 * 1024 * 1024
MAX_RECORDING_BYTES = 8 * 1024 * 1024
NO_TTS = "no_tts"
VOICE_BUSY = "voice_busy"
RETRY_AFTER_SECONDS = 2
TTS_MODES = {"local", "piper", "espeak"}  # the server speaks; "browser" and "off" leave it to others

T = TypeVar("T")


class VoiceBusy(Unavailable):
    """The voice executors are full: a clear "try again" now instead of a queue of seconds."""

    voice_code = VOICE_BUSY

    def __init__(self, what: str = "voice") -> None:
        super().__init__(
            f"{what} is busy right now; try again in a moment (typing works meanwhile)",
            details={"retry_after": RETRY_AFTER_SECONDS},
        )


class BoundedExecutor:
    """A thread pool that refuses work instead of queueing it without end.

    ``workers`` run at once and at most ``max_waiting`` more wait; the next submission raises
    ``VoiceBusy``. A slot is given back when a job ends or is cancelled before it starts.
    """

    def __init__(self, name: str, *, workers: int = 1, max_waiting: int = 2) -> None:
        self.name = name
        self._pool = concurrent.futures.ThreadPoolExecutor(workers, thread_name_prefix=f"voice-{name}")
        self._slots = threading.BoundedSemaphore(workers + max_waiting)

    def submit(self, fn: Callable[..., T], *args: Any) -> concurrent.futures.Future[T]:
        if not self._slots.acquire(blocking=False):
            raise VoiceBusy("speech recognition" if self.name == "stt" else "speech output")
        try:
            fut = self._pool.submit(fn, *args)
        except BaseException:
            self._slots.release()
            raise
        fut.add_done_callback(lambda _f: self._slots.release())
        return fut

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.wrap_future(self.submit(fn, *args))


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
    ) -> AsyncIterator[Any]: ...


class Voice:
    """The app's voice settings and engines: which STT and TTS, whether they work, warm-up, and
    the two bounded executors voice work runs on."""

    def __init__(
        self,
        stt: str = "local",
        tts: str = "local",
        *,
        max_waiting: int | None = None,
        rate: float | None = None,
        voice: str | None = None,
    ) -> None:
        self.stt_spec = (stt or "local").strip()
        self.tts_mode = (tts or "local").strip().lower()
        self.tts_rate, self.tts_voice = rate, voice
        waiting = get_settings().voice_max_waiting if max_waiting is None else max_waiting
        self.stt_pool = BoundedExecutor("stt", max_waiting=waiting)
        self.tts_pool = BoundedExecutor("tts", max_waiting=waiting)
        self._tts: Speaker | None = None
        self._tts_ok: bool | None = None
        self._tts_lock = threading.Lock()
        self._warm: threading.Thread | None = None

    @property
    def stt_enabled(self) -> bool:
        return self.stt_spec.lower() not in OFF

    @property
    def server_speech(self) -> bool:
        """Whether this server is configured to speak replies (``BUDGETWISE_TTS=local`` or ``espeak``)."""
        return self.tts_mode in TTS_MODES

    def stt(self) -> SpeechToText:
        if not self.stt_enabled:
            raise Unavailable("speech recognition is turned off on this server (BUDGETWISE_STT=off)")
        return get_stt(self.stt_spec)

    def tts(self) -> Speaker | None:
        """The speech engine, or None when this server does not speak (off, browser, nothing installed).

        ``local`` is Piper; where Piper cannot start (no wheel for the platform, a bad voice path)
        espeak-ng speaks instead, and the log says why.
        """
        if not self.server_speech:
            return None
        with self._tts_lock:
            if self._tts_ok is None:
                kinds = ["espeak"] if self.tts_mode == "espeak" else ["piper", "espeak"]
                for kind in kinds:
                    engine = get_tts(kind, rate=self.tts_rate, voice=self.tts_voice)
                    if engine.available():
                        self._tts, self._tts_ok = engine, True
                        break
                    log.warning("speech output %s is not available; trying the next", kind)
                else:
                    self._tts_ok = False
                    log.warning("speech output is not available (Piper nor espeak-ng); replies come as text")
            return self._tts if self._tts_ok else None

    async def atts(self) -> Speaker | None:
        if self._tts_ok is None and self.server_speech:
            return await asyncio.to_thread(self.tts)
        return self.tts()

    def no_tts_message(self) -> str:
        if self.tts_mode == "browser":
            return "this server leaves speaking to your browser (BUDGETWISE_TTS=browser); the reply is text"
        if not self.server_speech:
            return "speech output is turned off on this server (BUDGETWISE_TTS=off); the reply is text"
        return "speech output is not available on this server (no Piper voice, no espeak-ng); the reply is text"

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
        voice = Voice(
            settings.stt,
            settings.tts,
            max_waiting=getattr(settings, "voice_max_waiting", None),
            rate=getattr(settings, "tts_rate", None),
            voice=getattr(settings, "tts_voice", None),
        )
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


def _event(ev: Any) -> dict[str, Any]:
    return ev.to_dict() if hasattr(ev, "to_dict") else dict(ev)


async def reply_events(
    runner: Runner, voice: Voice, user_id: int, heard: Heard, reply_to: str, *, speak: bool
) -> AsyncIterator[dict[str, Any]]:
    """The runner's turn for ``heard.text`` with ``transcript`` after ``turn_start`` and, when
    asked, one ``audio_reply`` per spoken sentence (``index`` 0, 1, ...; or an ``error`` with
    code ``no_tts`` / ``voice_busy``) before ``turn_end``."""
    tts = await voice.atts() if speak else None
    stream: SpeechStream | None = None
    busy: VoiceBusy | None = None
    reply = ""
    try:
        # An unsure transcript, or a change to what is recorded, is asked about before it is written.
        async for ev in runner.run_turn(user_id, heard.text, reply_to, confident=heard.confident, spoken=True):
            event = _event(ev)
            kind = event.get("type")
            turn_id = str(event.get("turn_id", ""))
            if kind == "turn_end" and speak and reply:
                if tts is None:
                    yield {"type": "error", "turn_id": turn_id, "code": NO_TTS, "message": voice.no_tts_message()}
                elif busy is not None:
                    yield {"type": "error", "turn_id": turn_id, "code": VOICE_BUSY, "message": busy.message}
                elif stream is not None:
                    index = 0
                    try:
                        async for wav in stream.wavs():
                            data = base64.b64encode(wav).decode("ascii")
                            yield {
                                "type": "audio_reply",
                                "turn_id": turn_id,
                                "format": "wav",
                                "data": data,
                                "index": index,
                            }
                            index += 1
                    except BudgetWiseError as exc:
                        yield {"type": "error", "turn_id": turn_id, "code": NO_TTS, "message": exc.message}
            yield event
            if kind == "turn_start":
                yield {"type": "transcript", "turn_id": turn_id, "text": heard.text, "confident": heard.confident}
            elif kind == "assistant_message":
                reply = str(event.get("text") or "")
                if tts is not None and reply and stream is None:
                    try:
                        stream = SpeechStream(voice, tts, reply)  # starts at once, runs while we send
                    except VoiceBusy as exc:
                        busy = exc
    finally:
        if stream is not None:
            stream.cancel()


async def voice_turn(
    runner: Runner, voice: Voice, user_id: int, audio: bytes, reply_to: str, *, speak: bool
) -> AsyncIterator[dict[str, Any]]:
    """A whole voice turn as WebSocket events; bad audio is ``turn_start``, ``error``, ``turn_end``
    (codes no_speech, not_english, bad_audio, too_large, voice_busy, unavailable) and nothing is
    stored."""
    try:
        heard = await transcribe(voice, audio)
    except BudgetWiseError as exc:
        turn_id = uuid.uuid4().hex
        yield {"type": "turn_start", "turn_id": turn_id, "reply_to": reply_to}
        yield {"type": "error", "turn_id": turn_id, "code": voice_code(exc), "message": exc.message}
        yield {"type": "turn_end", "turn_id": turn_id}
        return
    async for event in reply_events(runner, voice, user_id, heard, reply_to, speak=speak):
        yield event
