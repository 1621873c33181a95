"""What a turn knows before the model runs, and what it leaves in ``chat_messages`` afterwards.

Why one read and one write: a turn loads the user's profile, categories, this month's budgets,
merchant memory and recent chat in one short session, and stores the user's message and the
assistant's answer (with its tool calls) in one unit of work at the end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from string import Template
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from ..clock import Clock, month_of, user_today
from ..db import unit_of_work
from ..models import Category, CategoryKind, ChatMessage, MerchantMemory
from ..money import fmt
from ..services.budgets import effective_budgets
from ..services.users import get_user

HISTORY_LIMIT = 10
MEMORY_LIMIT = 2000


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
    history: tuple[BaseMessage, ...] = ()
    last_tool: str | None = None

    @property
    def categories(self) -> tuple[str, ...]:
        return self.expense_categories + self.income_categories


def load_setup(engine: Engine, user_id: int, clock: Clock) -> TurnSetup:
    """Everything the prompt and the local engine need, read in one session (then rolled back)."""
    with Session(engine) as session:
        try:
            user = get_user(session, user_id)
            today = user_today(clock, user.timezone)
            cats = session.exec(
                select(Category.id, Category.name, Category.kind)
                .where(Category.user_id == user_id)
                .order_by(col(Category.name))
            ).all()
            names = {cid: name for cid, name, _ in cats}
            limits = effective_budgets(session, user, month_of(today)).values()
            memory_rows = session.exec(
                select(MerchantMemory.merchant, MerchantMemory.category_id)
                .where(MerchantMemory.user_id == user_id)
                .limit(MEMORY_LIMIT)
            ).all()
            chat = session.exec(
                select(ChatMessage)
                .where(ChatMessage.user_id == user_id)
                .order_by(col(ChatMessage.id).desc())
                .limit(HISTORY_LIMIT)
            ).all()
            return TurnSetup(
                user_id=user_id,
                name=user.display_name or user.email.split("@")[0],
                currency=user.currency,
                timezone=user.timezone,
                today=today,
                expense_categories=tuple(n for _, n, k in cats if k == CategoryKind.EXPENSE),
                income_categories=tuple(n for _, n, k in cats if k == CategoryKind.INCOME),
                budgets=tuple(sorted((b.category, b.amount) for b in limits if b.amount > 0)),
                merchant_memory={m: names[cid] for m, cid in memory_rows if cid in names},
                history=tuple(_as_message(m) for m in reversed(chat)),
                last_tool=_last_tool(chat),
            )
        finally:
            session.rollback()


def _as_message(row: ChatMessage) -> BaseMessage:
    return HumanMessage(content=row.content) if row.role == "user" else AIMessage(content=row.content)


def _last_tool(rows: Any) -> str | None:
    """The name of the most recent tool call in this user's chat (for "make that 20 instead")."""
    for row in rows:
        if row.role == "assistant" and row.tool_calls:
            return str(row.tool_calls[-1].get("name") or "") or None
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


def save_turn(
    engine: Engine,
    user_id: int,
    turn_id: str,
    text: str,
    reply: str,
    tool_calls: list[dict[str, Any]],
) -> None:
    """The user's message and the assistant's answer, in one transaction."""
    with unit_of_work(engine) as session:
        session.add(ChatMessage(user_id=user_id, role="user", content=text, turn_id=turn_id))
        session.add(
            ChatMessage(user_id=user_id, role="assistant", content=reply, tool_calls=tool_calls, turn_id=turn_id)
        )
