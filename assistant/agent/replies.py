"""The local engine's replies, written by each tool's spec (``tools.registry``).

Why a module here still: the runner, the local model and the safety rules import their reply
helpers from the agent; the wording and the writers live with their tools (``tools/<subject>.py``,
templates in ``prompts/replies/<tool>.txt``).
"""

from __future__ import annotations

from tools.registry import compose_reply, compose_turn_reply
from tools.text import money, pick, sentences

__all__ = ["compose_reply", "compose_turn_reply", "money", "pick", "sentences"]
