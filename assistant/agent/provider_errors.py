"""Why a provider call failed, whether to try again, and the one error the runner falls back on.

Each SDK raises its own error types (and LangChain wraps them), so a failure is classified by
walking its chain of causes: ``timeout``, ``rate_limited``, ``server_error``, ``connection``
(retried), ``auth``, ``rejected`` or ``error`` (final).
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
from langchain_core.exceptions import (
    ModelAPIError,
    ModelAuthenticationError,
    ModelConnectionError,
    ModelError,
    ModelPermissionDeniedError,
    ModelRateLimitError,
    ModelTimeoutError,
)
from tenacity import RetryCallState, wait_exponential_jitter

from ..errors import ErrorCode, Unavailable

#: Failure kinds worth another try; the others (auth, bad request) will not get better.
RETRYABLE_REASONS = frozenset({"timeout", "rate_limited", "server_error", "connection"})


class ProviderUnavailable(Unavailable):
    """A remote model could not answer (after retries): the runner falls back to the local engine."""

    code = ErrorCode.UNAVAILABLE

    def __init__(self, provider: str, reason: str, message: str | None = None) -> None:
        super().__init__(
            message or f"the {provider} model is unavailable ({reason})",
            details={"provider": provider, "reason": reason},
        )
        self.provider = provider
        self.reason = reason


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
