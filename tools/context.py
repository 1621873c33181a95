"""What a tool call knows about its turn: who is asking, when, and where to write.

Why a frozen context instead of arguments: the user is fixed by the signed-in session, so a
model can never name (or invent) another user; every tool reads ``user_id`` from here only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from assistant.clock import Clock, SystemClock
from assistant.models import TxSource, User
from assistant.services.categories import KnownCategories


@dataclass(frozen=True)
class ToolContext:
    engine: Engine
    user_id: int
    clock: Clock = field(default_factory=SystemClock)
    currency: str = "USD"
    timezone: str = "UTC"
    turn_id: str = ""
    source: TxSource = TxSource.CHAT
    user: User | None = field(default=None, compare=False, repr=False)
    """``user_id``'s row, read once with the turn's context (a detached copy): tools that only read
    the user take it instead of a query per call; a tool that changes the user loads its own."""
    known: KnownCategories | None = field(default=None, compare=False, repr=False)
    """The user's categories and merchant memory read with the turn's context: the calls' category
    lookups answer from them (``assistant.services.categories.KnownCategories``)."""
