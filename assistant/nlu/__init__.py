"""The offline understanding engine: a message in, the tool calls it asks for out.

No network: typed recognisers (amounts, dates, merchants, categories, non-money numbers), a small
trained intent model shipped as arrays (``data/intent_model.npz``) and phrasing data, so the
assistant works fully offline and answers in well under 5 ms.
"""

import threading

from .amounts import words_to_digits
from .engine import understand as _understand
from .not_yours import not_yours
from .refunds import as_refunds
from .replies import reply_for
from .understanding import DEFAULT_CATEGORY_NAMES, NLUContext, ToolCall, Understanding


def understand(text: str, ctx: NLUContext) -> Understanding:
    """The tool calls one message asks for, how sure we are, and a reply for chat (``engine.understand``,
    then refund statements made ``log_refund``: ``refunds.as_refunds``)."""
    return as_refunds(text, _understand(text, ctx), ctx)


def _warm_up() -> None:
    from . import languages, model
    from .not_yours import warm_up as gate_shapes
    from .numbers import warm_up as gate_numbers
    from .spelling import warm_up

    model.load()
    warm_up()
    gate_shapes()  # the shapes' gates (fastregex)
    gate_numbers()
    languages.warm_up()  # twenty languages' words, glosses and patterns


def start_warm_up() -> threading.Thread:
    """Load the intent model (0.2 s, 6 MiB), the spelling dictionary (a quarter second) and the shapes'
    gates in the background, so no chat turn waits."""
    thread = threading.Thread(target=_warm_up, name="nlu-warm-up", daemon=True)
    thread.start()
    return thread


__all__ = [
    "DEFAULT_CATEGORY_NAMES",
    "NLUContext",
    "ToolCall",
    "Understanding",
    "not_yours",
    "reply_for",
    "start_warm_up",
    "understand",
    "words_to_digits",
]
