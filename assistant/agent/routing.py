"""Hybrid routing: which engine answers a turn, and what the user is told when a model fails.

The one place routing is decided (``HybridResponder`` asks it on every turn).

Why hybrid: the local engine is instant, free, private and never invents a number, so when it
understands a request with high confidence it answers even when a remote model is configured
(unless ``settings.prefer_local`` is off). The decision is made afresh on every turn: a
provider that failed a moment ago is tried again next time, and a failure never kills a turn,
it falls back to the local engine with a short notice in front of the reply.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..settings import Settings
from .providers import is_remote, label_of, provider_of

#: The local engine's confidence from which it answers by itself (``prefer_local`` on).
LOCAL_CONFIDENCE = 0.8

LOCAL = "local"


@dataclass(frozen=True)
class Route:
    """The engine for one turn and why (``reason`` is for logs and metrics)."""

    engine: str
    reason: str

    @property
    def is_local(self) -> bool:
        return self.engine == LOCAL


def engine_name(spec: str) -> str:
    """The ``engine`` reported in ``assistant_message``: the provider of a spec, else ``local``."""
    return provider_of(spec) if is_remote(spec) else LOCAL


def choose_route(
    settings: Settings,
    confidence: float | None,
    *,
    has_model: bool | None = None,
    engine: str | None = None,
) -> Route:
    """Pick the engine for a turn.

    ``confidence`` is the local engine's confidence for this request (None if it was not
    asked); ``has_model`` says whether a chat model is available (defaults to "the settings
    name a remote provider"); ``engine`` overrides the reported name (e.g. a test's scripted
    model).
    """
    remote = engine or engine_name(settings.llm)
    if has_model is None:
        has_model = remote != LOCAL
    if not has_model:
        return Route(LOCAL, "no_model")
    if settings.prefer_local and confidence is not None and confidence >= LOCAL_CONFIDENCE:
        return Route(LOCAL, "confident_local")
    return Route(remote, "model")


def fallback_notice(provider: str) -> str:
    """The line put in front of a local reply when the configured model could not answer."""
    return f"(The {label_of(provider)} model is unavailable right now, so I answered offline.)"


def with_fallback_notice(text: str, provider: str) -> str:
    """``text`` with the fallback notice in front (once)."""
    notice = fallback_notice(provider)
    if text.startswith(notice):
        return text
    return f"{notice}\n\n{text}" if text else notice
