"""Budgets: a category's monthly limit, and how this month is going against it.

Why it looks like this: a budget is standing (every month from its ``month`` on) or for one
month only (see ``models.Budget``). Changing a standing budget adds a row from this month on,
so a past month's summary keeps the limit it had; a standing row of 0 marks "no budget from
here on" after a removal. The summary's numbers come from two grouped SQL queries (the
effective budgets, and the month's ledger totals), never from Python loops over every row.

Functions: ``set_budget(session, user, category, amount, month=None, *, clock) -> BudgetLine``,
``remove_budget(session, user, category, month=None, *, clock) -> BudgetLine``,
``effective_budgets(session, user, month) -> dict[int, Limit]``,
``budget_summary(session, user, month=None, *, category=None, clock) -> BudgetSummary``,
``category_budget(session, user, category_id, month) -> CategoryBudget | None`` (one line of it).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, NamedTuple

from pydantic import BaseModel
from sqlalchemy import Select, and_, bindparam, case, delete, func, or_, true
from sqlalchemy import select as sa_select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from ..clock import Clock, month_bounds, month_of, user_today
from ..db import READ_ONLY_SESSION, Prepared
from ..errors import InvalidInput, NotFound
from ..models import Budget, BudgetStatus, Category, CategoryKind, Transaction, TxKind, User, utcnow
from ..money import parse_amount
from .categories import get_category, resolve_category
from .spending import (
    UNCATEGORIZED,
    ZERO,
    LeftOutPublic,
    check_month,
    home_amount_expr,
    ledger_totals,
    left_out_note,
    percent,
)

WARNING_AT = Decimal("0.8")


class BudgetLine(BaseModel):
    category: str
    category_id: int
    amount: Decimal
    currency: str
    month: str  # the first month it applies to
    standing: bool  # True: every month from ``month`` on


class CategoryBudget(BaseModel):
    category: str
    budget: Decimal
    spent: Decimal
    remaining: Decimal
    percent_used: Decimal
    status: BudgetStatus


class Unbudgeted(BaseModel):
    category: str
    spent: Decimal


class BudgetSummary(BaseModel):
    month: str
    currency: str
    total_budget: Decimal
    total_spent: Decimal  # in the budgeted categories (so remaining = budget - spent)
    total_remaining: Decimal
    categories: list[CategoryBudget]
    overspent: list[str]
    income: Decimal
    total_expenses: Decimal  # every expense of the month, budgeted or not
    unbudgeted: list[Unbudgeted]
    missing_rates: list[str]
    left_out: list[LeftOutPublic] = []
    days_left: int
    note: str | None = None


def status_for(spent: Decimal, budget: Decimal) -> BudgetStatus:
    """ok below 80% of the budget, warning from 80% up to 100% inclusive, over above it."""
    if spent > budget:
        return BudgetStatus.OVER
    if spent >= budget * WARNING_AT:
        return BudgetStatus.WARNING
    return BudgetStatus.OK


def _expense_category(session: Session, user: User, category: str | int) -> Category:
    if isinstance(category, int) and not isinstance(category, bool):
        cat = get_category(session, user, category)
    else:
        cat = resolve_category(session, user, str(category))
    if cat.kind != CategoryKind.EXPENSE:
        raise InvalidInput(f"{cat.name} is an income category; budgets are for expense categories", field="category")
    return cat


class Limit(NamedTuple):
    category: str
    amount: Decimal


def _effective_budgets_query(one_category: bool) -> Select[Any]:
    """Category id, name and limit in force for ``:month`` (``:uid``'s rows; one ``:cid`` or all).

    A month's own row beats a standing one; a later standing row beats an earlier one.
    """
    b = Budget.__table__.c  # type: ignore[attr-defined]
    c = Category.__table__.c  # type: ignore[attr-defined]
    where = [
        b.user_id == bindparam("uid"),
        or_(
            and_(b.standing.is_(False), b.month == bindparam("month")),
            and_(b.standing.is_(True), b.month <= bindparam("month")),
        ),
    ]
    if one_category:
        where.append(b.category_id == bindparam("cid"))
    ranked = (
        select(
            b.category_id.label("category_id"),
            b.amount.label("amount"),
            func.row_number().over(partition_by=b.category_id, order_by=(b.standing.asc(), b.month.desc())).label("rn"),
        )
        .where(*where)
        .subquery()
    )
    return (
        select(ranked.c.category_id, c.name, ranked.c.amount)
        .join(Category.__table__, c.id == ranked.c.category_id)  # type: ignore[attr-defined]
        .where(ranked.c.rn == 1, ranked.c.amount > 0)
    )


# Built once: building a statement costs more than running it, and these run on every turn.
_EFFECTIVE_Q = _effective_budgets_query(one_category=False)
_EFFECTIVE_ONE_Q = _effective_budgets_query(one_category=True)
_EFFECTIVE = Prepared(_EFFECTIVE_Q)


def effective_budgets(session: Session, user: User, month: str) -> dict[int, Limit]:
    """Category id -> (name, limit) in force for ``month``: a month's own row beats a standing one."""
    assert user.id is not None
    return effective_budgets_for(session, user.id, month)


def effective_budgets_for(session: Session, user_id: int, month: str) -> dict[int, Limit]:
    """``effective_budgets`` by user id (for callers that have no ``User`` loaded). A read-only
    session (one snapshot) answers a month it already read without a query."""
    if not session.info.get(READ_ONLY_SESSION):
        return effective_budgets_on(session.connection(), user_id, month)
    memo: dict[tuple[int, str], dict[int, Limit]] = session.info.setdefault(_MEMO, {})
    found = memo.get((user_id, month))
    if found is None:
        found = memo[(user_id, month)] = effective_budgets_on(session.connection(), user_id, month)
    return dict(found)


_MEMO = "budgetwise.effective_budgets"


def effective_budgets_on(conn: Connection, user_id: int, month: str) -> dict[int, Limit]:
    """``effective_budgets_for`` on a Core connection (the turn's context read uses no session)."""
    rows = _EFFECTIVE.execute(conn, {"uid": user_id, "month": month})
    return {int(cid): Limit(name, Decimal(amount)) for cid, name, amount in rows}


def _line(cat: Category, row: Budget, user: User) -> BudgetLine:
    assert cat.id is not None
    return BudgetLine(
        category=cat.name,
        category_id=cat.id,
        amount=row.amount,
        currency=user.currency,
        month=row.month,
        standing=row.standing,
    )


def set_budget(
    session: Session,
    user: User,
    category: str | int,
    amount: object,
    month: str | None = None,
    *,
    clock: Clock,
) -> BudgetLine:
    """Set a limit: for one ``YYYY-MM`` month, or (no month) for every month from this one on."""
    value = parse_amount(amount)
    cat = _expense_category(session, user, category)
    this = month_of(user_today(clock, user.timezone))
    standing = month is None or not str(month).strip()
    target = this if standing else check_month(month, user_today(clock, user.timezone))
    assert user.id is not None and cat.id is not None
    if standing:
        # From now on: later standing rows and this month's one-off are superseded.
        session.execute(
            delete(Budget).where(
                col(Budget.user_id) == user.id,
                col(Budget.category_id) == cat.id,
                or_(
                    and_(col(Budget.standing).is_(True), col(Budget.month) > this),
                    and_(col(Budget.standing).is_(False), col(Budget.month) == this),
                ),
            )
        )
    # One upsert, not read-then-insert: concurrent PUTs of the same line each write in turn (the
    # last writer wins) instead of the loser's INSERT hitting the unique line and answering 409.
    session.flush()
    table = Budget.__table__  # type: ignore[attr-defined]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    now = utcnow()
    line = {"user_id": user.id, "category_id": cat.id, "month": target, "standing": standing}
    upsert = dialect.insert(table).values(**line, amount=value, created_at=now, updated_at=now)
    session.execute(
        upsert.on_conflict_do_update(
            index_elements=["user_id", "category_id", "month", "standing"],
            set_={"amount": upsert.excluded.amount, "updated_at": upsert.excluded.updated_at},
        )
    )
    row = session.exec(
        select(Budget)
        .where(
            Budget.user_id == user.id, Budget.category_id == cat.id, Budget.month == target, Budget.standing == standing
        )
        .execution_options(populate_existing=True)
    ).one()
    return _line(cat, row, user)


def remove_budget(
    session: Session,
    user: User,
    category: str | int,
    month: str | None = None,
    *,
    clock: Clock,
) -> BudgetLine:
    """No limit for ``month`` (or, without a month, from this month on); returns what was removed.

    Earlier months keep their limits: an older standing budget is ended by a 0 row, not deleted.
    """
    cat = _expense_category(session, user, category)
    today = user_today(clock, user.timezone)
    standing = month is None or not str(month).strip()
    target = month_of(today) if standing else check_month(month, today)
    limit = effective_budgets(session, user, target).get(cat.id or -1)
    if limit is None:
        raise NotFound(f"{cat.name} has no budget for {target}", field="category")
    assert user.id is not None and cat.id is not None
    removed = BudgetLine(
        category=cat.name,
        category_id=cat.id,
        amount=limit.amount,
        currency=user.currency,
        month=target,
        standing=standing,
    )
    this_month_row = and_(col(Budget.standing).is_(False), col(Budget.month) == target)
    # Without a month: the standing rows from now on and this month's one-off all go.
    cond = or_(and_(col(Budget.standing).is_(True), col(Budget.month) >= target), this_month_row)
    if not standing:
        cond = this_month_row
    session.execute(delete(Budget).where(col(Budget.user_id) == user.id, col(Budget.category_id) == cat.id, cond))
    session.flush()
    if cat.id in effective_budgets(session, user, target):
        # An older standing budget would take over again: end it here with a 0 row.
        session.add(Budget(user_id=user.id, category_id=cat.id, month=target, standing=standing, amount=ZERO))
        session.flush()
    return removed


def _days_left(month: str, today: dt.date) -> int:
    first, last = month_bounds(month)
    if today > last:
        return 0
    if today < first:
        return (last - first).days + 1
    return (last - today).days + 1


def _spent_query() -> Select[Any]:
    """``:cid``'s spending from ``:first`` to ``:last`` in the user's currency (refunds lower it),
    per currency and whether a rate was known, exactly as ``ledger_totals`` counts it."""
    tx = Transaction.__table__.c  # type: ignore[attr-defined]
    home = home_amount_expr()
    signed = case((tx.kind == TxKind.REFUND.value, -home), else_=home)
    return (
        sa_select(tx.currency, func.sum(signed).label("total"), func.count().label("n"))
        .where(
            tx.user_id == bindparam("uid"),
            tx.kind.in_([TxKind.EXPENSE.value, TxKind.REFUND.value]),
            tx.date >= bindparam("first"),
            tx.date <= bindparam("last"),
            tx.category_id == bindparam("cid"),
        )
        .group_by(tx.currency, home.is_(None))
    )


_SPENT_ONE_Q = _spent_query()
_EFFECTIVE_ONE = _EFFECTIVE_ONE_Q.subquery("limit_in_force")
_SPENT_ONE = _SPENT_ONE_Q.subquery("spent")
# One statement for one category's line: its limit in force (no row: no budget that month) and,
# beside it, its spending per currency and rate-or-not group (NULLs: nothing spent).
_LINE_ONE_Q = sa_select(_EFFECTIVE_ONE.c.name, _EFFECTIVE_ONE.c.amount, _SPENT_ONE.c.total).select_from(
    _EFFECTIVE_ONE.outerjoin(_SPENT_ONE, true())
)

_LINE_ONE = Prepared(_LINE_ONE_Q)


def category_budget(session: Session, user: User, category_id: int, month: str) -> CategoryBudget | None:
    """One category's line of ``budget_summary(month)`` (None when it has no budget that month).

    One small indexed statement instead of the whole summary: the category's limit in force, and
    its month's spending in the user's currency (rows without a rate are left out there too).
    """
    assert user.id is not None
    first, last = month_bounds(month)
    params = {"uid": user.id, "month": month, "cid": category_id, "first": first, "last": last, "ucur": user.currency}
    rows = _LINE_ONE.execute(session.connection(), params)
    if not rows:
        return None
    name, amount = rows[0][0], rows[0][1]
    spent = sum((Decimal(total) for _, _, total in rows if total is not None), ZERO)
    return _line_of(name, Decimal(amount), spent)


def _line_of(name: str, budget: Decimal, spent: Decimal) -> CategoryBudget:
    """One category's line: what is left and how it stands (the same rule for one or all)."""
    return CategoryBudget(
        category=name,
        budget=budget,
        spent=spent,
        remaining=budget - spent,
        percent_used=percent(spent, budget) or Decimal("0.0"),
        status=status_for(spent, budget),
    )


def budget_summary(
    session: Session,
    user: User,
    month: str | None = None,
    *,
    category: str | None = None,
    clock: Clock,
) -> BudgetSummary:
    """The month's budgets against what was spent, category by category (this month by default)."""
    today = user_today(clock, user.timezone)
    target = check_month(month, today)
    cat: Category | None = None
    if category is not None and str(category).strip():
        cat = resolve_category(session, user, str(category), CategoryKind.EXPENSE)
    budgets = effective_budgets(session, user, target)
    first, last = month_bounds(target)
    totals = ledger_totals(session, user, [(target, first, last)], category_id=cat.id if cat else None)[target]
    if cat is not None:
        budgets = {k: v for k, v in budgets.items() if k == cat.id}
    lines: list[CategoryBudget] = []
    for cid, (name, budget) in budgets.items():
        lines.append(_line_of(name, budget, totals.spent.get(cid, ZERO)))
    lines.sort(key=lambda c: c.category)
    unbudgeted = sorted(
        (
            Unbudgeted(category=totals.names.get(cid, UNCATEGORIZED), spent=v)
            for cid, v in totals.spent.items()
            if cid not in budgets and v != 0
        ),
        key=lambda u: (-u.spent, u.category),
    )
    total_budget = sum((c.budget for c in lines), ZERO)
    total_spent = sum((c.spent for c in lines), ZERO)
    missing = sorted(totals.missing)
    notes = []
    left_out, left_note = left_out_note([totals.left_out])
    if left_note:
        notes.append(left_note)
    if not lines:
        notes.append(f"no budget set for {cat.name if cat else 'any category'} in {target}")
    return BudgetSummary(
        month=target,
        currency=user.currency,
        total_budget=total_budget,
        total_spent=total_spent,
        total_remaining=total_budget - total_spent,
        categories=lines,
        overspent=[c.category for c in lines if c.status == BudgetStatus.OVER],
        income=totals.income,
        total_expenses=totals.total_spent,
        unbudgeted=unbudgeted,
        missing_rates=missing,
        left_out=left_out,
        days_left=_days_left(target, today),
        note="; ".join(notes) or None,
    )
