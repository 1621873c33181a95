"""A chat model (a provider's, or a test's script) as a responder: the ``bind_tools`` loop.

The turn becomes LangChain messages here and only here: the system prompt with the user's
context, the recent chat, the user's words, then for every round the model's tool calls and
the tools' results. Each step streams the model's text as it arrives.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, SystemMessage, ToolMessage

from tools import build_tools

from ...errors import Unavailable
from ...settings import Settings
from ..history import TurnSetup, render_system_prompt
from .base import Call, Step, TurnState


@dataclass
class TurnInfo:
    """What a test's ``model_factory`` may look at."""

    text: str
    setup: TurnSetup


ModelFactory = Callable[[TurnInfo], BaseChatModel]


@cache
def system_template() -> str:
    return resources.files("prompts").joinpath("system.txt").read_text(encoding="utf-8")


class LLMResponder:
    """Answers with a chat model made per turn by ``make_model``; reports ``engine``."""

    inline = False
    needs_prompt = True

    def __init__(self, make_model: ModelFactory, engine: str) -> None:
        self.make_model = make_model
        self.engine = engine

    @classmethod
    def from_settings(cls, settings: Settings) -> LLMResponder:
        """The configured provider (``BUDGETWISE_LLM``), with retries and one timeout."""
        from ..providers import get_chat_model
        from ..routing import engine_name

        return cls(lambda _info: get_chat_model(settings.llm, settings), engine_name(settings.llm))

    def begin(self, turn: TurnState) -> LLMConversation:
        """May raise ``BudgetWiseError`` or ``ValueError`` (no key, a bad spec)."""
        return LLMConversation(self.make_model(TurnInfo(turn.text, turn.setup)), self.engine, turn)


class LLMConversation:
    """One turn with a chat model: its transcript, the bound tools, one streamed request per step."""

    inline = False

    def __init__(self, model: BaseChatModel, engine: str, turn: TurnState) -> None:
        self.model = model
        self.engine = engine
        self.bound: Any = None
        history = [HumanMessage(content=c) if r == "user" else AIMessage(content=c) for r, c in turn.setup.history]
        prompt = render_system_prompt(system_template(), turn.setup)
        self.messages: list[BaseMessage] = [SystemMessage(content=prompt), *history, HumanMessage(content=turn.text)]
        self._synced = 0

    async def aclose(self) -> None:
        aclose = getattr(self.model, "aclose", None)  # a provider's HTTP connections
        if aclose is not None:
            await aclose()

    def _sync(self, turn: TurnState) -> None:
        """The rounds run since the last request, as the model's calls and the tools' answers."""
        for done in turn.rounds[self._synced :]:
            raw = done.step.raw
            calls = [{"name": c.name, "args": c.args, "id": c.id, "type": "tool_call"} for c in done.step.calls]
            meta = getattr(raw, "response_metadata", None) or {}
            # The model's own content (a provider may send parts) unless the policy changed the text.
            content = raw.content if raw is not None and raw.text == done.step.text else done.step.text
            self.messages.append(
                AIMessage(content=content, tool_calls=calls, response_metadata=meta, id=getattr(raw, "id", None))
            )
            for call, ok, result in done.results:
                self.messages.append(
                    ToolMessage(
                        content=json.dumps(result, default=str),
                        tool_call_id=call.id,
                        name=call.name,
                        artifact=result,
                        status="success" if ok else "error",
                    )
                )
        self._synced = len(turn.rounds)

    async def step(self, turn: TurnState) -> AsyncIterator[str | Step]:
        if self.bound is None:
            self.bound = self.model.bind_tools(build_tools(turn.ctx))
        self._sync(turn)
        merged: AIMessageChunk | None = None
        async for item in self.bound.astream(self.messages):
            if not isinstance(item, AIMessage):
                continue
            chunk = item if isinstance(item, AIMessageChunk) else _as_chunk(item)
            merged = chunk if merged is None else merged + chunk
            if chunk.text:
                yield chunk.text
        if merged is None:
            raise Unavailable("the model gave no answer")
        calls = tuple(Call(str(c["name"]), dict(c["args"] or {}), c.get("id") or "") for c in merged.tool_calls)
        yield Step(merged.text, calls, engine=self.engine, streamed=True, raw=merged)


def _as_chunk(message: AIMessage) -> AIMessageChunk:
    return AIMessageChunk(
        content=message.content,
        tool_call_chunks=[
            {"name": c["name"], "args": json.dumps(c["args"], default=str), "id": c.get("id"), "index": i}
            for i, c in enumerate(message.tool_calls)
        ],
        response_metadata=message.response_metadata,
        id=message.id,
    )
