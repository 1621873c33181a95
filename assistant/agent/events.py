"""The events of one chat turn, exactly as the WebSocket contract names them.

Why typed events: the web socket, the terminal and the tests all consume the same stream, and
``to_dict()`` is the one place that decides the wire shape.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any, ClassVar


class EventType(StrEnum):
    TURN_START = "turn_start"
    TOOL_CALL = "tool_call"
    TOOL_RESULT = "tool_result"
    TOKEN = "token"
    ASSISTANT_MESSAGE = "assistant_message"
    ERROR = "error"
    TURN_END = "turn_end"


@dataclass(frozen=True)
class TurnEvent:
    type: ClassVar[str]
    """An ``EventType`` here; the voice stages add theirs (``assistant.voice.events``)."""
    turn_id: str

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": str(self.type), "turn_id": self.turn_id}
        out.update({f.name: getattr(self, f.name) for f in fields(self) if f.name != "turn_id"})
        return out


@dataclass(frozen=True)
class TurnStart(TurnEvent):
    type: ClassVar[EventType] = EventType.TURN_START
    reply_to: str | None = None


@dataclass(frozen=True)
class ToolCall(TurnEvent):
    type: ClassVar[EventType] = EventType.TOOL_CALL
    name: str = ""
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ToolResult(TurnEvent):
    type: ClassVar[EventType] = EventType.TOOL_RESULT
    name: str = ""
    ok: bool = True
    result: dict[str, Any] = field(default_factory=dict)
    summary: dict[str, Any] | None = None
    """The chip under the reply (``tools.summary_of``): ``{kind, text: [pieces], undo_id?}``."""

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        if out.get("summary") is None:
            out.pop("summary", None)
        return out


@dataclass(frozen=True)
class Token(TurnEvent):
    type: ClassVar[EventType] = EventType.TOKEN
    text: str = ""


@dataclass(frozen=True)
class AssistantMessage(TurnEvent):
    type: ClassVar[EventType] = EventType.ASSISTANT_MESSAGE
    text: str = ""
    engine: str = "local"
    confirm: dict[str, Any] | None = None
    """The contract's ``confirm`` (``{id, action:{name, args}, text}``) when a write waits for a yes."""

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        if out.get("confirm") is None:
            out.pop("confirm", None)
        return out


@dataclass(frozen=True)
class TurnError(TurnEvent):
    type: ClassVar[EventType] = EventType.ERROR
    code: str = "internal"
    message: str = ""


@dataclass(frozen=True)
class TurnEnd(TurnEvent):
    type: ClassVar[EventType] = EventType.TURN_END


def error_turn(
    reply_to: str | None, code: str, message: str, *, turn_id: str | None = None, started: bool = False
) -> list[TurnEvent]:
    """A turn that only says what went wrong: ``turn_start`` (unless ``started``), ``error``, ``turn_end``.

    The one builder of such a turn: the socket (``web.ws.protocol.error_turn`` sends it as wire
    dicts) and the voice pipeline (audio nobody can hear) both use it.
    """
    turn_id = turn_id or uuid.uuid4().hex
    head: list[TurnEvent] = [] if started else [TurnStart(turn_id, reply_to=reply_to)]
    return [*head, TurnError(turn_id, code=code, message=message), TurnEnd(turn_id)]
