"""The assistant: a turn runner over responders (the local engine, a provider's chat model, hybrid) and tools.

``AgentRunner(engine=..., settings=...).run_turn(user_id, text, reply_to)`` yields the
WebSocket contract's events (``assistant.agent.events``); ``terminal`` drives it from a shell.
"""

from __future__ import annotations

from .events import (
    AssistantMessage,
    EventType,
    Token,
    ToolCall,
    ToolResult,
    TurnEnd,
    TurnError,
    TurnEvent,
    TurnStart,
)
from .responders import HybridResponder, LLMResponder, LocalResponder, Responder, make_responder
from .runner import AgentRunner

__all__ = [
    "AgentRunner",
    "AssistantMessage",
    "EventType",
    "HybridResponder",
    "LLMResponder",
    "LocalResponder",
    "Responder",
    "Token",
    "ToolCall",
    "ToolResult",
    "TurnEnd",
    "TurnError",
    "TurnEvent",
    "TurnStart",
    "make_responder",
]
