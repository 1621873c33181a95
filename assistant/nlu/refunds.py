"""Refunds said in chat: money back for a purchase is a ``log_refund``, never spending or income.

Why a separate step: the intent model knows spending and income; a refund statement ("Amazon
refunded me 35.99 for the headphones") reads like either, and logging it as an expense adds to the
very category it should lower (issue 13: a refund lowers its category's spending). This step runs
after the engine and turns such a write into ``log_refund`` with the same amount, date and
currency, the merchant and category from the lexicon. Requests and questions about refunds ("can you
get me a refund", "why wasn't I refunded") are not statements of money back and are left alone.
"""

from __future__ import annotations

import dataclasses
import re

from . import lexicon
from .understanding import NLUContext, ToolCall, Understanding

REFUND = re.compile(r"\b(?:refund(?:ed|s)?|money back)\b", re.IGNORECASE)
#: A tax refund is income (money owed to the user), not money back for a purchase. So is an insurer's refund
#: check or claim payout (round 55): money paid out under a policy, with no purchase of the user's it takes back
#: and no category it could lower with any certainty (the lexicon would guess Housing for "insurance").
NOT_A_PURCHASE = re.compile(
    r"\b(?:tax(?:es)?|irs|hmrc|cra|ato|deposit|bond|insurance\s+(?:company|co|carrier|provider|claim)|insurer|"
    r"insurance\s+(?:refund|rebate|payout)|refund\s+(?:check|cheque)\s+from\s+(?:the\s+|my\s+)?insurance)\b",
    re.IGNORECASE,
)
REQUEST = re.compile(
    r"\?|\b(?:can|could|would|will) you\b|\bplease\b|\brequest|\bdispute|\bget me\b|\bask(?:ing)? for\b|"
    r"\b(?:want|need|waiting for|still no|didn'?t|did not|haven'?t|has not|hasn'?t|never)\b|\bhow (?:do|can)\b|"
    r"\b(?:why|when|where)\b",
    re.IGNORECASE,
)
LOGGING = re.compile(r"\b(?:log|record|add|note|enter|put (?:in|down))\b", re.IGNORECASE)
WRITES = frozenset({"log_expense", "log_income"})
ASK_FOR_IT = (
    "I can't ask a shop or a bank for a refund; I keep your budget. When the money comes back, tell me "
    "(\"got a 20 refund from Amazon\") and I'll take it off that category's spending."
)


def as_refunds(text: str, understood: Understanding, ctx: NLUContext) -> Understanding:
    """``understood`` with each expense or income write of a refund statement made a ``log_refund``."""
    if not REFUND.search(text) or NOT_A_PURCHASE.search(text) or not any(c.name in WRITES for c in understood.calls):
        return understood
    if REQUEST.search(text) and not LOGGING.search(text):
        # Asking for a refund, or about one that has not come: nothing came back, nothing to write.
        kept = tuple(c for c in understood.calls if c.name not in WRITES)
        return dataclasses.replace(understood, calls=kept, intent="bank", reply=None if kept else ASK_FOR_IT)
    hits = lexicon.keyword_hits(text.lower())
    calls: list[ToolCall] = []
    for call in understood.calls:
        if call.name not in WRITES or call.args.get("amount") is None:
            calls.append(call)
            continue
        merchant = call.args.get("merchant") or lexicon.merchant_in(hits)
        category = call.args.get("category") if call.name == "log_expense" else None
        if category is None:
            canonical = lexicon.best_category(hits)
            category = lexicon.to_user_category(canonical, ctx.categories) if canonical else None
        if call.name == "log_expense" and call.args.get("description"):
            description = str(call.args["description"])
        else:
            description = f"refund from {merchant}" if merchant else "refund"
        args = {"amount": call.args["amount"], "description": description}
        for key, value in (("category", category), ("merchant", merchant)):
            if value:
                args[key] = value
        for key in ("date", "currency"):
            if call.args.get(key):
                args[key] = call.args[key]
        calls.append(dataclasses.replace(call, name="log_refund", args=args))
    return dataclasses.replace(understood, calls=tuple(calls), intent="log_refund")
