"""The write-safety policy: every write a turn asks for passes here before it may run.

Why one place: the local engine and every LLM provider hand their tool calls to the runner, and
the runner asks ``screen_call`` about each write before running it. A write runs only when the
intent is confident, the required slots were found and the amount is money spent or earned;
otherwise the turn answers without writing, refuses plainly, or asks first (the contract's
``confirm``). Questions never write; cancel and delete only act on what the user has; an amount
far outside the user's own history is asked about first. The thresholds live here, documented in
``docs/understanding.md`` ("Write safety").
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from sqlalchemy.engine import Engine

from tools import READ_ONLY
from tools.ledger import income_category

from ..clock import Clock
from ..db import read_only
from ..errors import BudgetWiseError, NotFound
from ..models import TxKind, User
from ..nlu import reply_for, words_to_digits  # the engine's number words and canned replies, public
from ..nlu.not_yours import not_yours
from ..services.amount_history import compare_with_history
from .replies import money

# ---------------------------------------------------------------- the thresholds (one place)

#: At or above this confidence a write runs without asking (the local engine's 0-1 confidence;
#: nlu-core's calibrated per-call ``confidence`` when it has one). Below it, the turn asks first.
WRITE_CONFIDENCE = 0.8
#: Below this the engine is guessing: no write and no question about one, just "not sure".
GUESS_FLOOR = 0.4
#: An amount more than this many times the category's median (last 90 days) is asked about first.
OUTLIER_FACTOR = Decimal(10)
#: ... and more than this many times the largest amount there: a $45 dinner among $4 coffees is
#: ordinary (the category spans both), a $4,500 one is not.
OUTLIER_MAX_FACTOR = Decimal(5)
#: Below this (in the user's currency) an amount is never worth a question about the user's history,
#: and the turn skips the history query (most entries are small: coffee, lunch, a bus fare).
OUTLIER_FLOOR = Decimal(50)
#: With no history in the category (fewer than 3 rows): the bound above which we ask first.
ABSOLUTE_BOUND: dict[str, Decimal] = {"expense": Decimal(5000), "income": Decimal(50000), "other": Decimal(10000)}
#: How long a confirmation waits for its yes.
CONFIRM_TTL = dt.timedelta(minutes=5)

CANT_DO = "I can't move money, pay bills or book things; I keep your budget."
NOT_SURE = "I'm not sure what you meant, so I didn't change anything. Try \"I spent 12.50 on lunch\"."

Action = Literal["run", "confirm", "refuse", "replace"]


@dataclass(frozen=True)
class Verdict:
    """What to do with one tool call: run it, ask first (``text`` is the question), refuse (``text``
    is the answer), or run ``replacement`` instead (a question turned into a read)."""

    action: Action
    text: str = ""
    reason: str = ""
    replacement: tuple[str, dict[str, Any]] | None = None


RUN = Verdict("run")


# ---------------------------------------------------------------- numbers that are not money

_NUMBER = re.compile(r"(?<![\w.])([$€£¥₹]\s*)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(\s*[kK]\b)?")
_MONEY_AFTER = re.compile(
    r"^\s*(?:bucks|dollars?|euros?|quid|usd|eur|gbp|cad|aud|cents?|yen|rupees?|a\s+(?:month|year|week)|per\s+|"
    r"every\s+|each\s+|monthly|yearly|weekly|annually|/\s*(?:mo|month|yr|year|wk|week))\b"
)
_RETIREMENT = re.compile(r"^\s*\(?(?:k|b)\)?(?:\b|$)")
_CODE_WORDS = re.compile(
    r"\b(?:pin|pin\s+code|passcode|password|cvv|cvc|security\s+code|zip|zip\s+code|postal\s+code|"
    r"routing\s+number|account\s+number|card\s+number|sort\s+code|otp|verification\s+code)\b[^\d]{0,12}$"
)
_ID_BEFORE = re.compile(
    r"\b(?:transaction|tracking|confirmation|reference|ref|id|extension|ext\.?|gate|seat|apartment|apt)"
    r"\s*(?:id|number|no\.?|#|is|:)?\s*#?\s*$|"
    r"\b(?:order|account|card|flight|room|member|policy|invoice|ticket|item|case)\s*(?:id|number|no\.?|#)\s*(?:is|:)?\s*$|"
    r"\b(?:number|no\.)\s*$|#\s*$"
)
_PHONE_BEFORE = re.compile(
    r"\b(?:call\s+(?:me|us|them)|phone\s+(?:number|no\.?|#|is)|text\s+me|dial|reach\s+me)\b[^\d]{0,12}$"
)
_TIME_AFTER = re.compile(r"^(?::\d{2})|^\s*(?:am|pm|a\.m\.|p\.m\.|o'?clock)(?:\b|$)")
_DURATION_AFTER = re.compile(r"^\s*(?:hours?|hrs?|minutes?|mins?|seconds?|secs?)\b")
_AT_TIME_BEFORE = re.compile(r"\b(?:at|by|until|till|til|around|from|before|after)\s*$")
_PARTY_BEFORE = re.compile(r"\b(?:table|party|reservation|booking|group|room|seats?)\s+(?:for|of)\s*$")
_COUNT_AFTER = re.compile(
    r"^\s*(?:people|persons|guests|adults|kids|children|steps|times|items|pieces|pages|reps|sets|days|weeks|"
    r"months|years|yrs|calories|cals?|kcal|points|followers|likes|emails|messages|tabs|cups|glasses|bottles|"
    r"slices|percent|stars|votes|users|members|seats|nights|kids?|pets|dogs|cats|apps|accounts|cards|"
    r"passengers|riders|travell?ers|tickets|rooms|beds|bags|"
    r"episodes|songs|books|workouts|pushups|push-ups|laps)\b|^\s*%"
)
_AGE = re.compile(r"^\s*(?:years?[\s-]+old|yo|y/o)\b")
_DISTANCE_AFTER = re.compile(
    r"^\s*(?:miles?|mi|km|kms|kilomet(?:er|re)s?|met(?:er|re)s?|feet|ft|yards?|yds?|mph|kph|km/h|mpg|l/100km)\b"
)
_MEASURE_AFTER = re.compile(
    r"^\s*(?:lbs?|kgs?|kilos?|grams?|g|oz|ounces?|degrees|°|gallons?|liters?|litres?|gb|mb|tb|kwh|"
    r"inch(?:es)?|cm|mm|sq\s*ft|square\s+feet)(?:\b|$)"
)
_POUNDS_WEIGHT = re.compile(r"\b(?:weigh|weighs|weight|weighed|lost|gained|lose|gain|bench|lift(?:ed)?)\b")
_MILEAGE_WORDS = re.compile(r"\b(?:odometer|mileage|drove|driven)\b[^\d]{0,12}$")
_PHONE_SHAPE = re.compile(r"\b\d{3}[-.\s]\d{3}[-.\s]\d{4}\b|\b\d{3}[-.]\d{4}\b|\(\d{3}\)\s*\d{3}[-.\s]?\d{4}")


@dataclass(frozen=True)
class _Number:
    start: int
    end: int
    value: Decimal
    symbol: bool
    thousands: bool
    digits: str


def _numbers(text: str) -> list[_Number]:
    out = []
    for m in _NUMBER.finditer(text):
        whole = m.group(2).replace(",", "")
        value = Decimal(whole + ("." + m.group(3) if m.group(3) else ""))
        k = bool(m.group(4))
        out.append(_Number(m.start(), m.end(), value * 1000 if k else value, bool(m.group(1)), k, whole))
    return out


def _as_decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value).strip().replace(",", "").lstrip("$€£¥₹"))
    except (InvalidOperation, ValueError):
        return None


def non_money_kind(text: str, amount: Any) -> tuple[str, bool] | None:
    """What the number that became ``amount`` really is, if it is not money: ``(kind, strong)``.

    ``strong``: the words around it say so plainly (a PIN, a 401k, 120 miles): no write.
    Weak (``at 5``, ``I'm 35``): it may still be money, so the turn asks first. None: money, or no
    sign of anything else. Only the occurrence(s) of the amount in the text are judged, so
    "dinner for 4 people, 120" is still a $120 dinner.
    """
    value = _as_decimal(amount)
    if value is None:
        return None
    low = text.lower()
    found: tuple[str, bool] | None = None
    matched = False
    for num in _numbers(low):
        retirement_k = num.digits in {"401", "403", "457"} and (num.thousands or _RETIREMENT.match(low[num.end :]))
        if num.value != value and not (retirement_k and value in (Decimal(num.digits), num.value)):
            continue
        matched = True
        before, after = low[max(0, num.start - 40) : num.start], low[num.end : num.end + 30]
        kind = _kind_at(low, num, before, after, bool(retirement_k))
        if kind is None:
            return None  # one occurrence reads as money: it is money
        if found is None or (kind[1] and not found[1]):
            found = kind
    return found if matched else None


def _kind_at(low: str, num: _Number, before: str, after: str, retirement: bool) -> tuple[str, bool] | None:
    if retirement:
        return "the name of a retirement account (401k)", True
    if num.symbol or _MONEY_AFTER.match(after):
        return None
    if _CODE_WORDS.search(before):
        return "a PIN or code", True
    for m in _PHONE_SHAPE.finditer(low):
        if m.start() <= num.start < m.end():
            return "a phone number", True
    if _PHONE_BEFORE.search(before):
        return "a phone number", True
    if _ID_BEFORE.search(before):
        return "an id or number", True
    if _TIME_AFTER.match(after):
        return "a time of day", True
    if _DURATION_AFTER.match(after):
        return "a length of time", True
    if _PARTY_BEFORE.search(before):
        return "a party size", True
    if _AGE.match(after):
        return "an age", True
    if _DISTANCE_AFTER.match(after):
        return "a distance or mileage", True
    if _MEASURE_AFTER.match(after) or (re.match(r"^\s*pounds?\b", after) and _POUNDS_WEIGHT.search(low)):
        return "a measurement", True
    if _COUNT_AFTER.match(after):
        return "a count", True
    if _MILEAGE_WORDS.search(before):
        return "a distance or mileage", True
    whole = num.value == num.value.to_integral_value()
    if whole and num.value <= 24 and _AT_TIME_BEFORE.search(before):
        return "a time of day", False
    if whole and re.search(r"\b(?:i'?m|i\s+am|age|aged|turned|turning)\s*$", before):
        return "an age", False
    if whole and 1900 <= num.value <= 2100 and re.search(r"\b(?:in|since|year|from|by|until)\s*$", before):
        return "a year", False
    return None


# ---------------------------------------------------------------- questions, refusals, yes/no

_POLITE = re.compile(
    r"^(?:please\s+)?(?:can|could|would|will)\s+(?:you|u)\b|^please\b|^do\s+(?:it|that|this)\b|"
    r"^(?:can|could|may)\s+i\s+(?:log|add|record|put|note|enter|track|save)\b|"
    r"\b(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+|kindly\s+|just\s+)?(?:record|log|add|track|note|put|"
    r"enter|save|remove|delete|cancel|set|create|update|change|make|file|mark|undo|fix|correct|take|move|shift)\b"
)
_QUESTION_START = re.compile(
    r"^(?:so\s+|and\s+|but\s+|ok(?:ay)?\s+|hey\s+|hi\s+)?(?:what|what's|whats|how|how's|hows|when|where|which|"
    r"who|whom|why|(?:is|are|am|was|were|do|does|did|has|have|had|should|shall|can|could|may|would|will|isn't|"
    r"aren't|didn't|don't|doesn't|wasn't)\s+(?:i|we|you|it|there|my|our|that|this|he|she|they))\b"
)
_PURCHASE_QUESTION = re.compile(
    r"\b(?:what|how)\s+about\b|\bshould\s+i\b|\bcan\s+i\s+(?:afford|buy|get)\b|\bcould\s+i\s+(?:afford|buy|get)\b|"
    r"\bafford\b|\bworth\s+(?:it|buying)\b|\bis\s+it\s+ok(?:ay)?\s+to\s+(?:buy|get|spend)\b"
)
_BANK_CHORE = re.compile(
    r"^(?:(?:please|pls|hey|ok(?:ay)?|um+|uh+|erm|so|well|alright)\W+)*(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?|i\s+(?:want|need)\s+"
    r"(?:you\s+)?to\s+|i'?d\s+like\s+(?:you\s+)?to\s+|help\s+me\s+|go\s+ahead\s+and\s+|let'?s\s+)?"
    r"(?:pay|transfer|send|wire|move|book|reserve|deposit|withdraw|schedule|cancel\s+my\s+"
    r"(?:reservation|booking|appointment|flight|table|order)|make\s+a\s+(?:payment|transfer|reservation|booking))\b"
)
_CHORE_ANYWHERE = re.compile(
    r"\b(?:make|making)\s+(?:a|the|my|our)\s+(?:[a-z]+\s+){0,2}(?:reservation|booking|transfer|payment)\b|"
    r"\bdispute\s+(?:it|that|this|the)\b|\b(?:double|twice)[\s-]+(?:charged|billed)\b|\bbook\s+(?:a|me|us)\b|"
    r"\breserve\s+(?:a|me|us)\b|\b(?:need|want|get)\s+(?:an?\s+)?(?:uber|lyft|taxi|cab)\b"
)
# a "last" transaction named only by "it"/"that" amid another service's words is not our ledger's
_ELSEWHERE = re.compile(
    r"\b(?:card|declined|pending|atm|bank|withdraw(?:al)?|dispute|fraud|chargeback|appointment|reservation|"
    r"calendar|meeting|event|booking|flight|alarm|playlist|email|order|shipment|delivery)\b"
)
_INCOME_WORDS = re.compile(
    r"\bi\s+(?:make|earn|get\s+paid|take\s+home|bring\s+in)\b|\b(?:salary|income|paycheck|wage)\b"
)
#: writes that money not the user's own (someone else paid, a plan, not bought, a what-if) must not make
_NOT_YOURS_TOOLS = frozenset({"log_expense", "log_income", "add_subscription"})
_CHORE_TOOLS = frozenset({"log_expense", "log_income", "add_subscription", "set_goal", "update_subscription"})

_YES = "yes|y|yeah|yea|yep|yup|sure|ok|okay|confirm|confirmed|do it|go ahead|yes please|please do|correct|"
_YES += "that's right|thats right|right|affirmative|yes do it|sounds good|absolutely|of course"
_NO = "no|n|nope|nah|cancel|don't|dont|do not|no thanks|no thank you|never mind|nevermind|stop|forget it|"
_NO += "don't do it|dont do it|not now|no don't|no dont"
YES_WORDS = frozenset(_YES.split("|"))
NO_WORDS = frozenset(_NO.split("|"))


_STATEMENT = re.compile(
    r"^(?:(?:so|ok(?:ay)?|well|hey|um|uh)\W+)*(?:just\s+)?(?:spent|paid|bought|got\s+paid|earned|received)\b|"
    r"\b(?:i|we)\s+(?:just\s+|already\s+)?(?:spent|paid|bought|got\s+paid|earned|received)\b"
)


def is_question(text: str) -> bool:
    """A question asks; it never writes ("what about a $35 board game?", "did I pay rent?").

    A plain statement of money spent or earned stays one even with a question after it ("I spent
    5 on coffee, is that ok?"), and so does a polite request ("could you log 12 for lunch?").
    """
    low = " ".join(text.lower().split())
    if not low or _POLITE.search(low) or _STATEMENT.search(low):
        return False
    return low.endswith("?") or bool(_QUESTION_START.search(low))


def yes_or_no(text: str) -> Literal["yes", "no"] | None:
    """A typed or spoken answer to a confirmation, or None when the message is something else."""
    low = re.sub(r"[^\w' ]+", " ", text.lower())
    low = " ".join(low.split())
    if low in YES_WORDS:
        return "yes"
    if low in NO_WORDS:
        return "no"
    return None


def _required(name: str) -> list[str]:
    from tools import required_args

    return required_args(name)


# ---------------------------------------------------------------- the exact action, in words


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
    if name == "log_income":
        return f"Record {amt} of income from {args.get('source') or 'income'}?"
    if name == "add_subscription":
        return f"Add a {args.get('cadence') or 'monthly'} subscription {args.get('name')} for {amt}?"
    if name == "cancel_subscription":
        return f"Cancel your {args.get('name')} subscription?"
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
    if name == "set_budget":
        return f"Set the {args.get('category')} budget to {amt}?"
    if name == "set_goal":
        return f"Create a goal {args.get('name')} of {money(args.get('target_amount'), cur)}?"
    if name == "contribute_to_goal":
        return f"Add {amt} to your {args.get('name')} goal?"
    if name == "set_monthly_income":
        return f"Set your monthly income to {amt}?"
    if name == "move_budget":
        return f"Move {amt} of budget from {args.get('from_category')} to {args.get('to_category')}?"
    details = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in args.items() if v not in (None, ""))
    label = name.replace("_", " ")
    return f"{label[:1].upper()}{label[1:]}" + (f" ({details})?" if details else "?")


# ---------------------------------------------------------------- the policy


@dataclass(frozen=True)
class CallFacts:
    """What is known about one planned call besides its name and arguments."""

    text: str
    """The user's message that asked for it."""
    confidence: float | None = None
    """The engine's confidence in this call; None: a provider's call (no confidence to judge)."""
    amount_is_money: bool | None = None
    """The engine's own judgement of the amount; None: it did not say."""
    voice_confident: bool = True
    """False when the message is a voice transcript the recogniser was unsure of."""
    spoken: bool = False
    """The message is a voice transcript: changes to what is recorded are asked about first."""


def screen_call(name: str, args: Mapping[str, Any], facts: CallFacts) -> Verdict:
    """The policy's text-only part for one call (no database): run, confirm, refuse or replace."""
    if name in READ_ONLY or name not in _all_tools():
        return RUN
    text = facts.text
    if is_question(text):
        if name == "log_expense" and args.get("amount") is not None and _PURCHASE_QUESTION.search(text.lower()):
            item = str(args.get("description") or args.get("merchant") or "that")
            new = {"item": item, "amount": args["amount"]}
            if args.get("category"):
                new["category"] = args["category"]
            return Verdict("replace", reason="question", replacement=("check_purchase", new))
        return Verdict(
            "refuse",
            "That sounds like a question, so I didn't change anything. "
            'To record something, tell me plainly, e.g. "I spent 12.50 on lunch".',
            "question",
        )
    low = " ".join(text.lower().split())
    if name in _CHORE_TOOLS and (_BANK_CHORE.search(low) or _CHORE_ANYWHERE.search(low)):
        return Verdict("refuse", CANT_DO, "bank_chore")
    if name in _NOT_YOURS_TOOLS and (other := not_yours(words_to_digits(low), name)) is not None:
        return Verdict("refuse", reply_for(other.reply), f"not_yours:{other.name}")  # someone else paid, a plan...
    if name in ("delete_transaction", "update_transaction") and _ELSEWHERE.search(low):
        return Verdict("confirm", reason="elsewhere")
    if name == "add_subscription" and _INCOME_WORDS.search(text.lower()):
        return Verdict(
            "refuse",
            "That sounds like income, not a subscription, so I didn't add anything. "
            'To record money coming in, say e.g. "I got paid 3200 today".',
            "income_not_subscription",
        )
    missing = [slot for slot in _required(name) if args.get(slot) in (None, "")]
    if missing:
        slot = missing[0].replace("_", " ")
        return Verdict("refuse", f"I couldn't tell the {slot} for that, so I didn't change anything.", "missing_slot")
    if facts.amount_is_money is False:  # the engine's own recogniser read the number as something else
        return Verdict(
            "refuse", "That number doesn't look like money spent or earned, so I didn't record anything.", "not_money"
        )
    for key in ("amount", "target_amount"):
        if args.get(key) is None:
            continue
        kind = non_money_kind(text, args[key])
        if kind is not None and kind[1]:
            return Verdict(
                "refuse",
                f"{_number_words(args[key])} looks like {kind[0]}, not money spent or earned, "
                "so I didn't record anything.",
                "not_money",
            )
        if kind is not None:
            return Verdict("confirm", reason="maybe_not_money")
    if facts.confidence is not None and facts.confidence < GUESS_FLOOR:
        return Verdict("refuse", NOT_SURE, "guessing")
    if not facts.voice_confident:
        return Verdict("confirm", reason="voice_unsure")
    if facts.spoken and name in _SPOKEN_ASK and _HEARD_AS_CORRECTION.match(facts.text):
        return Verdict("confirm", reason="spoken_change")
    if facts.confidence is not None and facts.confidence < WRITE_CONFIDENCE:
        return Verdict("confirm", reason="low_confidence")
    return RUN


#: Heard rather than typed, a change of the last entry that opens with "That's ..."/"It's ..." asks
#: first: Whisper opens many plain sentences so ("Starbucks 6.40" heard as "That's Starbucks 6.40"),
#: which reads as a correction. Clear spoken corrections ("make that 20", "that was dining") run.
_SPOKEN_ASK = frozenset({"update_transaction"})
_HEARD_AS_CORRECTION = re.compile(r"^\W*(?:that|it|this)(?:'s|’s| is|s)\b", re.IGNORECASE)
_OWNED = frozenset({"cancel_subscription", "update_subscription", "delete_transaction", "update_transaction"})
_LEDGER_CHECKED = frozenset(
    {
        "cancel_subscription", "update_subscription", "delete_transaction", "update_transaction",
        "log_expense", "log_income", "contribute_to_goal", "add_subscription", "set_monthly_income",
    }
)  # fmt: skip


def check_ledger(
    engine: Engine, user_id: int, name: str, args: Mapping[str, Any], today: dt.date, currency: str
) -> Verdict:
    """The policy's ledger part: what the call acts on exists; its amount is not far off the user's norm.

    ``currency`` is the user's own (amounts in it are compared with their history; others only
    with the absolute bound).
    """
    from ..services.subscriptions import find_subscription
    from ..services.transactions import resolve_transaction_id

    if name not in _LEDGER_CHECKED:
        return RUN
    with read_only(engine) as session:
        if name in _OWNED:
            user = session.get(User, user_id)
            if user is None:
                return RUN  # the tool answers "not signed in" itself
            try:
                if name in ("cancel_subscription", "update_subscription"):
                    find_subscription(session, user, str(args.get("name") or ""))
                else:
                    resolve_transaction_id(session, user, args.get("transaction_id", ""))
            except NotFound as err:
                return Verdict("refuse", _not_found_text(name, args, err), "not_found")
            except BudgetWiseError:
                return RUN  # ambiguous or malformed: the tool's own answer says which
        amount = _as_decimal(args.get("amount"))
        if amount is None or amount <= 0:
            return RUN
        own = (currency or "USD").upper()
        in_currency = str(args.get("currency") or own).upper()
        if name in ("log_expense", "log_income"):
            kind = TxKind.EXPENSE if name == "log_expense" else TxKind.INCOME
            if kind == TxKind.EXPENSE:
                category = str(args.get("category") or "") or None
            else:
                # judged against the same kind of income: a first paycheck is not an outlier
                # among a few small side earnings
                category = income_category(str(args.get("source") or ""))
            if in_currency == own and amount < OUTLIER_FLOOR:
                return RUN
            if in_currency == own:
                usual = compare_with_history(
                    session, user_id, kind=kind, category=category, currency=own,
                    threshold=amount / OUTLIER_FACTOR, today=today,
                )  # fmt: skip
                if usual.has_history:
                    far = usual.median_below and (usual.largest is None or amount > OUTLIER_MAX_FACTOR * usual.largest)
                    return Verdict("confirm", reason="outlier") if far else RUN
            bound = ABSOLUTE_BOUND["expense" if kind == TxKind.EXPENSE else "income"]
        else:
            bound = ABSOLUTE_BOUND["other"]
        if amount > bound:
            return Verdict("confirm", reason="outlier")
    return RUN


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


def _not_found_text(name: str, args: Mapping[str, Any], err: NotFound) -> str:
    if name in ("cancel_subscription", "update_subscription"):
        detail = err.message.split(";", 1)[1].strip() if ";" in err.message else ""
        listed = f" ({detail})" if detail else ""
        return f"You don't have a subscription called \"{args.get('name')}\"{listed}, so I didn't change anything."
    ref = str(args.get("transaction_id", ""))
    if ref.lower() == "last":
        return "There are no transactions yet, so there is nothing to change."
    return f"You don't have a transaction #{ref.lstrip('#')}, so I didn't change anything."


def _number_words(value: Any) -> str:
    number = _as_decimal(value)
    if number is None:
        return "That number"
    shown = f"{number:,.0f}" if number == number.to_integral_value() else f"{number:,}"
    return f"{shown}"


def _all_tools() -> frozenset[str]:
    from tools import TOOL_NAMES

    return frozenset(TOOL_NAMES)


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
