"""The offline understanding engine: a message in, the tool calls it asks for out.

No network and no model weights: rules, a lexicon and a few small libraries (text2num,
dateparser), so the assistant works fully offline and answers in well under 5 ms.
"""

from .engine import DEFAULT_CATEGORY_NAMES, NLUContext, ToolCall, Understanding, understand

__all__ = ["DEFAULT_CATEGORY_NAMES", "NLUContext", "ToolCall", "Understanding", "understand"]
