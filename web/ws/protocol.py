"""The WebSocket protocol of ``/ws/chat`` (``CONTRACT.md``): what a client may send, what it gets.

Inbound messages are one pydantic discriminated union on ``type``: a message that does not fit
is answered with the contract's ``error`` (``bad_request``, a message saying what is expected)
and the socket stays open; nothing in here raises for a client's input. Outbound events are
plain dicts (they are encoded once, in the outbox) typed with ``TypedDict``; the events of a
turn are the agent's (``assistant.agent.events``). ``error_turn`` is the one builder of a turn
that only says what went wrong.
"""

from __future__ import annotations

import json
import uuid
from typing import Annotated, Any, Literal, NotRequired, TypedDict

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    TypeAdapter,
    ValidationError,
    field_validator,
)

from assistant.agent.events import error_turn as agent_error_turn

from ..hardening import lone_surrogate_path

MAX_TEXT = 64 * 1024
MAX_BINARY = 2 * 1024 * 1024

ClientId = StrictStr | StrictInt  # a string or a whole number (JSON ``true`` is not one)


class _Message(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Auth(_Message):
    """The first message, and a fresh token after a refresh; the token is checked by the session."""

    type: Literal["auth"]
    token: Any = None


class Ping(_Message):
    type: Literal["ping"]


class UserMessage(_Message):
    type: Literal["user_message"]
    text: StrictStr = Field(pattern=r"\S")
    id: ClientId | None = None

    @property
    def reply_to(self) -> str:
        return str(self.id) if self.id else uuid.uuid4().hex

    @property
    def remember(self) -> bool:
        """Sent with an id: handled once per user (a retry gets the stored reply)."""
        return "id" in self.model_fields_set


class Confirm(_Message):
    type: Literal["confirm"]
    id: StrictStr = Field(min_length=1)
    answer: Literal["yes", "no"]


def _audio_format(value: Any) -> str:
    from assistant.voice.pipeline import WS_FORMATS

    fmt = str(value or "").lower()
    if fmt not in WS_FORMATS:
        raise ValueError("unknown format")
    return fmt


class AudioStart(_Message):
    type: Literal["audio_start"]
    format: Annotated[str, Field(validate_default=True)] = ""
    speak: StrictBool = False
    id: ClientId | None = None

    @field_validator("format", mode="before")
    @classmethod
    def _known_format(cls, value: Any) -> str:
        return _audio_format(value)

    @property
    def reply_to(self) -> str:
        return str(self.id) if self.id not in (None, "") else uuid.uuid4().hex


class AudioEnd(_Message):
    type: Literal["audio_end"]


Inbound = Annotated[Auth | Ping | UserMessage | Confirm | AudioStart | AudioEnd, Field(discriminator="type")]
_INBOUND: TypeAdapter[Inbound] = TypeAdapter(Inbound)


def _invalid(kind: Any, error: ValidationError) -> str:
    """What a client gets for a message of a known type that does not fit it."""
    if kind == "user_message":
        return 'user_message needs a non-empty "text"'
    if kind == "confirm":
        return 'confirm needs an "id" and "answer": "yes" or "no"'
    if kind == "audio_start":
        if any(e["loc"][1:2] == ("format",) for e in error.errors()):
            from assistant.voice.pipeline import WS_FORMATS

            return f"audio_start needs a format: one of {', '.join(sorted(WS_FORMATS))}"
        return 'audio_start: "speak" is true or false, "id" a string'
    return f"unknown message type {kind!r}"


def parse_json(text: str | None) -> dict[str, Any] | None:
    """A text frame as a JSON object; None for anything else (a lone surrogate included: it
    decodes to text nothing downstream can store or encode)."""
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) and lone_surrogate_path(data) is None else None


def parse_message(data: dict[str, Any]) -> Inbound | ErrorEvent:
    """A JSON object as one of the client messages, or the ``bad_request`` error to answer."""
    try:
        return _INBOUND.validate_python(data)
    except ValidationError as exc:
        return error_event("bad_request", _invalid(data.get("type"), exc))


# ---------------------------------------------------------------- outbound


class ErrorEvent(TypedDict):
    type: Literal["error"]
    code: str
    message: str
    turn_id: NotRequired[str]


class ReadyEvent(TypedDict):
    type: Literal["ready"]
    user: dict[str, Any]


class PongEvent(TypedDict):
    type: Literal["pong"]


class NotificationEvent(TypedDict):
    type: Literal["notification"]
    notification: dict[str, Any]


class TurnStartEvent(TypedDict):
    type: Literal["turn_start"]
    turn_id: str
    reply_to: str | None


class TurnEndEvent(TypedDict):
    type: Literal["turn_end"]
    turn_id: str


PONG: PongEvent = {"type": "pong"}


def error_event(code: str, message: str, turn_id: str | None = None) -> ErrorEvent:
    event: ErrorEvent = {"type": "error", "code": code, "message": message}
    if turn_id is not None:
        event["turn_id"] = turn_id
    return event


def ready_event(user: dict[str, Any]) -> ReadyEvent:
    return {"type": "ready", "user": user}


def notification_event(notification: dict[str, Any]) -> NotificationEvent:
    return {"type": "notification", "notification": notification}


def turn_start(turn_id: str, reply_to: str | None) -> TurnStartEvent:
    return {"type": "turn_start", "turn_id": turn_id, "reply_to": reply_to}


def turn_end(turn_id: str) -> TurnEndEvent:
    return {"type": "turn_end", "turn_id": turn_id}


def error_turn(
    reply_to: str | None, code: str, message: str, *, turn_id: str | None = None, started: bool = False
) -> list[dict[str, Any]]:
    """``assistant.agent.events.error_turn`` (the one builder of a turn that only says what went
    wrong: ``turn_start`` unless ``started``, ``error``, ``turn_end``) as wire dicts."""
    return [e.to_dict() for e in agent_error_turn(reply_to, code, message, turn_id=turn_id, started=started)]


def replayed_turn(reply_to: str, reply: dict[str, Any]) -> list[dict[str, Any]]:
    """A retried message id: its stored reply again, marked ``duplicate``, as a turn of its own."""
    turn_id = uuid.uuid4().hex
    return [
        dict(turn_start(turn_id, reply_to)),
        {**reply, "turn_id": turn_id, "duplicate": True},
        dict(turn_end(turn_id)),
    ]
