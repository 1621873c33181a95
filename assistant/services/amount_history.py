"""How unusual an amount is for a user: compared with their own recent amounts in a category.

Why a service: the write-safety policy (``assistant.agent.safety``) asks before logging an amount
far outside what this user normally spends or earns there, and that judgement must come from the
ledger (principle 1), not from a model. Only amounts in the same currency are compared.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import bindparam, case, func
from sqlalchemy.engine import Connection
from sqlmodel import col, select

from ..db import Prepared
from ..models import Category, Transaction, TxKind

#: How far back "the user's history" reaches.
HISTORY_DAYS = 90
#: Fewer rows than this is "no history": the caller's absolute bound applies instead. Three rows
#: made a new user's first big but ordinary amount (a lawyer's bill among a few phone and water
#: bills, a tax refund after two small gifts) look odd; ten is a few weeks of a category's use.
MIN_HISTORY = 10


@dataclass(frozen=True)
class Usual:
    """The user's recent amounts of one kind in one category, against a threshold."""

    count: int
    """How many amounts there are (fewer than ``MIN_HISTORY``: no history to judge by)."""
    at_least: int
    """How many of them are at least the threshold."""
    largest: Decimal | None = None
    """The largest of them (None without any): a new amount well inside it is not unusual."""

    @property
    def has_history(self) -> bool:
        return self.count >= MIN_HISTORY

    @property
    def median_below(self) -> bool:
        """The median is below the threshold: more than half the amounts are."""
        return self.has_history and self.at_least * 2 < self.count


def compare_with_history(
    conn: Connection,
    user_id: int,
    *,
    kind: TxKind,
    category: str | None,
    currency: str,
    threshold: Decimal,
    today: dt.date,
    days: int = HISTORY_DAYS,
) -> Usual:
    """Count the user's ``kind`` amounts in ``currency`` over the last ``days`` days, and those at
    least ``threshold``: one aggregate query, so it costs the same with a year of history.

    "Far above usual" is ``amount > factor x median``, i.e. the median is below ``amount / factor``:
    ``compare_with_history(..., threshold=amount / factor).median_below``.
    """
    params = {
        "uid": user_id,
        "kind": kind,
        "currency": currency,
        "threshold": threshold,
        "start": today - dt.timedelta(days=days),
        "end": today,
    }
    if category:
        params["category"] = category.strip().lower()
    ((count, at_least, largest),) = (_IN_CATEGORY if category else _ALL).execute(conn, params)
    return Usual(int(count or 0), int(at_least or 0), largest)


# Built once with bound parameters (building the statement cost more than running it).
_ALL_Q = select(
    func.count(col(Transaction.id)),
    func.sum(case((col(Transaction.amount) >= bindparam("threshold"), 1), else_=0)),
    func.max(col(Transaction.amount)),
).where(
    Transaction.user_id == bindparam("uid"),
    Transaction.kind == bindparam("kind"),
    Transaction.currency == bindparam("currency"),
    col(Transaction.date) >= bindparam("start"),
    col(Transaction.date) <= bindparam("end"),
)
_IN_CATEGORY_Q = _ALL_Q.join(Category, col(Category.id) == col(Transaction.category_id)).where(
    col(Category.user_id) == bindparam("uid"), func.lower(col(Category.name)) == bindparam("category")
)
_ALL = Prepared(_ALL_Q)
_IN_CATEGORY = Prepared(_IN_CATEGORY_Q)
