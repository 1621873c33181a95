"""The provider tests' fake servers (one per protocol, reset around each test), the provider each
test runs against, its settings and its resilient chat model; real keys are never sent."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from langchain_core.tools import tool
from langchain_google_genai import ChatGoogleGenerativeAI
from langchain_ollama import ChatOllama
from langchain_openai import ChatOpenAI

from assistant.agent.providers import (
    ResilientChatModel,
    get_chat_model,
)
from assistant.settings import Settings
from tests.fakes import FakeServer
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
