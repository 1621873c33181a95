"""The one tool registry: every tool's spec, and the four things done with them.

- ``run_tool(ctx, name, args)``: validate, run in one unit of work (read-only tools in a session
  that is always rolled back), and return ``(ok, JSON)``; never raises for bad input.
- ``build_tools(ctx)``: LangChain tools for a provider's ``bind_tools``, each with the schema
  ``model_schema`` writes (one shape every provider class accepts; ``tests/test_provider_schemas.py``).
- ``compose_reply`` / ``compose_turn_reply``: the local engine's answer, from the tools' writers.
- ``chip_of``: the line the browser shows under a reply for one call (``tool_result.summary``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from functools import cache, partial
from typing import Any

from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, ValidationError
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from assistant.db import TurnConnection, read_only, unit_of_work
from assistant.errors import BudgetWiseError
from assistant.models import User
from assistant.services.categories import use_known
from assistant.services.conversations import refresh_copy
from assistant.services.users import get_user

from . import advice, budgets, goals, ledger, profile, reminders, subscriptions
from .context import ToolContext
from .results import LoggedResult, read
from .spec import Chip, Result, ToolSpec
from .text import dec, money, pick, sentences

log = logging.getLogger(__name__)

ORDER = (
    # the contract's first fifteen (and log_refund), in the contract's order
    "log_expense", "log_income", "log_refund", "check_purchase", "budget_summary", "spending_summary",
    "set_budget", "add_subscription", "list_subscriptions", "cancel_subscription", "list_transactions",
    "update_transaction", "delete_transaction", "set_goal", "goal_progress", "get_insights",
    # reminders, then the tools people asked for (issue 10)
    "set_reminder", "snooze_reminder", "dismiss_reminder", "contribute_to_goal", "update_subscription",
    "set_exchange_rate", "move_budget", "set_monthly_income", "create_category",
)  # fmt: skip

_ALL = {s.name: s for m in (ledger, budgets, advice, subscriptions, goals, reminders, profile) for s in m.SPECS}
assert set(_ALL) == set(ORDER), "every spec is listed in ORDER, and only specs"
REGISTRY: dict[str, ToolSpec] = {name: _ALL[name] for name in ORDER}

TOOL_NAMES: tuple[str, ...] = ORDER
READ_ONLY: frozenset[str] = frozenset(n for n, s in REGISTRY.items() if s.read_only)
WRITE_TOOLS: frozenset[str] = frozenset(TOOL_NAMES) - READ_ONLY


def spec(name: str) -> ToolSpec | None:
    return REGISTRY.get(name)


def required_args(name: str) -> list[str]:
    """The arguments ``name`` cannot run without (none for an unknown tool)."""
    found = REGISTRY.get(name)
    return [] if found is None else [n for n, f in found.args.model_fields.items() if f.is_required()]


# ---------------------------------------------------------------- running one call


def error_result(code: str, message: str) -> Result:
    return {"ok": False, "error": {"code": code, "message": message}}


def explain(err: ValidationError) -> str:
    """A pydantic error in one readable line: 'amount: must be greater than 0'."""
    parts = []
    for item in err.errors(include_url=False):
        where = ".".join(str(p) for p in item.get("loc", ())) or "arguments"
        msg = str(item.get("msg", "is invalid"))
        msg = msg.replace("Input should be", "must be").replace("Value error, ", "")
        parts.append(f"{where}: {msg}")
    return "; ".join(parts)


@contextmanager
def _read_only(ctx: ToolContext) -> Iterator[Session]:
    with read_only(ctx.engine) as session:
        yield session


class HeldWrite:
    """A write call's transaction left open (flushed, so a conflict already showed) for the turn to
    end: the turn's chat rows join it, one durable commit per write turn instead of two.

    Only a turn that runs whole on one thread holds one (it waits for no network), and every path
    of such a turn ends it: ``commit`` (with the chat rows, or alone before any other database work
    of the turn). The ledger's unit stays one call: the next call commits the held one first.
    """

    def __init__(self) -> None:
        self.session: Session | None = None

    @property
    def pending(self) -> bool:
        return self.session is not None

    def commit(self, then: Callable[[Connection], None] | None = None) -> None:
        """Commit the held call's transaction, after ``then(connection)`` in it; nothing if none is held."""
        session, self.session = self.session, None
        if session is None:
            return
        try:
            if then is not None:
                then(session.connection())
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()


@contextmanager
def _held(ctx: ToolContext, hold: HeldWrite, db: TurnConnection | None = None) -> Iterator[Session]:
    """``unit_of_work`` that, when the call went through, flushes and leaves the commit to ``hold``
    (on the turn's connection ``db`` when it has one)."""
    session = Session(ctx.engine if db is None else db.writing(), expire_on_commit=False)
    try:
        yield session
        session.flush()
    except BaseException:
        session.rollback()
        session.close()
        raise
    hold.session = session


def _user(session: Session, ctx: ToolContext, found: ToolSpec) -> User:
    """The turn's copy of the user when it has one and the tool leaves the user's row alone;
    otherwise the row, loaded in the call's own session."""
    known = ctx.user
    if known is not None and known.id == ctx.user_id and not found.writes_user:
        return known
    return get_user(session, ctx.user_id)


def run_tool(
    ctx: ToolContext,
    name: str,
    args: dict[str, Any] | None,
    *,
    hold: HeldWrite | None = None,
    db: TurnConnection | None = None,
) -> tuple[bool, Result]:
    """Run one tool call for ``ctx``'s user: ``(ok, JSON-ready result)``. Never raises for bad input.

    ``hold``: a write that goes through is flushed but not committed; ``hold.commit`` ends it (a
    write held from an earlier call is committed first, so each call stays its own unit of work).
    ``db`` (with ``hold``): the turn's connection: a read-only tool reads on the turn's snapshot,
    a write runs on the same connection.

    A ``null`` argument counts as not given: a provider in strict mode sends every argument, and
    ``null`` for the ones the user did not say (``limit: null`` is the default 20, not an error).
    """
    if hold is not None:
        hold.commit()
    else:
        db = None  # a write outside a held turn commits on its own connection
    found = REGISTRY.get(name)
    if found is None:
        return False, error_result("unknown_tool", f"there is no tool named {name!r}; use one of: {', '.join(ORDER)}")
    given = {k: v for k, v in args.items() if v is not None} if isinstance(args, dict) else {}
    try:
        parsed = found.args.model_validate(given)
    except ValidationError as err:
        return False, error_result("invalid", explain(err))
    if found.read_only:
        scope: Callable[[ToolContext], Any] = _read_only if db is None else lambda c: db.read_session()
    elif hold is not None:
        scope = partial(_held, hold=hold, db=db)
    else:
        scope = lambda c: unit_of_work(c.engine)  # noqa: E731
    try:
        with scope(ctx) as session:
            if ctx.known is not None:
                use_known(session, ctx.known)
            user = _user(session, ctx, found)
            out = found.run(session, user, parsed, ctx)
    except BudgetWiseError as err:
        return False, {"ok": False, "error": err.as_dict()}
    except ValidationError as err:
        return False, error_result("invalid", explain(err))
    except IntegrityError:  # a unique row written by a concurrent request first: rolled back, say so
        log.info("tool %s lost a race on a unique constraint", name)
        return False, error_result(
            "conflict", "that changed at the same moment elsewhere; nothing was written, try again"
        )
    if found.writes_user and ctx.user is not None and ctx.user is not user:
        refresh_copy(ctx.user, user)  # the turn's later calls see the change
    return True, {"ok": True, **out}


# ---------------------------------------------------------------- what a provider model sees

_KEEP = frozenset({"type", "description", "enum", "format", "pattern", "minimum", "maximum", "exclusiveMinimum"})
DIALECTS = ("json", "openapi")


def _property(prop: Mapping[str, Any], optional: bool, dialect: str) -> dict[str, Any]:
    """One argument as a provider's class takes it: one type, no ``default``, ``title`` or length
    keywords (the Args model still checks them). An optional argument may be null (OpenAI's strict
    mode sends every argument): ``type: [T, "null"]`` in the "json" dialect (OpenAI, Ollama, whose
    client keeps no ``anyOf``), ``anyOf: [T, null]`` in "openapi" (Gemini's ``nullable``)."""
    branches = [b for b in prop.get("anyOf", [prop]) if b.get("type") != "null"]
    if len(branches) != 1:
        raise TypeError(f"an argument must have one type, not {branches}")
    out = {k: v for k, v in {**branches[0], **prop}.items() if k in _KEEP}
    if not optional:
        return out
    if dialect == "openapi":
        described = {"description": out.pop("description")} if "description" in out else {}
        return {"anyOf": [out, {"type": "null"}], **described}
    out["type"] = [out["type"], "null"]
    if "enum" in out:
        out["enum"] = [*out["enum"], None]
    return out


@cache
def model_schema(name: str, dialect: str = "json") -> dict[str, Any]:
    """The JSON schema of ``name``'s arguments as sent to a provider (see ``_property``)."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown schema dialect {dialect!r}")
    raw = REGISTRY[name].args.model_json_schema()
    required = list(raw.get("required", []))
    props = {k: _property(v, k not in required, dialect) for k, v in raw.get("properties", {}).items()}
    return {"type": "object", "properties": props, "required": required}


def for_dialect(tool: Any, dialect: str) -> Any:
    """A registry tool re-rendered for a provider's dialect; any other tool as it is."""
    if isinstance(tool, StructuredTool) and tool.name in REGISTRY:
        return tool.model_copy(update={"args_schema": model_schema(tool.name, dialect)})
    return tool


def _call(ctx: ToolContext, name: str, **kwargs: Any) -> dict[str, Any]:
    return run_tool(ctx, name, kwargs)[1]


def build_tools(ctx: ToolContext) -> list[BaseTool]:
    """The tools bound to ``ctx``'s user: no tool takes a user, so none can be pointed elsewhere."""
    return [
        StructuredTool.from_function(
            func=partial(_call, ctx, name),
            name=name,
            description=found.description,
            args_schema=model_schema(name),
            infer_schema=False,
        )
        for name, found in REGISTRY.items()
    ]


# ---------------------------------------------------------------- replies and chips


def _why(result: Mapping[str, Any]) -> str:
    """A failed call's reason: ``error.message`` (a bare string error too)."""
    err = result.get("error")
    message = err.get("message") if isinstance(err, Mapping) else err
    return str(message or "something went wrong").rstrip(".")


def _typed(found: ToolSpec, result: Mapping[str, Any]) -> BaseModel | None:
    try:
        return read(found.result, dict(result))  # type: ignore[no-any-return]
    except ValidationError:  # a shape no writer knows: say it plainly, never a 500
        log.warning("result of %s does not fit %s", found.name, found.result.__name__, exc_info=True)
        return None


def compose_reply(
    tool_name: str,
    args: Mapping[str, Any],
    result: Mapping[str, Any],
    *,
    currency: str,
    seed: str | int = 0,
    today: dt.date | None = None,
) -> str:
    """The assistant's answer to one tool call, every number taken from ``result``."""
    seed = str(seed)
    found = REGISTRY.get(tool_name)
    if not result.get("ok", False):
        action = found.action if found else f"run {tool_name}"
        return sentences(pick("errors", "ok", seed, action=action, message=_why(result)))
    typed = _typed(found, result) if found else None
    if found is None or typed is None:
        return "Done."
    return sentences(found.reply(args, typed, currency, seed, today))


def compose_turn_reply(
    calls: Sequence[tuple[str, Mapping[str, Any], Mapping[str, Any]]],
    *,
    currency: str,
    seed: str | int = 0,
    today: dt.date | None = None,
) -> str:
    """One reply for every tool call of a turn, in order.

    Several expenses in one message ("8 on coffee and 42 on a haircut") get one sentence each
    and then their sum, so the person sees that every amount was kept.
    """
    parts = [
        compose_reply(name, args, result, currency=currency, seed=f"{seed}:{i}", today=today)
        for i, (name, args, result) in enumerate(calls)
    ]
    expense = REGISTRY["log_expense"]
    typed = [_typed(expense, r) for n, _, r in calls if n == "log_expense" and r.get("ok")]
    logged = [t.transaction for t in typed if isinstance(t, LoggedResult)]
    currencies = {tx.currency or currency for tx in logged}
    if len(logged) > 1 and len(currencies) == 1:
        total = sum((dec(tx.amount) or Decimal(0) for tx in logged), Decimal(0))
        parts.append(pick("log_expense", "several", str(seed), count=len(logged), total=money(total, currencies.pop())))
    return sentences(*parts)


def chip_of(name: str, ok: bool, result: Mapping[str, Any]) -> Chip:
    """The chip of one call: what it did, in the browser's words; "Could not ..." when it failed."""
    found = REGISTRY.get(name)
    if not ok:
        action = found.action if found else f"run {name.replace('_', ' ')}"
        return Chip("failed", (f"Could not {action}: {_why(result)}",))
    typed = _typed(found, result) if found else None
    if found is None or typed is None:
        return Chip("read", (name.replace("_", " "),))
    try:
        return found.chip(typed)
    except Exception:  # a chip is a nicety: never let it break the turn
        log.exception("chip of %s failed", name)
        return Chip("write" if name in WRITE_TOOLS else "read", (name.replace("_", " "),))


def summary_of(name: str, ok: bool, result: Mapping[str, Any]) -> dict[str, Any]:
    """``chip_of`` as the ``tool_result`` event's ``summary`` (and a history row's)."""
    return chip_of(name, ok, result).to_dict()
