"""Real provider clients against local protocol servers: tool calls, streaming, retries, fallback.

Why fake servers and not mocks: ChatOpenAI, ChatGoogleGenerativeAI and ChatOllama run unchanged
over real sockets, so these tests catch a wrong endpoint, a retry that never stops, a timeout
that is not applied or an error type we do not recognise, exactly as a user would meet them.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from typing import Any

import pytest
from langchain_core.messages import AIMessageChunk
from langchain_core.tools import tool
from langchain_google_genai import ChatGoogleGenerativeAI
from langchain_ollama import ChatOllama
from langchain_openai import ChatOpenAI
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from assistant.agent.providers import (
    ModelSpec,
    ProviderUnavailable,
    ResilientChatModel,
    build_client,
    classify,
    get_chat_model,
    provider_of,
    providers,
)
from assistant.agent.routing import (
    LOCAL_CONFIDENCE,
    choose_route,
    fallback_notice,
    with_fallback_notice,
)
from assistant.agent.runner import AgentRunner
from assistant.clock import FixedClock
from assistant.db import unit_of_work
from assistant.errors import BudgetWiseError
from assistant.models import Transaction
from assistant.services.users import create_user
from assistant.settings import Settings
from tests.fakes import FakeServer, error, hang, text, tool_call
from tests.fakes.gemini_server import FakeGemini
from tests.fakes.ollama_server import FakeOllama
from tests.fakes.openai_server import FakeOpenAI

SPECS = {"openai": "openai:gpt-test", "gemini": "gemini:gemini-test", "ollama": "ollama:llama-test"}
SERVERS: dict[str, type[FakeServer]] = {"openai": FakeOpenAI, "gemini": FakeGemini, "ollama": FakeOllama}
CLIENTS = {"openai": ChatOpenAI, "gemini": ChatGoogleGenerativeAI, "ollama": ChatOllama}


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, FakeServer]]:
    """One server per protocol for the whole module (starting one takes a few ms, not zero)."""
    started = {name: cls().start() for name, cls in SERVERS.items()}
    yield started
    for server in started.values():
        server.stop()


@pytest.fixture(params=sorted(SERVERS))
def provider(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def fake(servers: dict[str, FakeServer], provider: str) -> Iterator[FakeServer]:
    server = servers[provider]
    server.reset()
    yield server
    server.reset()


@pytest.fixture(autouse=True)
def _no_real_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Never send a developer's real key to a test server (and prove the placeholder works)."""
    for name in ("OPENAI_API_KEY", "GOOGLE_API_KEY", "GEMINI_API_KEY", "OLLAMA_HOST"):
        monkeypatch.delenv(name, raising=False)


def settings_for(provider: str, fake: FakeServer, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "llm": SPECS[provider],
        "llm_base_url": fake.base_url,
        "prefer_local": False,
        "llm_timeout_seconds": 1,
        "llm_max_retries": 1,
        "database_url": "sqlite://",
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
async def model(provider: str, fake: FakeServer) -> AsyncIterator[ResilientChatModel]:
    chat = get_chat_model(SPECS[provider], settings_for(provider, fake, llm_timeout_seconds=0.3))
    chat.backoff_initial = 0.01
    yield chat
    await chat.aclose()


@tool
def log_expense(amount: str, description: str, category: str | None = None) -> str:
    """Record an expense."""
    return "ok"


# ---------------------------------------------------------------- registry


def test_registry_builds_the_real_clients_without_their_own_retries(provider: str, fake: FakeServer) -> None:
    settings = settings_for(provider, fake, llm_timeout_seconds=7)
    chat = get_chat_model(SPECS[provider], settings)
    assert isinstance(chat, ResilientChatModel)
    assert isinstance(chat.inner, CLIENTS[provider])
    assert chat.provider == provider and chat.max_retries == 1
    inner: Any = chat.inner
    if provider == "openai":
        assert inner.max_retries == 0 and inner.request_timeout == 7
        assert inner.openai_api_base == fake.base_url
    elif provider == "gemini":
        assert inner.max_retries == 1 and inner.timeout == 7  # 1 = one attempt in the Google SDK
    else:
        assert inner.base_url == fake.base_url and inner.client_kwargs["timeout"] == 7
    assert isinstance(build_client(SPECS[provider], settings), CLIENTS[provider])


def test_specs_parse_and_bad_specs_are_refused() -> None:
    assert providers() == ["gemini", "ollama", "openai"]
    assert ModelSpec.parse(" openai:gpt-4o-mini ") == ModelSpec("openai", "gpt-4o-mini")
    assert ModelSpec.parse("ollama:llama3.1:8b") == ModelSpec("ollama", "llama3.1:8b")
    assert provider_of("local") == "local"
    for bad in ("openai", "openai:", "nope:model", "local"):
        with pytest.raises(ValueError):
            ModelSpec.parse(bad)


def test_a_missing_key_without_a_base_url_is_a_typed_unavailable_error() -> None:
    settings = Settings(llm="openai:gpt-test", database_url="sqlite://")
    for spec in ("openai:gpt-test", "gemini:gemini-test"):
        with pytest.raises(ProviderUnavailable) as info:
            get_chat_model(spec, settings)
        assert isinstance(info.value, BudgetWiseError)
        assert info.value.code == "unavailable" and info.value.reason == "no_api_key"


def test_ollama_needs_no_key_and_defaults_to_localhost() -> None:
    chat = get_chat_model("ollama:llama-test", Settings(llm="ollama:llama-test", database_url="sqlite://"))
    assert isinstance(chat.inner, ChatOllama) and chat.inner.base_url == "http://127.0.0.1:11434"


# ---------------------------------------------------------------- wire protocol


async def test_tool_calls_come_back_parsed(model: ResilientChatModel, fake: FakeServer) -> None:
    fake.script(tool_call("log_expense", amount="12.50", description="lunch", category="Dining"))
    message = await model.bind_tools([log_expense]).ainvoke("I spent 12.50 on lunch")
    assert [(c["name"], c["args"]) for c in message.tool_calls] == [
        ("log_expense", {"amount": "12.50", "description": "lunch", "category": "Dining"})
    ]
    sent = fake.requests[0].body
    assert "log_expense" in str(sent["tools"])


async def test_streamed_tool_calls_are_assembled(model: ResilientChatModel, fake: FakeServer) -> None:
    fake.script(tool_call("log_expense", amount="3", description="tea"))
    total: AIMessageChunk | None = None
    async for chunk in model.bind_tools([log_expense]).astream("tea for 3"):
        assert isinstance(chunk, AIMessageChunk)
        total = chunk if total is None else total + chunk
    assert total is not None
    assert [(c["name"], c["args"]) for c in total.tool_calls] == [
        ("log_expense", {"amount": "3", "description": "tea"})
    ]


async def test_text_streams_in_several_chunks(model: ResilientChatModel, fake: FakeServer) -> None:
    fake.script(text("You have $120.00 left for Dining."))
    pieces = [chunk.content async for chunk in model.astream("how much is left?")]
    assert len([p for p in pieces if p]) >= 5
    assert "".join(str(p) for p in pieces) == "You have $120.00 left for Dining."


# ---------------------------------------------------------------- retries


@pytest.mark.parametrize("status", [500, 503, 429])
async def test_transient_errors_are_retried(model: ResilientChatModel, fake: FakeServer, status: int) -> None:
    fake.script(error(status), text("second time lucky"))
    message = await model.ainvoke("hello")
    assert message.content == "second time lucky"
    assert fake.request_count == 2


@pytest.mark.parametrize(("status", "reason"), [(500, "server_error"), (429, "rate_limited")])
async def test_retries_stop_and_raise_provider_unavailable(
    model: ResilientChatModel, fake: FakeServer, status: int, reason: str
) -> None:
    fake.script(error(status), error(status), text("never reached"))
    with pytest.raises(ProviderUnavailable) as info:
        await model.ainvoke("hello")
    assert info.value.reason == reason and info.value.provider == model.provider
    assert fake.request_count == 2  # 1 try + llm_max_retries=1


@pytest.mark.parametrize(("status", "reason"), [(400, "rejected"), (401, "auth")])
async def test_client_errors_are_not_retried(
    model: ResilientChatModel, fake: FakeServer, status: int, reason: str
) -> None:
    fake.script(error(status), text("never reached"))
    with pytest.raises(ProviderUnavailable) as info:
        await model.ainvoke("hello")
    assert info.value.reason == reason
    assert fake.request_count == 1


async def test_a_hanging_server_times_out_then_fails(model: ResilientChatModel, fake: FakeServer) -> None:
    fake.script(hang(3), hang(3))
    started = time.monotonic()
    with pytest.raises(ProviderUnavailable) as info:
        async for _ in model.astream("hello"):
            pass
    assert info.value.reason == "timeout"
    assert time.monotonic() - started < 1.5  # 2 x 0.3 s, not the 3 s hang
    assert fake.request_count == 2


async def test_a_stream_is_retried_before_its_first_chunk(model: ResilientChatModel, fake: FakeServer) -> None:
    fake.script(error(502), text("streamed after a retry"))
    pieces = [str(c.content) async for c in model.astream("hello")]
    assert "".join(pieces) == "streamed after a retry"
    assert fake.request_count == 2


async def test_retry_after_is_honoured(model: ResilientChatModel, fake: FakeServer) -> None:
    fake.script(error(429, retry_after=0.4), text("ok"))
    started = time.monotonic()
    assert (await model.ainvoke("hello")).content == "ok"
    assert time.monotonic() - started >= 0.4


def test_classify_knows_plain_network_errors() -> None:
    assert classify(TimeoutError()) == "timeout"
    assert classify(ConnectionRefusedError()) == "connection"
    assert classify(ValueError("a bug of ours")) is None


async def test_an_unreachable_server_is_unavailable() -> None:
    settings = Settings(
        llm="ollama:llama-test",
        llm_base_url="http://127.0.0.1:9",  # discard port: nothing listens
        llm_timeout_seconds=0.5,
        llm_max_retries=0,
        database_url="sqlite://",
    )
    async with get_chat_model(settings.llm, settings) as chat:
        with pytest.raises(ProviderUnavailable) as info:
            await chat.ainvoke("hello")
    assert info.value.reason == "connection"


# ---------------------------------------------------------------- routing rules


def test_routing_prefers_the_local_engine_only_when_it_is_sure() -> None:
    remote = Settings(llm="openai:gpt-test", database_url="sqlite://")
    assert choose_route(remote, LOCAL_CONFIDENCE).engine == "local"
    assert choose_route(remote, 0.5).engine == "openai"
    assert choose_route(remote, None).engine == "openai"
    not_preferred = Settings(llm="gemini:g", prefer_local=False, database_url="sqlite://")
    assert choose_route(not_preferred, 1.0).engine == "gemini"
    offline = Settings(database_url="sqlite://")
    assert choose_route(offline, 0.1).engine == "local"
    assert choose_route(offline, 0.1, has_model=True, engine="scripted").engine == "scripted"


def test_the_fallback_notice_is_short_and_added_once() -> None:
    notice = fallback_notice("openai")
    assert notice == "(The OpenAI model is unavailable right now, so I answered offline.)"
    once = with_fallback_notice("Logged $5.00.", "openai")
    assert once.startswith(notice) and with_fallback_notice(once, "openai") == once


# ---------------------------------------------------------------- the real runner end to end

CLEAR_REQUEST = "I spent 12.50 on lunch"


@pytest.fixture
def user_id(engine: Engine) -> int:
    with unit_of_work(engine) as session:
        user = create_user(session, email=f"p-{uuid.uuid4().hex[:10]}@example.com", timezone="America/New_York")
        assert user.id is not None
        return user.id


def transactions(engine: Engine, user_id: int) -> list[Transaction]:
    with Session(engine) as session:
        return list(session.exec(select(Transaction).where(Transaction.user_id == user_id)).all())


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
    [tx] = transactions(engine, user_id)
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
    [tx] = transactions(engine, user_id)
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
    assert len(transactions(engine, user_id)) == 1

    remote_first = settings_for("openai", fake, prefer_local=False)
    message = final(await run(engine, remote_first, clock, user_id, CLEAR_REQUEST))
    assert message["engine"] == "openai" and message["text"] == "Logged it."
    assert fake.request_count == 2
    assert len(transactions(engine, user_id)) == 2


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
    assert len(transactions(engine, user_id)) == 1
