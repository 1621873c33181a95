"""Who answers a turn: the local engine, a chat model, or both (local first, then the model).

``Responder.begin(turn)`` picks and prepares a ``Conversation`` for one turn; the runner's one
loop asks it for ``Step``s (tool calls, or the final text) and runs the calls in between.
"""

from __future__ import annotations

from .base import Call, Conversation, Responder, Round, Step, TurnState, inline, run_inline
from .hybrid import HybridResponder, make_responder
from .llm import LLMConversation, LLMResponder, ModelFactory, TurnInfo
from .local import FALLBACK_REPLY, LocalResponder

__all__ = [
    "FALLBACK_REPLY",
    "Call",
    "Conversation",
    "HybridResponder",
    "LLMConversation",
    "LLMResponder",
    "LocalResponder",
    "ModelFactory",
    "Responder",
    "Round",
    "Step",
    "TurnInfo",
    "TurnState",
    "inline",
    "make_responder",
    "run_inline",
]
