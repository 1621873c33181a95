# ruff: noqa: F811  (pytest fixtures imported from provider_support are parameters here)
"""Each provider through the real runner, end to end: a tool call round trip, streamed replies, the
local engine when a provider fails or has no key, hybrid routing and the cap on tool rounds."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from assistant.agent.routing import (
    fallback_notice,
)
from assistant.agent.runner import AgentRunner
from assistant.clock import FixedClock
from assistant.settings import Settings
from tests.agent.chat_support import new_user, rows
from tests.agent.provider_support import _no_real_keys, fake, log_expense, model, provider, servers, settings_for  # noqa: F401
from tests.fakes import FakeServer, error, hang, text, tool_call

CLEAR_REQUEST = "I spent 12.50 on lunch"


@pytest.fixture
def user_id(engine: Engine) -> int:
    return new_user(engine)


async def run(engine: Engine, settings: Settings, clock: FixedClock, user_id: int, text: str) -> list[dict[str, Any]]:
    runner = AgentRunner(engine=engine, settings=settings, clock=clock)
    return [event.to_dict() async for event in runner.run_turn(user_id, text, reply_to="c1")]


def of_type(events: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [e for e in events if e["type"] == kind]


def final(events: list[dict[str, Any]]) -> dict[str, Any]:
    [message] = of_type(events, "assistant_message")
    assert events[0]["type"] == "turn_start" and events[-1]["type"] == "turn_end"
    assert not of_type(events, "error")
    return message


async def test_a_tool_call_round_trip_through_each_provider(
    engine: Engine, user_id: int, clock: FixedClock, provider: str, fake: FakeServer
) -> None:
    fake.script(
        tool_call("log_expense", amount="12.50", description="lunch", category="Dining"),
        text("Logged $12.50 for lunch under Dining."),
    )
    events = await run(engine, settings_for(provider, fake), clock, user_id, CLEAR_REQUEST)
    kinds = [e["type"] for e in events]
    assert kinds.index("tool_call") < kinds.index("tool_result") < kinds.index("token")
    [call] = of_type(events, "tool_call")
    assert call["name"] == "log_expense" and call["args"]["amount"] == "12.50"
    [result] = of_type(events, "tool_result")
    assert result["ok"] is True
    message = final(events)
    assert message["engine"] == provider
    assert message["text"] == "Logged $12.50 for lunch under Dining."
    assert "".join(e["text"] for e in of_type(events, "token")) == message["text"]
    [tx] = rows(engine, user_id)
    assert tx.amount == Decimal("12.50") and tx.description == "lunch"
    assert fake.request_count == 2
    second = str(fake.requests[1].body)
    assert "log_expense" in second and "12.5" in second  # the tool result went back to the model


async def test_replies_stream_as_several_tokens(
    engine: Engine, user_id: int, clock: FixedClock, provider: str, fake: FakeServer
) -> None:
    answer = "Your biggest category this month is Dining, then Groceries and Transport."
    fake.script(text(answer))
    events = await run(engine, settings_for(provider, fake), clock, user_id, "what should I look at?")
    tokens = [e["text"] for e in of_type(events, "token")]
    assert len(tokens) >= 5 and "".join(tokens) == answer
    message = final(events)
    assert message == {**message, "text": answer, "engine": provider}


@pytest.mark.parametrize("failure", ["500", "timeout"])
async def test_a_failing_provider_falls_back_to_the_local_engine(
    engine: Engine, user_id: int, clock: FixedClock, provider: str, fake: FakeServer, failure: str
) -> None:
    if failure == "500":
        fake.script(error(500), error(500))
        settings = settings_for(provider, fake)
    else:
        fake.script(hang(3), hang(3))
        settings = settings_for(provider, fake, llm_timeout_seconds=0.3)
    started = time.monotonic()
    events = await run(engine, settings, clock, user_id, CLEAR_REQUEST)
    assert time.monotonic() - started < 2.0
    message = final(events)
    assert message["engine"] == "local"
    assert message["text"].startswith(fallback_notice(provider))
    assert "".join(e["text"] for e in of_type(events, "token")).startswith(fallback_notice(provider))
    assert fake.request_count == 2  # one try and one retry, then the local engine
    [result] = of_type(events, "tool_result")
    assert result["name"] == "log_expense" and result["ok"] is True
    [tx] = rows(engine, user_id)
    assert tx.amount == Decimal("12.50")


async def test_a_provider_that_recovers_is_used_again_next_turn(
    engine: Engine, user_id: int, clock: FixedClock, servers: dict[str, FakeServer]
) -> None:
    fake = servers["openai"]
    fake.reset()
    fake.script(error(500), error(500), text("Back online."))
    settings = settings_for("openai", fake)
    first = final(await run(engine, settings, clock, user_id, "hello there"))
    assert first["engine"] == "local" and first["text"].startswith(fallback_notice("openai"))
    second = final(await run(engine, settings, clock, user_id, "hello again"))
    assert second == {**second, "engine": "openai", "text": "Back online."}


async def test_hybrid_routing_keeps_clear_requests_local(
    engine: Engine, user_id: int, clock: FixedClock, servers: dict[str, FakeServer]
) -> None:
    fake = servers["openai"]
    fake.reset()
    fake.script(
        tool_call("log_expense", amount="12.50", description="lunch"),
        text("Logged it."),
    )
    local_first = settings_for("openai", fake, prefer_local=True)
    message = final(await run(engine, local_first, clock, user_id, CLEAR_REQUEST))
    assert message["engine"] == "local"
    assert fake.request_count == 0
    assert len(rows(engine, user_id)) == 1

    remote_first = settings_for("openai", fake, prefer_local=False)
    message = final(await run(engine, remote_first, clock, user_id, CLEAR_REQUEST))
    assert message["engine"] == "openai" and message["text"] == "Logged it."
    assert fake.request_count == 2
    assert len(rows(engine, user_id)) == 2


async def test_an_unclear_request_goes_to_the_model_even_when_local_is_preferred(
    engine: Engine, user_id: int, clock: FixedClock, servers: dict[str, FakeServer]
) -> None:
    fake = servers["gemini"]
    fake.reset()
    fake.script(text("Rent is usually the biggest line; want me to set a budget for it?"))
    settings = settings_for("gemini", fake, prefer_local=True)
    message = final(await run(engine, settings, clock, user_id, "hmm, thoughts on my situation overall?"))
    assert message["engine"] == "gemini"
    assert fake.request_count == 1


async def test_tool_rounds_are_capped(
    engine: Engine, user_id: int, clock: FixedClock, servers: dict[str, FakeServer]
) -> None:
    fake = servers["ollama"]
    fake.reset()
    fake.script(*[tool_call("budget_summary") for _ in range(10)])
    settings = settings_for("ollama", fake, max_tool_rounds=2)
    events = await run(engine, settings, clock, user_id, "budget?")
    message = final(events)
    assert len(of_type(events, "tool_call")) == 2
    assert fake.request_count == 3  # the model saw the results of 2 rounds, then no more
    assert message["text"]


async def test_a_missing_key_answers_locally_with_the_notice(engine: Engine, user_id: int, clock: FixedClock) -> None:
    settings = Settings(llm="openai:gpt-test", prefer_local=False, database_url="sqlite://")
    message = final(await run(engine, settings, clock, user_id, CLEAR_REQUEST))
    assert message["engine"] == "local" and message["text"].startswith(fallback_notice("openai"))
    assert len(rows(engine, user_id)) == 1
