"""The assistant's tools: the contract's actions, one ``ToolSpec`` each, found in ``tools.registry``.

``build_tools(ctx)`` gives LangChain ``StructuredTool``s (for a provider's ``bind_tools``);
``run_tool(ctx, name, args)`` is the same call without LangChain, which the turn runner uses;
``compose_turn_reply`` writes the local engine's answer and ``summary_of`` a call's chip.
"""

from __future__ import annotations

from .context import ToolContext
from .registry import (
    READ_ONLY,
    REGISTRY,
    TOOL_NAMES,
    WRITE_TOOLS,
    HeldWrite,
    build_tools,
    chip_of,
    compose_reply,
    compose_turn_reply,
    for_dialect,
    model_schema,
    required_args,
    run_tool,
    spec,
    summary_of,
)
from .spec import Chip, ToolSpec

__all__ = [
    "READ_ONLY",
    "REGISTRY",
    "TOOL_NAMES",
    "WRITE_TOOLS",
    "Chip",
    "HeldWrite",
    "ToolContext",
    "ToolSpec",
    "build_tools",
    "chip_of",
    "compose_reply",
    "compose_turn_reply",
    "for_dialect",
    "model_schema",
    "required_args",
    "run_tool",
    "spec",
    "summary_of",
]
