"""The offline understanding engine: a message in, the tool calls it asks for out.

No network and no model weights: rules, a lexicon and a few small libraries (text2num,
dateparser), so the assistant works fully offline and answers in well under 5 ms.
"""

import threading

from .engine import DEFAULT_CATEGORY_NAMES, NLUContext, ToolCall, Understanding, understand


def start_warm_up() -> threading.Thread:
    """Load the spelling dictionary in the background (a quarter second), so no chat turn waits."""
    from .spelling import warm_up

    thread = threading.Thread(target=warm_up, name="nlu-warm-up", daemon=True)
    thread.start()
    return thread


__all__ = ["DEFAULT_CATEGORY_NAMES", "NLUContext", "ToolCall", "Understanding", "start_warm_up", "understand"]
