"""The assistant's tools: the contract's 21 actions and 3 reminder actions, built per turn for one user.

``build_tools(ctx)`` gives LangChain ``StructuredTool``s (for ``bind_tools`` and any agent);
``run_tool(ctx, name, args)`` is the same call without LangChain, which the turn runner uses.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from langchain_core.tools import BaseTool, StructuredTool

from . import planning, reminders
from .context import ToolContext
from .ledger import IMPLS, READ_ONLY, run_tool
from .schemas import ARG_MODELS, TOOL_DESCRIPTIONS

# the reminder tools beyond the contract's fifteen, found by build_tools and run_tool like the rest
ARG_MODELS.update(reminders.ARG_MODELS)
TOOL_DESCRIPTIONS.update(reminders.DESCRIPTIONS)
IMPLS.update(reminders.IMPLS)
# the tools people asked for (issue 10; in the contract's table): goal contributions, rates, moves...
ARG_MODELS.update(planning.ARG_MODELS)
TOOL_DESCRIPTIONS.update(planning.DESCRIPTIONS)
IMPLS.update(planning.IMPLS)

TOOL_NAMES: tuple[str, ...] = tuple(ARG_MODELS)
WRITE_TOOLS: frozenset[str] = frozenset(TOOL_NAMES) - READ_ONLY


def _call(ctx: ToolContext, name: str, **kwargs: Any) -> dict[str, Any]:
    return run_tool(ctx, name, kwargs)[1]


def build_tools(ctx: ToolContext) -> list[BaseTool]:
    """The tools bound to ``ctx``'s user: no tool takes a user, so none can be pointed elsewhere."""
    return [
        StructuredTool.from_function(
            func=partial(_call, ctx, name),
            name=name,
            description=TOOL_DESCRIPTIONS[name],
            args_schema=ARG_MODELS[name],
            infer_schema=False,
        )
        for name in TOOL_NAMES
    ]


__all__ = ["READ_ONLY", "TOOL_NAMES", "WRITE_TOOLS", "ToolContext", "build_tools", "run_tool"]
