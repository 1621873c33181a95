"""The offline engine as a responder: understand (``assistant.nlu``), run the tools, write the reply.

No chat model and no LangChain objects: the first step is the engine's reading of the user's
words (tool calls, or its own answer for small talk); the step after a round of tools is the
reply written from their results by ``replies.compose_turn_reply``, so every figure in it comes
from the ledger.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from functools import cache, partial
from typing import Any

from ...db import read_only
from ...nlu import NLUContext
from ...nlu import understand as nlu_understand
from ...services.currency import own_currencies
from ..replies import compose_turn_reply
from .base import LOCAL, Call, Step, TurnState

FALLBACK_REPLY = (
    "I can log expenses and income, check budgets and spending, track subscriptions and goals, "
    'or tell you whether a purchase fits. Try "I spent 12.50 on lunch" or "how much is left for dining?"'
)

Understand = Callable[[str, NLUContext], Any]


def _merchant_key(merchant: str) -> str:
    return " ".join(merchant.lower().replace("&", "and").split())


class LocalResponder:
    """Answers with the offline engine; ``understand`` defaults to ``assistant.nlu.understand``."""

    inline = True
    needs_prompt = False

    def __init__(self, understand: Understand | None = None) -> None:
        self._understand = understand or nlu_understand

    def begin(self, turn: TurnState) -> LocalResponder:
        return self

    async def aclose(self) -> None:
        return None

    def understand(self, turn: TurnState) -> Any:
        """The engine's reading of the turn's text (once per turn)."""
        if turn.understood is None:
            setup = turn.setup
            memory = setup.merchant_memory
            ctx = NLUContext(
                today=setup.today,
                currency=setup.currency,
                categories=setup.categories,
                merchant_category=lambda merchant: memory.get(_merchant_key(merchant)),
                last_tool=setup.last_tool,
                last_args=setup.last_args,
                # read once per turn, and only when a shared currency word needs it (a list may ask per piece)
                own_currencies=cache(partial(_own_currencies, turn)),
            )
            turn.understood = self._understand(turn.text, ctx)
        return turn.understood

    def confidence(self, turn: TurnState) -> float:
        return float(getattr(self.understand(turn), "confidence", 0.0) or 0.0)

    async def step(self, turn: TurnState) -> AsyncIterator[str | Step]:
        yield self.next_step(turn)

    def next_step(self, turn: TurnState) -> Step:
        """Tool calls for the user's words, or, after a round of tools, the reply from their results."""
        if turn.rounds and turn.rounds[-1].results:
            done = [(call.name, call.args, result) for call, _ok, result in turn.rounds[-1].results]
            setup = turn.setup
            text = compose_turn_reply(done, currency=setup.currency, seed=turn.turn_id, today=setup.today)
            return Step(text or "Done.", engine=LOCAL)
        if not turn.text.strip():
            return Step(FALLBACK_REPLY, engine=LOCAL)
        understood = self.understand(turn)
        wanted = getattr(understood, "calls", ()) or ()
        if wanted:
            calls = tuple(Call(c.name, dict(c.args), f"call_{turn.turn_id}_{i}") for i, c in enumerate(wanted))
            return Step("", calls, engine=LOCAL, plan=understood)
        return Step(getattr(understood, "reply", None) or FALLBACK_REPLY, engine=LOCAL)


def _own_currencies(turn: TurnState) -> frozenset[str]:
    """The user's foreign currencies (rates set, entries made), on the turn's snapshot."""
    setup = turn.setup
    reading = turn.db.read_session if turn.db is not None else partial(read_only, turn.ctx.engine)
    with reading() as session:
        return own_currencies(session, setup.user_id, setup.currency)
