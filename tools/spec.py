"""What one tool is: a ``ToolSpec`` (name, description, ``Args``, ``Result``, read-only or not, the
implementation, the reply writer and the chip summary) and the chip's wire shape.

Why one record per tool: the provider schemas, the local engine's replies, the safety rules and
the browser's chips all read the same spec, so adding a tool is one entry in one module by
subject (``ledger``, ``budgets``, ``advice``, ``subscriptions``, ``goals``, ``reminders``,
``profile``), listed in ``registry.ORDER``, and nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from sqlmodel import Session

from assistant.models import User
from assistant.money import fmt

from .context import ToolContext
from .results import ToolResult
from .schemas import ToolArgs

Result = dict[str, Any]
Impl = Callable[[Session, User, Any, ToolContext], Result]
"""``(session, user, parsed Args, ctx) -> JSON-ready dict``: one service call, in the caller's unit of work."""
Writer = Callable[[Mapping[str, Any], Any, str, str, "dt.date | None"], str]
"""``(args, typed Result, currency, seed, today) -> reply``: every figure read from the result."""
Segment = str | dict[str, str]
"""A chip's text piece: plain words, ``{"money", "currency"}``, ``{"day"}`` (today / yesterday / a
short date, worked out where it is shown) or ``{"date"}`` (a short date)."""


@dataclass(frozen=True)
class Chip:
    """The line under a reply for one tool call, e.g. "Logged $12.50 · Dining · yesterday".

    The browser renders ``text`` in the user's locale and clock (so a chip read back from history
    next week still says the right day); ``undo_id`` is a transaction the user may delete.
    """

    kind: Literal["write", "read", "failed"]
    text: tuple[Segment, ...]
    undo_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "text": list(self.text)}
        if self.undo_id is not None:
            out["undo_id"] = self.undo_id
        return out

    def plain(self, currency: str = "USD", today: dt.date | None = None) -> str:
        """The chip as one line of text (the terminal, the tests), formatted like the browser's."""
        out = []
        for part in self.text:
            if isinstance(part, str):
                out.append(part)
            elif "money" in part:
                out.append(fmt(Decimal(part["money"]), part.get("currency") or currency) if part["money"] else "")
            else:
                day = dt.date.fromisoformat(part.get("day") or part.get("date") or "")
                rel = {0: "today", 1: "yesterday", -1: "tomorrow"}.get((today - day).days) if today else None
                out.append(rel if "day" in part and rel else f"{day:%b} {day.day}")
        return "".join(out)


def money_part(amount: Decimal | None, currency: str | None) -> dict[str, str]:
    return {"money": "" if amount is None else str(amount), "currency": currency or ""}


def day_part(day: dt.date | None) -> Segment:
    return {"day": day.isoformat()} if day else ""


def date_part(day: dt.date | None) -> Segment:
    return {"date": day.isoformat()} if day else ""


def joined(*parts: Segment | None, sep: str = " · ") -> tuple[Segment, ...]:
    """Parts with ``sep`` between the ones that are not empty."""
    out: list[Segment] = []
    for part in parts:
        if not part:
            continue
        if out:
            out.append(sep)
        out.append(part)
    return tuple(out)


ChipWriter = Callable[[Any], Chip]
"""``(typed Result) -> Chip`` for a call that went through."""


def read_chip(label: str) -> ChipWriter:
    """The chip of a read-only tool that shows nothing but what it looked at."""

    def chip(res: Any) -> Chip:
        return Chip("read", (label,))

    return chip


@dataclass(frozen=True)
class ToolSpec:
    name: str
    description: str
    args: type[ToolArgs]
    result: type[ToolResult]
    run: Impl
    reply: Writer
    chip: ChipWriter
    action: str
    """What the tool does, for "I couldn't <action>: <why>"."""
    read_only: bool = False
    writes_user: bool = False
    """It changes the user's own row (so it loads the user in its unit of work, never the turn's copy)."""
