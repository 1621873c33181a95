"""Transactions: log an expense, income or refund, list, correct and delete them.

Why this shape: each tool validates its ``Args``, calls one service in the caller's unit of
work, for the context's user only, and returns JSON; its reply and its chip read that JSON
through the tool's typed ``Result``, so every figure said is one the ledger holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session

from assistant.clock import month_of, user_today
from assistant.errors import BudgetWiseError
from assistant.models import Transaction, TxKind, User
from assistant.services import budgets
from assistant.services import transactions as txs
from assistant.services.categories import category_by_id

from . import schemas as s
from .context import ToolContext
from .results import BudgetLine, LoggedResult, Tx, TxDeleteResult, TxListResult, TxUpdateResult
from .spec import Chip, Impl, Result, Segment, ToolSpec, day_part, joined, money_part
from .text import change_words, day_words, money, month_words, pct, pick, sentences, shop_name, short_day, what_of

TX_HIDDEN = frozenset({"created_at", "updated_at", "subscription_id", "category_id"})


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


def _tx_public(session: Session, user: User, tx: Transaction) -> Result:
    """A transaction as the tools show it: the service's public shape, trimmed for a model."""
    cat = category_by_id(session, user, tx.category_id) if tx.category_id else None
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


# ---------------------------------------------------------------- implementations


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
    public = _tx_public(session, user, tx)
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
    return {"transaction": _tx_public(session, user, tx)}


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
    before = _tx_public(session, user, row)
    assert row.id is not None
    tx = txs.update_transaction(session, user, row.id, clock=ctx.clock, **changes)
    after = _tx_public(session, user, tx)
    out: Result = {"transaction": after, "before": before, "changed": sorted(changes)}
    if after.get("kind", "expense") == "expense":
        out["budget"] = _budget_left(session, user, ctx, tx.category_id, after["date"])
    return out


def delete_transaction(session: Session, user: User, a: s.DeleteTransactionArgs, ctx: ToolContext) -> Result:
    row = txs.resolve_transaction_id(session, user, a.transaction_id)
    assert row.id is not None
    return {"deleted": _trim_tx(txs.delete_transaction(session, user, row.id))}


# ---------------------------------------------------------------- replies


def budget_part(budget: BudgetLine | None, currency: str, seed: str) -> str:
    """'$187.50 left in Dining this month.' from the budget line a write tool returned."""
    if budget is None:
        return ""
    period = "this month" if budget.this_month else f"in {month_words(budget.month)}"
    remaining = budget.remaining or Decimal(0)
    values = {
        "category": budget.category,
        "remaining": money(budget.remaining, currency),
        "budget": money(budget.budget, currency),
        "over": money(-remaining, currency),
        "percent": pct(budget.percent_used),
        "period": period,
    }
    section = {"over": "over", "warning": "warning"}.get(budget.status, "left")
    if remaining < 0:
        section = "over"
    return pick("log_expense", section, seed, **values)


def rate_question(tx: Tx, cur: str) -> str:
    """Asked when a foreign amount was recorded with no rate: totals leave it out until one is set."""
    code = tx.currency or cur
    if code == cur or tx.home_amount is not None or "home_amount" not in tx.model_fields_set:
        return ""
    try:
        from babel.numbers import get_currency_name

        one = get_currency_name(code, count=1, locale="en").lower()
        many = get_currency_name(cur, count=2, locale="en")
    except Exception:  # an odd code: say it by its code
        one, many = code, cur
    return (
        f"I have no {code} rate yet, so totals leave it out for now. "
        f"What's a {one} worth in {many}? Tell me (“1 {code} is 1.08 {cur}”) and I'll remember it."
    )


def _tx_words(tx: Tx, cur: str, today: dt.date | None) -> dict[str, str]:
    """The words every reply about one transaction fills in: its amount, what it was and when."""
    return {"amount": money(tx.amount, tx.currency or cur), "what": what_of(tx), "when": day_words(tx.date, today)}


def _logged(tool: str, default_category: str, *, with_budget: bool) -> Any:
    """The reply writer of a tool that records one transaction (expense, income, refund): the row in
    words, what is left of its budget where it touches one, and the rate question for a foreign amount."""

    def write(args: Mapping[str, Any], res: LoggedResult, cur: str, seed: str, today: dt.date | None) -> str:
        tx = res.transaction
        head = pick(tool, "ok", seed, category=tx.category or default_category, **_tx_words(tx, cur, today))
        budget = budget_part(res.budget, cur, seed) if with_budget else ""
        return sentences(head, budget, rate_question(tx, cur))

    return write


def _update(args: Mapping[str, Any], res: TxUpdateResult, cur: str, seed: str, today: dt.date | None) -> str:
    tx, before = res.transaction, res.before
    tx_cur = tx.currency or cur
    changes = change_words(
        res.changed,
        {
            "amount": lambda: f"amount {money(tx.amount, tx_cur)} (was {money(before.amount, tx_cur)})",
            "category": lambda: f"category {tx.category} (was {before.category})",
            "date": lambda: f"date {short_day(tx.date)} (was {short_day(before.date)})",
            "description": lambda: f"description {tx.description!r}",
        },
    )
    head = pick("update_transaction", "ok", seed, what=what_of(before), changes=changes)
    learned = ""
    if "category" in res.changed and tx.category != before.category:
        merchant = tx.merchant or tx.description
        if merchant:
            learned = pick("update_transaction", "learned", seed, merchant=merchant, category=tx.category)
    return sentences(head, learned, budget_part(res.budget, cur, seed))


def _delete(args: Mapping[str, Any], res: TxDeleteResult, cur: str, seed: str, today: dt.date | None) -> str:
    tx = res.deleted
    words = _tx_words(tx, cur, today)
    return pick("delete_transaction", "ok", seed, **{**words, "when": words["when"].removeprefix("on ")})


def _list(args: Mapping[str, Any], res: TxListResult, cur: str, seed: str, today: dt.date | None) -> str:
    items = res.items
    merchant = res.merchant or args.get("merchant")
    if merchant:
        merchant = shop_name(str(merchant), items)
    if not items:
        return pick("list_transactions", "none_merchant" if merchant else "none", seed, merchant=merchant)
    if len(items) == 1 and int(args.get("limit") or 0) == 1:
        tx = items[0]
        category = tx.category or "uncategorized"
        return pick("list_transactions", "one", seed, category=category, **_tx_words(tx, cur, today))
    lines = [
        f"{short_day(t.date)} {money(t.amount, t.currency or cur)} {what_of(t)} ({t.category or 'uncategorized'})"
        for t in items
    ]
    section = "merchant" if merchant else "ok"
    head = pick("list_transactions", section, seed, count=len(items), items="; ".join(lines), merchant=merchant)
    more = pick("list_transactions", "more", seed, total=res.total) if res.total > len(items) else ""
    return sentences(head, more)


# ---------------------------------------------------------------- chips


def tx_chip(verb: str, tx: Tx, *, undo: bool = False) -> Chip:
    """ "Logged $12.50 · Dining · yesterday"; ``undo``: the chip offers to delete the row."""
    head: tuple[Segment, ...] = (f"{verb} ", money_part(tx.amount, tx.currency))
    rest = joined(tx.category or tx.description, day_part(tx.date))
    return Chip("write", head + ((" · ", *rest) if rest else ()), undo_id=tx.id if undo else None)


def _tx_list_chip(res: TxListResult) -> Chip:
    return Chip("read", ("Looked at transactions",))


def _log_spec(
    name: str, description: str, args: type[s.ToolArgs], run: Impl, default_category: str, verb: str, action: str
) -> ToolSpec:
    """A tool that logs one row and offers to undo it: expense, income, refund."""
    with_budget = name != "log_income"
    reply = _logged(name, default_category, with_budget=with_budget)
    chip = lambda r: tx_chip(verb, r.transaction, undo=True)  # noqa: E731
    return ToolSpec(name, description, args, LoggedResult, run, reply, chip, action)


SPECS = [
    _log_spec(
        "log_expense",
        "Record money the user spent.",
        s.LogExpenseArgs,
        log_expense,
        "Other",
        "Logged",
        "log that expense",
    ),
    _log_spec(
        "log_income",
        "Record money the user received.",
        s.LogIncomeArgs,
        log_income,
        "Other income",
        "Income",
        "log that income",
    ),
    _log_spec(
        "log_refund",
        "Record a refund (money back for a purchase): it lowers its category's spending, not income.",
        s.LogRefundArgs,
        log_refund,
        "Other",
        "Refund",
        "record that refund",
    ),
    ToolSpec(
        "list_transactions",
        "List recent transactions (newest first).",
        s.ListTransactionsArgs,
        TxListResult,
        list_transactions,
        _list,
        _tx_list_chip,
        "list your transactions",
        read_only=True,
    ),
    ToolSpec(
        "update_transaction",
        "Correct a transaction's amount, category, date or description.",
        s.UpdateTransactionArgs,
        TxUpdateResult,
        update_transaction,
        _update,
        lambda r: tx_chip("Updated", r.transaction),
        "change that transaction",
    ),
    ToolSpec(
        "delete_transaction",
        "Delete a transaction.",
        s.DeleteTransactionArgs,
        TxDeleteResult,
        delete_transaction,
        _delete,
        lambda r: tx_chip("Deleted", r.deleted),
        "delete that transaction",
    ),
]

__all__ = ["SPECS", "budget_part", "income_category", "to_json"]
