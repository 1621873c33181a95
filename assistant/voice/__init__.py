"""Voice: speech in (faster-whisper, offline) and speech out (pyttsx3 / espeak-ng, offline)."""

from .stt import SpeechToText, get_stt
from .tts import TextToSpeech, get_tts

__all__ = ["SpeechToText", "TextToSpeech", "get_stt", "get_tts"]
