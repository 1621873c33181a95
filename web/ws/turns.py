"""A turn's events on their way to the socket: whatever fails, the client still gets ``error``
and ``turn_end``; turns of one user run one after the other (the hub's per-user lock)."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from fastapi import FastAPI

from assistant.errors import BudgetWiseError, Unavailable
from assistant.logsafe import log_exception_safely

from ..admission import FairGate, Saturated
from ..metrics import Metrics
from .connection import Connection
from .hub import NotificationHub
from .protocol import error_turn, turn_end

log = logging.getLogger("budgetwise.web")

INTERNAL_MESSAGE = "something went wrong on our side; nothing was changed by this message"


def get_runner(app: FastAPI) -> Any:
    """The agent runner, made on first use (so the app starts even while it cannot be built)."""
    runner = getattr(app.state, "runner", None)
    if runner is None:
        try:
            from assistant.agent.runner import AgentRunner
        except ImportError as exc:
            raise Unavailable("the assistant is not available in this installation") from exc
        runner = AgentRunner(engine=app.state.engine, settings=app.state.settings, clock=app.state.clock)
        app.state.runner = runner
    return runner


def as_dict(event: Any) -> dict[str, Any]:
    """A turn event (the agent's and the voice pipeline's typed events, or a plain dict) as a wire dict."""
    to_dict = getattr(event, "to_dict", None)
    return to_dict() if to_dict is not None else dict(event)


async def stream_turn(
    app: FastAPI,
    conn: Connection,
    user_id: int,
    reply_to: str,
    events: Callable[[], AsyncIterator[Any]],
    label: str | None,
    before_end: Callable[[dict[str, Any] | None], Awaitable[None]] | None = None,
    on_refused: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Send a turn's events; whatever fails, the client still gets ``error`` and ``turn_end``.

    ``label`` names the turn in the latency histogram (``None``: the engine that answered).
    ``before_end`` is awaited with the turn's last ``assistant_message`` (or None) before
    ``turn_end`` goes out. ``on_refused`` is awaited when the turn never ran: it waited its
    bounded time for a slot (web/admission.py) and the client is told ``unavailable``.
    """
    hub: NotificationHub = app.state.hub
    metrics: Metrics = app.state.metrics
    gate: FairGate = app.state.gate
    turn_id: str | None = None
    reply: dict[str, Any] | None = None
    ended = False
    admitted = False
    engine = label or "none"
    async with hub.user_lock(user_id):
        if conn.closed:  # the socket was dropped (too slow, revoked) while this turn waited: not run
            if on_refused is not None:
                await _quietly(on_refused)
            return
        start = time.perf_counter()
        held = False
        try:
            # The turn's database and CPU work takes its slot in the fair line (web/admission.py):
            # REST floods of other users do not push it back, and a saturated server answers an
            # ``unavailable`` error turn after a bounded wait instead of hanging. It waits holding
            # the user's turn lock, so it alternates with its user's REST requests rather than
            # queueing behind them all.
            await gate.acquire(user_id, turn=True)
            held = admitted = True
            try:
                async for ev in events():
                    event = as_dict(ev)
                    kind = event.get("type")
                    turn_id = event.get("turn_id", turn_id)
                    if kind == "tool_result":
                        metrics.tool_calls.labels(str(event.get("name")), str(bool(event.get("ok"))).lower()).inc()
                    elif kind == "assistant_message":
                        reply = event
                        if label is None:
                            engine = str(event.get("engine", engine))
                    elif kind == "turn_end":
                        ended = True
                        # The turn's own work is done: its slot goes on before the reply is kept
                        # (that rides the socket layer's group commit, one thread for all sockets).
                        if held:
                            held = False
                            gate.release()
                        if before_end is not None:
                            await before_end(reply)
                    if not conn.offer(event) and not conn.closed:
                        # The client is not reading (its outbox is full): wait for it without a slot,
                        # or a few such sockets would hold every slot. The rest of this one turn runs
                        # outside the line (the user's turn lock still holds the user's next turns).
                        if held:
                            held = False
                            gate.release()
                        await conn.send(event)
            finally:
                if held:
                    gate.release()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if not admitted and isinstance(exc, Saturated) and on_refused is not None:
                await _quietly(on_refused)
            if not isinstance(exc, BudgetWiseError):
                log_exception_safely(log, "turn failed", exc=exc)  # the message may quote what the user said
            code, message = (
                (str(exc.code), exc.message) if isinstance(exc, BudgetWiseError) else ("internal", INTERNAL_MESSAGE)
            )
            failed = error_turn(reply_to, code, message, turn_id=turn_id, started=turn_id is not None)
            turn_id = failed[-1]["turn_id"]
            await conn.send_all(failed[:-1])  # its turn_end is the one below
        if not ended:
            if before_end is not None:
                await before_end(reply)
            await conn.send(turn_end(turn_id or uuid.uuid4().hex))
        metrics.turn_seconds.labels(engine).observe(time.perf_counter() - start)


async def _quietly(on_refused: Callable[[], Awaitable[None]]) -> None:
    """Give up a turn that never ran (its message id, so that a retry runs it); never raises."""
    try:
        await on_refused()
    except Exception:
        log.warning("could not give up a refused turn's message id", exc_info=True)
