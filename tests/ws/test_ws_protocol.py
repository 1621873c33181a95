"""The socket's protocol and its group commit, below the socket: odd messages get the contract's
error (never an exception), and message ids claimed together in one transaction still run once."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from assistant.clock import FixedClock
from assistant.db import unit_of_work
from assistant.errors import Unauthorized
from assistant.services.users import create_user
from web.idempotency import claim_message, store_message_reply
from web.ws.batch import SocketDatabase, refuse
from web.ws.protocol import (
    AudioStart,
    Confirm,
    Ping,
    UserMessage,
    error_turn,
    parse_json,
    parse_message,
)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "unknown message type None"),
        ({"type": 7}, "unknown message type 7"),
        ({"type": ["ping"]}, "unknown message type ['ping']"),
        ({"type": "user_message"}, 'user_message needs a non-empty "text"'),
        ({"type": "user_message", "text": 5}, 'user_message needs a non-empty "text"'),
        ({"type": "user_message", "text": "hi", "id": 1.5}, 'user_message needs a non-empty "text"'),
        ({"type": "confirm", "id": "c1", "answer": "maybe"}, 'confirm needs an "id" and "answer": "yes" or "no"'),
        ({"type": "confirm", "id": "", "answer": "yes"}, 'confirm needs an "id" and "answer": "yes" or "no"'),
        ({"type": "audio_start", "format": {"a": 1}}, "audio_start needs a format: one of"),
        ({"type": "audio_start", "format": "wav", "speak": "yes"}, 'audio_start: "speak" is true or false'),
        ({"type": "audio_start", "format": "wav", "speak": None}, 'audio_start: "speak" is true or false'),
    ],
)
def test_a_message_that_does_not_fit_gets_bad_request(data: dict[str, Any], message: str) -> None:
    event = parse_message(data)
    assert isinstance(event, dict) and event["type"] == "error" and event["code"] == "bad_request"
    assert event["message"].startswith(message)


def test_messages_that_fit_are_typed() -> None:
    assert isinstance(parse_message({"type": "ping", "extra": 1}), Ping)
    said = parse_message({"type": "user_message", "id": 7, "text": "spent 5 on tea"})
    assert isinstance(said, UserMessage) and said.reply_to == "7" and said.remember
    anonymous = parse_message({"type": "user_message", "text": "hi"})
    assert isinstance(anonymous, UserMessage) and not anonymous.remember and len(anonymous.reply_to) == 32
    assert parse_message({"type": "confirm", "id": "c1", "answer": "no"}) == Confirm(
        type="confirm", id="c1", answer="no"
    )
    audio = parse_message({"type": "audio_start", "format": "WAV", "id": 0})
    assert isinstance(audio, AudioStart) and (audio.format, audio.speak, audio.reply_to) == ("wav", False, "0")


def test_only_json_objects_without_lone_surrogates_are_messages() -> None:
    assert parse_json('{"type": "ping"}') == {"type": "ping"}
    for text in ["[1]", "nope", '"ping"', '{"type": "user_message", "text": "\\ud800"}', None]:
        assert parse_json(text) is None


def test_an_error_turn_is_start_error_end_with_one_turn_id() -> None:
    events = error_turn("m-1", "too_large", "too big")
    assert [e["type"] for e in events] == ["turn_start", "error", "turn_end"]
    assert len({e["turn_id"] for e in events}) == 1 and events[0]["reply_to"] == "m-1"
    assert [e["type"] for e in error_turn("m-1", "internal", "x", turn_id="t", started=True)] == ["error", "turn_end"]


def test_voice_events_go_out_in_the_contracts_shape() -> None:
    """The voice stages' typed events and the socket's error turn are the contract's frames."""
    from assistant.agent.events import error_turn as agent_error_turn
    from assistant.voice.events import AudioReply, Transcript

    assert Transcript("t", text="coffee 4 dollars", confident=False).to_dict() == {
        "type": "transcript",
        "turn_id": "t",
        "text": "coffee 4 dollars",
        "confident": False,
    }
    assert AudioReply("t", data="UklGRg==", index=1).to_dict() == {
        "type": "audio_reply",
        "turn_id": "t",
        "format": "wav",
        "data": "UklGRg==",
        "index": 1,
    }
    wire = error_turn("m-1", "no_speech", "I didn't hear any speech", turn_id="t")
    assert wire == [e.to_dict() for e in agent_error_turn("m-1", "no_speech", "I didn't hear any speech", turn_id="t")]
    assert wire[1] == {"type": "error", "turn_id": "t", "code": "no_speech", "message": "I didn't hear any speech"}


def test_ids_claimed_in_one_batch_run_once_and_keep_their_reply(engine: Engine, clock: FixedClock) -> None:
    """Ten copies of one id and one refused job share batches: one copy runs, the refused job
    fails alone, and the kept reply is what a later copy gets."""
    with unit_of_work(engine) as session:
        uid = create_user(session, email=f"batch-{uuid.uuid4().hex[:10]}@example.com").id
    assert uid is not None

    async def scenario() -> tuple[list[Any], tuple[bool, Any]]:
        db = SocketDatabase(engine)

        def claim(conn: Any) -> tuple[bool, Any]:
            return claim_message(conn, clock.now(), uid, "same-id")

        def refused(conn: Any) -> None:
            raise refuse(Unauthorized("no"))

        outcomes = await asyncio.gather(
            *(db.writes.run(claim) for _ in range(10)), db.writes.run(refused), return_exceptions=True
        )
        await db.writes.run(lambda conn: store_message_reply(conn, uid, "same-id", {"type": "assistant_message"}))
        return list(outcomes), await db.writes.run(claim)

    outcomes, later = asyncio.run(scenario())
    assert isinstance(outcomes[-1], Unauthorized)
    assert sorted(o[0] for o in outcomes[:-1]) == [False] * 9 + [True]
    assert later == (False, {"type": "assistant_message"})
