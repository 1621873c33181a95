"""One chat turn: prompt, model, tool calls, streamed reply, stored messages, as typed events.

Why this loop and not a prebuilt agent: the events must follow the WebSocket contract exactly
(``turn_start``, ``tool_call``/``tool_result`` pairs, ``token``s, ``assistant_message``,
``turn_end``; on failure ``error`` and still ``turn_end``), each tool call must be its own unit
of work for the signed-in user only, and a provider that fails must hand the turn to the local
engine instead of failing the user. Blocking database work runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from sqlalchemy.engine import Engine

from tools import ToolContext, build_tools, run_tool

from ..clock import Clock, SystemClock
from ..errors import BudgetWiseError, Unavailable
from ..logsafe import log_exception_safely
from ..settings import Settings
from .confirmations import PendingAction, PendingConfirmations, describe_action, transaction_words, yes_or_no
from .events import AssistantMessage, Token, ToolCall, ToolResult, TurnEnd, TurnError, TurnEvent, TurnStart
from .history import TurnSetup, load_setup, render_system_prompt, save_turn
from .local_model import ENGINE as LOCAL
from .local_model import LocalChatModel
from .replies import compose_turn_reply
from .routing import fallback_notice, with_fallback_notice
from .safety import CallFacts, check_ledger, screen_call

log = logging.getLogger(__name__)
MAX_TEXT = 4000


@dataclass
class TurnInfo:
    """What ``choose_model`` (and a test's ``model_factory``) may look at."""

    text: str
    setup: TurnSetup
    local: LocalChatModel


@dataclass
class Chosen:
    model: BaseChatModel
    engine: str
    fallback_from: str | None = None
    """The provider that should have answered but could not be set up (the reply says so)."""


ModelFactory = Callable[[TurnInfo], BaseChatModel]


def choose_model(settings: Settings, info: TurnInfo) -> Chosen:
    """Which model answers this turn: the local engine, or the configured provider (hybrid).

    With ``prefer_local`` a message the local engine understands confidently stays local
    (fast, free, private); anything else goes to the provider. The runner falls back to the
    local engine when the provider fails.
    """
    from .providers import get_chat_model
    from .routing import choose_route, engine_name

    if engine_name(settings.llm) == LOCAL:  # local, scripted: no provider to ask
        return Chosen(info.local, LOCAL)
    route = choose_route(settings, info.local.confidence(info.text) if settings.prefer_local else None)
    if route.is_local:
        return Chosen(info.local, LOCAL)
    try:
        return Chosen(get_chat_model(settings.llm, settings), route.engine)
    except (BudgetWiseError, ValueError) as err:  # no key, bad spec: answer locally, say so
        log.warning("falling back to the local engine: %s", err)
        return Chosen(info.local, LOCAL, fallback_from=route.engine)


@cache
def system_template() -> str:
    return resources.files("prompts").joinpath("system.txt").read_text(encoding="utf-8")


@dataclass
class _Turn:
    """The state of one running turn."""

    turn_id: str
    setup: TurnSetup
    ctx: ToolContext
    messages: list[BaseMessage]
    calls: list[dict[str, Any]] = field(default_factory=list)
    streamed: list[str] = field(default_factory=list)
    text: str = ""
    """The user's message (what the write-safety policy judges the calls against)."""
    voice_confident: bool = True
    spoken: bool = False
    notes: list[str] = field(default_factory=list)
    """What the policy held back or refused, said after the reply."""
    confirm: PendingAction | None = None
    """The write waiting for the user's yes (the contract's ``confirm``)."""

    def confirm_dict(self) -> dict[str, Any] | None:
        return self.confirm.to_confirm() if self.confirm is not None else None


class AgentRunner:
    """Runs chat turns for signed-in users; one instance serves the whole app."""

    def __init__(
        self,
        *,
        engine: Engine,
        settings: Settings,
        clock: Clock | None = None,
        model_factory: ModelFactory | None = None,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self.model_factory = model_factory
        self.pending = PendingConfirmations(self.clock)
        """Writes waiting for a yes, per user (``assistant.agent.safety``)."""

    async def run_turn(
        self,
        user_id: int,
        text: str,
        reply_to: str | None = None,
        *,
        confident: bool = True,
        spoken: bool = False,
    ) -> AsyncIterator[TurnEvent]:
        """The events of one turn, in the contract's order; never raises for a user's input.

        ``confident=False``: the text is a voice transcript the recogniser was unsure of, so any
        write in it is asked about first. ``spoken``: the text is a voice transcript; a change or
        removal of what is already recorded is then asked about first (Whisper's "That's ..." at the
        start of a sentence reads like a correction). A plain "yes"/"no" answers a waiting confirmation; any
        other message drops it.
        """
        answer = yes_or_no(text or "")
        if answer is not None and self.pending.peek(user_id) is not None:
            async for event in self.run_confirm(user_id, None, answer, reply_to, said=text):
                yield event
            return
        self.pending.drop(user_id)
        turn_id = uuid.uuid4().hex
        yield TurnStart(turn_id, reply_to=reply_to)
        text = (text or "").strip()[:MAX_TEXT]
        reply, engine, turn = "", LOCAL, None
        try:
            # One thread hop loads the turn's context and, when the local engine answers, runs
            # the whole turn and stores it too (it is fast: thread hops cost more than it does).
            turn, local, chosen, done = await asyncio.to_thread(self._start, user_id, turn_id, text, confident, spoken)
            if done is not None:
                events, failure = done
                for event in events:
                    yield event
                if failure is not None:
                    raise failure
                yield TurnEnd(turn_id)
                return
            fallback_from = chosen.fallback_from
            try:
                if fallback_from:
                    yield Token(turn_id, text=fallback_notice(fallback_from) + "\n\n")
                async for event in self._loop(turn, chosen.model, chosen.engine):
                    yield event
                engine = chosen.engine
            except Unavailable as err:  # the provider is down: the local engine finishes the turn
                if chosen.model is local:
                    raise
                log.warning("provider failed, answering locally: %s", err)
                fallback_from = chosen.engine
                yield Token(turn_id, text=fallback_notice(fallback_from) + "\n\n")
                async for event in self._loop(turn, local, LOCAL):
                    yield event
            finally:
                aclose = getattr(chosen.model, "aclose", None)  # a provider's HTTP connections
                if aclose is not None and chosen.model is not local:
                    await aclose()
            reply = turn.messages[-1].text if turn.messages else ""
            if fallback_from:
                reply = with_fallback_notice(reply, fallback_from)
            yield AssistantMessage(
                turn_id, text=reply, engine=_engine_of(turn.messages[-1], engine), confirm=turn.confirm_dict()
            )
        except Exception as err:  # the turn fails, the connection does not
            code = str(err.code) if isinstance(err, BudgetWiseError) else "internal"
            message = err.message if isinstance(err, BudgetWiseError) else "something went wrong on our side"
            if not isinstance(err, BudgetWiseError):
                log_exception_safely(log, "turn %s failed", turn_id, exc=err)  # messages quote the user's words
            reply = f"Sorry, {message}."
            yield TurnError(turn_id, code=code, message=message)
        if turn is not None:  # a user we could not load has no history to keep
            try:
                await asyncio.to_thread(save_turn, self.engine, user_id, turn_id, text, reply, turn.calls)
            except Exception as exc:
                log_exception_safely(log, "could not store turn %s", turn_id, exc=exc)
        yield TurnEnd(turn_id)

    # -- internals

    def _prepare(
        self, user_id: int, turn_id: str, text: str, confident: bool = True, spoken: bool = False
    ) -> tuple[_Turn, LocalChatModel, Chosen]:
        """Load the turn's context and pick its model (blocking: runs in a worker thread)."""
        setup = load_setup(self.engine, user_id, self.clock)
        local = self._local_model(setup, turn_id)
        info = TurnInfo(text=text, setup=setup, local=local)
        chosen = Chosen(self.model_factory(info), LOCAL) if self.model_factory else choose_model(self.settings, info)
        # The local engine reads no system prompt: only a provider's turn pays for rendering it.
        turn = self._new_turn(turn_id, setup, text, system=not isinstance(chosen.model, LocalChatModel))
        turn.text, turn.voice_confident, turn.spoken = text, confident, spoken
        return turn, local, chosen

    def _start(
        self, user_id: int, turn_id: str, text: str, confident: bool = True, spoken: bool = False
    ) -> tuple[_Turn, LocalChatModel, Chosen, tuple[list[TurnEvent], Exception | None] | None]:
        """``_prepare``, then the whole turn when the local engine answers it (blocking)."""
        turn, local, chosen = self._prepare(user_id, turn_id, text, confident, spoken)
        if not isinstance(chosen.model, LocalChatModel) or chosen.fallback_from:
            return turn, local, chosen, None
        events: list[TurnEvent] = []
        try:
            self._whole_local_turn(turn, chosen.model, events, text)
        except Exception as exc:
            return turn, local, chosen, (events, exc)
        return turn, local, chosen, (events, None)

    def _whole_local_turn(self, turn: _Turn, model: LocalChatModel, out: list[TurnEvent], text: str) -> None:
        """A local turn from first step to stored messages, synchronously, appending to ``out``."""
        self._local_steps(turn, model, out)
        reply = turn.messages[-1].text
        out.append(AssistantMessage(turn.turn_id, text=reply, engine=LOCAL, confirm=turn.confirm_dict()))
        try:
            save_turn(self.engine, turn.setup.user_id, turn.turn_id, text, reply, turn.calls)
        except Exception as exc:
            log_exception_safely(log, "could not store turn %s", turn.turn_id, exc=exc)

    def _local_steps(self, turn: _Turn, model: LocalChatModel, out: list[TurnEvent]) -> None:
        """The local engine's loop: understand, run the tools, write the reply from their results."""
        rounds = max(1, self.settings.max_tool_rounds)
        for round_no in range(rounds + 1):
            message = model.respond(turn.messages)
            if message.tool_calls and round_no == rounds:
                break
            if message.tool_calls:
                message = self._screen(turn, message, model, LOCAL)
            turn.messages.append(message)
            if not message.tool_calls:
                # The reply exists whole at once: it goes out once, in ``assistant_message``
                # (the contract's "zero or more" tokens), not as pieces of a stream that isn't one.
                self._add_notes(turn)
                return
            for call in message.tool_calls:
                out.append(self._start_call(turn, call))
                out.append(self._finish_call(turn, call))
        out.append(self._out_of_rounds(turn, LOCAL))

    def _new_turn(self, turn_id: str, setup: TurnSetup, text: str, *, system: bool = True) -> _Turn:
        ctx = ToolContext(
            engine=self.engine,
            user_id=setup.user_id,
            clock=self.clock,
            currency=setup.currency,
            timezone=setup.timezone,
            turn_id=turn_id,
        )
        prompt = render_system_prompt(system_template(), setup) if system else ""
        return _Turn(turn_id, setup, ctx, [SystemMessage(content=prompt), *setup.history, HumanMessage(content=text)])

    def _local_model(self, setup: TurnSetup, seed: str) -> LocalChatModel:
        memory = setup.merchant_memory
        return LocalChatModel(
            currency=setup.currency,
            today=setup.today,
            categories=setup.categories,
            merchant_category=lambda merchant: memory.get(" ".join(merchant.lower().replace("&", "and").split())),
            last_tool=setup.last_tool,
            last_args=setup.last_args,
            seed=seed,
        )

    async def _loop(self, turn: _Turn, model: BaseChatModel, engine: str) -> AsyncIterator[TurnEvent]:
        """Model, tools, model ... until a final answer (at most ``max_tool_rounds`` tool rounds)."""
        if isinstance(model, LocalChatModel):
            events: list[TurnEvent] = []
            await asyncio.to_thread(self._local_steps, turn, model, events)
            for event in events:
                yield event
            return
        bound: Any = model.bind_tools(build_tools(turn.ctx))
        rounds = max(1, self.settings.max_tool_rounds)
        for round_no in range(rounds + 1):
            message: AIMessage | None = None
            async for chunk_event, merged in self._stream(turn, bound):
                if chunk_event is not None:
                    yield chunk_event
                message = merged
            assert message is not None
            if message.tool_calls and round_no == rounds:
                break  # out of tool rounds: the calls asked for now are not run
            if message.tool_calls:
                screened = await asyncio.to_thread(self._screen, turn, message, model, engine)
                if not screened.tool_calls:  # every write was held back: the policy's words answer
                    yield Token(turn.turn_id, text=(" " if message.text else "") + screened.text)
                    if message.text:
                        screened = AIMessage(
                            content=f"{message.text} {screened.text}", response_metadata=screened.response_metadata
                        )
                message = screened
            turn.messages.append(message)
            if not message.tool_calls:
                extra = self._add_notes(turn)
                if extra:
                    yield Token(turn.turn_id, text=extra)
                return
            for call in message.tool_calls:
                yield self._start_call(turn, call)
                yield await asyncio.to_thread(self._finish_call, turn, call)
        yield self._out_of_rounds(turn, engine)

    # -- write safety (``assistant.agent.safety``): every write passes ``_screen`` before it runs

    def _screen(self, turn: _Turn, message: AIMessage, model: BaseChatModel, engine: str) -> AIMessage:
        """``message`` with only the calls the policy lets run now (blocking: may read the ledger).

        Held writes become the turn's ``confirm`` (one per turn; more are named in a note), refused
        ones a plain note. When nothing is left to run the answer is the policy's own words.
        """
        understood = model.understand(turn.text) if isinstance(model, LocalChatModel) else None
        planned = list(getattr(understood, "calls", ()) or ())
        overall = getattr(understood, "confidence", None)
        keep: list[Any] = []
        lead = ""
        for i, call in enumerate(message.tool_calls):
            name, args = str(call.get("name", "")), dict(call.get("args") or {})
            plan = planned[i] if i < len(planned) else None
            confidence = getattr(plan, "confidence", None)
            confidence = overall if confidence is None else confidence
            facts = CallFacts(
                turn.text,
                confidence=None if confidence is None else float(confidence),
                amount_is_money=getattr(plan, "amount_is_money", None),
                voice_confident=turn.voice_confident,
                spoken=turn.spoken,
            )
            verdict = screen_call(name, args, facts)
            if verdict.action == "run":
                verdict = check_ledger(
                    self.engine, turn.setup.user_id, name, args, turn.setup.today, turn.setup.currency
                )
            if verdict.action == "run":
                keep.append(call)
            elif verdict.action == "replace" and verdict.replacement is not None:
                keep.append({**call, "name": verdict.replacement[0], "args": verdict.replacement[1]})
            elif verdict.action == "refuse":
                if verdict.text not in turn.notes:
                    turn.notes.append(verdict.text)
            else:
                target = ""
                if name in ("delete_transaction", "update_transaction"):
                    target = transaction_words(
                        self.engine, turn.setup.user_id, args.get("transaction_id", ""), turn.setup.currency
                    )
                question = describe_action(name, args, turn.setup.currency, target)
                log.info("write %s held for a yes (%s)", name, verdict.reason)
                if turn.confirm is None:
                    turn.confirm = self.pending.offer(turn.setup.user_id, name, args, question)
                    lead = _CONFIRM_LEAD.get(verdict.reason, "")
                else:
                    turn.notes.append(f"I didn't do this either: {question[:-1]}. Ask again after this one.")
            if verdict.action != "run":
                log.info("write safety: %s -> %s (%s)", name, verdict.action, verdict.reason)
        if turn.confirm is not None:
            turn.notes.append(f"{lead}{turn.confirm.text}")
        if len(keep) == len(message.tool_calls) and all(k is c for k, c in zip(keep, message.tool_calls, strict=True)):
            return message
        if keep:
            return AIMessage(
                content=message.content, tool_calls=keep, response_metadata=message.response_metadata, id=message.id
            )
        text, turn.notes = " ".join(turn.notes), []
        return AIMessage(content=text, response_metadata={"engine": engine, "model_provider": engine})

    def _add_notes(self, turn: _Turn) -> str:
        """Put what the policy held back after the reply; returns the added text (to stream it)."""
        if not turn.notes:
            return ""
        notes, turn.notes = " ".join(turn.notes), []
        last = turn.messages[-1]
        extra = f"\n\n{notes}" if last.text else notes
        turn.messages[-1] = AIMessage(
            content=last.text + extra, response_metadata=getattr(last, "response_metadata", {}) or {}
        )
        return extra

    async def run_confirm(
        self,
        user_id: int,
        confirm_id: str | None,
        answer: str,
        reply_to: str | None = None,
        *,
        said: str | None = None,
    ) -> AsyncIterator[TurnEvent]:
        """The answer to a confirmation, as its own turn: "yes" runs the held write (with its
        ``tool_call``/``tool_result``) at most once; "no" drops it. ``confirm_id`` None: whatever
        waits (a typed or spoken yes)."""
        turn_id = uuid.uuid4().hex
        yield TurnStart(turn_id, reply_to=reply_to)
        text = (said or answer).strip()[:MAX_TEXT]
        action = self.pending.take(user_id, confirm_id)
        try:
            if answer != "yes" or action is None:
                if answer != "yes":
                    reply = "OK, I won't do that. Nothing was changed." if action else "OK, nothing was changed."
                else:
                    reply = "Nothing is waiting for a yes any more (it may have expired), so I didn't change anything."
                yield AssistantMessage(turn_id, text=reply, engine=LOCAL)
                await asyncio.to_thread(save_turn, self.engine, user_id, turn_id, text, reply, [])
            else:
                for event in await asyncio.to_thread(self._run_confirmed, user_id, turn_id, action, text):
                    yield event
        except Exception as err:  # the turn fails, the connection does not
            code = str(err.code) if isinstance(err, BudgetWiseError) else "internal"
            message = err.message if isinstance(err, BudgetWiseError) else "something went wrong on our side"
            if not isinstance(err, BudgetWiseError):
                log.exception("confirm turn %s failed", turn_id)
            yield TurnError(turn_id, code=code, message=message)
        yield TurnEnd(turn_id)

    def _run_confirmed(self, user_id: int, turn_id: str, action: PendingAction, text: str) -> list[TurnEvent]:
        """Run a confirmed write and store the turn (blocking)."""
        setup = load_setup(self.engine, user_id, self.clock)
        turn = self._new_turn(turn_id, setup, text, system=False)
        call = {"name": action.name, "args": dict(action.args), "id": f"confirm_{action.id}"}
        events: list[TurnEvent] = [self._start_call(turn, call), self._finish_call(turn, call)]
        calls = [(c["name"], c["args"], c["result"]) for c in turn.calls]
        reply = compose_turn_reply(calls, currency=setup.currency, seed=turn_id, today=setup.today) or "Done."
        events.append(AssistantMessage(turn_id, text=reply, engine=LOCAL))
        try:
            save_turn(self.engine, user_id, turn_id, text, reply, turn.calls)
        except Exception:
            log.exception("could not store turn %s", turn_id)
        return events

    def _out_of_rounds(self, turn: _Turn, engine: str) -> Token:
        """Out of tool rounds: answer from what the tools said, never from a guess."""
        calls = [(c["name"], c["args"], c["result"]) for c in turn.calls]
        text = compose_turn_reply(calls, currency=turn.setup.currency, seed=turn.turn_id, today=turn.setup.today)
        turn.messages.append(AIMessage(content=text, response_metadata={"engine": engine}))
        return Token(turn.turn_id, text=text)

    async def _stream(self, turn: _Turn, bound: Any) -> AsyncIterator[tuple[TurnEvent | None, AIMessage]]:
        merged: AIMessageChunk | None = None
        async for item in bound.astream(turn.messages):
            if not isinstance(item, AIMessage):
                continue
            chunk = item if isinstance(item, AIMessageChunk) else _as_chunk(item)
            merged = chunk if merged is None else merged + chunk
            piece = chunk.text
            yield (Token(turn.turn_id, text=piece) if piece else None), merged  # type: ignore[misc]
        if merged is None:
            raise Unavailable("the model gave no answer")
        final = AIMessage(
            content=merged.content,
            tool_calls=merged.tool_calls,
            response_metadata=merged.response_metadata,
            id=merged.id,
        )
        yield None, final

    def _start_call(self, turn: _Turn, call: Any) -> ToolCall:
        return ToolCall(turn.turn_id, name=str(call.get("name", "")), args=_jsonable(dict(call.get("args") or {})))

    def _finish_call(self, turn: _Turn, call: Any) -> ToolResult:
        """Run one tool call (its own unit of work) and record it for the model and the history."""
        name, args, call_id = str(call.get("name", "")), dict(call.get("args") or {}), call.get("id") or ""
        ok, result = run_tool(turn.ctx, name, args)
        turn.calls.append({"name": name, "args": _jsonable(args), "ok": ok, "result": result})
        turn.messages.append(
            ToolMessage(
                content=json.dumps(result, default=str),
                tool_call_id=call_id,
                name=name,
                artifact=result,
                status="success" if ok else "error",
            )
        )
        return ToolResult(turn.turn_id, name=name, ok=ok, result=result)


_CONFIRM_LEAD = {
    "outlier": "That's far more than you usually spend or earn there. ",
    "voice_unsure": "I want to be sure I heard you right. ",
    "maybe_not_money": "I'm not sure that number is money. ",
    "elsewhere": "I only keep your BudgetWise ledger. ",
}


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


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def _engine_of(message: BaseMessage, default: str) -> str:
    meta = getattr(message, "response_metadata", None) or {}
    engine = meta.get("engine")
    return str(engine) if engine in ("local", "openai", "gemini", "ollama") else default
