"""Decoding what a microphone sends (webm, ogg, wav, mp3) into 16 kHz mono samples with PyAV.

Checks live here so every entry point (WebSocket, REST) refuses the same bad audio with the
same clear error: empty, undecodable, too long, or silent.
"""

from __future__ import annotations

import io

import av
import numpy as np

from ..errors import InvalidInput, TooLarge

SAMPLE_RATE = 16_000
MAX_SECONDS = 60.0
MAX_BYTES = 8 * 1024 * 1024
FORMATS = {"webm", "ogg", "wav", "mp3", "m4a", "mp4", "opus", "flac"}


class NoSpeech(InvalidInput):
    """Empty, too short or silent: nothing to understand (WebSocket code ``no_speech``)."""

    voice_code = "no_speech"


class BadAudio(InvalidInput):
    """Not audio we can decode (WebSocket code ``bad_audio``)."""

    voice_code = "bad_audio"


def voice_code(exc: Exception) -> str:
    """The WebSocket error code for a voice failure: no_speech, bad_audio, too_large, ..."""
    code = getattr(exc, "voice_code", None)
    if code:
        return str(code)
    if isinstance(exc, TooLarge):
        return "too_large"
    return str(getattr(exc, "code", "internal"))


def decode(data: bytes) -> np.ndarray:
    """16 kHz mono float32 samples in [-1, 1]."""
    if not data:
        raise NoSpeech("the recording is empty", field="audio")
    if len(data) > MAX_BYTES:
        raise TooLarge("the recording is too large (at most 8 MB)", field="audio")
    chunks: list[np.ndarray] = []
    try:
        with av.open(io.BytesIO(data), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise BadAudio("the file has no audio in it", field="audio")
            resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
            total = 0
            for frame in container.decode(audio=0):
                for out in resampler.resample(frame):
                    arr = out.to_ndarray().reshape(-1)
                    total += arr.size
                    if total > MAX_SECONDS * SAMPLE_RATE:
                        raise TooLarge("the recording is longer than 60 seconds", field="audio")
                    chunks.append(arr)
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except (av.error.FFmpegError, ValueError, IndexError, OSError, RuntimeError) as exc:
        raise BadAudio(
            f"the audio could not be decoded ({type(exc).__name__}); send webm/opus, ogg, wav or mp3", field="audio"
        ) from None
    if not chunks:
        raise NoSpeech("the recording is empty", field="audio")
    samples = np.concatenate(chunks).astype(np.float32) / 32768.0
    if samples.size < SAMPLE_RATE // 10:
        raise NoSpeech("the recording is too short to understand", field="audio")
    return samples


def is_silent(samples: np.ndarray, threshold_db: float = -45.0) -> bool:
    """True when the loudest 50 ms window stays under the threshold (nobody spoke)."""
    win = SAMPLE_RATE // 20
    n = samples.size // win
    if n == 0:
        return True
    frames = samples[: n * win].reshape(n, win)
    rms = np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1))
    peak_db = 20 * np.log10(max(float(rms.max()), 1e-10))
    return peak_db < threshold_db


def duration(samples: np.ndarray) -> float:
    return samples.size / SAMPLE_RATE
