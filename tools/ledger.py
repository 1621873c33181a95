"""The contract's first 15 tools: validate the model's arguments, call one service, return JSON.

Why this shape: each call is one unit of work (commit or nothing), the user comes from the
``ToolContext`` only, and every failure a user can cause comes back as ``{"ok": False, "error"}``
so the model (or the local reply writer) can explain it and the turn goes on. Read-only tools
run in a session that is always rolled back, so they cannot write even by accident.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from assistant.clock import month_of, user_today
from assistant.db import read_only, unit_of_work
from assistant.errors import BudgetWiseError
from assistant.models import Category, Transaction, TxKind, User
from assistant.services import budgets, goals, spending
from assistant.services import subscriptions as subs
from assistant.services import transactions as txs
from assistant.services.users import get_user

from . import schemas as s
from .context import ToolContext

log = logging.getLogger(__name__)

Result = dict[str, Any]
TX_HIDDEN = frozenset({"created_at", "updated_at", "subscription_id", "category_id"})
Impl = Callable[[Session, User, Any, ToolContext], Result]

READ_ONLY = frozenset(
    {
        "check_purchase",
        "budget_summary",
        "spending_summary",
        "list_subscriptions",
        "list_transactions",
        "goal_progress",
        "get_insights",
    }
)


def to_json(value: Any) -> Any:
    """JSON-ready data: models dumped in JSON mode, money as decimal strings, dates ISO."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _tx_public(session: Session, tx: Transaction) -> Result:
    """A transaction as the tools show it: the service's public shape, trimmed for a model."""
    cat = session.get(Category, tx.category_id) if tx.category_id else None
    return _trim_tx(txs.transaction_dict(tx, cat.name if cat else None))


def _trim_tx(data: Result) -> Result:
    return {k: v for k, v in data.items() if k not in TX_HIDDEN}


def _budget_left(session: Session, user: User, ctx: ToolContext, category_id: int | None, day: str) -> Any:
    """The category's budget line for the month of ``day`` (None when it has no budget).

    One category's line only (``budgets.category_budget``): the same figures as that line of
    ``budget_summary``, without computing the whole month's summary on every logged expense.
    """
    if not category_id:
        return None
    month = day[:7]
    line = budgets.category_budget(session, user, category_id, month)
    if line is None:
        return None
    out: Result = to_json(line)
    out["month"] = month
    out["this_month"] = month == month_of(user_today(ctx.clock, user.timezone))
    return out


# ---------------------------------------------------------------- transactions


def _log_spending(
    session: Session, user: User, kind: TxKind, a: s.LogExpenseArgs | s.LogRefundArgs, ctx: ToolContext
) -> Result:
    """Record an expense or a refund (same fields; a refund lowers its category's spending) and say
    what is left of that category's budget."""
    tx = txs.add_transaction(
        session,
        user,
        kind=kind,
        amount=a.amount,
        description=a.description,
        category=a.category,
        date=a.date,
        currency=a.currency,
        merchant=a.merchant,
        source=ctx.source,
        clock=ctx.clock,
    )
    public = _tx_public(session, tx)
    return {"transaction": public, "budget": _budget_left(session, user, ctx, tx.category_id, public["date"])}


def log_expense(session: Session, user: User, a: s.LogExpenseArgs, ctx: ToolContext) -> Result:
    return _log_spending(session, user, TxKind.EXPENSE, a, ctx)


def log_refund(session: Session, user: User, a: s.LogRefundArgs, ctx: ToolContext) -> Result:
    """Money back for a purchase: a refund row lowers its category's spending (never income)."""
    return _log_spending(session, user, TxKind.REFUND, a, ctx)


INCOME_WORDS = ("salary", "paycheck", "pay check", "wage", "payroll")


def income_category(source: str) -> str:
    """Where ``log_income`` files money from ``source``: pay is Salary, the rest Other income."""
    return "Salary" if any(w in source.lower() for w in INCOME_WORDS) else "Other income"


def log_income(session: Session, user: User, a: s.LogIncomeArgs, ctx: ToolContext) -> Result:
    category = income_category(a.source)
    tx = txs.add_transaction(
        session,
        user,
        kind=TxKind.INCOME,
        amount=a.amount,
        description=a.source,
        category=category,
        date=a.date,
        currency=a.currency,
        merchant=None,
        source=ctx.source,
        clock=ctx.clock,
    )
    return {"transaction": _tx_public(session, tx)}


def list_transactions(session: Session, user: User, a: s.ListTransactionsArgs, ctx: ToolContext) -> Result:
    page = txs.list_transactions(
        session, user, start=a.start, end=a.end, category=a.category, merchant=a.merchant, limit=a.limit, offset=0
    )
    names = txs.category_names(session, list(page.items))
    items = [_trim_tx(txs.transaction_dict(t, names.get(t.category_id or -1))) for t in page.items]
    out: Result = {"items": items, "total": page.total}
    if a.merchant:
        out["merchant"] = a.merchant
    return out


def update_transaction(session: Session, user: User, a: s.UpdateTransactionArgs, ctx: ToolContext) -> Result:
    changes = a.model_dump(exclude={"transaction_id"}, exclude_none=True)
    if not changes:
        raise BudgetWiseError("say what to change: amount, category, date or description")
    row = txs.resolve_transaction_id(session, user, a.transaction_id)
    before = _tx_public(session, row)
    assert row.id is not None
    tx = txs.update_transaction(session, user, row.id, clock=ctx.clock, **changes)
    after = _tx_public(session, tx)
    out: Result = {"transaction": after, "before": before, "changed": sorted(changes)}
    if after.get("kind", "expense") == "expense":
        out["budget"] = _budget_left(session, user, ctx, tx.category_id, after["date"])
    return out


def delete_transaction(session: Session, user: User, a: s.DeleteTransactionArgs, ctx: ToolContext) -> Result:
    row = txs.resolve_transaction_id(session, user, a.transaction_id)
    assert row.id is not None
    return {"deleted": _trim_tx(txs.delete_transaction(session, user, row.id))}


# ---------------------------------------------------------------- budgets and spending


def budget_summary(session: Session, user: User, a: s.BudgetSummaryArgs, ctx: ToolContext) -> Result:
    return to_json(budgets.budget_summary(session, user, a.month, category=a.category, clock=ctx.clock))  # type: ignore[no-any-return]


def set_budget(session: Session, user: User, a: s.SetBudgetArgs, ctx: ToolContext) -> Result:
    line = budgets.set_budget(session, user, a.category, a.amount, a.month, clock=ctx.clock)
    return {"budget": to_json(line), "month": a.month}


def spending_summary(session: Session, user: User, a: s.SpendingSummaryArgs, ctx: ToolContext) -> Result:
    summary = spending.spending_summary(
        session, user, a.start, a.end, category=a.category, merchant=a.merchant, clock=ctx.clock
    )
    return to_json(summary)  # type: ignore[no-any-return]


def check_purchase(session: Session, user: User, a: s.CheckPurchaseArgs, ctx: ToolContext) -> Result:
    from assistant.services.purchase import check_purchase as check

    verdict = check(session, user, item=a.item, amount=a.amount, category=a.category, clock=ctx.clock)
    return {"item": a.item, "amount": str(a.amount), **to_json(verdict)}


def get_insights(session: Session, user: User, a: s.GetInsightsArgs, ctx: ToolContext) -> Result:
    from assistant.services.checkup import month_checkup
    from assistant.services.insights import get_insights as insights

    out: Result = to_json(insights(session, user, a.month, clock=ctx.clock))
    checkup = month_checkup(session, user, a.month, clock=ctx.clock)
    out["checkup"] = to_json(checkup)  # so far vs the same days last month, and where to cut
    return out


# ---------------------------------------------------------------- subscriptions and goals


def add_subscription(session: Session, user: User, a: s.AddSubscriptionArgs, ctx: ToolContext) -> Result:
    sub = subs.add_subscription(session, user, **a.model_dump(exclude_none=True), clock=ctx.clock)
    return {"subscription": to_json(subs.to_public(session, user, sub, clock=ctx.clock))}


def list_subscriptions(session: Session, user: User, a: s.ListSubscriptionsArgs, ctx: ToolContext) -> Result:
    page = subs.list_subscriptions(session, user, within_days=a.within_days, name=a.name, clock=ctx.clock)
    out: Result = to_json(page)
    if a.name:
        out["name"] = a.name
    return out


def cancel_subscription(session: Session, user: User, a: s.CancelSubscriptionArgs, ctx: ToolContext) -> Result:
    sub = subs.cancel_subscription(session, user, a.name, clock=ctx.clock)
    return {"subscription": to_json(subs.to_public(session, user, sub, clock=ctx.clock))}


def set_goal(session: Session, user: User, a: s.SetGoalArgs, ctx: ToolContext) -> Result:
    goal = goals.set_goal(
        session, user, name=a.name, target_amount=a.target_amount, target_date=a.target_date, clock=ctx.clock
    )
    today = user_today(ctx.clock, user.timezone)
    return {"goal": to_json(goals.progress_of(goal, today=today, timezone=user.timezone))}


def goal_progress(session: Session, user: User, a: s.GoalProgressArgs, ctx: ToolContext) -> Result:
    return {"items": to_json(goals.goal_progress(session, user, a.name, clock=ctx.clock))}


IMPLS: dict[str, Impl] = {
    "log_expense": log_expense,
    "log_income": log_income,
    "log_refund": log_refund,
    "check_purchase": check_purchase,
    "budget_summary": budget_summary,
    "spending_summary": spending_summary,
    "set_budget": set_budget,
    "add_subscription": add_subscription,
    "list_subscriptions": list_subscriptions,
    "cancel_subscription": cancel_subscription,
    "list_transactions": list_transactions,
    "update_transaction": update_transaction,
    "delete_transaction": delete_transaction,
    "set_goal": set_goal,
    "goal_progress": goal_progress,
    "get_insights": get_insights,
}


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


def run_tool(ctx: ToolContext, name: str, args: dict[str, Any] | None) -> tuple[bool, Result]:
    """Run one tool call for ``ctx``'s user: ``(ok, JSON-ready result)``. Never raises for bad input."""
    schema, impl = s.ARG_MODELS.get(name), IMPLS.get(name)
    if schema is None or impl is None:
        return False, error_result("unknown_tool", f"there is no tool named {name!r}; use one of: {', '.join(IMPLS)}")
    try:
        parsed = schema.model_validate(args if isinstance(args, dict) else {})
    except ValidationError as err:
        return False, error_result("invalid", explain(err))
    scope = _read_only if name in READ_ONLY else (lambda c: unit_of_work(c.engine))
    try:
        with scope(ctx) as session:
            user = get_user(session, ctx.user_id)
            out = impl(session, user, parsed, ctx)
    except BudgetWiseError as err:
        return False, {"ok": False, "error": err.as_dict()}
    except ValidationError as err:
        return False, error_result("invalid", explain(err))
    except IntegrityError:  # a unique row written by a concurrent request first: rolled back, say so
        log.info("tool %s lost a race on a unique constraint", name)
        return False, error_result(
            "conflict", "that changed at the same moment elsewhere; nothing was written, try again"
        )
    return True, {"ok": True, **out}
