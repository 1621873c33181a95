"""How unusual an amount is for a user: the median of their own recent amounts in a category.

Why a service: the write-safety policy (``assistant.agent.safety``) asks before logging an amount
far outside what this user normally spends or earns there, and that judgement must come from the
ledger (principle 1), not from a model. Only amounts in the user's own currency are compared.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, col, select

from ..models import Category, Transaction, TxKind

#: How far back "the user's history" reaches.
HISTORY_DAYS = 90
#: Fewer rows than this is "no history": the absolute bound applies instead of the median.
MIN_HISTORY = 3


@dataclass(frozen=True)
class AmountHistory:
    """The user's recent amounts of one kind in one category (all categories when ``category`` is None)."""

    count: int
    median: Decimal | None


def amount_history(
    session: Session,
    user_id: int,
    *,
    kind: TxKind,
    category: str | None,
    currency: str,
    today: dt.date,
    days: int = HISTORY_DAYS,
) -> AmountHistory:
    """Count and median of the user's ``kind`` amounts in ``currency`` over the last ``days`` days."""
    query = select(col(Transaction.amount)).where(
        Transaction.user_id == user_id,
        Transaction.kind == kind,
        Transaction.currency == currency,
        col(Transaction.date) >= today - dt.timedelta(days=days),
        col(Transaction.date) <= today,
    )
    if category:
        query = query.join(Category, col(Category.id) == col(Transaction.category_id)).where(
            col(Category.user_id) == user_id, func.lower(col(Category.name)) == category.strip().lower()
        )
    amounts = [Decimal(a) for a in session.exec(query).all()]
    if len(amounts) < MIN_HISTORY:
        return AmountHistory(len(amounts), None)
    return AmountHistory(len(amounts), Decimal(statistics.median(amounts)))
