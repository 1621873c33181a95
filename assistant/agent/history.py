"""The turn's context as the agent uses it. Chat messages and the turn's context are owned by
``assistant.services.conversations``; this module re-exports its names and adds LangChain's view
of the stored conversation (``as_messages``)."""

from __future__ import annotations

from collections.abc import Iterable

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

from ..services.conversations import (
    HISTORY_LIMIT,
    MEMORY_LIMIT,
    ChatLine,
    TurnSetup,
    insert_turn,
    load_setup,
    render_system_prompt,
    save_turn,
    setup_in,
)

__all__ = [
    "HISTORY_LIMIT",
    "MEMORY_LIMIT",
    "ChatLine",
    "TurnSetup",
    "as_messages",
    "insert_turn",
    "load_setup",
    "render_system_prompt",
    "save_turn",
    "setup_in",
]


def as_messages(history: Iterable[ChatLine]) -> list[BaseMessage]:
    """The stored conversation as chat-model messages (user -> human, assistant -> AI)."""
    return [HumanMessage(content=c) if role == "user" else AIMessage(content=c) for role, c in history]
