"""Text to speech with pyttsx3 (espeak-ng on Linux), rendered to WAV bytes.

The pyttsx3 engine is not thread-safe, so one worker thread owns it and renders requests from a
queue; callers (sync or async) wait on a future. ``BUDGETWISE_TTS=browser`` (or ``off``) leaves
speaking to the browser's own speech synthesis.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import queue
import tempfile
import threading
from typing import Any

from ..errors import Unavailable

MAX_CHARS = 1000


class TextToSpeech:
    def __init__(self, *, rate: int = 180, voice: str | None = None) -> None:
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


_tts: TextToSpeech | None = None
_tts_lock = threading.Lock()


def get_tts() -> TextToSpeech:
    global _tts
    with _tts_lock:
        if _tts is None:
            _tts = TextToSpeech()
        return _tts
