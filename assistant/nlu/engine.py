"""understand(text, ctx) -> the tool calls a message asks for, with arguments in the contract's form.

Why one entry point: the chat model wrapper, the hybrid router and the eval all need the same
decision, pure and fast (no database, no network, no model weights).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..models import DEFAULT_CATEGORIES, CategoryKind
from . import lexicon, slots
from .amounts import Amount, find_amounts, format_amount, pick_amount, resolve_currency, words_to_digits
from .dates import date_spans, find_date, find_period, goal_deadline, within_days
from .followup import follow_up
from .intents import CADENCE, TX_EDIT, TX_REF, classify
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
    return ({"name": name}, 0.9) if name else ({}, 0.3)


def _list_transactions(msg: _Msg) -> tuple[dict[str, Any], float]:
    args: dict[str, Any] = {}
    _period_args(msg, args, False)
    if cat := _question_category(msg):
        args["category"] = cat
    m = re.search(r"\b(?:last|latest|recent|top|first|past)\s+(\d+)\b(?!\s+(?:days?|weeks?|months?))", msg.low)
    m = m or re.search(r"\b(\d+)\s+(?:most\s+recent|latest|last|recent)\b", msg.low)
    if m:
        args["limit"] = int(m.group(1))
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


def _goal_progress(msg: _Msg) -> tuple[dict[str, Any], float]:
    near = re.search(r"\b(?:close|near|far)\b.{0,15}?\b(?:to|from)\s+([\w' -]+)", msg.text, re.I)
    first = slots.GOAL_FIRST.search(msg.text)
    name = (
        (slots.tidy(first.group(1), max_words=3) if first else None)
        or slots.goal_name(msg.text)
        or (slots.tidy(near.group(1), max_words=3) if near else None)
    )
    words = re.findall(r"[a-z0-9]+", (name or "").lower())
    if name and len(name.strip()) > 1 and not all(w in PROGRESS_WORDS for w in words):
        return {"name": name}, 0.9
    return {}, 0.9


NOT_A_SUB = {"that", "this", "it", "last", "latest", "next", "reminder", "renewal", "bill", "one", "subscription"}


def _reminder_name(msg: _Msg) -> str | None:
    """The subscription a reminder request names ("the Spotify reminder", "before the gym renews"), if any."""
    known = [h.display for h in msg.hits if _is_service(h) or h.phrase in lexicon.MERCHANT_DISPLAYS]
    if known:
        return known[0]
    for rx in (
        r"\b(?:the|my|for|about)\s+([\w+&' ]{2,30}?)\s+(?:one|reminder|bill|subscription|renewal|payment)\b",
        r"\bbefore\s+(?:the\s+|my\s+)?([\w+&' ]{2,30}?)\s+(?:renews|renewal|is\s+due|comes\s+up|charges|bills|"
        r"goes\s+out|payment)\b",
        r"\bbefore\s+(?:the\s+|my\s+)?([A-Z][\w+&']*(?:\s+[A-Z][\w+&']*)?)",
    ):
        if m := re.search(rx, msg.text, re.I if "A-Z" not in rx else 0):
            name = slots.tidy(m.group(1), max_words=3)
            if name and name.lower() not in NOT_A_SUB:
                return name
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
        if cat := _question_category(msg):
            args["category"] = cat
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
        return ({"within_days": days} if days is not None else {}), 0.9
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


def understand(text: str, ctx: NLUContext) -> Understanding:
    """The tool calls one user message asks for (zero or more), how sure we are, and a reply for chat."""
    text = (text or "").strip()
    if not text:
        return _say("unknown", confidence=0.1)
    norm = _without_fillers(fix_typos(words_to_digits(text)))
    low = norm.lower()
    ref = TX_REF.search(low) if TX_EDIT.search(low) else None
    masked = date_spans(low) + ([ref.span()] if ref else [])
    amounts = find_amounts(low, masked)
    amount = pick_amount(amounts, low)
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
    if intent.name in ("unknown", "out_of_scope") and ctx.last_tool and amount is None:
        said = _question_category(_Msg(norm, low, ctx, amounts, amount, hits))
        if (args := follow_up(low, ctx.today, ctx.last_tool, ctx.last_args, said)) is not None:
            return Understanding((ToolCall(ctx.last_tool, args, confidence=0.85),), 0.85, ctx.last_tool)
    if intent.name in ("greeting", "thanks", "help", "refuse", "out_of_scope"):
        kind = intent.name
        if intent.name == "thanks" and re.search(r"^(?:bye|goodbye|see\s+y|later|good\s*night)|that'?s\s+all", low):
            kind = "goodbye"
        elif intent.name == "thanks" and not re.search(r"thank|thx|\bty\b|cheers|appreciate", low):
            kind = "ack"
        return _say(intent.name, kind, intent.confidence)
    if intent.name == "need_amount":
        return _say("unknown", "ask_amount", intent.confidence)
    if intent.name == "unknown":
        kind = "ask_price" if intent.confidence >= 0.4 else "unknown"
        return _say("unknown", kind, intent.confidence)
    msg = _Msg(norm, low, ctx, amounts, amount, hits)
    if ref:
        msg.tx_id, msg.tx_span = ref.group(1) or ref.group(2), ref.span()
    args, confidence = _tool_args(intent.name, msg)
    if confidence < 0.5:
        return _say("unknown", ASK.get(intent.name, "unknown"), confidence)
    sure = min(intent.confidence, confidence)
    return Understanding((ToolCall(intent.name, args, confidence=sure),), sure, intent.name)
