"""Elliptical follow-ups: "and for groceries?", "what about last month?", "and the week before?".

Why: people ask a question, then vary one part of it. Such a message names no intent of its
own, so it only means something against the last question the assistant answered (its tool
and arguments, from the chat history): the new message's category, period or horizon replaces
that part, the rest is kept. Only questions are followed up this way, never writes: "same for
groceries" after setting a budget is asked again, not guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from .dates import all_dates, find_date, find_period, month_end, shift_month, within_days

# a message that leans on the one before: "and ...", "what about ...", "same for ..."
LEAD = re.compile(
    r"^(?:(?:ok(?:ay)?|so|and|also|now|then|but)\b[\s,]*)*(?:(?:what|how)\s+about\b|and\b|same\s+(?:for|with)\b|"
    r"now\s+(?:for|show|do)\b|(?:also\s+)?for\b|(?:also\s+)?in\b)"
)
FOLLOWABLE = {"budget_summary", "spending_summary", "list_transactions", "list_subscriptions", "get_insights"}
HAS_CATEGORY = {"budget_summary", "spending_summary", "list_transactions"}
HAS_MERCHANT = {"spending_summary", "list_transactions"}
#: "and in the next 30?" after "what's due in the next 7 days?": a horizon without its unit
BARE_HORIZON = re.compile(r"\b(?:next|coming|within)\s+(\d{1,3})\s*\??$")
HAS_RANGE = {"spending_summary", "list_transactions"}
HAS_MONTH = {"budget_summary", "get_insights"}
EARLIER = re.compile(
    r"\b(?:the\s+)?(?:week|month|one|period|time)\s+before\b|\bbefore\s+that\b|\bthe\s+previous\s+(?:one|week|month)\b|"
    r"\bthe\s+one\s+before\b|\bprior\s+(?:week|month|period)\b"
)
ALL_CATEGORIES = re.compile(r"\b(?:overall|in\s+total|altogether|all\s+categories|everything|total)\b")
MAX_WORDS = 9


def follow_up(
    low: str,
    today: dt.date,
    last_tool: str | None,
    last_args: Mapping[str, Any] | None,
    category: str | None,
    merchant: str | None = None,
) -> dict[str, Any] | None:
    """The last question's arguments with this message's changes, or None when it is not a follow-up.

    ``low`` is the normalised, lowercased message; ``category`` the category it names, if any;
    ``merchant`` the shop it names ("what about Dunkin?" after a question about Starbucks).
    """
    if last_tool not in FOLLOWABLE or not LEAD.match(low) or len(low.split()) > MAX_WORDS:
        return None
    args = {k: v for k, v in (last_args or {}).items() if v is not None}
    before = dict(args)
    if last_tool in HAS_MERCHANT and merchant and args.get("merchant"):
        args["merchant"] = merchant  # the shop changes; its category is the new shop's, if any
        if category:
            args["category"] = category
        else:
            args.pop("category", None)
    elif last_tool in HAS_CATEGORY:
        if category:
            args["category"] = category
        elif ALL_CATEGORIES.search(low):
            args.pop("category", None)
    if last_tool in HAS_RANGE:
        _new_range(low, today, args)
    elif last_tool in HAS_MONTH:
        _new_month(low, today, args)
    elif last_tool == "list_subscriptions" and (days := within_days(low, today)) is not None:
        args["within_days"] = days
    elif last_tool == "list_subscriptions" and (bare := BARE_HORIZON.search(low)):
        args["within_days"] = int(bare.group(1))  # "and in the next 30?": in the unit asked before, days
    return args if args != before else None


def _new_range(low: str, today: dt.date, args: dict[str, Any]) -> None:
    if period := find_period(low, today):
        args["start"], args["end"] = period.start.isoformat(), period.end.isoformat()
        return
    if not EARLIER.search(low):
        return
    start, end = _as_date(args.get("start")), _as_date(args.get("end"))
    if start is None or end is None:  # no range asked before: this month so far was the answer
        start, end = today.replace(day=1), today
    if start.day == 1 and (end == month_end(end.year, end.month) or end == today) and start.month == end.month:
        y, m = shift_month(start.year, start.month, -1)  # a calendar month: the one before it
        args["start"], args["end"] = dt.date(y, m, 1).isoformat(), month_end(y, m).isoformat()
        return
    span = end - start + dt.timedelta(days=1)
    args["start"], args["end"] = (start - span).isoformat(), (start - dt.timedelta(days=1)).isoformat()


def _new_month(low: str, today: dt.date, args: dict[str, Any]) -> None:
    period = find_period(low, today)
    if period is not None and period.month:
        args["month"] = period.month
    elif EARLIER.search(low) or re.search(r"\bbefore\b", low):
        current = str(args.get("month") or today.strftime("%Y-%m"))
        y, m = shift_month(int(current[:4]), int(current[5:7]), -1)
        args["month"] = f"{y:04d}-{m:02d}"


def _as_date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


# "bump it to 350" after a budget question; "put 200 towards it" after a goal: a write whose subject is the
# thing the last turn was about. Only these two shapes, with "it"/"that" said outright and an amount.
#: a remark after the request, in a sentence of its own or after a comma with a subject ("Life is short.",
#: ", I have the one with ads"): colour, not another request
_REMARK = (
    r"[.!]+\s+[^\d]*|[\s,;\u2014\u2013-]+(?:i|i'?m|we|we'?re|on|with|because|since|cause|cos|as|they|it'?s)\b[^\d]*"
)
BUDGET_AGAIN = re.compile(
    r"^(?:(?:ok(?:ay)?|so|then|and|right|great|actually|hmm|on\s+(?:second|2nd)\s+thoughts?|thinking\s+about\s+it)\b[\s,.!]*)*"
    r"(?:let'?s\s+|please\s+)?"
    r"(?:(?:bump|raise|up|increase|lower|drop|cut|reduce|change|set|make|move|put)\s+(?:it|that|this)\s+"
    r"(?:(?:up|down|back)\s+)?to|make\s+(?:it|that))\s+\S+(?:\s+(?:dollars|bucks))?(?:\s+(?:then|please|instead))?"
    r"(?:\W*|" + _REMARK + r")$"
)
GOAL_AGAIN = re.compile(
    r"^(?:(?:ok(?:ay)?|so|then|and|now|great)\b[\s,]*)*(?:please\s+)?(?:put|add|throw|move|stash|save|contribute|"
    r"chuck|send|drop)(?:\s+in)?\s+\S+(?:\s+(?:dollars|bucks))?\s+(?:towards?|to|into|in|on|at)\s+(?:it|that|this)"
    r"(?:\s+(?:goal|one))?(?:\s+(?:right\s+now|right\s+away|rn|now|today|then|please))?"
    # "put 80 towards it now, out of my paycheck": where the money came from, the user's own income or savings
    r"(?:[\s,]+(?:from|out\s+of)\s+(?:my|this\s+(?:week|month)'?s|the|today'?s)\s+(?:[\w'-]+\s+)?(?:pension|paycheck|"
    r"pay|salary|wages|check|cheque|bonus|tips|savings|refund|allowance|stipend|income|benefits|social\s+security|"
    r"money))?\W*$"
)
# "oops no, 3,100 since the raise", "actually it's 2,950" just after the monthly income was set: that income, said again
INCOME_AGAIN = re.compile(
    r"^(?:(?:oops|oh|ah|eh|wait|sorry|hmm|sry)\b[\s,!.]*)*(?:no|nope|actually|correction|i\s+meant|make\s+(?:it|that))\b"
    r"[\s,!.:-]*(?:(?:it'?s|it\s+is|it\s+was)\s+)?(?:\$\s?)?\d"
)
INCOME_TOOLS = {"set_monthly_income"}
# "take 50 from shopping and put it there" after a question about one budget: moved into that budget
BUDGET_INTO_IT = re.compile(
    r"^(?:(?:ok(?:ay)?|so|then|and|right|great)\b[\s,]*)*(?:let'?s\s+|please\s+|can\s+you\s+)?"
    r"(?:take|move|pull|grab|shift|transfer)\s+\S+(?:\s+(?:dollars|bucks))?\s+(?:from|out\s+of)\s+(?:my\s+|the\s+)?"
    r"(?P<src>[a-z][\w&' ]{1,25}?)(?:\s+budget)?\s+(?:and\s+)?(?:put|add|move|stick|throw)\s+(?:it\s+)?"
    r"(?:there|in\s+(?:it|there|that)|into\s+(?:it|that)|over\s+there|toward\s+it)\W*$"
)
# "actually it's 16.99" right after adding a subscription: a correction of that subscription's price
SUB_AGAIN = re.compile(
    r"^(?:(?:actually|no|nope|wait|sorry|oops|oh|hmm|ah)\b[\s,.!]*)+(?:it'?s|its|it\s+is|make\s+(?:it|that)|"
    r"(?:it|that)\s+should\s+be|should\s+be)\s+\S+(?:\s+(?:dollars|bucks|a\s+month|monthly|per\s+month))?"
    # "actually it's 13.99, I went with the 4k plan": which plan or tier was taken, said as the reason
    r"(?:[\s,.;:\u2014\u2013-]+(?:cuz\s+|because\s+|since\s+)?(?:i|we)(?:'?m|\s+am|'?re|\s+are)?\s+(?:got|get|have|picked|"
    r"chose|took|went\s+(?:with|for)|switched\s+to|upgraded\s+to|downgraded\s+to|on|signed\s+up\s+for)\s+(?:the\s+|a\s+)?"
    r"(?:[\w+'-]+\s+){0,3}?(?:one|plan|tier|version|option|package|subscription|membership))?"
    r"(?:\W*|" + _REMARK + r")$"
)
# "actually it's billed yearly not monthly" right after adding one: that subscription's cadence
CADENCE_AGAIN = re.compile(
    r"^(?:(?:actually|no|nope|wait|sorry|oops|oh|hmm|ah)\b[\s,.!]*)+(?:it'?s\s+|its\s+|it\s+is\s+|it\s+|that'?s\s+)?"
    r"(?:billed|charged|paid|renews|renewed|due)?\s*(yearly|annually|monthly|weekly|quarterly|every\s+(?:year|month|week))\b"
)
_CADENCE = r"yearly|annually|monthly|weekly|quarterly|every\s+(?:year|month|week|quarter|3\s+months|12\s+months)"
# "they bill me every three months, not monthly", "it renews yearly, not monthly": said against the cadence given
CADENCE_NOT = re.compile(
    r"\b(?:bill(?:s|ed)?|charge[sd]?|renews?|renewed|debits?|debited|takes?|taken|comes?\s+out|is|it'?s)\s+(?:me\s+|us\s+)?"
    rf"(?:it\s+)?({_CADENCE})\s*,?\s+(?:and\s+)?not\s+(?:{_CADENCE})\b"
)
CADENCE_WORDS = {
    "annually": "yearly", "every year": "yearly", "every 12 months": "yearly", "every month": "monthly",
    "every week": "weekly", "every quarter": "quarterly", "every 3 months": "quarterly",
}  # fmt: skip
SUB_TOOLS = {"add_subscription", "update_subscription"}
BUDGET_TOOLS = {"budget_summary", "set_budget"}
GOAL_TOOLS = {"set_goal", "goal_progress", "contribute_to_goal"}


def refer_back(
    low: str, last_tool: str | None, last_args: Mapping[str, Any] | None, amount: str
) -> tuple[str, dict[str, Any]] | None:
    """The write "it" points at, from the last turn: (tool, arguments), or None.

    Why so narrow: a write is never guessed from a follow-up; only a budget just asked about (its
    category known), a goal just named or a subscription just added can be "it", and only with an explicit
    verb and amount.
    """
    args = dict(last_args or {})
    if last_tool in BUDGET_TOOLS and args.get("category") and BUDGET_AGAIN.match(low):
        out: dict[str, Any] = {"category": args["category"], "amount": amount}
        if args.get("month"):
            out["month"] = args["month"]
        return "set_budget", out
    if last_tool in BUDGET_TOOLS and args.get("category") and (into := BUDGET_INTO_IT.match(low)):
        return "move_budget", {
            "from_category": into.group("src").strip(),
            "to_category": args["category"],
            "amount": amount,
        }
    if last_tool in GOAL_TOOLS and args.get("name") and GOAL_AGAIN.match(low):
        return "contribute_to_goal", {"name": args["name"], "amount": amount}
    if last_tool in SUB_TOOLS and args.get("name") and SUB_AGAIN.match(low):
        return "update_subscription", {"name": args["name"], "amount": amount}
    if last_tool in INCOME_TOOLS and INCOME_AGAIN.match(low):
        return "set_monthly_income", {"amount": amount}
    return None


#: "ok I bought them", "good, then yes I'm buying it": the purchase just checked, now made (said outright)
BOUGHT_IT = re.compile(
    r"^(?:(?:ok(?:ay)?|alright|good|great|fine|yes|yeah|yep|so|then|well|cool|done|welp)\b[\s,!.]*)*"
    r"(?:(?:i\s+)?(?:just\s+|went\s+ahead\s+and\s+|finally\s+|already\s+)?(?:bought|ordered|purchased)|"
    r"i\s+(?:just\s+|finally\s+|already\s+)?got|(?:i'?m|i\s+am)\s+(?:buying|getting|ordering|taking))"
    r"\s+(?:it|them|that|those|this|these|one)\b"
)
CHECK_TOOLS = {"check_purchase"}


def bought_after_check(low: str, last_tool: str | None, last_args: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The expense a purchase check turns into when the next message says it was bought, or None.

    Why: "should I buy a 90 dollar pair of headphones?" then "ok I bought them" names no amount of its
    own; the price is the one just checked. Only right after a check, and only with a verb of buying
    in the past or the present ("I'm buying it"), never a plan ("gonna buy it") or a "no".
    """
    args = dict(last_args or {})
    if last_tool not in CHECK_TOOLS or not args.get("amount") or not BOUGHT_IT.match(low):
        return None
    out: dict[str, Any] = {"amount": args["amount"]}
    for key, to in (("item", "description"), ("category", "category"), ("currency", "currency")):
        if args.get(key):
            out[to] = args[key]
    return out


def cadence_again(low: str, last_tool: str | None, last_args: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """ "actually it's billed yearly not monthly" right after a subscription was added: its new cadence, or None."""
    args = dict(last_args or {})
    if last_tool not in SUB_TOOLS or not args.get("name"):
        return None
    if not (m := CADENCE_AGAIN.match(low) or CADENCE_NOT.search(low)):
        return None
    said = " ".join(m.group(1).split())
    return {"name": args["name"], "cadence": CADENCE_WORDS.get(said, said)}


_SUB_LEAD = r"^(?:(?:actually|no|nope|wait|sorry|oops|oh|hmm|ah|ugh|and|also|ok(?:ay)?|so|please|pls)\b[\s,.!]*)*"
#: "and file it under Streaming", "put that in Entertainment please": the subscription just added, filed elsewhere
SUB_UNDER = re.compile(
    _SUB_LEAD + r"(?:put|file|move|stick|list)\s+(?:it|that|this|that\s+one|this\s+one)\s+(?:under|in|into)\s+"
    r"(?:the\s+|my\s+)?([a-z][\w&'-]*(?:\s+(?:&\s+)?[a-z][\w&'-]*){0,2}?)(?:\s+categor(?:y|ies))?(?:\s+please)?\W*$"
)
#: "actually make the reminder 3 days", "change the heads up to a week before": the lead time of the one just added
REMINDER_AGAIN = re.compile(
    _SUB_LEAD + r"(?:make|change|set|move|switch)\s+(?:the|that|my|its)\s+(?:reminder|heads[\s-]?up|alert|warning|"
    r"notification|ping)\s+(?:to\s+|for\s+)?(\d{1,2}|an?|one)\s*(days?|weeks?)"
    r"(?:\s+(?:before|ahead|early|prior|in\s+advance|out|instead))*\W*$"
)
#: "no wait, I'm on the yearly plan, 99 a year": the plan of the subscription just added said again
PLAN_AGAIN = re.compile(
    r"^(?:(?:actually|no|nope|wait|sorry|oops|oh|hmm|ah|ugh)\b[\s,.!]*)+(?:i'?m|i\s+am|we'?re|we\s+are|it'?s|it\s+is)"
    r"\s+(?:actually\s+)?on\s+(?:the|a|an)\s+(annual|yearly|monthly|weekly|quarterly)\s+(?:plan|tier|option|billing)\b"
)
PLAN_WORDS = {"annual": "yearly"}
#: "make it yearly, 139.99 per year", "switch that to monthly": the cadence of the one just added changed (and its sum)
MADE_CADENCE = re.compile(
    _SUB_LEAD + r"(?:make|change|switch|set|turn)\s+(?:it|that|this)\s+(?:to\s+|into\s+)?(?:an?\s+|the\s+)?"
    r"(annual|yearly|monthly|weekly|quarterly)(?:\s+(?:instead|plan|billing|subscription))*\b"
    r"(?![\w\s]*\b(?:budget|goal|expense|entry|transaction|income)\b)"
)


#: "the debit goes off on the 17th not the 7th", "it renews on the 3rd, not the 30th": the renewal day said against
#: the one given
RENEWAL_NOT = re.compile(
    r"\b(?:on|is|it'?s)\s+(the\s+\d{1,2}(?:st|nd|rd|th))\s*,?\s+(?:and\s+)?not\s+(?:on\s+)?the\s+\d{1,2}(?:st|nd|rd|th)\b"
)


def sub_again(
    low: str,
    last_tool: str | None,
    last_args: Mapping[str, Any] | None,
    amount: str | None,
    today: dt.date | None = None,
) -> dict[str, Any] | None:
    """What is changed on the subscription just added or changed, said as a follow-up with no name: its category
    (``category`` as said, for the engine to match with the user's), its reminder's lead time, or its plan
    ("I'm on the annual plan, 99 a year": the cadence and, when said, the sum). None otherwise."""
    args = dict(last_args or {})
    if last_tool not in SUB_TOOLS or not args.get("name"):
        return None
    if today is not None and (day := RENEWAL_NOT.search(low)) and (hit := find_date(day.group(1), today, future=True)):
        return {"name": args["name"], "next_renewal": hit.date.isoformat()}
    if amount is None and (under := SUB_UNDER.match(low)):
        return {"name": args["name"], "category": under.group(1)}
    if lead := REMINDER_AGAIN.match(low):
        count = 1 if lead.group(1) in ("a", "an", "one") else int(lead.group(1))
        return {"name": args["name"], "remind_days_before": count * (7 if lead.group(2).startswith("week") else 1)}
    if plan := PLAN_AGAIN.match(low) or MADE_CADENCE.match(low):
        out: dict[str, Any] = {"name": args["name"], "cadence": PLAN_WORDS.get(plan.group(1), plan.group(1))}
        if amount is not None:
            out["amount"] = amount
        return out
    return None


#: "it was on tuesday btw", "yesterday", "oh, that was last friday": right after an entry, only its day said
_DAY_LEAD = re.compile(
    r"^(?:(?:oh|sorry|actually|wait|oops|no|and|also|btw|ah|hmm|ok(?:ay)?|forgot\s+to\s+say)\b[\s,.!]*)*"
    r"(?:(?:it|that|this)\s+(?:was|happened)\s+|i\s+(?:bought|paid\s+for|got|paid)\s+(?:it|that)\s+)?(?:on\s+)?"
)
_DAY_TAIL = re.compile(r"(?:[\s,.!]*\b(?:btw|by\s+the\s+way|actually|not\s+today|sorry|lol|oops))*\W*$")
ENTRY_WRITES = {"log_expense", "log_income"}


def day_again(low: str, last_tool: str | None, today: dt.date) -> dict[str, Any] | None:
    """The entry just logged, moved to the day the next message says and nothing else, or None."""
    if last_tool not in ENTRY_WRITES:
        return None
    lead = _DAY_LEAD.match(low)
    tail = _DAY_TAIL.search(low)
    start, end = (lead.end() if lead else 0), (tail.start() if tail else len(low))
    hits = all_dates(low, today)
    # nothing between the lead and the day said ("it was on tuesday": the day's own span may hold the "on")
    gap = low[start : hits[0].start] if hits and hits[0].start >= start else low[hits[0].start : start] if hits else ""
    if len(hits) != 1 or hits[0].end != end or not re.fullmatch(r"(?:\s*on)?\s*", gap):
        return None
    return {"transaction_id": "last", "date": hits[0].date.isoformat()}
