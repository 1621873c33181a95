"""Local first, a chat model for the rest, and the local engine again when the model fails.

Like Home Assistant's ``prefer_local_intents``: a request the offline engine understands with
confidence (``routing.choose_route``) is answered locally even when a provider is configured;
anything else goes to the provider. A provider that cannot be set up (no key) or fails mid-turn
(``Unavailable`` after its retries) hands the turn to the local engine, which says so first.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from ...errors import BudgetWiseError, Unavailable
from ...settings import Settings
from ..routing import choose_route, engine_name, fallback_notice
from .base import Conversation, Step, TurnState
from .llm import LLMResponder
from .local import LocalResponder

log = logging.getLogger(__name__)


class HybridResponder:
    """``local`` when it is sure (and ``prefer_local``), else ``remote``; ``local`` on failure."""

    inline = False
    needs_prompt = True

    def __init__(self, local: LocalResponder, remote: LLMResponder, settings: Settings, *, prefer_local: bool) -> None:
        self.local = local
        self.remote = remote
        self.settings = settings
        self.prefer_local = prefer_local

    def begin(self, turn: TurnState) -> Conversation:
        confidence = self.local.confidence(turn) if self.prefer_local else None
        route = choose_route(self.settings, confidence, has_model=True, engine=self.remote.engine)
        if route.reason != "model":
            return self.local
        try:
            conversation = self.remote.begin(turn)
        except (BudgetWiseError, ValueError) as err:  # no key, bad spec: answer locally, say so
            log.warning("falling back to the local engine: %s", err)
            return _Fallback(None, self.local, route.engine)
        return _Fallback(conversation, self.local, route.engine)


def make_responder(settings: Settings) -> LocalResponder | HybridResponder:
    """The responder the settings ask for: the local engine alone, or hybrid with a provider."""
    local = LocalResponder()
    if engine_name(settings.llm) == "local":  # local, scripted: no provider to ask
        return local
    return HybridResponder(local, LLMResponder.from_settings(settings), settings, prefer_local=settings.prefer_local)


class _Fallback:
    """A provider's conversation that the local engine takes over when it fails (or is missing)."""

    def __init__(self, remote: Conversation | None, local: LocalResponder, provider: str) -> None:
        self.remote = remote
        self.local = local
        self.provider = provider
        # Without a provider nothing waits: the whole turn runs inline.
        self.inline = remote is None

    async def aclose(self) -> None:
        if self.remote is not None:
            await self.remote.aclose()

    async def step(self, turn: TurnState) -> AsyncIterator[str | Step]:
        if self.remote is not None:
            try:
                async for item in self.remote.step(turn):
                    yield item
                return
            except Unavailable as err:
                log.warning("provider failed, answering locally: %s", err)
                await self.remote.aclose()
                self.remote = None
        if turn.fallback_from is None:
            turn.fallback_from = self.provider
            yield fallback_notice(self.provider) + "\n\n"
        yield self.local.next_step(turn)
