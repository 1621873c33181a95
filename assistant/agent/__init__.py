"""The assistant: a turn runner over responders (the local engine, a provider's chat model, hybrid) and tools.

``AgentRunner(engine=..., settings=...).run_turn(user_id, text, reply_to)`` yields the
WebSocket contract's events (``assistant.agent.events``); ``terminal`` drives it from a shell.
"""

from __future__ import annotations

import importlib
from typing import Any

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

# The runner and the responders load LangChain and the tools: imported when first asked for, so a
# module that only needs the events (the voice pipeline, the web app at import) does not pay for them
# and start-up can warm them on a worker thread instead (``web.app``).
_LAZY = {
    "AgentRunner": ".runner",
    "HybridResponder": ".responders",
    "LLMResponder": ".responders",
    "LocalResponder": ".responders",
    "Responder": ".responders",
    "make_responder": ".responders",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
