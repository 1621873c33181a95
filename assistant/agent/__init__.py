"""The assistant: a turn runner over LangChain chat models (local engine or a provider) and tools.

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
from .runner import AgentRunner, choose_model

__all__ = [
    "AgentRunner",
    "AssistantMessage",
    "EventType",
    "Token",
    "ToolCall",
    "ToolResult",
    "TurnEnd",
    "TurnError",
    "TurnEvent",
    "TurnStart",
    "choose_model",
]
