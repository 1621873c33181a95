# ruff: noqa: F811  (pytest fixtures imported from provider_support are parameters here)
"""Real provider clients against local protocol servers: tool calls, streaming, retries, fallback.

Why fake servers and not mocks: ChatOpenAI, ChatGoogleGenerativeAI and ChatOllama run unchanged
over real sockets, so these tests catch a wrong endpoint, a retry that never stops, a timeout
that is not applied or an error type we do not recognise, exactly as a user would meet them.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from langchain_core.messages import AIMessageChunk
from langchain_ollama import ChatOllama

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
from assistant.errors import BudgetWiseError
from assistant.settings import Settings
from tests.agent.provider_support import (  # noqa: F401
    CLIENTS,
    SPECS,
    _no_real_keys,
    fake,
    log_expense,
    model,
    provider,
    servers,
    settings_for,
)
from tests.fakes import FakeServer, error, hang, text, tool_call

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
