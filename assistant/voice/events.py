"""The events a voice turn adds to the agent's (``assistant.agent.events``), as the contract names them.

``transcript`` follows ``turn_start``; ``audio_reply`` (one per spoken sentence, ``index`` 0, 1, ...)
comes before ``turn_end``. Errors are the agent's ``TurnError`` (codes ``no_tts``, ``voice_busy``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from ..agent.events import TurnEvent


class VoiceEventType(StrEnum):
    TRANSCRIPT = "transcript"
    AUDIO_REPLY = "audio_reply"


@dataclass(frozen=True)
class Transcript(TurnEvent):
    """What the speech model heard; ``confident`` False: a write in it waits for a yes."""

    type: ClassVar[str] = VoiceEventType.TRANSCRIPT
    text: str = ""
    confident: bool = True


@dataclass(frozen=True)
class AudioReply(TurnEvent):
    """One spoken sentence of the reply: a base64 WAV."""

    type: ClassVar[str] = VoiceEventType.AUDIO_REPLY
    format: str = "wav"
    data: str = ""
    index: int = 0
