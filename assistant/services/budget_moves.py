"""Moving budget from one category to another for one month ("move 100 from Dining to Groceries").

Why a service of its own: a move is two budget changes that must happen together or not at all,
and two moves (or a move and a budget change) at the same moment must not lose money. So the
move runs in the caller's one transaction, writes one-month rows only (a standing budget stays
as it is for the other months), and changes the amounts with ``UPDATE ... SET amount = amount
- :x WHERE amount - :x >= :spent`` in the database: the check that the "from" category has the
room and the subtraction are one statement, so a concurrent move can never take the same room
twice, and nothing is read, changed in Python and written back.

"Room" is what is left of the "from" budget that month (budget - spent, never below 0): moving
money already spent would only push that category over its budget.

Function: ``move_budget(session, user, from_category, to_category, amount, month=None, *, clock)
-> BudgetMove``.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import literal, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ..clock import Clock, month_bounds, user_today
from ..errors import Conflict, InvalidInput
from ..models import Budget, BudgetStatus, Category, CategoryKind, Money, User, utcnow
from ..money import MAX_AMOUNT, fmt, parse_amount
from .budgets import CategoryBudget, category_budget, effective_budgets
from .categories import resolve_category
from .spending import ZERO, check_month


class BudgetMove(BaseModel):
    month: str
    currency: str
    amount: Decimal
    from_line: CategoryBudget
    to_line: CategoryBudget


def _month_name(month: str) -> str:
    return f"{month_bounds(month)[0]:%B %Y}"


def _expense(session: Session, user: User, name: str, field: str) -> Category:
    if not str(name or "").strip():
        raise InvalidInput(f"say which category ({field})", field=field)
    try:
        return resolve_category(session, user, str(name), CategoryKind.EXPENSE)
    except InvalidInput as err:
        raise InvalidInput(err.message, field=field) from None


def _month_row(session: Session, user: User, cat: Category, month: str, start: Decimal) -> int:
    """The id of ``cat``'s one-month row for ``month``, created at ``start`` when missing.

    The unique constraint on budget lines settles two moves creating it at once: the loser's
    insert fails inside a savepoint and it takes the winner's row.
    """
    assert user.id is not None and cat.id is not None
    stmt = select(Budget.id).where(
        Budget.user_id == user.id,
        Budget.category_id == cat.id,
        Budget.month == month,
        col(Budget.standing).is_(False),
    )
    found = session.exec(stmt).first()
    if found is not None:
        return int(found)
    try:
        with session.begin_nested():
            row = Budget(user_id=user.id, category_id=cat.id, month=month, standing=False, amount=start)
            session.add(row)
            session.flush()
            assert row.id is not None
            return int(row.id)
    except IntegrityError:
        found = session.exec(stmt).first()
        if found is None:
            raise
        return int(found)


def move_budget(
    session: Session,
    user: User,
    from_category: str,
    to_category: str,
    amount: object,
    month: str | None = None,
    *,
    clock: Clock,
) -> BudgetMove:
    """Move ``amount`` of ``month``'s budget (this month by default) between two expense categories."""
    value = parse_amount(amount)
    target = check_month(month, user_today(clock, user.timezone))
    src = _expense(session, user, from_category, "from_category")
    dst = _expense(session, user, to_category, "to_category")
    if src.id == dst.id:
        raise InvalidInput("pick two different categories to move budget between", field="to_category")
    assert src.id is not None and dst.id is not None
    cur = user.currency
    limits = effective_budgets(session, user, target)
    if src.id not in limits:
        raise InvalidInput(
            f"{src.name} has no budget in {_month_name(target)}, so there is nothing to move", field="from_category"
        )
    line = category_budget(session, user, src.id, target)
    assert line is not None
    spent = max(line.spent, ZERO)
    room = max(line.remaining, ZERO)
    if value > room:
        raise InvalidInput(
            f"{src.name} has only {fmt(room, cur)} left in {_month_name(target)} "
            f"({fmt(line.spent, cur)} spent of {fmt(line.budget, cur)}), not {fmt(value, cur)}",
            field="amount",
        )
    dst_now = limits[dst.id].amount if dst.id in limits else ZERO
    if dst_now + value > MAX_AMOUNT:
        raise InvalidInput(f"{dst.name}'s budget would exceed 1,000,000", field="amount")
    src_id = _month_row(session, user, src, target, limits[src.id].amount)
    dst_id = _month_row(session, user, dst, target, dst_now)
    now = utcnow()
    amount_col = col(Budget.amount)
    # Typed literals: the column stores cents, and Money turns each Decimal into cents.
    x, floor = literal(value, Money()), literal(spent, Money())
    taken = session.execute(
        update(Budget)
        .where(col(Budget.id) == src_id, amount_col - x >= floor)
        .values(amount=amount_col - x, updated_at=now)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(f"{src.name}'s budget changed a moment ago; nothing was moved, please try again")
    session.execute(update(Budget).where(col(Budget.id) == dst_id).values(amount=amount_col + x, updated_at=now))
    session.flush()
    session.expire_all()
    from_line = category_budget(session, user, src.id, target)
    to_line = category_budget(session, user, dst.id, target)
    if from_line is None:  # all of it moved: the month row is 0, "no budget" that month
        from_line = CategoryBudget(
            category=src.name, budget=ZERO, spent=line.spent, remaining=ZERO - line.spent,
            percent_used=Decimal("0.0"), status=BudgetStatus.OK,
        )  # fmt: skip
    assert to_line is not None
    return BudgetMove(month=target, currency=cur, amount=value, from_line=from_line, to_line=to_line)
