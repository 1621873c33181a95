"""Every call a responder asks for passes the write-safety policy (``assistant.agent.safety``) here.

Held writes become the turn's ``confirm`` (one per turn; more are named in a note), refused ones
a plain note. When nothing is left to run, the step's answer is the policy's own words.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from sqlalchemy.engine import Engine

from .confirmations import PendingConfirmations, describe_action, transaction_words
from .other_currency import settle_currency
from .responders.base import Call, Step, TurnState
from .safety import CallFacts, check_ledger, screen_call

log = logging.getLogger(__name__)

CONFIRM_LEAD = {
    "outlier": "That's far more than you usually spend or earn there. ",
    "voice_unsure": "I want to be sure I heard you right. ",
    "maybe_not_money": "I'm not sure that number is money. ",
    "elsewhere": "I only keep your BudgetWise ledger. ",
}


def screen(engine: Engine, pending: PendingConfirmations, turn: TurnState, step: Step) -> Step:
    """``step`` with only the calls the policy lets run now (blocking: may read the ledger)."""
    planned = list(getattr(step.plan, "calls", ()) or ())
    overall = getattr(step.plan, "confidence", None)
    setup = turn.setup
    keep: list[Call] = []
    lead = ""
    for i, call in enumerate(step.calls):
        name, args = call.name, call.args
        settled = settle_currency(engine, setup.user_id, name, args, setup.currency, db=turn.db, user=turn.ctx.user)
        if settled is not None and settled.action == "refuse":  # "€450 grocery budget" with no EUR rate
            if settled.text not in turn.notes:
                turn.notes.append(settled.text)
            continue
        if settled is not None and settled.replacement is not None:  # converted at the user's rate
            call = Call(name, dict(settled.replacement[1]), call.id)
            args = call.args
        plan = planned[i] if i < len(planned) else None
        confidence = getattr(plan, "confidence", None)
        confidence = overall if confidence is None else confidence
        facts = CallFacts(
            turn.text,
            confidence=None if confidence is None else float(confidence),
            amount_is_money=getattr(plan, "amount_is_money", None),
            voice_confident=turn.voice_confident,
            spoken=turn.spoken,
        )
        verdict = screen_call(name, args, facts)
        if verdict.action == "run":
            verdict = check_ledger(
                engine, setup.user_id, name, args, setup.today, setup.currency, db=turn.db, user=turn.ctx.user
            )
        if verdict.action == "run":
            keep.append(call)
        elif verdict.action == "replace" and verdict.replacement is not None:
            keep.append(Call(verdict.replacement[0], dict(verdict.replacement[1]), call.id))
        elif verdict.action == "refuse":
            if verdict.text not in turn.notes:
                turn.notes.append(verdict.text)
        else:
            target = ""
            if name in ("delete_transaction", "update_transaction"):
                target = transaction_words(engine, setup.user_id, args.get("transaction_id", ""), setup.currency)
            question = describe_action(name, args, setup.currency, target)
            log.info("write %s held for a yes (%s)", name, verdict.reason)
            if turn.confirm is None:
                turn.confirm = pending.offer(setup.user_id, name, args, question)
                lead = CONFIRM_LEAD.get(verdict.reason, "")
            else:
                turn.notes.append(f"I didn't do this either: {question[:-1]}. Ask again after this one.")
        if verdict.action != "run":
            log.info("write safety: %s -> %s (%s)", name, verdict.action, verdict.reason)
    if turn.confirm is not None:
        turn.notes.append(f"{lead}{turn.confirm.text}")
    if len(keep) == len(step.calls) and all(k is c for k, c in zip(keep, step.calls, strict=True)):
        return step
    if keep:
        return replace(step, calls=tuple(keep))
    words, turn.notes = " ".join(turn.notes), []
    return replace(step, text=f"{step.text} {words}" if step.text else words, calls=())


def add_notes(turn: TurnState) -> str:
    """Put what the policy held back after the reply; returns the added text (to stream it)."""
    if not turn.notes:
        return ""
    notes, turn.notes = " ".join(turn.notes), []
    extra = f"\n\n{notes}" if turn.reply else notes
    turn.reply += extra
    return extra
