"""A chat model that plays back a script of ``AIMessage``s: for tests and demos, no network.

Why: the runner, the tools and the safety rules are tested against exactly the tool calls a
real provider could send (including hostile ones), without mocking our own code.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import ConfigDict, Field


class ScriptedChatModel(BaseChatModel):
    """Answers each call with the next message in ``script``; records what it was shown."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    script: deque[Any] = Field(default_factory=deque)  # AIMessages and exceptions, in order
    seen: list[list[BaseMessage]] = Field(default_factory=list)
    bound_tools: list[str] = Field(default_factory=list)

    @classmethod
    def of(cls, messages: Iterable[AIMessage | str | Exception]) -> ScriptedChatModel:
        """A script from messages, plain strings (final answers) and exceptions (raised in turn)."""
        return cls(script=deque(AIMessage(content=m) if isinstance(m, str) else m for m in messages))

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ScriptedChatModel:  # type: ignore[override]
        self.bound_tools = [getattr(t, "name", str(t)) for t in tools]
        return self

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.seen.append(list(messages))
        message = self.script.popleft() if self.script else AIMessage(content="(the script has ended)")
        if isinstance(message, Exception):
            raise message
        return ChatResult(generations=[ChatGeneration(message=message)])
