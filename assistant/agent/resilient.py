"""``ResilientChatModel``: one retry policy and one failure type for every provider's client.

The client libraries each retry in their own way (and some forever), raise their own error types
and time out differently. The wrapper retries timeouts, 429 and 5xx with tenacity (exponential
backoff, ``Retry-After`` honoured) and then raises ``ProviderUnavailable``.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from typing import Any, TypeVar

import httpx
from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable, RunnableBinding
from pydantic import ConfigDict, Field
from tenacity import AsyncRetrying, Retrying, retry_if_exception, stop_after_attempt

from tools import for_dialect

from .provider_errors import ProviderUnavailable, _Backoff, classify, is_retryable

T = TypeVar("T")
log = logging.getLogger(__name__)


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
    tool_schema: str = "json"
    """The schema dialect the inner class takes (``providers.TOOL_SCHEMA_DIALECTS``)."""
    display_name: str = ""
    """The provider's display name from the registry (``OpenAI``)."""
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
        return self.display_name or self.provider

    def bind_tools(
        self,
        tools: Sequence[Any],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        if tool_choice is not None:
            kwargs["tool_choice"] = tool_choice
        bound = self.inner.bind_tools([for_dialect(t, self.tool_schema) for t in tools], **kwargs)
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
