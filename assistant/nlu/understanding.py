"""The engine's types: the context it is given, the calls it plans, the message parsed once.

Why a module of its own: the engine's steps (arguments, several expenses, the decision) and the
refund step all share these, and the agent reads ``Understanding``/``ToolCall``.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..models import DEFAULT_CATEGORIES, CategoryKind
from . import lexicon
from .amounts import Amount
from .replies import reply_for

DEFAULT_CATEGORY_NAMES: tuple[str, ...] = tuple(n for n, _, k in DEFAULT_CATEGORIES if k == CategoryKind.EXPENSE)

WRITES = frozenset(
    {"log_expense", "log_income", "set_budget", "add_subscription", "cancel_subscription", "delete_transaction",
     "update_transaction", "set_goal", "contribute_to_goal", "update_subscription", "set_exchange_rate",
     "move_budget", "set_monthly_income", "create_category", "set_reminder", "snooze_reminder", "dismiss_reminder"}
)  # fmt: skip


@dataclass(frozen=True)
class NLUContext:
    """What the engine may know about the user: their today, currency, categories and memory."""

    today: dt.date
    currency: str = "USD"
    categories: tuple[str, ...] = DEFAULT_CATEGORY_NAMES
    merchant_category: Callable[[str], str | None] | None = None
    last_tool: str | None = None
    last_args: Mapping[str, Any] | None = None
    """The arguments of ``last_tool``'s call (for "and for groceries?")."""
    own_currencies: Callable[[], frozenset[str]] | None = None
    """The foreign currencies the user has a rate for or entries in (read only when a message says a
    currency word several countries share: "francs" is CHF for a user with a CHF rate)."""


@dataclass(frozen=True)
class ToolCall:
    """One planned tool call, with what the write-safety policy needs to decide whether to run, confirm or drop it.

    ``confidence`` is the calibrated probability (0-1) of the call's intent from the trained intent model
    (after the recognisers' own checks). ``amount_is_money`` is False when the call's amount was read from a
    number that is not money (a PIN, a 401k, a table size, a time, a count, an id, mileage, a percentage, a
    volume level...); it is True for calls without an amount, so the policy can gate on it alone.
    """

    name: str
    args: dict[str, Any] = field(default_factory=dict)
    confidence: float = 1.0
    amount_is_money: bool = True


@dataclass(frozen=True)
class Understanding:
    calls: tuple[ToolCall, ...]
    confidence: float
    intent: str
    reply: str | None = None


@dataclass
class Msg:
    """One message, parsed once: normalised text, amounts and lexicon hits."""

    text: str
    low: str
    ctx: NLUContext
    amounts: list[Amount]
    amount: Amount | None
    hits: list[lexicon.Hit]
    tx_id: str | None = None  # a transaction named by its id ("delete transaction 5")
    tx_span: tuple[int, int] | None = None


def _say(intent: str, kind: str | None = None, confidence: float = 0.95) -> Understanding:
    return Understanding((), confidence, intent, reply_for(kind or intent))


def _reply(kind: str, confidence: float = 0.95, intent: str = "unknown") -> Understanding:
    return Understanding((), confidence, intent, reply_for(kind))


READS = frozenset(
    {"budget_summary", "spending_summary", "list_subscriptions", "list_transactions", "goal_progress", "get_insights",
     "check_purchase"}
)  # fmt: skip
SMALLTALK = frozenset({"greeting", "thanks", "help"})
#: the six tools issue 10 added: their arguments come from `new_tools._new_tool_args`
MODEL_ONLY = frozenset(
    {"contribute_to_goal", "update_subscription", "set_exchange_rate", "move_budget", "set_monthly_income",
     "create_category"}
)  # fmt: skip
#: writes whose arguments carry an amount that must be money
AMOUNT_KEY = {
    "log_expense": "amount", "log_income": "amount", "set_budget": "amount", "add_subscription": "amount",
    "set_goal": "target_amount", "update_transaction": "amount", "contribute_to_goal": "amount",
    "update_subscription": "amount", "move_budget": "amount", "set_monthly_income": "amount",
    "check_purchase": "amount",
}  # fmt: skip
#: what a write needs before it can run at all (the recogniser must have found these)
REQUIRED = {
    "log_expense": ("amount",), "log_income": ("amount",), "set_budget": ("amount", "category"),
    "add_subscription": ("name", "amount"), "set_goal": ("target_amount",), "contribute_to_goal": ("name", "amount"),
    "move_budget": ("from_category", "to_category", "amount"), "set_monthly_income": ("amount",),
    "set_exchange_rate": ("currency", "rate"), "create_category": ("name",), "cancel_subscription": ("name",),
}  # fmt: skip
