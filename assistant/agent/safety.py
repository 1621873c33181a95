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
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any, Literal

from sqlalchemy.engine import Engine

from tools import READ_ONLY
from tools.ledger import income_category

from ..db import TurnConnection, read_only, read_only_connection
from ..errors import BudgetWiseError, NotFound
from ..models import TxKind, User
from ..nlu import not_yours, reply_for, words_to_digits
from ..nlu.languages import english_of
from ..nlu.numbers import as_decimal, number_kind
from ..services.amount_history import compare_with_history
from .request_shapes import (
    BANK_CHORE,
    CHORE_ANYWHERE,
    DELETE_IT_BECAUSE,
    ELSEWHERE,
    INCOME_WORDS,
    PURCHASE_QUESTION,
    is_question,
)

# ---------------------------------------------------------------- the thresholds (one place)

#: At or above this confidence a write runs without asking (the local engine's 0-1 confidence;
#: nlu-core's calibrated per-call ``confidence`` when it has one). Below it, the turn asks first.
WRITE_CONFIDENCE = 0.8
#: Below this the engine is guessing: no write and no question about one, just "not sure".
GUESS_FLOOR = 0.4
#: An amount more than this many times the category's median (last 90 days) is asked about first,
#: once the category has enough history (``services.amount_history.MIN_HISTORY`` rows, ten).
OUTLIER_FACTOR = Decimal(10)
#: ... and more than this many times the largest amount there: a $45 dinner among $4 coffees is
#: ordinary (the category spans both), a $4,500 one is not.
OUTLIER_MAX_FACTOR = Decimal(5)
#: Below this (in the user's currency) an amount is never worth a question about the user's history,
#: and the turn skips the history query (most entries are small: coffee, lunch, a bus fare).
OUTLIER_FLOOR = Decimal(50)
#: With no history in the category (fewer than ten rows): the bound above which we ask first.
ABSOLUTE_BOUND: dict[str, Decimal] = {"expense": Decimal(5000), "income": Decimal(50000), "other": Decimal(10000)}
#: The income category whose amounts are not compared with each other (see ``check_ledger``).
OTHER_INCOME = "Other income"
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


def non_money_kind(text: str, amount: Any) -> tuple[str, bool] | None:
    """What the number that became ``amount`` really is, if it is not money: ``(kind in words, strong)``.

    The one detector is the engine's (``nlu.numbers``, shapes in ``nlu/data/not_money.yaml``),
    asked by value so that a chat model's calls are judged like the engine's. ``strong``: the
    words say so plainly (a PIN, a 401k, 120 miles): no write. Weak (``at 5``, ``I'm 35``): the
    turn asks first.
    """
    found = number_kind(english_of(text), amount)  # "uber 38 dolares": judged by its gloss, "38 dollars"
    return None if found is None else (found.label, found.strong)


# ---------------------------------------------------------------- questions, refusals, yes/no

#: writes that money not the user's own (someone else paid, a plan, not bought, a what-if) must not make
_NOT_YOURS_TOOLS = frozenset({"log_expense", "log_income", "add_subscription", "log_refund"})
_CHORE_TOOLS = frozenset({"log_expense", "log_income", "add_subscription", "set_goal", "update_subscription"})


def _required(name: str) -> list[str]:
    from tools import required_args

    return required_args(name)


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
        if name == "log_expense" and args.get("amount") is not None and PURCHASE_QUESTION.search(text.lower()):
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
    if name in _CHORE_TOOLS and (BANK_CHORE.search(low) or CHORE_ANYWHERE.search(low)):
        return Verdict("refuse", CANT_DO, "bank_chore")
    if name in _NOT_YOURS_TOOLS and (other := not_yours(words_to_digits(low), name)) is not None:
        return Verdict("refuse", reply_for(other.reply), f"not_yours:{other.name}")  # someone else paid, a plan...
    if name == "delete_transaction" and _bare_reference(low):
        return Verdict("confirm", reason="no_verb")  # "that one from before": which row, and what to do?
    because = DELETE_IT_BECAUSE.match(low) if name == "delete_transaction" else None
    if name in ("delete_transaction", "update_transaction") and ELSEWHERE.search(because["order"] if because else low):
        return Verdict("confirm", reason="elsewhere")
    if name == "add_subscription" and INCOME_WORDS.search(text.lower()):
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


#: Words that only point at an entry ("that one from before", "the last one"): said alone, with no verb,
#: they never delete; the policy asks first.
_POINTING = frozenset(
    [
        "that",
        "this",
        "the",
        "those",
        "these",
        "one",
        "ones",
        "it",
        "thing",
        "entry",
        "item",
        "from",
        "before",
        "earlier",
        "last",
        "previous",
        "again",
        "same",
        "other",
        "just",
        "now",
        "then",
        "there",
        "above",
        "ago",
        "yesterday",
        "today",
        "a",
    ]
)


def _bare_reference(low: str) -> bool:
    words = re.findall(r"[a-z']+|\d+", low)
    return bool(words) and all(w in _POINTING for w in words)


#: Heard rather than typed, a change of the last entry that opens with "That's ..."/"It's ..." asks
#: first: Whisper opens many plain sentences so ("Starbucks 6.40" heard as "That's Starbucks 6.40"),
#: which reads as a correction. Clear spoken corrections ("make that 20", "that was dining") run.
_SPOKEN_ASK = frozenset({"update_transaction"})
_HEARD_AS_CORRECTION = re.compile(r"^\W*(?:that|it|this)(?:'s|’s| is|s)\b", re.IGNORECASE)
_OWNED = frozenset({"cancel_subscription", "update_subscription", "delete_transaction", "update_transaction"})
_LEDGER_CHECKED = frozenset(
    {
        "cancel_subscription", "update_subscription", "delete_transaction", "update_transaction",
        "log_expense", "log_income", "contribute_to_goal", "add_subscription",
    }
)  # fmt: skip
# not "set_monthly_income": a setting the user states ("set my monthly income to 52,000") is theirs to say;
# there is no history of spending it could be far from (round 40)


def check_ledger(
    engine: Engine,
    user_id: int,
    name: str,
    args: Mapping[str, Any],
    today: dt.date,
    currency: str,
    *,
    db: TurnConnection | None = None,
    user: User | None = None,
) -> Verdict:
    """The policy's ledger part: what the call acts on exists; its amount is not far off the user's norm.

    ``currency`` is the user's own (amounts in it are compared with their history; others only
    with the absolute bound). ``db``: the turn's connection (its reads share the turn's snapshot);
    ``user``: the turn's copy of the user's row, if it has one (else it is read).
    """
    from ..services.subscriptions import find_subscription
    from ..services.transactions import transaction_ref

    if name not in _LEDGER_CHECKED:
        return RUN
    if user is not None and user.id != user_id:
        user = None
    reading = db.read_session if db is not None else partial(read_only, engine)
    reading_core = db.read_connection if db is not None else partial(read_only_connection, engine)
    entry_currency: str | None = None  # an update's bare amount is in the entry's own currency
    if name in _OWNED:
        entry_code = ""
        try:
            if user is not None and name in ("delete_transaction", "update_transaction"):
                with reading_core() as conn:  # the entry's id and currency: one Core read, no session
                    _, entry_code = transaction_ref(conn, user_id, args.get("transaction_id", ""))
            else:
                with reading() as session:
                    user = user or session.get(User, user_id)
                    if user is None:
                        return RUN  # the tool answers "not signed in" itself
                    if name in ("cancel_subscription", "update_subscription"):
                        find_subscription(session, user, str(args.get("name") or ""))
                    else:
                        _, entry_code = transaction_ref(session.connection(), user_id, args.get("transaction_id", ""))
        except NotFound as err:
            return Verdict("refuse", _not_found_text(name, args, err), "not_found")
        except BudgetWiseError:
            return RUN  # ambiguous or malformed: the tool's own answer says which
        if name == "update_transaction" and not args.get("currency"):
            # "that Coupang thing was actually 49,200" of a ₩42,900 entry: won, like the entry
            entry_currency = entry_code.upper() or None
    amount = as_decimal(args.get("amount"))
    if amount is None or amount <= 0:
        return RUN
    own = (currency or "USD").upper()
    in_currency = str(args.get("currency") or entry_currency or own).upper()
    if in_currency != own:
        # "62,300 naira": judged in the user's money at their rate; with no rate yet there is no yardstick
        # (a bound in dollars says nothing of naira): it is logged in its currency, the reply says no rate yet
        from ..services.currency import rate_for

        with reading() as session:
            user = user or session.get(User, user_id)
            rate = rate_for(session, user, in_currency) if user is not None else None
        if rate is None:
            return RUN
        amount, in_currency = amount * rate, own
    if name in ("log_expense", "log_income"):
        kind = TxKind.EXPENSE if name == "log_expense" else TxKind.INCOME
        if kind == TxKind.EXPENSE:
            category = str(args.get("category") or "") or None
        else:
            # judged against the same kind of income: a first paycheck is not an outlier
            # among a few small side earnings
            category = income_category(str(args.get("source") or ""))
        if in_currency == own and amount < OUTLIER_FLOOR:
            return RUN  # no session at all: most amounts are small
        # "Other income" holds unlike things (a gift, an item sold, a tax refund, a pension, a tenant's
        # rent): a large one among small ones is ordinary there, so only the absolute bound applies
        mixed = kind == TxKind.INCOME and category == OTHER_INCOME
        if in_currency == own and not mixed:
            with reading_core() as conn:
                usual = compare_with_history(
                    conn, user_id, kind=kind, category=category, currency=own,
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
    number = as_decimal(value)
    if number is None:
        return "That number"
    shown = f"{number:,.0f}" if number == number.to_integral_value() else f"{number:,}"
    return f"{shown}"


def _all_tools() -> frozenset[str]:
    from tools import TOOL_NAMES

    return frozenset(TOOL_NAMES)
