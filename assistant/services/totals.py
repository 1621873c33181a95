"""The one aggregation: every total of the ledger is one ``GROUP BY`` over the user's rows.

``ledger_totals(session, user, buckets, *, category_id=None)`` sums the rows of each bucket (date
range, kind, category, currency) on the database's indexes; foreign amounts are converted per
(category, currency) group by the user's own rates (``services.currency``), and currencies without
a rate are left out and named (``LeftOut``, ``left_out_note``). Also the small checks every summary
shares: ``check_month``, ``percent``. ``services.spending`` re-exports these names.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Date, String, bindparam, case, func, or_
from sqlalchemy import select as sa_select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from ..clock import month_of
from ..db import READ_ONLY_SESSION, Prepared
from ..errors import InvalidInput
from ..models import Category, Transaction, TxKind, User

ZERO = Decimal("0.00")
UNCATEGORIZED = "Uncategorized"
MAX_RANGE_DAYS = 3653  # ten years
EARLIEST = dt.date(1900, 1, 1)  # the ledger's first possible day (``transactions.EARLIEST``)
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


# ---------------------------------------------------------------- the one aggregation


@dataclass
class LeftOut:
    """Rows a total could not include: no rate was known for their currency."""

    currency: str
    count: int
    amount: Decimal  # in ``currency``

    def text(self) -> str:
        noun = "transaction" if self.count == 1 else "transactions"
        verb = "has" if self.count == 1 else "have"
        return f"{self.count} {noun} in {self.currency} ({self.amount} {self.currency}) {verb} no rate"


class LeftOutPublic(BaseModel):
    currency: str
    count: int
    amount: Decimal


@dataclass
class Totals:
    """One bucket's totals in the user's currency (each row's amount fixed when recorded)."""

    spent: dict[int | None, Decimal] = field(default_factory=dict)
    names: dict[int | None, str] = field(default_factory=dict)
    counts: dict[int | None, int] = field(default_factory=dict)
    income: Decimal = ZERO
    refunds: Decimal = ZERO
    left_out: dict[str, LeftOut] = field(default_factory=dict)

    def copy(self) -> Totals:
        return Totals(
            dict(self.spent), dict(self.names), dict(self.counts), self.income, self.refunds, dict(self.left_out)
        )

    @property
    def missing(self) -> set[str]:
        return set(self.left_out)

    @property
    def total_spent(self) -> Decimal:
        return sum(self.spent.values(), ZERO)

    @property
    def count(self) -> int:
        return sum(self.counts.values())


def left_out_note(groups: list[dict[str, LeftOut]]) -> tuple[list[LeftOutPublic], str | None]:
    """Merge left-out rows of several buckets and say them in words, for next to a total."""
    merged: dict[str, LeftOut] = {}
    for group in groups:
        for cur, lo in group.items():
            have = merged.get(cur)
            merged[cur] = lo if have is None else LeftOut(cur, have.count + lo.count, have.amount + lo.amount)
    items = [merged[c] for c in sorted(merged)]
    if not items:
        return [], None
    text = "; ".join(i.text() for i in items) + ": left out of these totals until you set a rate"
    return [LeftOutPublic(currency=i.currency, count=i.count, amount=i.amount) for i in items], text


Bucket = tuple[str, dt.date, dt.date]


def ledger_totals(
    session: Session,
    user: User,
    buckets: list[Bucket],
    *,
    category_id: int | None = None,
    merchant: str | None = None,
) -> dict[str, Totals]:
    """Expense per category and income, per labelled date range, in one grouped query.

    Buckets are ``(label, first_day, last_day)``, inclusive, not overlapping. ``category_id``
    narrows the expenses only; income is always the range's whole income. ``merchant`` narrows
    every row to those whose merchant or description contains it (ignoring case). Each row counts by
    its amount in the user's currency, fixed when it was recorded; a refund lowers its
    category's spending. Rows with no such amount yet (no rate known) are not dropped
    silently: they are counted per currency in ``left_out``.
    """
    memo: dict[Any, Totals] | None = None
    if session.info.get(READ_ONLY_SESSION):
        memo = session.info.setdefault(_MEMO, {})
    if memo is None:
        return _ledger_totals(session, user, buckets, category_id, merchant)
    # A read-only session never writes: a range asked again (the insights ask the month's totals
    # for the summary, the spending and the pace) is answered from the first answer (a copy).
    shape = (user.id, user.currency, category_id, merchant.strip().lower() if merchant else None)
    missing = [b for b in buckets if (shape, b[1], b[2]) not in memo]
    if missing:
        found = _ledger_totals(session, user, missing, category_id, merchant)
        for label, first, last in missing:
            memo[(shape, first, last)] = found[label]
    return {label: memo[(shape, first, last)].copy() for label, first, last in buckets}


_MEMO = "budgetwise.ledger_totals"


def _ledger_totals(
    session: Session, user: User, buckets: list[Bucket], category_id: int | None, merchant: str | None
) -> dict[str, Totals]:
    out = {label: Totals() for label, _, _ in buckets}
    if not buckets:
        return out
    params: dict[str, object] = {
        "uid": user.id,
        "ucur": user.currency,
        "lo": min(b[1] for b in buckets),
        "hi": max(b[2] for b in buckets),
    }
    if category_id is not None:
        params["cat"] = category_id
    by_merchant = merchant is not None and bool(merchant.strip())
    if by_merchant:
        assert merchant is not None
        params["merchant"] = like_pattern(merchant)
    for i, (label, first, last) in enumerate(buckets):
        params[f"b{i}"], params[f"f{i}"], params[f"l{i}"] = label, first, last
    stmt = _totals_statement(len(buckets), category_id is not None, by_merchant)
    for label, kind, cat_id, name, currency, home, amount, count in stmt.execute(session.connection(), params):
        if label not in out:
            continue
        totals = out[label]
        if home is None:
            have = totals.left_out.get(currency)
            n, value = int(count), Decimal(amount)
            totals.left_out[currency] = (
                LeftOut(currency, n, value) if have is None else LeftOut(currency, have.count + n, have.amount + value)
            )
            continue
        value = Decimal(home)
        if kind == TxKind.INCOME.value:
            totals.income += value
            continue
        if kind == TxKind.REFUND.value:
            totals.refunds += value
            value = -value
        totals.names[cat_id] = name or UNCATEGORIZED
        totals.spent[cat_id] = totals.spent.get(cat_id, ZERO) + value
        totals.counts[cat_id] = totals.counts.get(cat_id, 0) + int(count)
    return out


_TOTALS_STATEMENTS: dict[tuple[int, bool, bool], Prepared] = {}


def like_pattern(text: str) -> str:
    """``%text%`` for a case-insensitive LIKE, with the wildcards in ``text`` escaped by ``\\``."""
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def home_amount_expr() -> ColumnElement[Any]:
    """A row's amount in the user's currency: the one fixed when recorded, else (own currency) the
    amount itself, else NULL (no rate known). Needs the ``ucur`` parameter."""
    tx = Transaction.__table__.c  # type: ignore[attr-defined]
    return case(
        (tx.home_amount.is_not(None), tx.home_amount),
        (tx.currency == bindparam("ucur", type_=String()), tx.amount),
        else_=None,
    )


def _totals_statement(n_buckets: int, by_category: bool, by_merchant: bool = False) -> Prepared:
    """``ledger_totals``'s query for ``n_buckets`` buckets, built once per shape, bound per call.

    Parameters: ``uid``, ``ucur``, ``lo``/``hi`` (the whole range), ``cat`` (with ``by_category``),
    ``merchant`` (a LIKE pattern, with ``by_merchant``) and per bucket ``b{i}`` (label),
    ``f{i}``/``l{i}`` (first and last day, inclusive).
    """
    key = (n_buckets, by_category, by_merchant)
    stmt = _TOTALS_STATEMENTS.get(key)
    if stmt is not None:
        return stmt
    tx = Transaction.__table__.c  # type: ignore[attr-defined]
    where: list[ColumnElement[bool]] = [
        tx.user_id == bindparam("uid"),
        tx.kind.in_([TxKind.EXPENSE.value, TxKind.INCOME.value, TxKind.REFUND.value]),
        tx.date >= bindparam("lo", type_=Date()),
        tx.date <= bindparam("hi", type_=Date()),
    ]
    if by_category:
        where.append(or_(tx.kind == TxKind.INCOME.value, tx.category_id == bindparam("cat")))
    if by_merchant:
        pattern = bindparam("merchant", type_=String())
        where.append(or_(tx.merchant.ilike(pattern, escape="\\"), tx.description.ilike(pattern, escape="\\")))
    if n_buckets == 1:
        bucket: ColumnElement[Any] = bindparam("b0", type_=String())
    else:
        bucket = case(
            *[
                (
                    tx.date.between(bindparam(f"f{i}", type_=Date()), bindparam(f"l{i}", type_=Date())),
                    bindparam(f"b{i}", type_=String()),
                )
                for i in range(n_buckets)
            ],
            else_=None,
        )
    home = home_amount_expr()
    src = sa_select(
        bucket.label("bucket"),
        tx.kind,
        tx.category_id,
        tx.currency,
        tx.amount,
        home.label("home"),
        case((home.is_(None), 1), else_=0).label("pending"),
    )
    rows_q = src.where(*where).subquery("r")
    groups = (
        sa_select(
            rows_q.c.bucket,
            rows_q.c.kind,
            rows_q.c.category_id,
            rows_q.c.currency,
            func.sum(rows_q.c.home).label("home_total"),
            func.sum(rows_q.c.amount).label("total"),
            func.count().label("n"),
        )
        .group_by(rows_q.c.bucket, rows_q.c.kind, rows_q.c.category_id, rows_q.c.currency, rows_q.c.pending)
        .subquery("g")
    )
    cat = Category.__table__.c  # type: ignore[attr-defined]
    query = sa_select(
        groups.c.bucket,
        groups.c.kind,
        groups.c.category_id,
        cat.name,
        groups.c.currency,
        groups.c.home_total,
        groups.c.total,
        groups.c.n,
    ).select_from(
        groups.outerjoin(Category.__table__, cat.id == groups.c.category_id)  # type: ignore[attr-defined]
    )
    prepared = Prepared(query)
    if len(_TOTALS_STATEMENTS) < 256:  # shapes: 1, 2, up to 120 months (monthly_trend)
        _TOTALS_STATEMENTS[key] = prepared
    return prepared


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part / whole`` as a percentage with one decimal place (None when whole is 0)."""
    if whole == 0:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def check_month(month: str | None, today: dt.date) -> str:
    """A valid ``YYYY-MM`` (this month when None)."""
    if month is None or (isinstance(month, str) and not month.strip()):
        return month_of(today)
    m = MONTH_RE.match(str(month).strip())
    if not m or not 1 <= int(m.group(2)) <= 12 or not 1900 <= int(m.group(1)) <= 2999:
        raise InvalidInput(f"month must look like YYYY-MM, got {month!r}", field="month")
    return m.group(0)
