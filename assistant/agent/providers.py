"""Chat-model providers: the registry from ``provider:model`` specs to LangChain chat models.

The registry is the one list of providers: a factory and a display name per prefix
(``register_provider``); the engine names a turn may report, the routing and the user-facing
notices all read it. ``get_chat_model`` turns the clients' own retries off, sets one timeout
(``settings.llm_timeout_seconds``) and wraps the client in ``ResilientChatModel``
(``assistant.agent.resilient``), which retries and then raises ``ProviderUnavailable``, which the
hybrid responder answers by falling back to the local engine. Specs (simonw/llm style):
``openai:<model>``, ``gemini:<model>``, ``ollama:<model>``.
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import certifi
import httpx
from langchain_core.language_models import BaseChatModel

from ..settings import Settings
from .provider_errors import RETRYABLE_REASONS, ProviderUnavailable, classify, is_retryable, retry_after_seconds
from .resilient import ResilientChatModel

__all__ = [
    "PROVIDER_LABELS",
    "RETRYABLE_REASONS",
    "TOOL_SCHEMA_DIALECTS",
    "ModelSpec",
    "ProviderUnavailable",
    "ResilientChatModel",
    "build_client",
    "classify",
    "get_chat_model",
    "is_remote",
    "is_retryable",
    "label_of",
    "provider_of",
    "providers",
    "register_provider",
    "retry_after_seconds",
]

#: Where Ollama listens unless ``BUDGETWISE_LLM_BASE_URL`` or ``OLLAMA_HOST`` says otherwise.
OLLAMA_DEFAULT_URL = "http://127.0.0.1:11434"
#: Key sent to OpenAI-compatible / gateway servers that need none (they reject a missing key).
PLACEHOLDER_KEY = "sk-no-key-needed"

ProviderFactory = Callable[[str, Settings], BaseChatModel]
_REGISTRY: dict[str, ProviderFactory] = {}
#: Display names used in user-facing notices, filled by ``register_provider`` (read-only for others).
PROVIDER_LABELS: dict[str, str] = {}
#: How each provider's class wants the tools' argument schemas (``tools.registry.model_schema``):
#: "json" (a nullable argument is ``type: [T, "null"]``) or "openapi" (``anyOf`` with null, which
#: langchain-google-genai turns into Gemini's ``nullable``; it reads a type list as STRING).
TOOL_SCHEMA_DIALECTS: dict[str, str] = {}


@dataclass(frozen=True)
class ModelSpec:
    """A parsed ``provider:model`` spec."""

    provider: str
    model: str

    @classmethod
    def parse(cls, spec: str) -> ModelSpec:
        provider, sep, model = spec.strip().partition(":")
        provider = provider.strip().lower()
        if provider not in _REGISTRY:
            known = ", ".join(sorted(_REGISTRY))
            raise ValueError(f"unknown model provider {provider!r} (known: {known})")
        if not sep or not model.strip():
            raise ValueError(f"a model name is needed: {provider}:<model>")
        return cls(provider, model.strip())


def register_provider(
    name: str, *, label: str | None = None, tool_schema: str = "json"
) -> Callable[[ProviderFactory], ProviderFactory]:
    """Register a factory ``(model, settings) -> BaseChatModel`` under a provider prefix."""

    def deco(factory: ProviderFactory) -> ProviderFactory:
        _REGISTRY[name] = factory
        PROVIDER_LABELS[name] = label or name.capitalize()
        TOOL_SCHEMA_DIALECTS[name] = tool_schema
        return factory

    return deco


def providers() -> list[str]:
    """The provider prefixes that ``get_chat_model`` understands."""
    return sorted(_REGISTRY)


def label_of(provider: str) -> str:
    """A provider's display name (``OpenAI``); an unknown one by its own name."""
    return PROVIDER_LABELS.get(provider, provider or "remote")


def provider_of(spec: str) -> str:
    """``"openai:gpt-4o"`` -> ``"openai"``; ``"local"`` -> ``"local"``."""
    return spec.strip().partition(":")[0].lower() or "local"


def is_remote(spec: str) -> bool:
    """True when the spec names a registered remote provider (not ``local``/``scripted``)."""
    return provider_of(spec) in _REGISTRY


@cache
def _ssl_context() -> ssl.SSLContext:
    """One CA bundle for every client: loading it costs ~70 ms, and a model is built per turn."""
    return ssl.create_default_context(
        cafile=os.environ.get("SSL_CERT_FILE") or certifi.where(), capath=os.environ.get("SSL_CERT_DIR")
    )


def _env_key(*names: str) -> str | None:
    for name in names:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return None


@register_provider("openai", label="OpenAI")
def _openai(model: str, settings: Settings) -> BaseChatModel:
    from langchain_openai import ChatOpenAI

    key = _env_key("OPENAI_API_KEY")
    if key is None and settings.llm_base_url:
        key = PLACEHOLDER_KEY
    if key is None:
        raise ProviderUnavailable("openai", "no_api_key", "OPENAI_API_KEY is not set")
    timeout = settings.llm_timeout_seconds
    return ChatOpenAI(
        model=model,
        api_key=key,  # type: ignore[arg-type]
        base_url=settings.llm_base_url,
        timeout=timeout,
        max_retries=0,
        # Our own HTTP clients (not langchain-openai's process-wide cached ones), so that
        # ``ResilientChatModel.aclose`` can close exactly this model's connections.
        http_client=httpx.Client(timeout=timeout, verify=_ssl_context()),
        http_async_client=httpx.AsyncClient(timeout=timeout, verify=_ssl_context()),
        # Chat Completions is what every OpenAI-compatible server (llama.cpp, vLLM) speaks.
        use_responses_api=False,
    )


@register_provider("gemini", label="Gemini", tool_schema="openapi")
def _gemini(model: str, settings: Settings) -> BaseChatModel:
    from langchain_google_genai import ChatGoogleGenerativeAI

    key = _env_key("GOOGLE_API_KEY", "GEMINI_API_KEY")
    if key is None and settings.llm_base_url:
        key = PLACEHOLDER_KEY
    if key is None:
        raise ProviderUnavailable("gemini", "no_api_key", "GOOGLE_API_KEY is not set")
    return ChatGoogleGenerativeAI(
        model=model,
        google_api_key=key,
        # google-genai's HttpOptions.base_url: the REST endpoint (a gateway, or a test server).
        base_url=settings.llm_base_url,
        timeout=settings.llm_timeout_seconds,
        # The Google SDK reads 0 as "its default retries"; 1 means one attempt, no retries.
        max_retries=1,
        vertexai=False,
        client_args={"verify": _ssl_context()},
    )


@register_provider("ollama", label="Ollama")
def _ollama(model: str, settings: Settings) -> BaseChatModel:
    from langchain_ollama import ChatOllama

    base_url = settings.llm_base_url or _env_key("OLLAMA_HOST") or OLLAMA_DEFAULT_URL
    if "://" not in base_url:
        base_url = f"http://{base_url}"
    return ChatOllama(
        model=model,
        base_url=base_url,
        client_kwargs={"timeout": settings.llm_timeout_seconds, "verify": _ssl_context()},
    )


def build_client(spec: str, settings: Settings) -> BaseChatModel:
    """The bare client for a spec (no retries of its own, our timeout), without our wrapper."""
    parsed = ModelSpec.parse(spec)
    return _REGISTRY[parsed.provider](parsed.model, settings)


def get_chat_model(spec: str, settings: Settings) -> ResilientChatModel:
    """A chat model for ``provider:model`` that retries and fails as ``ProviderUnavailable``.

    Raises ``ValueError`` for a malformed spec and ``ProviderUnavailable`` when the provider
    cannot even be configured (no API key).
    """
    parsed = ModelSpec.parse(spec)
    inner = _REGISTRY[parsed.provider](parsed.model, settings)
    return ResilientChatModel(
        inner=inner,
        provider=parsed.provider,
        tool_schema=TOOL_SCHEMA_DIALECTS.get(parsed.provider, "json"),
        display_name=label_of(parsed.provider),
        max_retries=max(0, settings.llm_max_retries),
    )
