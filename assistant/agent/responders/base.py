"""What every responder works on: one turn's state, the steps it answers with, and the interface.

A responder answers a turn in steps, the way a chat model does: each ``Step`` either asks for
tool calls or is the final text. The runner's one loop (``AgentRunner._loop``) screens the calls
with the write-safety policy, runs them (each its own unit of work) and records the ``Round``;
the next step sees it in ``TurnState.rounds``. Nothing here knows LangChain: only the LLM
responder translates a turn into chat messages.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Coroutine
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar, cast

from tools import HeldWrite, ToolContext

from ...db import TurnConnection
from ..confirmations import PendingAction
from ..history import TurnSetup

LOCAL = "local"
T = TypeVar("T")


@dataclass(frozen=True)
class Call:
    """One tool call a responder asks for."""

    name: str
    args: dict[str, Any]
    id: str = ""


@dataclass(frozen=True)
class Step:
    """A responder's answer to the turn so far: tool calls to run, or the final ``text``."""

    text: str = ""
    calls: tuple[Call, ...] = ()
    engine: str = LOCAL
    streamed: bool = False
    """The text already went out as ``token`` events (a provider's stream)."""
    plan: Any = None
    """The local engine's understanding behind ``calls`` (confidence per call, for the policy)."""
    raw: Any = None
    """The provider's own message (its id and metadata), for the LLM responder's transcript."""


@dataclass
class Round:
    """The calls of one step that ran, with their results (``ok``, JSON result)."""

    step: Step
    results: list[tuple[Call, bool, dict[str, Any]]] = field(default_factory=list)


@dataclass
class TurnState:
    """One running turn: who asks, what was said, what ran, and what waits for a yes."""

    turn_id: str
    setup: TurnSetup
    ctx: ToolContext
    text: str
    voice_confident: bool = True
    spoken: bool = False
    rounds: list[Round] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)
    """Every call run this turn, as stored with the chat message (name, args, ok, result)."""
    notes: list[str] = field(default_factory=list)
    """What the policy held back or refused, said after the reply."""
    confirm: PendingAction | None = None
    """The write waiting for the user's yes (the contract's ``confirm``)."""
    reply: str = ""
    engine: str = LOCAL
    """The engine of the last step (``assistant_message.engine``)."""
    fallback_from: str | None = None
    """The provider that should have answered but could not (the reply says so)."""
    understood: Any = None
    """The local engine's reading of ``text`` (read once per turn)."""
    held: HeldWrite | None = None
    """Where a turn run whole on one thread keeps its last write open for the chat rows to join."""
    db: TurnConnection | None = None
    """A turn run whole on one thread: its one connection (reads share a snapshot; writes, chat rows)."""

    def confirm_dict(self) -> dict[str, Any] | None:
        return self.confirm.to_confirm() if self.confirm is not None else None


class Conversation(Protocol):
    """A responder at work on one turn."""

    inline: bool
    """Its steps never wait for the network: the whole turn runs in one worker-thread hop."""

    def step(self, turn: TurnState) -> AsyncIterator[str | Step]:
        """Text as it streams (``token``s), then exactly one ``Step``."""
        ...

    async def aclose(self) -> None: ...


class Responder(Protocol):
    """Answers turns: ``begin`` picks and prepares the conversation for one turn (blocking)."""

    needs_prompt: bool
    """It reads the system prompt (so the turn loads the month's budgets for it)."""

    def begin(self, turn: TurnState) -> Conversation: ...


async def inline(fn: Any, *args: Any) -> Any:
    """Run blocking work in place (an inline turn is already on a worker thread)."""
    return fn(*args)


def run_inline(events: AsyncIterator[T]) -> list[T]:
    """Every item of an async iterator that never suspends, without an event loop.

    An inline turn's awaits all complete at once (``inline`` above, the local engine's steps), so
    each ``__anext__`` finishes on its first ``send``; one that would wait is a programming error.
    """
    out: list[T] = []
    while True:
        pending = cast(Coroutine[Any, Any, T], events.__anext__())
        try:
            pending.send(None)
        except StopIteration as done:
            out.append(done.value)
            continue
        except StopAsyncIteration:
            return out
        pending.close()
        raise RuntimeError("an inline turn waited for something")
