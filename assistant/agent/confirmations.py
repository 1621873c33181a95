"""Confirmations: the exact action in words, the user's yes or no, and the writes waiting for it.

Why apart from the policy (``safety.py``): the policy decides *whether* a write asks first; this
says *what* it asks ("Log $100.00 under Other?", the contract's ``confirm``), reads the answer
typed or spoken, and holds the write until then.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy.engine import Engine

from ..clock import Clock
from ..db import read_only
from ..errors import BudgetWiseError
from ..models import User
from .replies import money
from .safety import CONFIRM_TTL

# ---------------------------------------------------------------- yes or no

_YES = "yes|y|yeah|yea|yep|yup|sure|ok|okay|confirm|confirmed|do it|go ahead|yes please|please do|correct|"
_YES += "that's right|thats right|right|affirmative|yes do it|sounds good|absolutely|of course"
_NO = "no|n|nope|nah|cancel|don't|dont|do not|no thanks|no thank you|never mind|nevermind|stop|forget it|"
_NO += "don't do it|dont do it|not now|no don't|no dont"
YES_WORDS = frozenset(_YES.split("|"))
NO_WORDS = frozenset(_NO.split("|"))


def yes_or_no(text: str) -> Literal["yes", "no"] | None:
    """A typed or spoken answer to a confirmation, or None when the message is something else."""
    low = re.sub(r"[^\w' ]+", " ", text.lower())
    low = " ".join(low.split())
    if low in YES_WORDS:
        return "yes"
    if low in NO_WORDS:
        return "no"
    return None


# ---------------------------------------------------------------- the exact action, in words


# The question of each write whose words are its arguments alone: (args, amount in words, currency).
_ASKS: dict[str, Callable[[Mapping[str, Any], str, str], str]] = {
    "log_income": lambda a, amt, cur: f"Record {amt} of income from {a.get('source') or 'income'}?",
    "add_subscription": lambda a, amt, cur: (
        f"Add a {a.get('cadence') or 'monthly'} subscription {a.get('name')} for {amt}?"
    ),
    "cancel_subscription": lambda a, amt, cur: f"Cancel your {a.get('name')} subscription?",
    "set_budget": lambda a, amt, cur: f"Set the {a.get('category')} budget to {amt}?",
    "set_goal": lambda a, amt, cur: f"Create a goal {a.get('name')} of {money(a.get('target_amount'), cur)}?",
    "contribute_to_goal": lambda a, amt, cur: f"Add {amt} to your {a.get('name')} goal?",
    "set_monthly_income": lambda a, amt, cur: f"Set your monthly income to {amt}?",
    "move_budget": lambda a, amt, cur: f"Move {amt} of budget from {a.get('from_category')} to {a.get('to_category')}?",
}


def describe_action(name: str, args: Mapping[str, Any], currency: str, target: str = "") -> str:
    """The confirmation question: names the exact action ("Log $100.00 under Other?").

    ``target``: the transaction a delete or update acts on, in words (``transaction_words``).
    """
    cur = str(args.get("currency") or currency)
    amt = money(args.get("amount"), cur) if args.get("amount") is not None else ""
    if name == "log_expense":
        category = args.get("category") or "Other"
        desc = str(args.get("description") or "").strip()
        what = f" for {desc}" if desc and desc.lower() not in {str(category).lower(), "expense", "other"} else ""
        when = f" on {args['date']}" if args.get("date") else ""
        return f"Log {amt}{what} under {category}{when}?"
    asks = _ASKS.get(name)
    if asks is not None:
        return asks(args, amt, cur)
    if name in ("delete_transaction", "update_transaction"):
        ref = str(args.get("transaction_id", ""))
        which = "your last transaction" if ref.lower() == "last" else f"transaction #{ref.lstrip('#')}"
        which += f" ({target})" if target else ""
        if name == "delete_transaction":
            return f"Delete {which}?"
        changes = [
            f"{k} to {money(v, cur) if k == 'amount' else v}"
            for k, v in args.items()
            if k != "transaction_id" and v not in (None, "")
        ]
        return f"Change {which}: {', '.join(changes)}?" if changes else f"Change {which}?"
    details = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in args.items() if v not in (None, ""))
    label = name.replace("_", " ")
    return f"{label[:1].upper()}{label[1:]}" + (f" ({details})?" if details else "?")


def transaction_words(engine: Engine, user_id: int, ref: Any, currency: str) -> str:
    """The transaction ``ref`` names, in words ("$12.50, lunch, 2026-11-18"), or "" when there is none."""
    from ..services.transactions import resolve_transaction_id

    with read_only(engine) as session:
        user = session.get(User, user_id)
        if user is None:
            return ""
        try:
            tx = resolve_transaction_id(session, user, ref)
        except BudgetWiseError:
            return ""
        what = tx.description or "no description"
        return f"{money(tx.amount, tx.currency or currency)}, {what}, {tx.date.isoformat()}"


# ---------------------------------------------------------------- pending confirmations


@dataclass(frozen=True)
class PendingAction:
    """A write waiting for its yes."""

    id: str
    user_id: int
    name: str
    args: dict[str, Any]
    text: str
    expires_at: dt.datetime

    def to_confirm(self) -> dict[str, Any]:
        """The contract's ``confirm`` object."""
        return {"id": self.id, "action": {"name": self.name, "args": dict(self.args)}, "text": self.text}


@dataclass
class PendingConfirmations:
    """One waiting write per user, in memory, for ``ttl``; ``take`` hands each out at most once.

    Why in memory: a confirmation lives minutes and belongs to the conversation that asked; a
    restart forgets it (the user just says it again) and nothing half-done is left in the ledger.
    With several app processes a yes must reach the process that asked (sticky WebSockets).
    """

    clock: Clock
    ttl: dt.timedelta = CONFIRM_TTL
    _items: dict[int, PendingAction] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def offer(self, user_id: int, name: str, args: Mapping[str, Any], text: str) -> PendingAction:
        """Hold ``name(args)`` for the user's yes (replacing anything that was waiting)."""
        action = PendingAction(uuid.uuid4().hex, user_id, name, dict(args), text, self.clock.now() + self.ttl)
        with self._lock:
            self._items[user_id] = action
        return action

    def peek(self, user_id: int) -> PendingAction | None:
        with self._lock:
            action = self._items.get(user_id)
            if action is not None and self.clock.now() >= action.expires_at:
                del self._items[user_id]
                return None
            return action

    def take(self, user_id: int, confirm_id: str | None = None) -> PendingAction | None:
        """The waiting action (if ``confirm_id`` is given, only that one), removed: it runs once."""
        with self._lock:
            action = self._items.get(user_id)
            if action is None or (confirm_id is not None and action.id != confirm_id):
                return None
            del self._items[user_id]
            return action if self.clock.now() < action.expires_at else None

    def drop(self, user_id: int) -> None:
        """Another message came: what waited is not what the user wants now."""
        with self._lock:
            self._items.pop(user_id, None)
