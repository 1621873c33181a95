"""The offline engine as a LangChain chat model: rules-based understanding, template replies.

Why a ``BaseChatModel``: the turn runner (and anything else built on LangChain) drives the local
engine exactly like OpenAI or Gemini: the user's message goes in, an ``AIMessage`` with
``tool_calls`` comes out; the tool results go back in and the final answer comes out. The
understanding is ``assistant.nlu.understand``; the answer is ``replies.compose_turn_reply``, so
every number in it comes from a tool result.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, PrivateAttr

from .replies import compose_turn_reply

FALLBACK_REPLY = (
    "I can log expenses and income, check budgets and spending, track subscriptions and goals, "
    'or tell you whether a purchase fits. Try "I spent 12.50 on lunch" or "how much is left for dining?"'
)
ENGINE = "local"


def split_chunks(text: str, size: int = 4) -> list[str]:
    """A reply in a few word-aligned pieces, as a stream would send it."""
    words = text.split(" ")
    if len(words) <= size:
        return [text] if text else []
    step = max(1, -(-len(words) // size))
    return [" ".join(words[i : i + step]) + (" " if i + step < len(words) else "") for i in range(0, len(words), step)]


def tool_results(messages: Sequence[BaseMessage]) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """The last tool round: (name, args, result) per call, in the order the calls were made."""
    for idx in range(len(messages) - 1, -1, -1):
        msg = messages[idx]
        if isinstance(msg, AIMessage) and msg.tool_calls:
            by_id: dict[str, dict[str, Any]] = {}
            for later in messages[idx + 1 :]:
                if isinstance(later, ToolMessage):
                    by_id[later.tool_call_id] = _result_of(later)
            return [(c["name"], dict(c["args"]), by_id.get(c.get("id") or "", _missing())) for c in msg.tool_calls]
    return []


def _no_memory(merchant: str) -> str | None:
    return None


def _missing() -> dict[str, Any]:
    return {"ok": False, "error": {"code": "internal", "message": "the tool gave no result"}}


def _result_of(msg: ToolMessage) -> dict[str, Any]:
    if isinstance(msg.artifact, Mapping):
        return dict(msg.artifact)
    try:
        data = json.loads(msg.content if isinstance(msg.content, str) else msg.text)
    except (TypeError, ValueError):
        return _missing()
    return data if isinstance(data, dict) else _missing()


class LocalChatModel(BaseChatModel):
    """Understands the last human message with ``assistant.nlu``; answers tool results with templates.

    The fields are this user's and turn's ``assistant.nlu.NLUContext`` (built on first use):
    categories, currency, today, a merchant-memory lookup and the last tool used; the runner
    builds one model per turn.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    currency: str = "USD"
    today: dt.date | None = None
    categories: tuple[str, ...] = ()
    merchant_category: Callable[[str], str | None] | None = None
    last_tool: str | None = None
    last_args: dict[str, Any] | None = None
    seed: str = ""
    _understood: dict[str, Any] = PrivateAttr(default_factory=dict)

    @property
    def _llm_type(self) -> str:
        return "budgetwise-local"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> LocalChatModel:  # type: ignore[override]
        """The local engine knows the contract's tools already; binding changes nothing."""
        return self

    # -- understanding

    def understand(self, text: str) -> Any:
        """``assistant.nlu.understand`` for ``text`` (once per text and turn)."""
        if text not in self._understood:
            from ..nlu import NLUContext, understand

            ctx = NLUContext(
                today=self.today or dt.date.today(),
                currency=self.currency,
                categories=self.categories,
                merchant_category=self.merchant_category or _no_memory,
                last_tool=self.last_tool,
                last_args=self.last_args,
            )
            self._understood[text] = understand(text, ctx)
        return self._understood[text]

    def confidence(self, text: str) -> float:
        return float(getattr(self.understand(text), "confidence", 0.0) or 0.0)

    def respond(self, messages: Sequence[BaseMessage]) -> AIMessage:
        """The next message of the conversation: tool calls, or the final answer."""
        meta = {"engine": ENGINE, "model_provider": ENGINE}
        last = messages[-1] if messages else None
        if isinstance(last, ToolMessage):
            calls = tool_results(messages)
            text = compose_turn_reply(calls, currency=self.currency, seed=self.seed, today=self.today)
            return AIMessage(content=text or "Done.", response_metadata=meta)
        text = last.text if isinstance(last, HumanMessage) else ""
        if not text.strip():
            return AIMessage(content=FALLBACK_REPLY, response_metadata=meta)
        result = self.understand(text)
        wanted = list(getattr(result, "calls", ()) or ())
        if wanted:
            tool_calls = [
                {"name": c.name, "args": dict(c.args), "id": f"call_{self.seed}_{i}", "type": "tool_call"}
                for i, c in enumerate(wanted)
            ]
            return AIMessage(content="", tool_calls=tool_calls, response_metadata=meta)  # type: ignore[arg-type]
        return AIMessage(content=getattr(result, "reply", None) or FALLBACK_REPLY, response_metadata=meta)

    # -- BaseChatModel

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self.respond(messages))])

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return self._generate(messages, stop)

    def _chunks(self, messages: list[BaseMessage]) -> Iterator[ChatGenerationChunk]:
        message = self.respond(messages)
        if message.tool_calls:
            chunks = [
                {"name": c["name"], "args": json.dumps(c["args"], default=str), "id": c["id"], "index": i}
                for i, c in enumerate(message.tool_calls)
            ]
            yield ChatGenerationChunk(
                message=AIMessageChunk(
                    content="",
                    tool_call_chunks=chunks,  # type: ignore[arg-type]
                    response_metadata=message.response_metadata,
                )
            )
            return
        for i, piece in enumerate(split_chunks(message.text)):
            meta = message.response_metadata if i == 0 else {}
            yield ChatGenerationChunk(message=AIMessageChunk(content=piece, response_metadata=meta))

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        yield from self._chunks(messages)

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        for chunk in self._chunks(messages):
            yield chunk
