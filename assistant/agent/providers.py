"""Chat-model providers: a small registry from ``provider:model`` specs to LangChain chat models.

Why a wrapper: the client libraries each retry in their own way (and some forever), raise their
own error types and time out differently. ``get_chat_model`` turns off their retries, sets one
timeout (``settings.llm_timeout_seconds``) and wraps the client in ``ResilientChatModel``, which
retries timeouts, 429 and 5xx with tenacity (exponential backoff, ``Retry-After`` honoured) and
then raises one typed error, ``ProviderUnavailable``, that the runner answers by falling back to
the local engine. Specs (simonw/llm style): ``openai:<model>``, ``gemini:<model>``,
``ollama:<model>``; more can be added with ``register_provider``.
"""

from __future__ import annotations

import inspect
import logging
import os
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

import certifi
import httpx
from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.exceptions import (
    ModelAPIError,
    ModelAuthenticationError,
    ModelConnectionError,
    ModelError,
    ModelPermissionDeniedError,
    ModelRateLimitError,
    ModelTimeoutError,
)
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable, RunnableBinding
from pydantic import ConfigDict, Field
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from tools import for_dialect

from ..errors import ErrorCode, Unavailable
from ..settings import Settings

T = TypeVar("T")
log = logging.getLogger(__name__)

#: Display names used in user-facing notices (filled by ``register_provider``).
PROVIDER_LABELS: dict[str, str] = {}
#: How each provider's class wants the tools' argument schemas (``tools.registry.model_schema``):
#: "json" (a nullable argument is ``type: [T, "null"]``) or "openapi" (``anyOf`` with null, which
#: langchain-google-genai turns into Gemini's ``nullable``; it reads a type list as STRING).
TOOL_SCHEMA_DIALECTS: dict[str, str] = {}
#: Where Ollama listens unless ``BUDGETWISE_LLM_BASE_URL`` or ``OLLAMA_HOST`` says otherwise.
OLLAMA_DEFAULT_URL = "http://127.0.0.1:11434"
#: Key sent to OpenAI-compatible / gateway servers that need none (they reject a missing key).
PLACEHOLDER_KEY = "sk-no-key-needed"
#: Failure kinds worth another try; the others (auth, bad request) will not get better.
RETRYABLE_REASONS = frozenset({"timeout", "rate_limited", "server_error", "connection"})


class ProviderUnavailable(Unavailable):
    """A remote model could not answer (after retries): the runner falls back to the local engine."""

    code = ErrorCode.UNAVAILABLE

    def __init__(self, provider: str, reason: str, message: str | None = None) -> None:
        label = PROVIDER_LABELS.get(provider, provider)
        super().__init__(
            message or f"the {label} model is unavailable ({reason})",
            details={"provider": provider, "reason": reason},
        )
        self.provider = provider
        self.reason = reason


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


ProviderFactory = Callable[[str, Settings], BaseChatModel]
_REGISTRY: dict[str, ProviderFactory] = {}


def register_provider(
    name: str, *, label: str | None = None, tool_schema: str = "json"
) -> Callable[[ProviderFactory], ProviderFactory]:
    """Register a factory ``(model, settings) -> BaseChatModel`` under a provider prefix: the one
    place a provider is named (its label for notices, the schema dialect its class takes)."""

    def deco(factory: ProviderFactory) -> ProviderFactory:
        _REGISTRY[name] = factory
        PROVIDER_LABELS[name] = label or name.capitalize()
        TOOL_SCHEMA_DIALECTS[name] = tool_schema
        return factory

    return deco


def providers() -> list[str]:
    """The provider prefixes that ``get_chat_model`` understands."""
    return sorted(_REGISTRY)


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
    return ResilientChatModel(inner=inner, provider=parsed.provider, max_retries=max(0, settings.llm_max_retries))


async def _close_client(model: BaseChatModel) -> None:
    """Close whatever HTTP clients a provider's model holds (each library keeps them elsewhere)."""
    closer = getattr(model, "aclose", None)  # ChatGoogleGenerativeAI
    if callable(closer):
        try:
            await closer()
        except RuntimeError:
            log.debug("could not close %s on this event loop", type(model).__name__)
    for name in ("http_async_client", "_async_client"):  # ChatOpenAI (ours), ChatOllama
        client = getattr(model, name, None)
        aclose = getattr(client, "aclose", None) or getattr(client, "close", None)
        if callable(aclose):
            result = aclose()
            if inspect.isawaitable(result):
                await result
    for name in ("http_client", "_client"):
        client = getattr(model, name, None)
        close = getattr(client, "close", None)
        is_sync = isinstance(client, httpx.Client) or type(client).__module__.startswith("ollama")
        if is_sync and callable(close):
            close()


# ---------------------------------------------------------------- classifying failures


def _status_of(exc: BaseException) -> int | None:
    """The HTTP status an SDK error carries (each SDK names it differently)."""
    for attr in ("status_code", "code"):
        value = getattr(exc, attr, None)
        if isinstance(value, int) and 100 <= value < 600:
            return value
    response = getattr(exc, "response", None)
    value = getattr(response, "status_code", None)
    if isinstance(value, int) and 100 <= value < 600:
        return value
    return None


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The error and its causes (LangChain wraps SDK errors, SDKs wrap httpx errors)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


_SDK_MODULES = ("openai", "google", "ollama", "httpx", "httpcore", "langchain_openai", "langchain_google_genai")
_MODEL_ERRORS: tuple[tuple[type[ModelError], str], ...] = (
    (ModelTimeoutError, "timeout"),
    (ModelRateLimitError, "rate_limited"),
    (ModelConnectionError, "connection"),
    (ModelAPIError, "server_error"),
    (ModelAuthenticationError, "auth"),
    (ModelPermissionDeniedError, "auth"),
)


def _classify_one(exc: BaseException) -> str | None:
    for kind, reason in _MODEL_ERRORS:
        if isinstance(exc, kind):
            return reason
    name = type(exc).__name__
    if isinstance(exc, (TimeoutError, httpx.TimeoutException)) or "Timeout" in name:
        return "timeout"
    status = _status_of(exc)
    if status is not None:
        if status == 429:
            return "rate_limited"
        if status >= 500:
            return "server_error"
        if status in (401, 403):
            return "auth"
        return "rejected"
    if isinstance(exc, (httpx.TransportError, ConnectionError)) or "Connection" in name:
        return "connection"
    return None


def classify(exc: BaseException) -> str | None:
    """Why a provider call failed (``timeout``, ``rate_limited``, ...), or None if not its fault."""
    for link in _chain(exc):
        reason = _classify_one(link)
        if reason is not None:
            return reason
    if isinstance(exc, ModelError):
        return "rejected"
    if any(type(link).__module__.split(".", 1)[0] in _SDK_MODULES for link in _chain(exc)):
        return "error"
    return None


def is_retryable(exc: BaseException) -> bool:
    """Timeouts, 429, 5xx and dropped connections are retried; everything else is final."""
    return classify(exc) in RETRYABLE_REASONS


def retry_after_seconds(exc: BaseException | None) -> float | None:
    """The server's ``Retry-After`` (seconds form) when the error carries one."""
    for link in _chain(exc) if exc is not None else ():
        headers = getattr(getattr(link, "response", None), "headers", None)
        value = headers.get("retry-after") if headers is not None else None
        if value is not None:
            try:
                return max(0.0, float(value))
            except (TypeError, ValueError):
                return None
    return None


class _Backoff:
    """Exponential backoff with jitter, stretched to ``Retry-After`` (capped) when a server asks."""

    def __init__(self, initial: float, maximum: float) -> None:
        self._exp = wait_exponential_jitter(initial=initial, max=maximum, jitter=initial)
        self._max = maximum

    def __call__(self, state: RetryCallState) -> float:
        wait = float(self._exp(state))
        exc = state.outcome.exception() if state.outcome is not None else None
        asked = retry_after_seconds(exc)
        if asked is not None:
            wait = max(wait, min(asked, self._max))
        return wait


# ---------------------------------------------------------------- the wrapper


class ResilientChatModel(BaseChatModel):
    """Wraps a provider's chat model: retries transient failures, then raises ProviderUnavailable.

    ``bind_tools`` lets the inner model format the tools (each provider has its own schema) and
    binds the result to this wrapper, so tool-calling runs get the same retries. Streams are
    retried only until the first chunk arrives: after that, a retry would repeat text the user
    already saw, so a broken stream fails at once.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    inner: BaseChatModel
    provider: str
    max_retries: int = 2
    backoff_initial: float = 0.25
    backoff_max: float = 8.0
    attempts: int = Field(default=0, exclude=True)
    """Requests sent so far (all calls), for logs and tests."""

    @property
    def _llm_type(self) -> str:
        return f"budgetwise-{self.provider}"

    @property
    def label(self) -> str:
        """The provider's display name (``OpenAI``)."""
        return PROVIDER_LABELS.get(self.provider, self.provider)

    def bind_tools(
        self,
        tools: Sequence[Any],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        if tool_choice is not None:
            kwargs["tool_choice"] = tool_choice
        dialect = TOOL_SCHEMA_DIALECTS.get(self.provider, "json")
        bound = self.inner.bind_tools([for_dialect(t, dialect) for t in tools], **kwargs)
        if not isinstance(bound, RunnableBinding):  # pragma: no cover - every provider binds
            raise TypeError(f"{type(self.inner).__name__}.bind_tools returned {type(bound).__name__}")
        return RunnableBinding(bound=self, kwargs=dict(bound.kwargs), config=bound.config)

    # -- lifecycle

    async def aclose(self) -> None:
        """Close the client's connections (call it before the event loop that used them ends)."""
        await _close_client(self.inner)

    async def __aenter__(self) -> ResilientChatModel:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- retry plumbing

    def _policy(self) -> dict[str, Any]:
        return {
            "stop": stop_after_attempt(self.max_retries + 1),
            "wait": _Backoff(self.backoff_initial, self.backoff_max),
            "retry": retry_if_exception(is_retryable),
            "reraise": True,
        }

    def _unavailable(self, exc: BaseException) -> BaseException:
        reason = classify(exc)
        if reason is None:
            return exc
        error = ProviderUnavailable(self.provider, reason, f"the {self.label} model is unavailable: {exc}")
        error.__cause__ = exc
        return error

    async def _acall(self, fn: Callable[[], Awaitable[T]]) -> T:
        try:
            async for attempt in AsyncRetrying(**self._policy()):
                with attempt:
                    self.attempts += 1
                    return await fn()
        except ProviderUnavailable:
            raise
        except Exception as exc:
            raise self._unavailable(exc) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def _call(self, fn: Callable[[], T]) -> T:
        try:
            for attempt in Retrying(**self._policy()):
                with attempt:
                    self.attempts += 1
                    return fn()
        except ProviderUnavailable:
            raise
        except Exception as exc:
            raise self._unavailable(exc) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    # -- BaseChatModel

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        message = self._call(lambda: self.inner.invoke(messages, stop=stop, **kwargs))
        return ChatResult(generations=[ChatGeneration(message=message)])

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        message = await self._acall(lambda: self.inner.ainvoke(messages, stop=stop, **kwargs))
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        def open_stream() -> tuple[Iterator[AIMessageChunk], AIMessageChunk | None]:
            it = iter(self.inner.stream(messages, stop=stop, **kwargs))
            try:
                return it, next(it)
            except StopIteration:
                return it, None
            except BaseException:
                close = getattr(it, "close", None)
                if close is not None:
                    close()
                raise

        it, first = self._call(open_stream)
        if first is None:
            return
        yield ChatGenerationChunk(message=first)
        try:
            for chunk in it:
                yield ChatGenerationChunk(message=chunk)
        except Exception as exc:
            raise self._unavailable(exc) from exc

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        async def open_stream() -> tuple[AsyncIterator[AIMessageChunk], AIMessageChunk | None]:
            it = self.inner.astream(messages, stop=stop, **kwargs)
            try:
                return it, await it.__anext__()
            except StopAsyncIteration:
                return it, None
            except BaseException:
                aclose = getattr(it, "aclose", None)
                if aclose is not None:
                    await aclose()
                raise

        it, first = await self._acall(open_stream)
        if first is None:
            return
        try:
            yield ChatGenerationChunk(message=first)
            try:
                async for chunk in it:
                    yield ChatGenerationChunk(message=chunk)
            except Exception as exc:
                raise self._unavailable(exc) from exc
        finally:
            aclose = getattr(it, "aclose", None)
            if aclose is not None:
                await aclose()
