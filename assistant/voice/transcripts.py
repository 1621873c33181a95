"""What speech to text hands back, and the limits that judge it: a recording's readings
(``Hypothesis``, best first, in a ``Transcription``), how sure Whisper is of them (``confident``),
the thresholds behind "no speech", "another language" and "unsure", and faster-whisper's
repetition test (``compression_ratio``). ``voice.stt`` re-exports these names.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from ..errors import InvalidInput


@dataclass(frozen=True)
class Hypothesis:
    """One reading of a recording and how likely Whisper finds it.

    ``score`` is the beam search's own ranking score: the mean log-probability per token
    (length penalty 1), so readings of different lengths compare fairly; 0.0 when the backend
    gives no score (one reading only).
    """

    text: str
    score: float = 0.0


NO_SPEECH = "I didn't hear any speech"
NOT_ENGLISH = "I only understand English for now"


class NotEnglish(InvalidInput):
    """A question in another language (only the multilingual ``base`` model can tell): no guess."""

    voice_code = "not_english"


# Speech must last this long in Silero VAD's view (faster-whisper's defaults otherwise): tones,
# hum, noise, chirps and clipped tones give none at all; the shortest spoken question ("Undo
# that") about half a second.
MIN_SPEECH_SECONDS = 0.2
# Whisper's own "nobody spoke" signal, with faster-whisper's thresholds: a no-speech probability
# over 0.6 together with an average log-probability under -1 is no speech.
NO_SPEECH_THRESHOLD = 0.6
# Under this average log-probability per token a transcript is "unsure" (confident=False): the
# turn should confirm before writing. Measured on the spoken dev set (docs/voice.md).
UNSURE_LOG_PROB = -0.7
# Another language is only declared when the model is this sure of it and English is unlikely.
LANGUAGE_THRESHOLD = 0.6


@dataclass(frozen=True)
class Transcription:
    """What the model heard: its readings (best first) and how sure it is.

    ``avg_logprob`` and ``no_speech_prob`` belong to the best reading (Whisper's own signals);
    ``confident`` is False for a transcript the model was unsure of, which must not write
    without a confirmation (the contract's ``confirm``).
    """

    readings: list[Hypothesis]
    avg_logprob: float = 0.0
    no_speech_prob: float = 0.0
    language: str = "en"

    @property
    def confident(self) -> bool:
        return self.avg_logprob >= UNSURE_LOG_PROB and self.no_speech_prob < NO_SPEECH_THRESHOLD


# How many readings the local model returns (its beam is at least this wide). Measured on the
# spoken dev, held-out and blind sets (docs/voice.md, "Spoken eval"): with 10 the understanding
# engine fixes clearly more mishearings than with 2 or 5 (8 is close, 12 no better), for
# 50-80 ms more per question on 2 cores; 1 turns the choice off (the single transcript, as before).
# The setting ``stt_nbest`` (BUDGETWISE_STT_NBEST) holds it; this is its default.
NBEST = 10
# faster-whisper's own limits for a decode it does not trust (``transcribe``'s defaults): an
# average log-probability under -1 or text that compresses too well (a repetition loop) sends
# it to temperature fallback; there the n-best path hands the clip to ``transcribe`` itself.
LOG_PROB_THRESHOLD = -1.0
COMPRESSION_RATIO_THRESHOLD = 2.4


def compression_ratio(text: str) -> float:
    """How well ``text`` compresses (faster-whisper's repetition test: over 2.4 is a loop)."""
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data)) if data else 0.0
