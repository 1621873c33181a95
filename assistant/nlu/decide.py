"""The engine's rules after the model: which intent a message's probabilities stand for, the shapes that
settle a reading (conversions, rates, self-corrections, a request's own clause), and the write calls read again.

Why apart from engine.py: understand() is the order these are applied in; the rules themselves are one job.
"""

from __future__ import annotations

import itertools
import re

from . import lexicon
from .amounts import (
    WORD_CURRENCY,
    Amount,
    find_amounts,
    pick_amount,
)
from .arg_common import _is_service
from .arguments import _reminder_name, _tool_args
from .dates import date_spans
from .model import BANK, NONE, Prediction, knows_a_word
from .shapes import (
    KNOWN_ITEM_SURE,
    MODEL_SURE,
    NONE_SURE,
    QUESTION,
    READ_FLOOR,
    WRITE_FLOOR,
    _known_item_bought,
)
from .understanding import (
    READS,
    WRITES,
    Msg,
    NLUContext,
)

# "100 usd to inr", "50 gbp in eur": a conversion, said with codes and nothing else
CONVERSION_ONLY = re.compile(r"\W*\d[\d,.]*\s*([a-z]{3})\s+(?:to|in|into)\s+([a-z]{3})\W*")
# "set MXN to 0.055", "set the GBP rate at 1.27": a foreign code set to a number
# "one euro is about 1.10 dollars ..., can you use that", "a pound is 1.27 dollars, I'll need that": one unit of
# a foreign currency said equal to a sum, and a request to use, save or keep it, is a rate to set (said alone,
# the statement is left to the model and the policy: it may be talk about prices)
_FOREIGN_WORDS = "|".join(
    re.escape(w) for w, code in sorted(WORD_CURRENCY.items(), key=lambda i: -len(i[0])) if code != "$" and len(w) > 2
)
RATE_TALK = re.compile(
    rf"\b(?:one|an?|1)\s+(?:{_FOREIGN_WORDS})(?:'s|\s+(?:is|=|equals|is\s+worth|goes\s+for|gets\s+you|buys))\s+"
    r"(?:(?:now|currently|about|around|roughly|like|approx(?:imately)?|just\s+(?:over|under))\s+)*\$?\d"
)
USE_RATE = re.compile(
    r"\b(?:use|save|keep|store|remember|need|go\s+with|stick\s+with|apply|put\s+in)\s+(?:that|it|this)\b"
)
RATE_TALK_SURE = 0.9
# a self-correction of the sum said ("actually it's $525", "no wait, make it 40")
RESAID = re.compile(
    r"\b(?:actually|no\s+wait|wait\s+no|i\s+mean|sorry)\b[,\s]*(?:it'?s|it\s+is|it\s+was|make\s+(?:it|that)|that'?s)\b"
)
# "boba at the mall 6.75 lol i have a problem", "burger 11.89 dont judge me": a remark right after the sum, said
# about the spending, not asking anything (the model reads such remarks as chat; the entry before it is the request)
REMARK_TAIL = re.compile(
    r"\s*[,.!]?\s+(?:lol|lmao|lmfao|rofl|haha\w*|hehe\w*|ugh+|smh|oops|yikes|oof|welp|sigh|"
    r"(?:please\s+|pls\s+)?don'?t\s+judge(?:\s+me)?|no\s+judg(?:e)?ment|i\s+have\s+a\s+problem|send\s+help|"
    r"rip\s+(?:my\s+)?(?:wallet|bank\s+account)|worth\s+it|no\s+regrets|treat\s+yo(?:ur)?self)\b"
)
REMARK_OVER = 0.8  # the whole message's reading below the policy's bar lets the words before such a remark speak
# ... unless the remark takes the spending back ("80 lol jk", "lol i returned it")
REMARK_UNDOES = re.compile(
    r"\b(?:jk|j/k|just\s+kidding|kidding|not\s+really|didn'?t|did\s+not|returned|refund\w*|cancel\w*|would|if)\b|\?"
)
# "haircut 35 + tip, call it 42", "dinner 80 plus tax, so 86.40 all in": a sum and what was added to it, then the
# total the user settles on: one entry of that total, never a row per number
TOTAL_SAID = re.compile(
    r"(?:\b(?:call\s+it|(?:so\s+)?(?:that'?s|that\s+is)|makes?\s+it|(?:came|comes)\s+to|(?:a\s+)?total\s+of|total(?:\s+was)?|"
    r"in\s+total|altogether|all\s+in|so)|=)\s*$"
)
TOTAL_WORDS = re.compile(r"\b(?:total|in\s+total|all\s+in|altogether)\b")  # what may follow the total said
# "R2 000 for the party, the kids want R1 850 on food. enough left for decor?": sums that end in a question
# are a sum worked out, not a list of entries (the question's own checks decide what it is)
ENDS_ASKING = re.compile(r"\?\W*$")
RATE_SET = re.compile(r"(?:please\s+)?set\s+(?:the\s+)?([a-z]{3})\s+(?:rate\s+)?(?:to|at|=)\s+\d*\.?\d+\W*")
# the contract's writes whose amounts carry no currency (assistant/agent/other_currency.py settles one said)
UNPRICED = frozenset(
    {"set_budget", "move_budget", "set_goal", "contribute_to_goal", "set_monthly_income", "check_purchase"}
)


def _decide(pred: Prediction, msg: Msg) -> tuple[str, float]:
    """The intent of a message from the model's probabilities, and how sure.

    Why the model alone: it generalises from the team's phrasings (and knows what is outside the
    app); the gates after it (slots, money, questions) and the write-safety policy keep a wrong
    guess from writing. A read is cheap when wrong (a sentence), so a read stands lower than a write.
    """
    top, p = pred.intent, pred.confidence
    if top == NONE and not knows_a_word(msg.low):
        return "unknown", min(p, 0.2)  # "blorp": nothing the model has seen, not something outside the app
    if top == NONE and MODEL_SURE <= p < NONE_SURE:
        return "unknown", p  # "A goop net.": not clearly about something else either: "didn't catch that"
    if top in (BANK, NONE) and p >= MODEL_SURE:
        return top, p
    if top not in WRITES and _known_item_bought(msg, pred):
        return "log_expense", KNOWN_ITEM_SURE
    if top in (BANK, NONE):
        read = max(sorted(READS), key=pred.p)
        if pred.p(read) >= READ_FLOOR:
            return read, pred.p(read)
        return "unknown", p
    if top in READS:
        return (top, p) if p >= READ_FLOOR else ("unknown", p)
    return (top, p) if p >= WRITE_FLOOR else ("unknown", p)


#: words that may stand beside the things and the price in a plain entry ("KPLC tokens and airtime, 500 today")
_ENTRY_FILLER = re.compile(
    r"\b(?:and|n|plus|for|the|my|our|a|an|at|from|on|today|yesterday|tonight|this\s+(?:morning|afternoon|evening)|"
    r"last\s+night|"
    # "doordash again lmao 31": the same shop once more, and a laugh or a sigh about it, say nothing more
    r"again|lol+|lmf?ao+|rofl|ha(?:ha)+|he(?:he)+|smh|omg|ugh+|welp|oops|yikes|xd)\b"
)


def _only_known_things(msg: Msg) -> bool:
    """Whether the message is one price and things the lexicon files under a real category, nothing else.

    Why: the intent model reads words it was taught; a shop or utility of another country ("Zuku", "Naivas")
    is a word it never saw, so "Naivas 2,340" looks like nothing to it. When every other word is a known
    thing, what was said is an entry. One amount only (a list has its own reading), no question, no date
    span (dates are read apart) and at least one thing that is not filed under Other.
    """
    if msg.amount is None or len(msg.amounts) != 1 or not msg.hits or QUESTION.search(msg.low):
        return False
    if all(h.category == "Other" for h in msg.hits):
        return False
    rest = list(msg.low)
    spans = [(h.start, h.end) for h in msg.hits] + [(msg.amount.start, msg.amount.end)] + date_spans(msg.low)
    for start, end in spans:
        rest[start:end] = " " * (end - start)
    left = _ENTRY_FILLER.sub(" ", "".join(rest))
    return not re.search(r"[^\W_]", left)


HEAD_OVER = 0.6  # the whole message's reading below this lets the request's own clause speak
HEAD_SURE = 0.75  # ... when that clause alone reads as a write this surely
HEAD_CAP = 0.75  # what that reading alone is worth: below the policy's bar, so asked
# the end of the clause that holds the sum: a sentence's end or a comma, dash or semicolon, then a remark
_CLAUSE_END = re.compile(r"\s*(?:[.!;]\s|,\s|\s[\u2014\u2013-]\s)")


def _request_head(low: str, amounts: list[Amount]) -> str | None:
    """The message up to the end of the clause holding its first sum, when a remark of some words follows it."""
    if not amounts or ENDS_ASKING.search(low):
        return None
    end = _CLAUSE_END.search(low, amounts[0].end)
    if end is None or len(re.findall(r"[^\W\d_]+", low[end.end() :])) < 3:
        return None
    head = low[: end.start()].strip()
    return head if len(re.findall(r"[^\W\d_]+", head)) >= 1 else None


def _services_cancelled(msg: Msg) -> list[str]:
    """The services named in one cancel joined by "and" ("cancel disney plus and hulu"), each once."""
    named = [h for h in msg.hits if _is_service(h) or h.phrase in lexicon.MERCHANT_DISPLAYS]
    out: list[str] = []
    for a, b in itertools.pairwise(named):
        if re.fullmatch(r"\s*(?:,|and|&|\+|,\s*and)\s*", msg.low[a.end : b.start]):
            out += [n for n in (a.display, b.display) if n not in out]
    return out


def _names_a_service(low: str, hits: list[lexicon.Hit]) -> bool:
    """A service people subscribe to is named: a lexicon service ("uber one", "dashpass") or subscription."""
    return any(map(_is_service, hits)) or any(re.search(rf"\b{re.escape(s)}\b", low) for s in lexicon.SERVICES)


def _named_again(name: str, after: str, ctx: NLUContext, args: dict[str, object]) -> dict[str, object]:
    """The subscription's name read again on the words after a self-correction; the rest as first read."""
    low = after.lower()
    amounts = find_amounts(low, date_spans(low))
    again = Msg(after, low, ctx, amounts, pick_amount(amounts, low), lexicon.keyword_hits(low))
    if name == "add_subscription":
        redo, _ = _tool_args(name, again)
        return {**args, **redo} if redo.get("name") else args
    if (named := _reminder_name(again)) is not None:
        return {**args, "name": named}
    return args
