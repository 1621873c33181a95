"""Which of the speech model's readings a voice turn acts on (``choose_transcript``)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from ..nlu import NLUContext, Understanding, understand
from .normalize import normalize
from .stt import Hypothesis

log = logging.getLogger("budgetwise.voice")

# How far below the best reading (in mean log-probability per token, Whisper's own ranking
# score) another reading may be and still be chosen for being understood better. Measured on the
# spoken dev, held-out and blind sets (docs/voice.md, "Spoken eval"): gains grow up to about 0.4
# and stay flat beyond; 0.5 keeps a clearly unlikely reading out.
CHOICE_MARGIN = 0.5
# Intents that are an answer in themselves: a greeting, thanks, help, a refusal, an off-topic
# question. A best reading heard as one of these is kept; it is never traded for a tool call.
CONVERSATION = frozenset({"greeting", "thanks", "help", "refuse", "out_of_scope"})
# Requests that remove data. A runner-up asking for one never replaces a best reading that
# asks for something else ("Cancel the Paramount Plus subscription" is not traded for "Cancel
# that ..." = delete the last transaction); it may replace one the engine cannot act on at all
# ("A goop net." -> "Undo that.") or the same request with a better-heard name.
REMOVING = frozenset({"delete_transaction", "cancel_subscription"})
# How sure the engine must be of a runner-up's request to trade a best reading it does not act on
# for it. Whisper's runners-up of a statement often sound like a request the engine half-reads:
# "My cholesterol was 190 last week." -> "... was $190 ..." (an expense, 0.85), "Send 40 to my
# brother" (a bank chore it cannot do) -> "Sent 40 ..." (0.87), "How much should I keep aside ...?"
# -> "How much do I keep aside ...?" (subscriptions, 0.6); readings it fully understands are 0.9
# ("A goop net." -> "Undo that.", "Manic your 40." -> "Manicure 40."). Tuned on the dev set and a
# seed-99 sample (docs/voice.md, "Spoken eval, fourth pass": 0.9 best, 0.95 loses two dev cases).
SURE = 0.9


def _better(candidate: Understanding, chosen: Understanding) -> bool:
    """Whether the engine understands a reading better than the one chosen so far: a tool request
    it is sure of (``SURE``) over none, then more confidence, then (the same request) more details
    found (amount, category, date...). Details are only compared within one tool: another tool's
    defaults (a spending summary's dates) are not details the user said. A request for another
    tool than the chosen one's must be sure too: "Apple Music, 10.99 slash mole, next charge ..."
    (a subscription, 0.75) is not traded for the cut-short "Apple Music, 10.99." (an expense the
    engine reads at 0.82 since its recalibration, 0.72 before)."""
    if not candidate.calls:
        return False
    if not chosen.calls:
        return candidate.confidence >= SURE
    new, old = candidate.calls[0], chosen.calls[0]
    if new.name != old.name and candidate.confidence < SURE:
        return False
    if candidate.confidence > chosen.confidence:
        return True
    return candidate.confidence == chosen.confidence and new.name == old.name and len(new.args) > len(old.args)


def choose_transcript(
    readings: Sequence[Hypothesis], *, margin: float = CHOICE_MARGIN, today: dt.date | None = None
) -> str:
    """The reading to act on, normalised (``normalize``): the best-scoring one, unless a reading
    within ``margin`` of it is understood better by the offline engine (``_better``: a tool
    request where the best is not one, a request it is surer of, the same request with more
    details).

    Why the engine judges: Whisper tiny.en often puts the right words second ("Should I buy
    another free coffee?" over "...a $3 coffee?"), and the engine knows which reading is a
    budgeting request it can act on. It only ranks readings here (no tools run, nothing is
    written, a few milliseconds at most each) and it judges whichever model answers the turn, so a
    remote provider gets the same chosen transcript. The context is a neutral one (today, the
    default categories, no history): the choice needs the kind of request, not the user's data.
    A best reading that is small talk, help or a refusal is kept as it is, and one that asks for
    something is never traded for a runner-up that would delete or cancel something else.
    """
    texts = [(normalize(r.text), r.score) for r in readings]
    texts = [(t, s) for t, s in texts if t]
    if not texts:
        return ""
    best_text, best_score = texts[0]
    ctx = NLUContext(today=today or dt.date.today())
    best = understand(best_text, ctx)
    if not best.calls and best.intent in CONVERSATION:
        return best_text
    chosen, understood = best_text, best
    for text, score in texts[1:]:
        if best_score - score > margin:
            break
        candidate = understand(text, ctx)
        removes = candidate.calls and candidate.calls[0].name in REMOVING
        if removes and best.calls and best.calls[0].name != candidate.calls[0].name:
            continue
        if _better(candidate, understood):  # ties keep the likelier reading
            chosen, understood = text, candidate
    if chosen != best_text:
        log.debug("chose reading %r over %r", chosen, best_text)
    return chosen
