"""Arguments, in the contract's form, for the tools the engine has always routed to.

Why here and not in the model: the model names the intent; the recognisers (amounts, dates,
merchants, categories, names) fill its slots, so what the user said is what the call carries.
"""

import datetime as dt
import re
from typing import Any

from . import lexicon, slots
from .amounts import format_amount, in_entry_grouping
from .arg_common import (
    PURCHASE_VAGUE,
    VAGUE,
    _cancel,
    _category_or_merchant,
    _is_service,
    _lexicon_category,
    _log_expense,
    _log_income,
    _memory_category,
    _money,
    _month_arg,
    _named_category,
    _period_args,
    _question_category,
    _subscription,
)
from .dates import DateHit, all_dates, find_date, find_period, goal_deadline, within_days
from .understanding import Msg, NLUContext

BILL_NAME = re.compile(r"\b(?:my|the|our)\s+([a-z][\w&+' -]{1,25}?)\s+(?:bill|payment|subscription|renewal)s?\b")
NOT_A_BILL = {"next", "monthly", "last", "first", "upcoming", "recurring", "credit card", "card", "utility", "total"}


# "what was my last transaction", "last thing I logged", "when did I last buy coffee", "what did I spend on
# most recently": the one latest entry, not a page ("my last transactions" and "last 5" are a page)
LAST_ONE = re.compile(
    r"\b(?:last|latest|most\s+recent|newest|previous)\s+(?:transaction|purchase|expense|charge|payment|entry|item|"
    r"record|thing)\b(?!s)|\bwhat\s+did\s+i\s+(?:last|most\s+recently)\s+(?:buy|log|spend|pay)\b|"
    r"\bmost\s+recently\b|\bwhen\s+(?:did\s+i\s+last|was\s+the\s+last\s+time\s+i)\b"
)


def _list_transactions(msg: Msg) -> tuple[dict[str, Any], float]:
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


ENTRY_TOOLS = frozenset({"log_expense", "log_income"})


# "not this morning, it was the day before yesterday": the day said against is not the one meant
_DAY_DENIED = re.compile(r"\b(?:not|n't|instead\s+of|rather\s+than)\s+(?:on\s+|from\s+)?$")


def _date_meant(low: str, today: dt.date) -> DateHit | None:
    """The day a correction means: the first said that is not said against, else the first found."""
    hits = all_dates(low, today)
    meant = [h for h in hits if not _DAY_DENIED.search(low[max(0, h.start - 16) : h.start])]
    if meant and len(meant) < len(hits):
        return meant[0]
    return find_date(low, today)


def _update(msg: Msg) -> tuple[dict[str, Any], float]:
    args: dict[str, Any] = {"transaction_id": msg.tx_id or "last"}
    if msg.amount is not None:
        entry = msg.ctx.last_args if msg.ctx.last_tool in ENTRY_TOOLS else None  # the entry corrected
        args["amount"] = format_amount(in_entry_grouping(msg.amount, entry))
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
    if dated and (hit := _date_meant(low, msg.ctx.today)):
        args["date"] = hit.date.isoformat()
    if m := re.search(
        r"\b(?:call\s+it|rename\s+(?:it|that|this|(?:the|my)\s+(?:last|latest|previous|newest)\s+(?:one|entry|transaction|"
        r"expense|purchase)|(?:that|this)\s+(?:one|entry|expense))\s+(?:to|as)|description\s+(?:(?:on|of|for)\s+(?:that|it|this|"
        r"(?:the|my)\s+(?:last|latest|previous|newest)\s+(?:one|entry|transaction|expense|purchase)|(?:that|this)\s+(?:one|entry))\s+)?"
        r"(?:to|should\s+be))\s+(.+)$",
        msg.text,
        re.I,
    ):
        args["description"] = slots.tidy(m.group(1).strip(" '\"“”‘’"))
        if "categor" not in low[: m.start()]:  # "change the description to 'birthday dinner'": only the words
            args.pop("category", None)
    return args, 0.9 if len(args) > 1 else 0.3


# a goal's name said as a label, before its sum (round 45): "a goal called New Roof for 9,500", "goal please:
# 'Japan trip', 1,500,000 by spring", "I want a goal: laptop for studies, 4000" (the thing, not what it is for),
# "Christmas gifts goal, 600 by the 20th"
_Q = "[\"'\u2018\u2019\u201c\u201d]"
# a name: words of letters (no sums), not a saving verb ("new goal, save 2000 for a car" names the car)
_LABEL = r"(?!(?:save|saving|put|get|buy|pay|add|set)\b)[A-Za-z][A-Za-z' &-]{0,30}?"
GOAL_LABELS = (
    re.compile(
        rf"\bgoal\s+(?:called|named)\s+{_Q}?({_LABEL}){_Q}?\s*(?:,|\bfor\b|\bof\b|\bat\b|\d|[$\u00a3\u20ac]|$)", re.I
    ),
    re.compile(
        rf"\bgoal\s*(?:please|pls)?\s*[:,-]\s*{_Q}?({_LABEL}){_Q}?(?:\s+for\s+[\w' ]+?)?\s*,",
        re.I,
    ),
    re.compile(rf"^\W*({_LABEL})\s+goal\s*[,:-]\s*[$\u00a3\u20ac]?\d", re.I),
)
_NOT_A_LABEL = {"a", "an", "the", "my", "our", "new", "savings", "saving", "i", "please", "set", "me"}


def _goal_label(text: str) -> str | None:
    for i, rx in enumerate(GOAL_LABELS):
        lead = {"a", "an", "the", "my", "our"} | ({"new"} if i else set())  # "called New Roof" is its name as said
        m = rx.search(text)
        name = slots.tidy(m.group(1), lead=lead, max_words=4) if m else ""
        if name and name.lower() not in _NOT_A_LABEL:
            return name
    return None


def _goal(msg: Msg) -> tuple[dict[str, Any], float]:
    spans = [(a.start, a.end) for a in msg.amounts]
    name = _goal_label(msg.text) or slots.goal_name(slots.cut(msg.text, spans))
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
    r"(?:\b(?:progress|status|update)\s+(?:on|of|for|with|towards?)|\bwhere\s+(?:am\s+i|are\s+we)(?:\s+at)?\s+(?:with|on))"
    r"\s+(?:my\s+|the\s+|our\s+)?([\w' -]+?)"
    r"(?:\s+(?:goal|fund|savings))?\W*$",
    re.IGNORECASE,
)


# "how much have we saved toward the Phoenix trip so far?": the goal is what was saved toward
SAVED_TOWARD = re.compile(
    r"\b(?:saved|put\s+(?:away|aside|in)|set\s+aside|got)\s+(?:up\s+)?(?:for|toward|towards|to|into|in)\s+"
    r"(?:my\s+|the\s+|our\s+)?([\w' -]+?)(?:\s+(?:goal|fund|savings))?"
    r"(?:\s+(?:so\s+far|yet|now|until\s+now|to\s+date|at\s+this\s+point|already))?\W*$",
    re.IGNORECASE,
)


def _goal_progress(msg: Msg) -> tuple[dict[str, Any], float]:
    near = re.search(
        # "how close am I to paying off the car loan": the goal is the thing, not the doing of it
        r"\b(?:close|near|far)\b.{0,15}?\b(?:to|from)\s+(?:(?:paying|clearing|finishing|reaching|hitting|getting|"
        r"killing|wiping)\s+(?:off\s+|down\s+|out\s+|to\s+)?)?(?:the\s+|my\s+|our\s+)?([\w' -]+)",
        msg.text,
        re.I,
    )
    first = slots.GOAL_FIRST.search(msg.text)
    on = PROGRESS_ON.search(msg.text)
    saved = SAVED_TOWARD.search(msg.text)
    candidates = (
        slots.tidy(saved.group(1), max_words=3) if saved else None,
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


def _reminder_name(msg: Msg) -> str | None:
    """The subscription a reminder request names ("the Spotify reminder", "before the gym renews"), if any."""
    known = [h.display for h in msg.hits if _is_service(h) or h.phrase in lexicon.MERCHANT_DISPLAYS]
    if known:
        return known[0]
    for rx in (
        # "ping me about the water bill 3 days before it's due": what to be reminded about, then the lead time
        r"\b(?:remind|ping|warn|nudge|alert|notify|tell)\s+(?:me|us)\s+(?:about|of|for)\s+(?:the\s+|my\s+|our\s+)?"
        r"([\w+&']+(?:\s+[\w+&']+)?)\s+(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|a\s+few)\s*"
        r"(?:days?|weeks?)\s+(?:before|ahead|early|in\s+advance|prior)\b",
        # "for rent I want a heads-up ...": the subscription said first, then the wish
        r"^(?:and\s+)?(?:for|with)\s+(?:the\s+|my\s+)?([\w+&']+(?:\s+[\w+&']+)?)\s*,?\s+(?:i|i'd|i'll|please|can|could|"
        r"give|send|remind|set|make)\b",
        # "remind me about the gym just 2 days before", "ping me for the Hulu one, only a day ahead": the
        # subscription the reminder is for, said before the lead time
        r"\b(?:remind|ping|warn|nudge|alert|notify)\s+me\s+(?:for|about|of|on|at)\s+(?:the\s+|my\s+)?"
        r"([\w+&']+(?:\s+(?!please\b|only\b|just\b|one\b|a\b|an\b|\d)[\w+&']+)?)\s*,?\s+(?:please\s+)?"
        r"(?:only\s+|just\s+)?(?:\d+|a|an|one|two|three)\s+(?:days?|weeks?)\s+(?:before|ahead|early|in\s+advance)\b",
        # "a week's notice for the gym is overkill": the notice's subscription
        r"\b(?:notice|heads[\s-]?up|reminder|warning)\s+(?:for|on|about|before)\s+(?:the\s+|my\s+)?"
        r"([\w+&']+(?:\s+(?!is\b|was\b|are\b|seems\b|feels\b)[\w+&']+)?)",
        r"\b(?:the|my|for|about)\s+([\w+&' ]{2,30}?)\s+(?:one|reminder|bill|subscription|renewal|payment)\b",
        # "before the gym fee comes out", and the verb's plain form ("before di rent come out")
        r"\bbefore\s+(?:the\s+|my\s+)?([\w+&' ]{2,30}?)\s+(?:(?:fee|charge|payment)\s+(?=\w))?"
        r"(?:renews?|renewal|is\s+due|comes?\s+up|charges?|bills?|"
        r"goes?\s+out|payment|takes|hits|leaves|comes?\s+out|auto-?renews?|draws|debits|is\s+taken|gets\s+(?:paid|charged))\b",
        # "gym renews on the 10th, warn me a day before": the subscription said first, with its renewal
        r"^(?:and\s+|so\s+|also\s+|oh\s+)?(?:the\s+|my\s+)?([\w+&']+(?:\s+[\w+&']+)?)\s+(?:renews|auto-?renews|is\s+due|"
        r"comes\s+out|gets\s+charged|bills\s+me)\b",
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


# "a week's notice is overkill, make it 2 days": the lead said after the change, not the one complained about
_NEW_LEAD = re.compile(
    r"\b(?:make\s+(?:it|that)|change\s+(?:it|that)\s+to|instead|rather)\s+(\d+|an?|one|the)\s*(day|week|fortnight)s?\b"
)


# "2 days before", and "a full week before", "a whole day ahead"
_LEAD = re.compile(r"\b(\d+|an?|one|the)\s*(?:(?:full|whole|entire|good)\s+)?(day|week|fortnight)s?\b")


def _set_reminder(msg: Msg) -> tuple[dict[str, Any], float]:
    if re.search(r"\bon\s+the\s+(?:same\s+)?day\b", msg.low):
        days = 0
    elif m := _NEW_LEAD.search(msg.low) or _LEAD.search(msg.low):
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


def _reminder_args(intent: str, msg: Msg) -> tuple[dict[str, Any], float]:
    if intent == "set_reminder":
        return _set_reminder(msg)
    args: dict[str, Any] = {}
    if intent == "snooze_reminder":
        args["until"] = _snooze_until(msg.low, msg.ctx.today).isoformat()
    if name := _reminder_name(msg):
        args["name"] = name
    return args, 0.9


def _tool_args(intent: str, msg: Msg) -> tuple[dict[str, Any], float]:
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
