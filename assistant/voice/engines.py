"""The app's voice engines and the two bounded executors voice work runs on.

Transcription and speech synthesis run on two bounded executors of their own (``Voice.stt_pool``,
``Voice.tts_pool``): one worker each, and at most ``voice_max_waiting`` turns waiting behind it.
Why: the speech model already uses the cores it is given, so a queue only adds seconds; a turn
beyond the bound gets ``voice_busy`` at once ("busy, try again"; 503 with Retry-After on REST),
and typed chat, which runs on the default thread pool, is never stuck behind a pile of
recordings.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from ..errors import Unavailable
from ..settings import get_settings
from .stt import OFF, SpeechToText, get_stt
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
        self._stop_warm = threading.Event()

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
        """Load and run the speech model once and start the speech engine (blocking; ``stop_warm_up``
        ends it early)."""
        if self.stt_enabled:
            self.stt().warm_up(self._stop_warm)
        if not self._stop_warm.is_set():
            self.tts()

    def start_warm_up(self) -> threading.Thread | None:
        """``warm_up`` in a background thread, so the app starts at once and the first question is quick."""
        if self._warm is not None or not (self.stt_enabled or self.server_speech):
            return self._warm
        self._stop_warm.clear()

        def work() -> None:
            try:
                self.warm_up()
                log.info("voice is warm (stt=%s, tts=%s)", self.stt_spec, self.tts_mode)
            except Exception as exc:  # voice is optional: the rest of the app works without it
                log.warning("voice warm-up failed: %s", exc)

        self._warm = threading.Thread(target=work, name="voice-warm-up", daemon=True)
        self._warm.start()
        return self._warm

    def stop_warm_up(self, timeout: float = 60.0) -> None:
        """End the background warm-up (at its next step) and wait for it: the app's shutdown.

        Why wait: the warm-up runs CTranslate2 and ONNX Runtime, whose worker threads are C++
        ``std::thread``s. A process that exits while one is still decoding (the thread is a
        daemon, so Python does not wait) runs their destructors under it and dies with
        "terminate called without an active exception" (exit 134, or a segfault) after a
        clean shutdown. A step takes a second or two, so this waits about that long at most.
        """
        warm, self._warm = self._warm, None
        if warm is None:
            return
        self._stop_warm.set()
        warm.join(timeout)
        if warm.is_alive():
            log.warning("voice warm-up still running after %.0f s at shutdown", timeout)


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
