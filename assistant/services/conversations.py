"""Chat messages and the turn's context: what a turn knows before the model runs, what it leaves
in ``chat_messages`` afterwards, and the stored conversation a new tab shows (``GET /api/chat/history``).

Why one read and one write: a turn loads the user's profile, categories, this month's budgets,
merchant memory and recent chat in one short session, and stores the user's message and the
assistant's answer (with its tool calls) in one unit of work at the end.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from string import Template
from typing import Any, NamedTuple

from sqlalchemy import String, bindparam, insert, true, type_coerce
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, func, select

from ..clock import Clock, month_of, user_today
from ..db import Prepared, read_only_connection, write_connection
from ..errors import NotFound
from ..models import Category, CategoryKind, ChatMessage, MerchantMemory, User, utcnow
from ..money import fmt
from .budgets import effective_budgets_on
from .categories import KnownCategories, detached

HISTORY_LIMIT = 10
MEMORY_LIMIT = 2000


class ChatLine(NamedTuple):
    """One stored message as the next turn sees it: ``role`` is "user" or "assistant" (a pair a
    chat model's client reads as a message)."""

    role: str
    content: str


@dataclass(frozen=True)
class TurnSetup:
    user_id: int
    name: str
    currency: str
    timezone: str
    today: dt.date
    expense_categories: tuple[str, ...]
    income_categories: tuple[str, ...]
    budgets: tuple[tuple[str, Decimal], ...]
    merchant_memory: dict[str, str] = field(default_factory=dict)
    history: tuple[ChatLine, ...] = ()
    last_tool: str | None = None
    last_args: dict[str, Any] | None = None
    user: User | None = field(default=None, compare=False, repr=False)
    """The user's row as a detached ``User``, read with the rest (the turn's tools use it instead of
    loading the user again for every call; see ``tools.registry.run_tool``)."""
    known: KnownCategories | None = field(default=None, compare=False, repr=False)
    """The categories and merchant memory read here, for the turn's tool calls (``KnownCategories``)."""

    @property
    def categories(self) -> tuple[str, ...]:
        return self.expense_categories + self.income_categories


_users = User.__table__.c  # type: ignore[attr-defined]
_cats = Category.__table__.c  # type: ignore[attr-defined]
_memory = MerchantMemory.__table__.c  # type: ignore[attr-defined]
_chat = ChatMessage.__table__.c  # type: ignore[attr-defined]
# Built once: a turn only binds its user (building a statement costs more than running it).
_USER_COLS = tuple(User.__table__.columns.keys())  # type: ignore[attr-defined]
_USER_Q = sa_select(*(_users[k] for k in _USER_COLS)).where(_users.id == bindparam("uid"))
# Whole rows, in ``list_categories``' order (kind, then name): the turn's tools reuse them.
_CATS_Q = (
    sa_select(*Category.__table__.columns)  # type: ignore[attr-defined]
    .where(_cats.user_id == bindparam("uid"))
    .order_by(_cats.kind, _cats.name)
)
_MEMORY_Q = (
    sa_select(_memory.merchant, _memory.category_id).where(_memory.user_id == bindparam("uid")).limit(MEMORY_LIMIT)
)
_CHAT_Q = (
    # tool_calls as stored (decoded by the driver or not at all): only the latest call is read
    sa_select(_chat.role, _chat.content, type_coerce(_chat.tool_calls, String))
    .where(_chat.user_id == bindparam("uid"))
    .order_by(_chat.id.desc())
    .limit(HISTORY_LIMIT)
)
_RECENT = (
    sa_select(_chat.id, _chat.role, _chat.content, type_coerce(_chat.tool_calls, String).label("calls"))
    .where(_chat.user_id == bindparam("uid"))
    .order_by(_chat.id.desc())
    .limit(HISTORY_LIMIT)
    .subquery("recent")
)
# A turn's one statement when its context is cached: the context's version and the last messages
# (none: one row of NULLs; no such user: no row).
_HEAD_Q = (
    sa_select(_users.context_version, _RECENT.c.role, _RECENT.c.content, _RECENT.c.calls)
    .select_from(User.__table__.outerjoin(_RECENT, true()))  # type: ignore[attr-defined]
    .where(_users.id == bindparam("uid"))
    .order_by(_RECENT.c.id.desc())
)
_HEAD = Prepared(_HEAD_Q)
CONTEXT_CACHE_SIZE = 4096


@dataclass(frozen=True, slots=True)
class _Context:
    """What a turn reads of one user that only changes when ``users.context_version`` does: the
    user's row, categories and merchant memory (shared by turns; each makes its own objects)."""

    version: int
    user: dict[str, Any]
    expense: tuple[str, ...]
    income: tuple[str, ...]
    merchant_memory: dict[str, str]
    known: KnownCategories
    """The categories and memory as a turn's tools read them (each turn takes ``known.fresh()``)."""


def _cache(engine: Engine) -> dict[int, _Context]:
    """The process's cached contexts for ``engine``'s database, by user id."""
    found: dict[int, _Context] | None = engine.__dict__.get("_budgetwise_contexts")
    if found is None:
        found = engine.__dict__.setdefault("_budgetwise_contexts", {})
    return found


def load_setup(
    engine: Engine, user_id: int, clock: Clock, *, budgets: bool = True, conn: Connection | None = None
) -> TurnSetup:
    """Everything the prompt and the local engine need, read in one session (then rolled back).

    The user's row, categories and merchant memory come from the process's copy while the row's
    ``context_version`` (changed by triggers on every write of them, migration 0007) is the one
    the copy was read with; the version and the last messages are one statement.

    ``budgets=False``: without the month's budgets (only the system prompt reads them). ``conn``: a
    connection in a read transaction to read on (the turn's), instead of one of its own."""
    if conn is not None:
        return _load_setup(engine, conn, user_id, clock, budgets)
    with read_only_connection(engine) as own:
        return _load_setup(engine, own, user_id, clock, budgets)


def _load_setup(engine: Engine, conn: Connection, user_id: int, clock: Clock, budgets: bool) -> TurnSetup:
    cache = _cache(engine)
    head = _HEAD.execute(conn, {"uid": user_id})
    if not head:
        raise NotFound("no such user")
    version = head[0][0]
    context = cache.get(user_id)
    if context is None or context.version != version:
        # read after the version (same snapshot on SQLite; on PostgreSQL a commit in between at
        # most makes this copy newer than its version, and the next turn reads it again)
        context = _read_context(conn, user_id, version)
        if len(cache) >= CONTEXT_CACHE_SIZE:
            cache.clear()
        cache[user_id] = context
    chat = [row[1:] for row in head if row[1] is not None]
    limits = None
    if budgets:
        limits = effective_budgets_on(conn, user_id, month_of(user_today(clock, context.user["timezone"])))
    return _setup_of(user_id, clock, context, chat, limits)


def setup_in(session: Session, user_id: int, clock: Clock) -> TurnSetup:
    """``load_setup`` in an open (read) session: four indexed lookups and the month's budgets."""
    conn = session.connection()
    row = conn.execute(sa_select(_users.context_version).where(_users.id == user_id)).first()
    if row is None:
        raise NotFound("no such user")
    context = _read_context(conn, user_id, row[0])
    chat = conn.execute(_CHAT_Q, {"uid": user_id}).all()
    today = user_today(clock, context.user["timezone"])
    return _setup_of(user_id, clock, context, chat, effective_budgets_on(conn, user_id, month_of(today)))


def _read_context(conn: Connection, user_id: int, version: int) -> _Context:
    params = {"uid": user_id}
    row = conn.execute(_USER_Q, params).first()
    if row is None:
        raise NotFound("no such user")
    values = dict(row._mapping)
    cats = tuple(conn.execute(_CATS_Q, params).all())
    names = {c.id: c.name for c in cats}
    memory_rows = conn.execute(_MEMORY_Q, params).all()
    return _Context(
        version=version,
        user=values,
        expense=tuple(c.name for c in cats if c.kind == CategoryKind.EXPENSE),  # by name within a kind
        income=tuple(c.name for c in cats if c.kind == CategoryKind.INCOME),
        merchant_memory={m: names[cid] for m, cid in memory_rows if cid in names},
        known=KnownCategories(
            user_id, cats, {m: cid for m, cid in memory_rows} if len(memory_rows) < MEMORY_LIMIT else None
        ),
    )


def _setup_of(user_id: int, clock: Clock, context: _Context, chat: Any, limits: Any) -> TurnSetup:
    values = context.user
    timezone = values["timezone"]
    return TurnSetup(
        user_id=user_id,
        name=values["display_name"] or values["email"].split("@")[0],
        currency=values["currency"],
        timezone=timezone,
        today=user_today(clock, timezone),
        expense_categories=context.expense,
        income_categories=context.income,
        budgets=tuple(sorted((b.category, b.amount) for b in limits.values() if b.amount > 0)) if limits else (),
        merchant_memory=context.merchant_memory,
        history=tuple(ChatLine(role, content) for role, content, _ in reversed(chat)),
        last_tool=last[0] if (last := _last_call(chat)) else None,
        last_args=last[1] if last else None,
        user=detached_user(values),
        known=context.known.fresh(),
    )


def detached_user(values: Any) -> User:
    """A ``User`` as the ORM would load it (no ``__init__``, no validation), detached: a session's
    ``get`` costs more than the statement it runs, and a turn's tools only read the user."""
    user: User = detached(User, {key: values[key] for key in _USER_COLS})
    return user


def _last_call(rows: Any) -> tuple[str, dict[str, Any]] | None:
    """The most recent tool call in this user's chat, name and arguments ("and for groceries?")."""
    for role, _, stored in rows:
        if role != "assistant" or not stored:
            continue
        tool_calls = json.loads(stored) if isinstance(stored, str | bytes) else stored
        if tool_calls:
            call = tool_calls[-1]
            name = str(call.get("name") or "")
            args = call.get("args")
            return (name, dict(args) if isinstance(args, dict) else {}) if name else None
    return None


def render_system_prompt(template: str, setup: TurnSetup) -> str:
    budgets = ", ".join(f"{name} {fmt(amount, setup.currency)}" for name, amount in setup.budgets) or "none set"
    return Template(template).safe_substitute(
        name=setup.name,
        today=setup.today.isoformat(),
        weekday=f"{setup.today:%A}",
        timezone=setup.timezone,
        currency=setup.currency,
        month=month_of(setup.today),
        categories=", ".join(setup.expense_categories),
        income_categories=", ".join(setup.income_categories),
        budgets=budgets,
    )


_SAVE_Q = insert(ChatMessage.__table__)  # type: ignore[attr-defined]
_SAVE = Prepared(_SAVE_Q, column_keys=("role", "content", "tool_calls", "user_id", "turn_id", "created_at"))


def save_turn(
    engine: Engine,
    user_id: int,
    turn_id: str,
    text: str,
    reply: str,
    tool_calls: list[dict[str, Any]],
) -> None:
    """The user's message and the assistant's answer, in one transaction."""
    with write_connection(engine) as conn:
        insert_turn(conn, user_id, turn_id, text, reply, tool_calls)


def insert_turn(
    conn: Connection, user_id: int, turn_id: str, text: str, reply: str, tool_calls: list[dict[str, Any]]
) -> None:
    """``save_turn`` in a transaction the caller commits (a write turn's own, for one commit per turn)."""
    common = {"user_id": user_id, "turn_id": turn_id, "created_at": utcnow()}
    _SAVE.execute(
        conn,
        [
            {"role": "user", "content": text, "tool_calls": [], **common},
            {"role": "assistant", "content": reply, "tool_calls": tool_calls, **common},
        ],
    )


def post_assistant_message(session: Session, user_id: int, content: str, *, turn_id: str) -> None:
    """An assistant message outside a turn (a reminder shown in the chat), in the caller's unit of work."""
    session.add(ChatMessage(user_id=user_id, role="assistant", content=content, turn_id=turn_id))


def chat_page(
    session: Session, user_id: int, *, limit: int, before_id: int | None = None
) -> tuple[list[ChatMessage], int]:
    """The latest ``limit`` stored messages (older than ``before_id``), oldest first, and how many
    there are in all (the order a chat window shows them)."""
    conds: list[Any] = [ChatMessage.user_id == user_id]
    if before_id is not None:
        conds.append(col(ChatMessage.id) < before_id)
    total = session.exec(select(func.count()).select_from(ChatMessage).where(*conds)).one()
    rows = session.exec(select(ChatMessage).where(*conds).order_by(col(ChatMessage.id).desc()).limit(limit)).all()
    return list(reversed(rows)), int(total)


def refresh_copy(copy: User, fresh: User) -> None:
    """Bring a turn's detached copy of the user up to ``fresh`` (after a tool changed the row)."""
    for key in _USER_COLS:
        set_committed_value(copy, key, getattr(fresh, key))
