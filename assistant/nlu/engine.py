"""understand(text, ctx) -> the tool calls a message asks for, with arguments in the contract's form.

Why one entry point: the chat model wrapper, the hybrid router and the eval all need the same
decision, pure and fast (no database, no network, no model weights).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

from ..models import DEFAULT_CATEGORIES, CategoryKind
from . import lexicon, slots
from .amounts import WORD_CURRENCY, Amount, find_amounts, format_amount, pick_amount, resolve_currency, words_to_digits
from .dates import date_spans, find_date, find_period, goal_deadline, within_days
from .followup import bought_after_check, cadence_again, follow_up, refer_back
from .intents import CADENCE, TX_EDIT, TX_REF, classify
from .model import BANK, NONE, Prediction, predict
from .not_yours import not_yours
from .numbers import is_money
from .replies import reply_for
from .spelling import fix_typos

DEFAULT_CATEGORY_NAMES: tuple[str, ...] = tuple(n for n, _, k in DEFAULT_CATEGORIES if k == CategoryKind.EXPENSE)
# lexicon words too vague to name the category of a question ("show my ..." is not Entertainment)
VAGUE = {
    "show", "match", "game", "games", "stuff", "bill", "fee", "fees", "class", "booking", "market", "fine",
    "tax", "ride", "club", "water", "bag", "watch", "sub", "cable", "mouse", "hat", "pet", "bar", "ticket",
    "tickets", "trip", "household", "delivery", "tea", "max", "via", "giant", "bird", "lime", "hair",
    "present", "travel", "domain", "insurance", "phone", "charger", "interest",
}  # fmt: skip
# of those, the ones that do name what a purchase question is about ("a 900 trip", "a new phone")
PURCHASE_VAGUE = VAGUE - {
    "game", "games", "show", "ticket", "tickets", "trip", "phone", "watch", "bag", "hat", "mouse", "charger",
    "present", "travel", "booking", "delivery", "tea", "club", "bar", "ride", "match", "class", "pet",
}  # fmt: skip


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
class _Msg:
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


def _user_cat(name: str | None, ctx: NLUContext) -> str | None:
    if not name:
        return None
    for n in ctx.categories:
        if n.lower() == name.lower():
            return n
    return lexicon.to_user_category(name, ctx.categories) or name


def _memory_category(msg: _Msg) -> str | None:
    """The user's own merchant memory: known merchants named, then capitalised names after at/from."""
    if msg.ctx.merchant_category is None:
        return None
    cands = [lexicon.MERCHANT_DISPLAYS[h.phrase] for h in msg.hits if h.phrase in lexicon.MERCHANT_DISPLAYS]
    cands += re.findall(r"\b(?:at|from|@)\s+([A-Z][\w'&.-]*(?:\s+[A-Z][\w'&.-]*)*)", msg.text)
    cands += re.findall(r"\b([A-Z][\w'&.-]+(?:\s+[A-Z][\w'&.-]+)*)", msg.text)
    for cand in cands:
        if cand.lower() in {"i", "i'm", "i've"}:
            continue
        got = msg.ctx.merchant_category(cand)
        if got:
            return _user_cat(got, msg.ctx)
    return None


def _lexicon_category(msg: _Msg, vague_ok: bool, vague: set[str] = VAGUE) -> str | None:
    hits = [h for h in msg.hits if vague_ok or h.phrase not in vague]
    canonical = lexicon.best_category(hits, VAGUE)
    return lexicon.to_user_category(canonical, msg.ctx.categories) if canonical else None


def _named_category(low: str, ctx: NLUContext) -> str | None:
    """A category the user named outright ("dining", "Gifts"), ignoring "not X" / "instead of X"."""
    cleaned = re.sub(r"\b(?:not|instead\s+of|rather\s+than|from)\s+(?:the\s+|my\s+)?[\w&]+(?:\s+care)?", " ", low)
    found = lexicon.mentioned_categories(cleaned, ctx.categories)
    return found[0][1] if found else None


def _merchant(msg: _Msg) -> str | None:
    named = lexicon.merchant_in(msg.hits)
    if named:
        return named
    m = re.search(r"\b(?:at|@)\s+([A-Z][\w'&.-]*(?:\s+[A-Z][\w'&.-]*){0,2})", msg.text)
    return m.group(1) if m and m.group(1) not in {"I", "Home", "Work"} else None


def _money(args: dict[str, Any], msg: _Msg, key: str = "amount") -> None:
    if msg.amount is None:
        return
    args[key] = format_amount(msg.amount.value)
    cur = resolve_currency(msg.amount.currency, msg.ctx.currency)
    if cur and key == "amount":
        args["currency"] = cur


def _log_expense(msg: _Msg) -> tuple[dict[str, Any], float]:
    args: dict[str, Any] = {}
    _money(args, msg)
    hit = find_date(msg.low, msg.ctx.today)
    spans = [(a.start, a.end) for a in msg.amounts] + ([(hit.start, hit.end)] if hit else [])
    description = slots.tidy(slots.cut(msg.text, spans))
    category = _memory_category(msg) or _lexicon_category(msg, True) or _named_category(msg.low, msg.ctx)
    confidence = 0.9 if category else 0.7
    category = category or _user_cat("Other", msg.ctx)
    merchant = _merchant(msg)
    args["description"] = description or merchant or category or "expense"
    if category:
        args["category"] = category
    if hit:
        args["date"] = hit.date.isoformat()
    if merchant:
        args["merchant"] = merchant
    return args, confidence


def _log_income(msg: _Msg) -> tuple[dict[str, Any], float]:
    args: dict[str, Any] = {}
    _money(args, msg)
    hit = find_date(msg.low, msg.ctx.today)
    spans = [(a.start, a.end) for a in msg.amounts] + ([(hit.start, hit.end)] if hit else [])
    args["source"] = slots.income_source(slots.cut(msg.text, spans))
    if hit:
        args["date"] = hit.date.isoformat()
    return args, 0.9


def _question_category(msg: _Msg) -> str | None:
    return _named_category(msg.low, msg.ctx) or _lexicon_category(msg, False)


def _period_args(msg: _Msg, args: dict[str, Any], default_month: bool) -> None:
    period = find_period(msg.low, msg.ctx.today)
    if period is None and default_month:
        today = msg.ctx.today
        args["start"], args["end"] = today.replace(day=1).isoformat(), today.isoformat()
    elif period is not None:
        args["start"], args["end"] = period.start.isoformat(), period.end.isoformat()


def _month_arg(msg: _Msg, args: dict[str, Any]) -> None:
    period = find_period(msg.low, msg.ctx.today)
    if period is not None and period.month:
        args["month"] = period.month


def _is_service(hit: lexicon.Hit) -> bool:
    """A named service people pay for on a schedule (Netflix, but also Peloton or Duolingo)."""
    named = hit.phrase in lexicon.MERCHANT_DISPLAYS
    return (hit.category == "Subscriptions" and named) or hit.phrase in lexicon.SERVICES


def _cadence(low: str) -> str:
    if re.search(r"\b(?:yearly|annual(?:ly)?|every\s+year|(?:a|per|each|/)\s*(?:year|yr))\b|/yr", low):
        return "yearly"
    if re.search(r"\b(?:quarterly|every\s+quarter|(?:a|per|each)\s+quarter|every\s+3\s+months)\b", low):
        return "quarterly"
    if re.search(r"\b(?:weekly|every\s+week|(?:a|per|each|/)\s*(?:week|wk))\b", low):
        return "weekly"
    return "monthly"


def _subscription(msg: _Msg) -> tuple[dict[str, Any], float]:
    args: dict[str, Any] = {}
    subs = [h for h in msg.hits if _is_service(h)]
    remind = re.search(
        r"\b(?:remind(?:\s+me)?|(?:ping|nudge|alert|notify|warn|tell)\s+me|(?:with\s+)?an?\s+reminder|"
        r"(?:give\s+me\s+)?an?\s+(?:heads[\s-]?up|notice|warning))\s+"
        r"(?:(\d+)|a|one|the)\s*(day|week)s?\b",
        msg.low,
    )
    renewal = find_date(re.sub(r"\bremind\s+me\b.*$", "", msg.low), msg.ctx.today, future=True)
    spans = [(a.start, a.end) for a in msg.amounts] + ([(renewal.start, renewal.end)] if renewal else [])
    args["name"] = subs[0].display if subs else slots.subscription_name(slots.cut(msg.text, spans))
    _money(args, msg)
    args["cadence"] = _cadence(msg.low)
    if renewal:
        args["next_renewal"] = renewal.date.isoformat()
    if remind:
        args["remind_days_before"] = int(remind.group(1) or 1) * (7 if remind.group(2) == "week" else 1)
    lex = _lexicon_category(msg, False)
    sub_cat = _user_cat("Subscriptions", msg.ctx)
    category = lex if lex and lex != _user_cat("Shopping", msg.ctx) and not subs else sub_cat
    if category:
        args["category"] = category
    return args, 0.9 if CADENCE.search(msg.low) else 0.75


def _cancel(msg: _Msg) -> tuple[dict[str, Any], float]:
    known = [h.display for h in msg.hits if h.phrase in lexicon.MERCHANT_DISPLAYS]
    name = known[0] if known else slots.cancel_name(msg.text)
    if name and not known and len(name.split()) > 2:  # "I no longer go to the gym, cancel that": the gym
        inside = [h.display for h in msg.hits if re.search(rf"\b{re.escape(h.phrase)}\b", name.lower())]
        name = inside[-1] if inside else name
    return ({"name": name}, 0.9) if name else ({}, 0.3)


def _category_or_merchant(msg: _Msg, args: dict[str, Any]) -> None:
    """A question about one merchant ("how much at Starbucks") filters by it; a category said outright still counts.

    Why not the merchant's lexicon category: the user may file Starbucks under Groceries, and the question
    is about the shop, not the category.
    """
    merchant = lexicon.merchant_in(msg.hits)
    said = re.escape(merchant.lower()) if merchant else ""
    if merchant and re.search(
        rf"\b(?:at|from|on|with|to|in)\s+(?:the\s+)?{said}|(?:^|\b(?:my|the|total|all)\s+){said}\s+(?:purchases|orders|charges|"
        rf"transactions|spending|expenses|payments)\b",
        msg.low,
    ):
        args["merchant"] = merchant
        named = _named_category(msg.low.replace(merchant.lower(), " "), msg.ctx)
        if cat := named or _memory_category(msg) or _lexicon_category(msg, False):
            args["category"] = cat  # where the user files this merchant (their memory first)
        return
    if cat := _question_category(msg):
        args["category"] = cat


BILL_NAME = re.compile(r"\b(?:my|the|our)\s+([a-z][\w&+' -]{1,25}?)\s+(?:bill|payment|subscription|renewal)s?\b")
NOT_A_BILL = {"next", "monthly", "last", "first", "upcoming", "recurring", "credit card", "card", "utility", "total"}


# "what was my last transaction", "last thing I logged", "when did I last buy coffee", "what did I spend on
# most recently": the one latest entry, not a page ("my last transactions" and "last 5" are a page)
LAST_ONE = re.compile(
    r"\b(?:last|latest|most\s+recent|newest|previous)\s+(?:transaction|purchase|expense|charge|payment|entry|item|"
    r"record|thing)\b(?!s)|\bwhat\s+did\s+i\s+(?:last|most\s+recently)\s+(?:buy|log|spend|pay)\b|"
    r"\bmost\s+recently\b|\bwhen\s+(?:did\s+i\s+last|was\s+the\s+last\s+time\s+i)\b"
)


def _list_transactions(msg: _Msg) -> tuple[dict[str, Any], float]:
    args: dict[str, Any] = {}
    _period_args(msg, args, False)
    _category_or_merchant(msg, args)
    m = re.search(r"\b(?:last|latest|recent|top|first|past)\s+(\d+)\b(?!\s+(?:days?|weeks?|months?))", msg.low)
    m = m or re.search(r"\b(\d+)\s+(?:most\s+recent|latest|last|recent)\b", msg.low)
    if m:
        args["limit"] = int(m.group(1))
    elif LAST_ONE.search(msg.low):
        args["limit"] = 1  # "what was my last transaction": the one, not a page
    return args, 0.9


def _update(msg: _Msg) -> tuple[dict[str, Any], float]:
    args: dict[str, Any] = {"transaction_id": msg.tx_id or "last"}
    if msg.amount is not None:
        args["amount"] = format_amount(msg.amount.value)
    low = slots.cut(msg.low, [msg.tx_span]) if msg.tx_span else msg.low
    low = re.sub(r"\b(?:the\s+)?(?:last\s+one|last\s+(?:expense|transaction|entry))\b", " ", low)
    cleaned = re.sub(
        r"\b(?:not|instead\s+of|rather\s+than|(?:shouldn'?t|should\s+not|isn'?t|wasn'?t)\s+be(?:\s+(?:under|in))?)\s+"
        r"(?:the\s+|my\s+|a\s+)?[\w&]+(?:\s+care)?",
        " ",
        low,
    )
    hits = [h for h in lexicon.keyword_hits(cleaned) if h.phrase not in VAGUE]
    cat = _named_category(cleaned, msg.ctx)
    if not cat and hits and msg.amount is None:
        cat = lexicon.to_user_category(lexicon.best_category(hits) or "", msg.ctx.categories)
    if cat:
        args["category"] = cat
    dated = re.search(r"\b(?:date|dated|happened|was\s+on|on)\b", low) or msg.amount is None
    if dated and (hit := find_date(low, msg.ctx.today)):
        args["date"] = hit.date.isoformat()
    if m := re.search(r"\b(?:call\s+it|rename\s+it\s+to|description\s+(?:to|should\s+be))\s+(.+)$", msg.text, re.I):
        args["description"] = slots.tidy(m.group(1))
    return args, 0.9 if len(args) > 1 else 0.3


def _goal(msg: _Msg) -> tuple[dict[str, Any], float]:
    spans = [(a.start, a.end) for a in msg.amounts]
    name = slots.goal_name(slots.cut(msg.text, spans))
    args: dict[str, Any] = {"name": name or "Savings"}
    _money(args, msg, "target_amount")
    if deadline := goal_deadline(msg.low, msg.ctx.today):
        args["target_date"] = deadline.isoformat()
    return args, 0.9 if name else 0.75


# words of a progress question that are not a goal's name ("how is my goal going", "goals status")
PROGRESS_WORDS = {
    "progress", "status", "goal", "goals", "savings", "saving", "going", "doing", "coming", "along", "looking",
    "tracking", "update", "so", "far", "now", "overall", "all", "s", "my", "the",
}  # fmt: skip


# "progress on the Japan trip?", "status of my car fund": the goal is what the progress is on
PROGRESS_ON = re.compile(
    r"\b(?:progress|status|update)\s+(?:on|of|for|with|towards?)\s+(?:my\s+|the\s+|our\s+)?([\w' -]+?)"
    r"(?:\s+(?:goal|fund|savings))?\W*$",
    re.IGNORECASE,
)


def _goal_progress(msg: _Msg) -> tuple[dict[str, Any], float]:
    near = re.search(r"\b(?:close|near|far)\b.{0,15}?\b(?:to|from)\s+([\w' -]+)", msg.text, re.I)
    first = slots.GOAL_FIRST.search(msg.text)
    on = PROGRESS_ON.search(msg.text)
    candidates = (
        slots.tidy(first.group(1), max_words=3) if first else None,
        slots.goal_name(msg.text),
        slots.tidy(on.group(1), max_words=3) if on else None,
        slots.tidy(near.group(1), max_words=3) if near else None,
    )
    for name in candidates:  # the first that names something, not "progress toward my"
        words = re.findall(r"[a-z0-9]+", (name or "").lower())
        named = name and len(name.strip()) > 1 and not all(w in PROGRESS_WORDS for w in words)
        if named and not any(w in ("progress", "toward", "towards") for w in words):
            return {"name": name}, 0.9
    return {}, 0.9


NOT_A_SUB = {
    "that", "this", "it", "last", "latest", "next", "reminder", "renewal", "bill", "one", "subscription", "they",
    "them", "each", "every", "due", "renewals", "payment", "payments", "then", "that one", "instead", "please",
    "now", "again",
}  # fmt: skip


def _reminder_name(msg: _Msg) -> str | None:
    """The subscription a reminder request names ("the Spotify reminder", "before the gym renews"), if any."""
    known = [h.display for h in msg.hits if _is_service(h) or h.phrase in lexicon.MERCHANT_DISPLAYS]
    if known:
        return known[0]
    for rx in (
        r"\b(?:the|my|for|about)\s+([\w+&' ]{2,30}?)\s+(?:one|reminder|bill|subscription|renewal|payment)\b",
        r"\bbefore\s+(?:the\s+|my\s+)?([\w+&' ]{2,30}?)\s+(?:renews|renewal|is\s+due|comes\s+up|charges|bills|"
        r"goes\s+out|payment|takes|hits|leaves|comes\s+out|auto-?renews|draws|debits|is\s+taken|gets\s+(?:paid|charged))\b",
        r"\bbefore\s+(?:the\s+|my\s+)?([A-Z][\w+&']*(?:\s+[A-Z][\w+&']*)?)",
        r"\bbefore\s+(?:the\s+|my\s+)?([a-z][\w+&']*(?:\s+[a-z][\w+&']*)?)\s*[.!]*\s*$",  # "10 days before rent"
    ):
        if m := re.search(rx, msg.text, re.I if "A-Z" not in rx else 0):
            name = slots.tidy(m.group(1), max_words=3)
            if name and name.lower() not in NOT_A_SUB:
                return name
    return None


REMIND_VERB = re.compile(
    r"\b(?:remind|reminder|heads[\s-]?up|notice|warn|warning|nudge|ping|alert|notify)\b.*\bbefore\b"
)


def _sub_before(ctx: NLUContext) -> str | None:
    """The subscription the turn before added or changed ("remind me 3 days before instead"), if any."""
    if ctx.last_tool in ("add_subscription", "update_subscription") and ctx.last_args:
        name = ctx.last_args.get("name")
        return str(name) if name else None
    return None


def _set_reminder(msg: _Msg) -> tuple[dict[str, Any], float]:
    if re.search(r"\bon\s+the\s+(?:same\s+)?day\b", msg.low):
        days = 0
    elif m := re.search(r"\b(\d+|an?|one|the)\s*(day|week|fortnight)s?\b", msg.low):
        count = int(m.group(1)) if m.group(1).isdigit() else 1
        days = count * {"day": 1, "week": 7, "fortnight": 14}[m.group(2)]
    else:
        return {}, 0.3
    args: dict[str, Any] = {"days_before": days}
    if name := _reminder_name(msg):
        args["name"] = name
    return args, 0.9


def _snooze_until(low: str, today: dt.date) -> dt.date:
    """Until when a reminder is snoozed: "until Friday" is the next Friday after today; no day said, tomorrow."""
    if m := re.search(r"\b(?:in|for)\s+(\d+)\s*(day|week)s?\b", low):
        return today + dt.timedelta(days=int(m.group(1)) * (7 if m.group(2) == "week" else 1))
    if re.search(r"\b(?:next\s+week|in\s+a\s+week|for\s+a\s+week)\b", low):
        return today + dt.timedelta(days=7)
    hit = find_date(low, today, future=True)
    return hit.date if hit and hit.date > today else today + dt.timedelta(days=1)


def _reminder_args(intent: str, msg: _Msg) -> tuple[dict[str, Any], float]:
    if intent == "set_reminder":
        return _set_reminder(msg)
    args: dict[str, Any] = {}
    if intent == "snooze_reminder":
        args["until"] = _snooze_until(msg.low, msg.ctx.today).isoformat()
    if name := _reminder_name(msg):
        args["name"] = name
    return args, 0.9


def _tool_args(intent: str, msg: _Msg) -> tuple[dict[str, Any], float]:
    ctx = msg.ctx
    if intent == "log_expense":
        return _log_expense(msg)
    if intent == "log_income":
        return _log_income(msg)
    if intent == "check_purchase":
        spans = [(a.start, a.end) for a in msg.amounts]
        args: dict[str, Any] = {"item": slots.purchase_item(slots.cut(msg.text, spans))}
        _money(args, msg)
        args.pop("currency", None)
        if (
            cat := _memory_category(msg)
            or _lexicon_category(msg, False, PURCHASE_VAGUE)
            or _named_category(msg.low, ctx)
        ):
            args["category"] = cat
        return args, 0.9
    if intent == "budget_summary":
        args = {}
        _month_arg(msg, args)
        if cat := _question_category(msg):
            args["category"] = cat
        return args, 0.9
    if intent == "spending_summary":
        args = {}
        _period_args(msg, args, True)
        _category_or_merchant(msg, args)
        return args, 0.9
    if intent == "set_budget":
        args = {}
        cat = _named_category(msg.low, ctx) or _lexicon_category(msg, False)
        if cat:
            args["category"] = cat
        _money(args, msg)
        args.pop("currency", None)
        period = find_period(msg.low, ctx.today, future=True)
        if period is not None and period.month and not re.search(r"\b(?:a|per|each|every)\s+month\b", msg.low):
            args["month"] = period.month
        return args, 0.9 if cat else 0.3
    if intent == "add_subscription":
        return _subscription(msg)
    if intent == "list_subscriptions":
        days = within_days(msg.low, ctx.today)
        args = {"within_days": days} if days is not None else {}
        bill = BILL_NAME.search(msg.low)
        if bill and bill.group(1).strip() not in NOT_A_BILL and not re.search(r"\b(?:bills|all|any)\b", bill.group(1)):
            args["name"] = bill.group(1).strip()
        return args, 0.9
    if intent == "cancel_subscription":
        return _cancel(msg)
    if intent == "list_transactions":
        return _list_transactions(msg)
    if intent == "update_transaction":
        return _update(msg)
    if intent == "delete_transaction":
        return {"transaction_id": msg.tx_id or "last"}, 0.9
    if intent == "set_goal":
        return _goal(msg)
    if intent == "goal_progress":
        return _goal_progress(msg)
    if intent == "get_insights":
        args = {}
        _month_arg(msg, args)
        return args, 0.9
    if intent in ("set_reminder", "snooze_reminder", "dismiss_reminder"):
        return _reminder_args(intent, msg)
    return {}, 0.2


ASK = {"set_budget": "ask_category", "update_transaction": "ask_correction", "cancel_subscription": "unknown"}


# talk around a request that changes nothing in it: "um ...", "hey budgetwise ...", "... thx"
FILLER_LEAD = re.compile(
    r"^(?:(?:u+m+|u+h+|e+r+m*|h+m+|oh|ah|ugh|so|ok(?:ay)?(?!\s+(?:to|if)\b)|hey|yo|well|like|basically|alright|right|"
    r"(?:hey\s+)?budget\s*wise)\b[\s,.!:-]*)+",
    re.IGNORECASE,
)
# a request put politely: "could you please log that I spent ..." is "I spent ..."
POLITE_LEAD = re.compile(
    r"^(?:(?:can|could|would|will)\s+you\s+)?(?:please\s+|pls\s+|kindly\s+)?"
    r"(?:(?:log|record|note|add|put\s+down|write\s+down|track)\s+that\s+)?(?=\S)",
    re.IGNORECASE,
)
POLITE_TAIL = re.compile(r"[\s,.!]+(?:thx|thanks|thank\s+you|ty|pls|plz|please|cheers)[\s.!]*$", re.IGNORECASE)


def _without_fillers(text: str) -> str:
    """``text`` without leading fillers and a trailing "thx", when a request of two words or more remains."""
    out = POLITE_TAIL.sub("", POLITE_LEAD.sub("", FILLER_LEAD.sub("", text), count=1))
    return out if len(out.split()) >= 2 else text


READS = frozenset(
    {"budget_summary", "spending_summary", "list_subscriptions", "list_transactions", "goal_progress", "get_insights",
     "check_purchase"}
)  # fmt: skip
SMALLTALK = frozenset({"greeting", "thanks", "help"})
#: tools the rules never name: only the intent model routes to them
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
# a question, however it is worded, never writes ("when did my salary come in", "what fees are charged?")
QUESTION = re.compile(
    r"^(?:what|when|where|which|who|whom|whose|why|how)\b(?!\s+(?:about|bout)\b)|"
    r"^(?:is|are|am|was|were|do|does|did|has|have|had|isn'?t|aren'?t|doesn'?t|didn'?t)\s+"
    r"(?:i|you|we|they|he|she|it|that|this|there|my|our)\b|\?\s*$|"
    r"^(?:i\s+(?:wanna|want\s+to|need\s+to|would\s+like\s+to|'?d\s+like\s+to)\s+know|tell\s+me|do\s+you\s+know|"
    r"(?:can|could)\s+you\s+(?:confirm|check|tell|find|look|see|explain|show))\b|"
    r"^(?:can|could|should|will|would|shall)\s+(?!(?:you|u|ya|ye|please|pls)\b)\w+"  # "will target price match ..."
)
# "can you log ...", "could you add ...": a request put as a question still asks for the write
ASKED_WRITE = re.compile(
    r"^(?:(?:can|could|would|will)\s+you\s+)?(?:please\s+)?(?:log|add|record|put|set|create|make|note|track|delete|"
    r"remove|cancel|change|update|move|fix|correct|save|enter|start|raise|lower|increase|decrease|bump|mark)\b|"
    r"^(?:i\s+)?(?:just\s+)?(?:spent|paid|bought|got\s+paid|earned|received|made)\b"
)
# a number and nothing that says what it was: never an entry by itself
BARE_NUMBER = re.compile(
    r"[\W\d_]*(?:(?:dollars?|bucks?|euros?|pounds?|quid|usd|eur|gbp|k|grand|thousand|hundred|million)[\W\d_]*)*"
)
MAX_CHARS = 1000
LIST_VERB = re.compile(
    r"^(?:please\s+)?(?:log|record|add|note|track|enter)\b|^(?:i\s+)?(?:just\s+)?(?:spent|paid|bought)\b"
)
LISTED_SURE = 0.85  # a piece of a list of entries with no known category (it goes under Other)
MODEL_SURE = 0.5  # the model's probability from which its intent stands on its own
MODEL_WRITE_SURE = 0.7  # a write that only the model reads needs more than a read
MODEL_OVER_RULE = 0.9  # a write the model is this sure of beats another write the rules read (and gave < 5%)
WRITE_FLOOR = 0.3  # below this a write is not proposed at all (the policy confirms between this and its bar)
# "and what about a $35 board game?": a purchase question's follow-up keeps its frame
FRAME_LEAD = re.compile(r"^(?:(?:ok(?:ay)?|so|and|also|then|but|hmm+)\b[\s,]*)*(?:(?:what|how)\s+about|and|or)\b")
# "transfer 40 of my dining budget to groceries", "transfer budget from X to Y": a budget moved, not money
BUDGET_SHIFT = re.compile(r"\btransfer(?=\b.{0,40}\bbudget\b)")
SPLIT = re.compile(r"\s*(?:,|;|\band\b|\bplus\b|\balso\b|\bthen\b)\s*")


def _is_polite_write(low: str) -> bool:
    """ "could you please log 20 for lunch?", "... can you track it?": the question mark is manners, not a question."""
    return bool(
        re.search(
            r"\b(?:can|could|would|will)\s+you\s+(?:please\s+|kindly\s+|just\s+)?(?:log|add|record|put|set|create|make|"
            r"note|track|delete|remove|cancel|change|update|move|fix|correct|save|enter|mark|jot)\b",
            low,
        )
    )


def _reply(kind: str, confidence: float = 0.95, intent: str = "unknown") -> Understanding:
    return Understanding((), confidence, intent, reply_for(kind))


def _bad_input(text: str) -> Understanding | None:
    """Empty, far too long, or no words at all: a clear answer and nothing else."""
    if not text:
        return _reply("empty", 0.1)
    if len(text) > MAX_CHARS:
        return _reply("too_long", 0.1)
    if not re.search(r"[^\W\d_]", text) and not re.search(r"\d", text):
        return _reply("no_words", 0.1)  # emoji, punctuation
    letters = re.findall(r"[^\W\d_]", text)
    if letters and sum(1 for c in letters if c.isascii()) < 0.5 * len(letters):
        return _reply("other_language", 0.1)
    if _other_language(text):
        return _reply("other_language", 0.1)
    return None


@lru_cache(maxsize=1)
def _languages() -> tuple[frozenset[str], tuple[frozenset[str], ...]]:
    doc = yaml.safe_load((Path(__file__).resolve().parent / "data" / "languages.yaml").read_text(encoding="utf-8"))
    return frozenset(doc["english"]), tuple(frozenset(words) for words in doc["other"])


def _other_language(text: str) -> bool:
    """Spanish, French, German, Portuguese or Italian: two of its common words and no English one."""
    words = re.findall(r"[^\W\d_][\w']*", text.lower())
    english, others = _languages()
    if len(words) < 3 or any(w in english for w in words):
        return False
    return any(sum(1 for w in words if w in lang) >= 2 for lang in others)


_RUN_JOINER = re.compile(r"^\s*(?:n|&|\+|w|with)\s+|\s+(?:n|&|\+)\s*$")
_RUN_ITEM = re.compile(r"\s*[a-z][a-z' -]*?\s*")  # only an item's words between two amounts
_RUN_PRICE_WORDS = re.compile(r"\b(?:for|at|on|each|per|x|a\s+piece)\b")
_RUN_SPENT_ON = re.compile(r"\s*(?:on|for|at)\s+[a-z]")  # "20 on uber n 35 ...": each amount says what it bought
_RUN_VERB_END = re.compile(r"(?:^|\b)(?:spent|paid|bought|on|for|of)\s*$")


def _split_run(piece: str) -> list[str]:
    """A run of expenses with no "and" between them: "gas 40 groceries 62.30", "20 on uber n 35 on dinner".

    Item-then-amount runs ("lunch 14 parking 6") are cut after each amount; amount-then-item runs
    ("spent 20 on uber n 35 on dinner") before each later amount. Only written digits are cut, so a
    spoken number's span never has to be mapped back.
    """
    low = piece.lower()
    found = find_amounts(low, date_spans(low))
    if len(found) < 2 or not all(any(c.isdigit() for c in low[a.start : a.end]) for a in found):
        return [piece]
    head = low[: found[0].start]
    between = [low[a.end : b.start] for a, b in pairwise(found)]
    if re.search(r"[a-z]", head) and not _RUN_VERB_END.search(head):
        if not all(_RUN_ITEM.fullmatch(b) and not _RUN_PRICE_WORDS.search(b) for b in between):
            return [piece]  # "tickets 2 for 140", "got 2 games for 24.98": a count and its price
        cuts = [a.end for a in found[:-1]]
    else:
        if not all(_RUN_SPENT_ON.match(b) for b in between):
            return [piece]
        cuts = [a.start for a in found[1:]]
    out: list[str] = []
    prev = 0
    for cut in [*cuts, len(piece)]:
        part = _RUN_JOINER.sub(" ", piece[prev:cut]).strip()
        if part:
            out.append(part)
        prev = cut
    return out


def _expenses(msg: _Msg) -> list[tuple[dict[str, Any], float]] | None:
    """Several expenses in one message ("8 on coffee and 42 on a haircut"): one call per piece with one amount."""
    money = [a for a in msg.amounts if is_money(msg.low, a)]
    if len(money) < 2:
        return None
    pieces = [run for p in SPLIT.split(msg.text) if p.strip() for run in _split_run(p)]
    parts: list[_Msg] = []
    for piece in pieces:
        low = piece.lower()
        found = find_amounts(low, date_spans(low))
        if len(found) > 1:
            return None
        if found:
            parts.append(_Msg(piece, low, msg.ctx, found, found[0], lexicon.keyword_hits(low)))
        elif parts:  # words after an amount belong to it ("12 for lunch and a drink")
            last = parts[-1]
            text = f"{last.text} and {piece}"
            parts[-1] = _Msg(text, text.lower(), msg.ctx, last.amounts, last.amount, lexicon.keyword_hits(text.lower()))
    if len(parts) < 2:
        return None
    out = [_log_expense(p) for p in parts]
    if date := find_date(msg.low, msg.ctx.today):  # "yesterday" said once applies to every piece
        for args, _ in out:
            args.setdefault("date", date.date.isoformat())
    return out


# "per Canadian dollar": a dollar with its country is that country's currency, not the user's dollar
QUALIFIED_CODES = {
    "canadian": "CAD", "australian": "AUD", "aussie": "AUD", "new zealand": "NZD", "kiwi": "NZD", "singapore": "SGD",
    "hong kong": "HKD", "us": "USD", "american": "USD", "mexican": "MXN", "swiss": "CHF", "south african": "ZAR",
    "indian": "INR", "japanese": "JPY",
}  # fmt: skip
QUALIFIED_CURRENCY = re.compile(
    r"\b(" + "|".join(sorted(QUALIFIED_CODES, key=len, reverse=True)) + r")\s+"
    r"(?:dollars?|pesos?|francs?|rand|rupees?|yen)\b"
)
# "my gym membership", "the Guardian subscription": the thing the user pays for, by the word they use
SUB_NAME = re.compile(
    r"\b(?:my|the|our)\s+([\w+&'.-]+(?:\s+[\w+&'.-]+)?)\s+(?:subscription|membership|plan|account)\b", re.IGNORECASE
)
# "change the category of my X subscription to Education", "file my X plan under Education"
SUB_CATEGORY = re.compile(
    r"\bcategory\b.*?\b(?:to|as|into)\s+([A-Za-z][\w&' ]{1,30}?)\W*$|\b(?:under|into)\s+([A-Za-z][\w&' ]{1,30}?)\W*$",
    re.IGNORECASE,
)


GENERIC_GOAL = {"goal", "goals", "fund", "savings", "savings goal", "pot"}
# a goal named in one clause of the message: "for the car," / "towards my laptop and"
GOAL_CLAUSE = re.compile(
    r"\b(?:for|toward|towards|to|into)\s+(?:my|the|our)\s+([\w' -]+?)(?:\s+(?:goal|fund))?\s*(?:[,.;!]|\band\b|$)",
    re.IGNORECASE,
)


def _rate_text(value: Decimal) -> str:
    """A rate with the digits it needs: "1.08", "0.0067", 1/83 as "0.012048" (cents would round it to 0.01)."""
    return format_amount(value) if value >= 1 else f"{value.quantize(Decimal('0.000001')).normalize():f}"


def _new_tool_args(intent: str, msg: _Msg) -> tuple[dict[str, Any], float]:
    """Arguments for the tools only the model routes to; confidence 0.3 when a required slot is missing."""
    ctx = msg.ctx
    amount = format_amount(msg.amount.value) if msg.amount is not None else None
    args: dict[str, Any] = {}
    if intent == "contribute_to_goal":
        spans = [(a.start, a.end) for a in msg.amounts]
        said = re.search(
            r"\b(?:toward|towards|to|into|for|in|on)\s+(?:my|the|our)\s+([\w' -]+?)(?:\s+goal)?\W*$", msg.text, re.I
        )
        name = slots.tidy(said.group(1), max_words=4) if said else slots.goal_name(slots.cut(msg.text, spans))
        if name and name.lower() in GENERIC_GOAL:  # "saved 100 for the car, add it to the goal": the car
            clauses = (m.group(1) for m in GOAL_CLAUSE.finditer(msg.text) if m.group(1).lower() not in GENERIC_GOAL)
            name = slots.tidy(next(clauses, name), max_words=4)
        args = {"name": name or "Savings", "amount": amount}
        return args, (0.9 if name else 0.6) if amount else 0.3
    if intent == "update_subscription":
        known = [h.display for h in msg.hits if _is_service(h) or h.phrase in lexicon.MERCHANT_DISPLAYS]
        owned = SUB_NAME.search(msg.text)
        m = re.search(r"^(?:my\s+|the\s+)?([A-Z][\w+&'.]*(?:\s+[A-Z][\w+&'.]*)?)", msg.text)
        name = known[0] if known else (owned.group(1) if owned else (m.group(1) if m else None))
        if not name:
            return {}, 0.3
        args = {"name": name}
        if amount:
            args["amount"] = amount
        lead, _ = _set_reminder(msg) if REMIND_VERB.search(msg.low) else ({}, 0.0)
        if "days_before" in lead:  # "remind me 2 days before Disney renews", read by the model as an update
            args = {"name": _reminder_name(msg) or name, "remind_days_before": lead["days_before"]}
        if said := SUB_CATEGORY.search(msg.text):
            args["category"] = _user_cat((said.group(1) or said.group(2)).strip(), ctx)
        if re.search(r"\b(?:yearly|annual|monthly|weekly|quarterly)\b", msg.low):
            args["cadence"] = _cadence(msg.low)
        renewal = find_date(msg.low, ctx.today, future=True)
        if renewal and re.search(r"\b(?:renews?|renewal|charges?|bills?|due)\b", msg.low):
            args["next_renewal"] = renewal.date.isoformat()
        return args, 0.9 if len(args) > 1 else 0.3
    if intent == "set_exchange_rate":
        home = (None, "$", ctx.currency)
        cur = next((a.currency for a in msg.amounts if a.currency not in home), None)
        nums = [a for a in msg.amounts if a.currency in home and a.value != 1]
        value = nums[-1].value if nums else None
        if value is not None and re.match(r"\s*(?:cents?|c)\b", msg.low[nums[-1].end :]):
            value = value / 100  # "worth about seventy three cents": 0.73 of the user's currency
        one_home = any(a.currency in home and a.value == 1 for a in msg.amounts)
        foreign = [a for a in msg.amounts if a.currency not in home and a.value != 1]
        if value is None and one_home and len(foreign) == 1:
            value = 1 / foreign[0].value  # "1 USD = 83 INR": the contract's rate is home units per foreign unit
        if cur is None and (named := QUALIFIED_CURRENCY.search(msg.low)):
            cur = QUALIFIED_CODES[named.group(1)]
        if cur is None:
            for word, code in WORD_CURRENCY.items():
                if code not in home and re.search(rf"\b{word}\b", msg.low):
                    cur = code
                    break
        if not cur or value is None or value <= 0 or cur == ctx.currency:
            return {}, 0.3
        return {"currency": cur, "rate": _rate_text(value)}, 0.9
    if intent == "move_budget":
        found = lexicon.mentioned_categories(msg.low, ctx.categories)
        m = re.search(r"\b(?:from|out\s+of)\s+(?:my\s+|the\s+)?([\w&' ]+?)\s+(?:budget\s+)?(?:to|into|and)\b", msg.low)
        n = re.search(r"\b(?:to|into|in)\s+(?:my\s+|the\s+)?([\w&' ]+?)(?:\s+budget)?\W*$", msg.low)
        src = _user_cat(lexicon.to_user_category(m.group(1), ctx.categories) or m.group(1), ctx) if m else None
        dst = _user_cat(lexicon.to_user_category(n.group(1), ctx.categories) or n.group(1), ctx) if n else None
        if (not src or not dst) and len(found) >= 2:
            src, dst = found[0][1], found[1][1]
        if not (src and dst and amount) or src == dst:
            return {}, 0.3
        args = {"from_category": src, "to_category": dst, "amount": amount}
        _month_arg(msg, args)
        return args, 0.9
    if intent == "set_monthly_income":
        if not amount or msg.amount is None:
            return {}, 0.3
        value = msg.amount.value
        if re.search(r"\b(?:a|per|each|every|/)\s*(?:year|yr)\b|\byearly\b|\bannual(?:ly)?\b", msg.low):
            value = (value / 12).quantize(Decimal("0.01"))
        return {"amount": format_amount(value)}, 0.9
    if intent == "create_category":
        return _create_category(msg)
    return {}, 0.2


# "necessity 8", "importance: 3", "with a necessity score of 9" (the contract's 1-10 scale)
NECESSITY = re.compile(
    r"[,;]?\s*\b(?:(?:necessity|importance|priority)(?:\s+score)?(?:\s+of|\s*[:=]|\s+at|\s+is)?|"
    r"(?:it'?s\s+|it\s+is\s+)?(?:really\s+|very\s+|super\s+|pretty\s+|quite\s+)?(?:important|essential|necessary))"
    r"[\s,]*(?:(?:like|about|around|maybe|say|roughly)\s+)?(?:an?\s+)?(\d{1,2})\b(?:\s*(?:/|out\s+of)\s*10)?",
    re.IGNORECASE,
)
CATEGORY_KIND = re.compile(r"\b(income|earnings|expense|spending)\s+category\b|\bcategory\s+for\s+(income|earnings)\b")


def _create_category(msg: _Msg) -> tuple[dict[str, Any], float]:
    """A new category's name, and its kind and necessity when said ("an income category for Freelance")."""
    text = re.sub(r"[\s,;]+(?:with|at|and)?\s*$", "", NECESSITY.sub(" ", msg.text))
    m = (
        re.search(r"\bcategory\s+(?:called\s+|named\s+)?['\"“‘]([^'\"”’]{2,30})['\"”’]", text, re.I)
        or re.search(r"\bcategory\s*[:\-]\s*([\w&' -]{2,30}?)\W*$", text, re.IGNORECASE)
        or re.search(
            r"\b(?:called|named|for)\s+(?:my\s+|the\s+)?([\w&' -]{2,30}?)(?:\s*[,;.!]|\W*$)", text, re.IGNORECASE
        )
        or re.search(
            r"^(?:please\s+)?(?:create|add|make|new)\s+(?:a\s+)?(?:new\s+)?category\s+([\w&' -]{2,30}?)\W*$", text, re.I
        )
        or re.search(
            r"\b(?:add|create|make|start|new)\s+(?:a\s+|an\s+)?(?:new\s+)?([\w&' -]{2,30}?)\s+category\b",
            text,
            re.IGNORECASE,
        )
    )
    if not m:
        return {}, 0.3
    name = slots.tidy(m.group(1), max_words=3)
    if not name or name.lower() in {"a", "an", "new", "category", "income", "expense", "spending"}:
        return {}, 0.3
    args: dict[str, Any] = {"name": name[:1].upper() + name[1:]}
    if (kind := CATEGORY_KIND.search(msg.low)) and (kind.group(1) or kind.group(2)) in ("income", "earnings"):
        args["kind"] = "income"
    elif kind:  # "an expense category named Childcare": said outright, so sent outright
        args["kind"] = "expense"
    if (need := NECESSITY.search(msg.low)) and 1 <= int(need.group(1)) <= 10:
        args["necessity_score"] = int(need.group(1))
    return args, 0.9


KNOWN_ITEM_SURE = 0.8  # the policy's bar: a marked price for a known item runs without asking
KNOWN_ITEM_FLOOR = 0.4  # ... when the model gives the entry at least this much


def _known_item_bought(rule: str, msg: _Msg, args: dict[str, Any], pred: Prediction) -> bool:
    """A currency-marked price and an item or merchant the lexicon files under a real category.

    Why: the intent model has seen few sentences with "flat white" in them, the lexicon knows it is a
    drink out. When the rules read an entry, the money is marked (£, $, "dollars") and the model
    still gives the entry a fair chance (not a bank job), what was bought is not in doubt.
    """
    return (
        rule == "log_expense"
        and msg.amount is not None
        and msg.amount.marked
        and bool(msg.hits)
        and args.get("category") not in (None, "Other")
        and pred.p("log_expense") >= KNOWN_ITEM_FLOOR
        and pred.p(BANK) < 0.2
        and not QUESTION.search(msg.low)
    )


RATE_SHAPE_SURE = 0.85  # one foreign unit stated equal to an amount at home: a rate, however the rest is worded
RATE_VERB = re.compile(
    r"\s*(?:is|=|equals|is\s+worth|costs|buys|gets\s+you|goes\s+for)\s+(?:now\s+|currently\s+|about\s+)?$"
)


def _rate_stated(amounts: list[Amount], low: str, currency: str) -> bool:
    """ "1 euro is 1.08 dollars": one unit of a foreign currency, a verb of equality, then an amount at home."""
    if len(amounts) != 2:
        return False
    one, home = amounts
    foreign = one.currency not in (None, "$", currency)
    return (
        foreign
        and one.value == 1
        and home.currency in (None, "$", currency)
        and bool(RATE_VERB.fullmatch(low[one.end : home.start]))
    )


def _decide(rule: str, rule_conf: float, pred: Prediction, msg_has_amount: bool) -> tuple[str, float]:
    """The intent of a message from the rules' reading and the model's probabilities, and how sure.

    Why both: the model generalises (and knows what is outside the app), the rules hold the team's
    tested precise readings. They agree on most messages; where they differ, a read beats a write
    (a wrong read costs a sentence, a wrong write costs the ledger) and otherwise the model decides.
    """
    top, p = pred.intent, pred.confidence
    if rule == "need_amount" or (rule == "unknown" and rule_conf >= 0.4):
        return (top, p) if top == BANK and p >= MODEL_SURE else (rule, rule_conf)  # ask for the missing price
    if rule == top:
        return rule, max(p, min(rule_conf, pred.p(rule) + 0.3))
    rule_is_tool = rule in READS or rule in WRITES
    if top == NONE and rule == "unknown":
        return rule, rule_conf  # neither knows it: "didn't catch that", not "not my area"
    if top in (BANK, NONE) and p >= MODEL_SURE:
        if rule in READS and p < 0.8 and not (top == BANK and rule == "check_purchase"):
            return rule, pred.p(rule)
        return top, p
    if top in MODEL_ONLY and p >= MODEL_SURE:
        return top, p
    if rule_is_tool and (top in READS or top in WRITES):
        if top in READS and rule in WRITES and p >= 0.3:
            return top, p
        if top in WRITES and rule in WRITES and p >= MODEL_OVER_RULE and pred.p(rule) < 0.05:
            return top, p  # "change my last expense to 18.75": a correction, though the rules read an entry
        if p >= 0.6 and pred.p(rule) < 0.2 and rule in READS:
            return top, p
        return rule, pred.p(rule) + 0.3 * (1 - p)
    if rule_is_tool:
        return rule, pred.p(rule) + 0.3 * (1 - p)
    if (top in READS and p >= MODEL_SURE) or (top in WRITES and p >= MODEL_WRITE_SURE):
        return top, p
    return rule, rule_conf


def understand(text: str, ctx: NLUContext) -> Understanding:
    """The tool calls one user message asks for (zero or more), how sure we are, and a reply for chat."""
    text = (text or "").strip()
    if (bad := _bad_input(text)) is not None:
        return bad
    norm = _without_fillers(fix_typos(words_to_digits(text)))
    low = norm.lower()
    ref = TX_REF.search(low) if TX_EDIT.search(low) else None
    masked = date_spans(low) + ([ref.span()] if ref else [])
    amounts = find_amounts(low, masked)
    amount = pick_amount(amounts, low)
    if amount is not None and not is_money(low, amount):  # "a 20 sided die for 30": the price is the 30
        priced = [a for a in amounts if is_money(low, a)]
        amount = pick_amount(priced, low) if priced else amount
    hits = lexicon.keyword_hits(low)
    names_sub = any(_is_service(h) for h in hits)
    names_cat = bool(lexicon.mentioned_categories(low, ctx.categories))
    intent = classify(
        low,
        amount is not None,
        names_subscription=names_sub,
        names_category=names_cat,
        last_tool=ctx.last_tool,
        tx_ref=ref is not None,
    )
    pred = predict(low, [(a.start, a.end) for a in amounts])
    if intent.name == "refuse" and pred.p("move_budget") >= MODEL_OVER_RULE and BUDGET_SHIFT.search(low):
        # "transfer $40 of my entertainment budget into utilities" moves a budget, not money: read it as "move"
        intent = classify(
            BUDGET_SHIFT.sub("move", low),
            amount is not None,
            names_subscription=names_sub,
            names_category=names_cat,
            last_tool=ctx.last_tool,
            tx_ref=ref is not None,
        )
    if intent.name == "refuse":  # "transfer 500 to savings" is a bank's job, not an attack
        return _reply("bank", pred.confidence, "bank") if pred.intent == BANK else _say("refuse", None, 0.95)
    msg = _Msg(norm, low, ctx, amounts, amount, hits)
    if ctx.last_tool == "check_purchase" and amount is not None and FRAME_LEAD.match(low) and pred.intent != BANK:
        check, _ = _tool_args("check_purchase", msg)
        if isinstance(check.get("item"), str):  # "what about a board game" is a board game
            check["item"] = (
                re.sub(
                    r"^(?:(?:and|or|so|ok(?:ay)?)\s+)*(?:(?:what|how)\s+about\s+)?(?:an?\s+)?",
                    "",
                    check["item"],
                    flags=re.I,
                )
                or check["item"]
            )
        return Understanding((ToolCall("check_purchase", check, confidence=0.9),), 0.9, "check_purchase")
    if amount is None and (bought := bought_after_check(low, ctx.last_tool, ctx.last_args)) is not None:
        return Understanding((ToolCall("log_expense", bought, confidence=0.85),), 0.85, "log_expense")
    if amount is None and (cadence := cadence_again(low, ctx.last_tool, ctx.last_args)) is not None:
        return Understanding((ToolCall("update_subscription", cadence, confidence=0.85),), 0.85, "update_subscription")
    if (
        ctx.last_tool
        and amount is not None
        and is_money(low, amount)
        and not (pred.intent == BANK and pred.confidence >= MODEL_SURE)  # alone, "bump it to 350" is nothing
        and (back := refer_back(low, ctx.last_tool, ctx.last_args, format_amount(amount.value))) is not None
    ):
        if back[0] == "move_budget":  # the budget it came from, as this user's category
            src = str(back[1]["from_category"])
            back[1]["from_category"] = _user_cat(lexicon.to_user_category(src, ctx.categories) or src, ctx) or src
        return Understanding((ToolCall(back[0], back[1], confidence=0.85),), 0.85, back[0])
    unmarked = amount is not None and not any(a.marked for a in amounts)  # "and in the next 30?"
    if ctx.last_tool and (
        (intent.name in ("unknown", "out_of_scope") and amount is None)
        or (ctx.last_tool == "list_subscriptions" and unmarked)  # follow_up wants a new horizon, nothing else
    ):
        said = _question_category(msg)
        shop = lexicon.merchant_in(hits)
        if (again := follow_up(low, ctx.today, ctx.last_tool, ctx.last_args, said, shop)) is not None:
            return Understanding((ToolCall(ctx.last_tool, again, confidence=0.85),), 0.85, ctx.last_tool)
    if ref is not None:
        name, sure = intent.name, max(intent.confidence * 0.5, pred.p(intent.name))
    else:
        name, sure = _decide(intent.name, intent.confidence, pred, amount is not None)
        if name != "set_exchange_rate" and pred.intent != BANK and _rate_stated(amounts, low, ctx.currency):
            name, sure = "set_exchange_rate", max(sure, RATE_SHAPE_SURE)  # "1 euro is 1.08 dollars now"
    sure = round(min(sure, 1.0), 4)
    if name == BANK:
        return _reply("bank", sure, "bank")
    if name == NONE:
        if intent.name in SMALLTALK:
            name = intent.name
        else:
            return _reply("out_of_scope", sure, "out_of_scope")
    if name in ("greeting", "thanks", "help", "out_of_scope"):
        kind = name
        if name == "thanks" and re.search(r"^(?:bye|goodbye|see\s+y|later|good\s*night)|that'?s\s+all", low):
            kind = "goodbye"
        elif name == "thanks" and not re.search(r"thank|thx|\bty\b|cheers|appreciate", low):
            kind = "ack"
        return _say(name, kind, sure)
    if name == "need_amount":
        return _say("unknown", "ask_amount", intent.confidence)
    if name == "unknown":
        kind = "ask_price" if intent.confidence >= 0.4 else "unknown"
        return _say("unknown", kind, intent.confidence)
    if (other := not_yours(low, name)) is not None:  # someone else paid, a plan, not bought, a what-if
        return _reply(other.reply, sure, name)
    if ref:
        msg.tx_id, msg.tx_span = ref.group(1) or ref.group(2), ref.span()
    rate_said = name == "set_exchange_rate" and len({a.currency for a in amounts}) > 1  # "1 eur = 1.08 usd"
    if name in WRITES and BARE_NUMBER.fullmatch(low) and not rate_said:
        return _reply("bare_number", sure, name)  # "70,000" alone (a voice transcript of a tone): what was it?
    if name == "log_expense" and (several := _expenses(msg)):
        # a list said as entries ("log 39.99 for hosting and 120 for flyers", "bus 2.75, lunch 9, printing 3.20"):
        # a piece whose category is unknown is still an entry; it goes under Other without asking
        listed = bool(LIST_VERB.search(low)) or any(c >= 0.9 for _, c in several)
        calls = tuple(
            ToolCall(name, args, confidence=round(min(sure, max(c, LISTED_SURE) if listed else c), 4))
            for args, c in several
        )
        return Understanding(calls, min(c.confidence for c in calls), name)
    if name in MODEL_ONLY:
        args, confidence = _new_tool_args(name, msg)
    else:
        args, confidence = _tool_args(name, msg)
    if name == "set_reminder" and "days_before" in args and (sub := args.get("name") or _sub_before(ctx)):
        # the contract's tool for "remind me N days before X": that subscription, never the newest by default
        name, args = "update_subscription", {"name": sub, "remind_days_before": args["days_before"]}
    if confidence < 0.5:
        return _say("unknown", ASK.get(name, "unknown"), confidence)
    if name in WRITES and any(not args.get(k) for k in REQUIRED.get(name, ())):
        return _say("unknown", "ask_amount" if "amount" in REQUIRED.get(name, ()) else "unknown", 0.3)
    if name in WRITES and QUESTION.search(low) and not ASKED_WRITE.search(low) and not _is_polite_write(low):
        read = max(sorted(READS), key=pred.p)
        if pred.p(read) >= 0.2:
            args, confidence = _tool_args(read, msg)
            return Understanding((ToolCall(read, args, confidence=round(pred.p(read), 4)),), pred.p(read), read)
        return _reply("out_of_scope", sure, "out_of_scope")
    money = is_money(low, msg.amount) if AMOUNT_KEY.get(name) in args else True
    if name in WRITES and not money:
        return _reply("not_money", sure, name)
    if name in WRITES and sure < WRITE_FLOOR and pred.intent in (NONE, BANK):
        return _reply("unknown", sure, name)  # the model leans to "not ours": ask, write nothing
    if name == "log_expense" and _known_item_bought(intent.name, msg, args, pred):
        sure = max(sure, KNOWN_ITEM_SURE)  # "£4.20 for a flat white": money and a thing the lexicon knows
    sure = round(min(sure, confidence), 4)
    return Understanding((ToolCall(name, args, confidence=sure, amount_is_money=money),), sure, name)
