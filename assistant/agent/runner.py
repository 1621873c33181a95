"""One chat turn: a responder's steps, screened tool calls, the reply, stored messages, as typed events.

Why this loop and not a prebuilt agent: the events must follow the WebSocket contract exactly
(``turn_start``, ``tool_call``/``tool_result`` pairs, ``token``s, ``assistant_message``,
``turn_end``; on failure ``error`` and still ``turn_end``), each tool call must be its own unit
of work for the signed-in user only, and every write must pass the write-safety policy first.

Who answers is a ``Responder`` (``assistant.agent.responders``): the local engine, a chat model,
or hybrid (local first, the model for the rest, local again when the model fails). There is one
loop, ``_loop``, for all of them. A turn the local engine answers never waits for the network, so
it runs whole (context, understanding, tools, reply, stored chat) in one worker-thread hop: thread
hops cost more than the local engine does.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from sqlalchemy.engine import Connection, Engine

from tools import HeldWrite, ToolContext, run_tool, summary_of

from ..clock import Clock, SystemClock
from ..db import KeepReply, TurnConnection, write_connection
from ..errors import BudgetWiseError
from ..logsafe import log_exception_safely
from ..settings import Settings
from .confirmations import PendingAction, PendingConfirmations, yes_or_no
from .events import AssistantMessage, Token, ToolCall, ToolResult, TurnEnd, TurnError, TurnEvent, TurnStart
from .history import insert_turn, load_setup, save_turn
from .replies import compose_turn_reply
from .responders import (
    Call,
    Conversation,
    HybridResponder,
    LLMResponder,
    LocalResponder,
    ModelFactory,
    Responder,
    Round,
    Step,
    TurnInfo,
    TurnState,
    inline,
    make_responder,
    run_inline,
)
from .responders.base import LOCAL
from .routing import with_fallback_notice
from .screening import add_notes, screen

log = logging.getLogger(__name__)
MAX_TEXT = 4000

Blocking = Callable[..., Awaitable[Any]]
Done = tuple[list[TurnEvent], Exception | None]

__all__ = ["AgentRunner", "ModelFactory", "TurnInfo"]


class AgentRunner:
    """Runs chat turns for signed-in users; one instance serves the whole app.

    ``responder`` overrides who answers (default: from the settings, ``make_responder``);
    ``model_factory`` (tests) makes the chat model for each turn, with the local engine behind it.
    """

    def __init__(
        self,
        *,
        engine: Engine,
        settings: Settings,
        clock: Clock | None = None,
        responder: Responder | None = None,
        model_factory: ModelFactory | None = None,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self.model_factory = model_factory
        self.local = LocalResponder()
        self.default: Responder = responder or make_responder(settings)
        self.pending = PendingConfirmations(self.clock)
        """Writes waiting for a yes, per user (``assistant.agent.safety``)."""

    @property
    def responder(self) -> Responder:
        if self.model_factory is not None:
            remote = LLMResponder(self.model_factory, LOCAL)
            return HybridResponder(self.local, remote, self.settings, prefer_local=False)
        return self.default

    async def run_turn(
        self,
        user_id: int,
        text: str,
        reply_to: str | None = None,
        *,
        confident: bool = True,
        spoken: bool = False,
        keep: KeepReply | None = None,
    ) -> AsyncIterator[TurnEvent]:
        """The events of one turn, in the contract's order; never raises for a user's input.

        ``confident=False``: the text is a voice transcript the recogniser was unsure of, so any
        write in it is asked about first. ``spoken``: the text is a voice transcript; a change or
        removal of what is already recorded is then asked about first (Whisper's "That's ..." at the
        start of a sentence reads like a correction). A plain "yes"/"no" answers a waiting
        confirmation; any other message drops it. ``keep``: the reply is kept with the chat rows.
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
        turn: TurnState | None = None
        message: AssistantMessage | None = None  # the reply sent, when the turn answered
        try:
            state, conversation, done = await asyncio.to_thread(
                self._start, user_id, turn_id, text, confident, spoken, self.responder, keep
            )
            turn = state
            if done is not None:  # the whole turn ran (and was stored) in that hop
                events, failure = done
                for event in events:
                    yield event
                if failure is None:
                    yield TurnEnd(turn_id)
                    return
                raise failure
            try:
                async for event in self._loop(state, conversation, asyncio.to_thread):
                    yield event
            finally:
                await conversation.aclose()
            message = self._message(state)
            yield message
        except Exception as err:  # the turn fails, the connection does not
            yield self._failed(turn_id, err, turn)
        if turn is not None:  # a user we could not load has no history to keep
            try:
                await asyncio.to_thread(self._save, turn, keep, message)
            except Exception as exc:
                log_exception_safely(log, "could not store turn %s", turn_id, exc=exc)
        yield TurnEnd(turn_id)

    # -- the turn

    def _start(
        self,
        user_id: int,
        turn_id: str,
        text: str,
        confident: bool,
        spoken: bool,
        responder: Responder,
        keep: KeepReply | None = None,
    ) -> tuple[TurnState, Conversation, Done | None]:
        """Load the turn's context and pick who answers; run the whole turn when it is inline (blocking).

        An inline turn does all its database work on one connection (``TurnConnection``): the
        context read, the policy's checks and read-only tools share one snapshot; its write and
        the chat rows follow on the same connection."""
        db = TurnConnection(self.engine)
        try:
            turn = self._new_turn(user_id, turn_id, text, prompt=responder.needs_prompt, db=db)
            turn.voice_confident, turn.spoken = confident, spoken
            conversation = responder.begin(turn)
        except BaseException:
            db.close()
            raise
        if not conversation.inline:
            db.close()  # the turn waits for the network: no connection held across it
            return turn, conversation, None
        turn.db = db
        try:
            return turn, conversation, self._run_whole(turn, conversation, keep)
        finally:
            turn.db = None
            db.close()

    def _run_whole(self, turn: TurnState, conversation: Conversation, keep: KeepReply | None = None) -> Done:
        events: list[TurnEvent] = []
        turn.held = HeldWrite()  # the turn's last write, its chat rows and its kept reply: one commit
        try:
            events = run_inline(self._loop(turn, conversation, inline))
            message = self._message(turn)
            events.append(message)
        except Exception as exc:
            self._release(turn)
            return events, exc
        joined = turn.held.pending
        try:
            self._save(turn, keep, message)
        except Exception as exc:
            if joined:  # the held write did not land either: the turn failed, say so
                return events, exc
            log_exception_safely(log, "could not store turn %s", turn.turn_id, exc=exc)
        finally:
            self._release(turn)
        return events, None

    def _release(self, turn: TurnState) -> None:
        """Commit a write the turn still holds (its chat rows then go on their own); never raises."""
        held, turn.held = turn.held, None
        if held is not None and held.pending:
            try:
                held.commit()
            except Exception as exc:
                log_exception_safely(log, "could not commit turn %s's write", turn.turn_id, exc=exc)

    def _new_turn(
        self, user_id: int, turn_id: str, text: str, *, prompt: bool, db: TurnConnection | None = None
    ) -> TurnState:
        setup = load_setup(self.engine, user_id, self.clock, budgets=prompt, conn=None if db is None else db.reading())
        ctx = ToolContext(
            engine=self.engine,
            user_id=setup.user_id,
            clock=self.clock,
            currency=setup.currency,
            timezone=setup.timezone,
            turn_id=turn_id,
            user=setup.user,
            known=setup.known,
        )
        return TurnState(turn_id, setup, ctx, text)

    async def _loop(self, turn: TurnState, conversation: Conversation, blocking: Blocking) -> AsyncIterator[TurnEvent]:
        """Step, screen, tools, step ... until a final answer (at most ``max_tool_rounds`` tool rounds).

        ``blocking`` runs database work: ``asyncio.to_thread`` from the event loop, ``inline``
        when the whole turn already runs on a worker thread.
        """
        rounds = max(1, self.settings.max_tool_rounds)
        for round_no in range(rounds + 1):
            step: Step | None = None
            async for item in conversation.step(turn):
                if isinstance(item, Step):
                    step = item
                elif item:
                    yield Token(turn.turn_id, text=item)
            assert step is not None
            turn.engine = step.engine
            if step.calls and round_no == rounds:
                break  # out of tool rounds: the calls asked for now are not run
            if step.calls:
                if turn.held is not None:
                    turn.held.commit()  # the policy reads the ledger as the last call left it
                screened = await blocking(screen, self.engine, self.pending, turn, step)
                if screened.text != step.text and step.streamed:  # the policy's words answer
                    yield Token(turn.turn_id, text=screened.text[len(step.text) :])
                step = screened
            if not step.calls:
                turn.reply = step.text
                extra = add_notes(turn)
                if extra and step.streamed:
                    yield Token(turn.turn_id, text=extra)
                return
            done = Round(step)
            turn.rounds.append(done)
            for call in step.calls:
                yield ToolCall(turn.turn_id, name=call.name, args=_plain(call.args))
                yield await blocking(self._run_call, turn, done, call)
        # Out of tool rounds: answer from what the tools said, never from a guess.
        turn.reply = self._compose(turn)
        yield Token(turn.turn_id, text=turn.reply)

    def _run_call(self, turn: TurnState, done: Round, call: Call) -> ToolResult:
        """Run one tool call (its own unit of work) and record it for the responder and the history."""
        ok, result = run_tool(turn.ctx, call.name, call.args, hold=turn.held, db=turn.db)
        done.results.append((call, ok, result))
        turn.calls.append({"name": call.name, "args": _plain(call.args), "ok": ok, "result": result})
        return ToolResult(turn.turn_id, name=call.name, ok=ok, result=result, summary=summary_of(call.name, ok, result))

    def _compose(self, turn: TurnState) -> str:
        calls = [(c["name"], c["args"], c["result"]) for c in turn.calls]
        setup = turn.setup
        return compose_turn_reply(calls, currency=setup.currency, seed=turn.turn_id, today=setup.today)

    def _message(self, turn: TurnState) -> AssistantMessage:
        if turn.fallback_from:
            turn.reply = with_fallback_notice(turn.reply, turn.fallback_from)
        return AssistantMessage(turn.turn_id, text=turn.reply, engine=turn.engine, confirm=turn.confirm_dict())

    def _failed(self, turn_id: str, err: Exception, turn: TurnState | None) -> TurnError:
        if isinstance(err, BudgetWiseError):
            code, message = str(err.code), err.message
        else:
            code, message = "internal", "something went wrong on our side"
            log_exception_safely(log, "turn %s failed", turn_id, exc=err)  # messages quote the user's words
        if turn is not None:
            turn.reply = f"Sorry, {message}."
        return TurnError(turn_id, code=code, message=message)

    def _save(self, turn: TurnState, keep: KeepReply | None = None, message: AssistantMessage | None = None) -> None:
        """The chat rows: in the held write's transaction when the turn holds one, else their own;
        ``keep`` writes ``message`` (the reply as sent, less its turn id) in the same transaction."""
        args = (turn.setup.user_id, turn.turn_id, turn.text, turn.reply, turn.calls)
        if keep is None or message is None:
            rows: Callable[[Connection], None] = lambda conn: insert_turn(conn, *args)  # noqa: E731
        else:
            reply = {k: v for k, v in message.to_dict().items() if k != "turn_id"}

            def rows(conn: Connection) -> None:
                insert_turn(conn, *args)
                keep.write(conn, reply)

        if turn.held is not None and turn.held.pending:
            turn.held.commit(rows)
        elif turn.db is not None:
            with turn.db.write() as conn:
                rows(conn)
        elif keep is None:
            save_turn(self.engine, *args)
        else:
            with write_connection(self.engine) as conn:
                rows(conn)
        if keep is not None and message is not None:
            keep.kept = True

    # -- confirmations

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
            yield self._failed(turn_id, err, None)
        yield TurnEnd(turn_id)

    def _run_confirmed(self, user_id: int, turn_id: str, action: PendingAction, text: str) -> list[TurnEvent]:
        """Run a confirmed write and store the turn (blocking)."""
        turn = self._new_turn(user_id, turn_id, text, prompt=False)
        call = Call(action.name, dict(action.args), f"confirm_{action.id}")
        done = Round(Step(calls=(call,)))
        events: list[TurnEvent] = [ToolCall(turn_id, name=call.name, args=_plain(call.args))]
        turn.held = HeldWrite()  # the confirmed write and the chat rows: one commit
        try:
            events.append(self._run_call(turn, done, call))
            turn.reply = self._compose(turn) or "Done."
            events.append(AssistantMessage(turn_id, text=turn.reply, engine=LOCAL))
            joined = turn.held.pending
            try:
                self._save(turn)
            except Exception:
                if joined:  # the confirmed write did not land either
                    raise
                log.exception("could not store turn %s", turn_id)
        finally:
            self._release(turn)
        return events


def _plain(value: Any) -> Any:
    """``value`` as JSON would give it back: money and dates as strings, tuples as lists."""
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)  # Decimal, date, anything else: as ``json.dumps(default=str)`` writes it
