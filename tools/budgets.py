"""Budgets and spending: the month's budgets, a category's limit, moving budget, totals by date.

Why here together: all four read or write the same budget lines (``services.budgets``,
``budget_moves``, ``spending``), and their replies share the month and money wording.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from assistant.models import User
from assistant.services import budget_moves, budgets, spending

from . import schemas as s
from .context import ToolContext
from .ledger import to_json
from .results import BudgetSummaryResult, MoveBudgetResult, SetBudgetResult, SpendingResult
from .spec import Chip, Result, ToolSpec, money_part, read_chip
from .text import join_words, money, month_words, pct, pick, sentences, shop_name, short_day


def budget_summary(session: Session, user: User, a: s.BudgetSummaryArgs, ctx: ToolContext) -> Result:
    return to_json(budgets.budget_summary(session, user, a.month, category=a.category, clock=ctx.clock))  # type: ignore[no-any-return]


def set_budget(session: Session, user: User, a: s.SetBudgetArgs, ctx: ToolContext) -> Result:
    line = budgets.set_budget(session, user, a.category, a.amount, a.month, clock=ctx.clock)
    return {"budget": to_json(line), "month": a.month}


def move_budget(session: Session, user: User, a: s.MoveBudgetArgs, ctx: ToolContext) -> Result:
    moved = budget_moves.move_budget(session, user, a.from_category, a.to_category, a.amount, a.month, clock=ctx.clock)
    return moved.model_dump(mode="json")  # type: ignore[no-any-return]


def spending_summary(session: Session, user: User, a: s.SpendingSummaryArgs, ctx: ToolContext) -> Result:
    summary = spending.spending_summary(
        session, user, a.start, a.end, category=a.category, merchant=a.merchant, clock=ctx.clock
    )
    return to_json(summary)  # type: ignore[no-any-return]


# ---------------------------------------------------------------- replies


def _summary(args: Mapping[str, Any], res: BudgetSummaryResult, cur: str, seed: str, today: dt.date | None) -> str:
    cur = res.currency or cur
    month = month_words(res.month)
    lines = res.categories
    if args.get("category"):
        if not lines:  # the summary was filtered to this category, so its expenses are the category's
            named = [u.category for u in res.unbudgeted]
            return pick("budget_summary", "no_category", seed, category=named[0] if named else args["category"],
                        month=month, spent=money(res.total_expenses, cur))  # fmt: skip
        line = lines[0]
        remaining = line.remaining or Decimal(0)
        values = {
            "category": line.category,
            "month": month,
            "spent": money(line.spent, cur),
            "budget": money(line.budget, cur),
            "remaining": money(line.remaining, cur),
            "over": money(-remaining, cur),
            "percent": pct(line.percent_used),
        }
        return pick("budget_summary", "category_over" if remaining < 0 else "category", seed, **values)
    if not lines:
        return pick("budget_summary", "none", seed, month=month, spent=money(res.total_expenses, cur))
    remaining = res.total_remaining
    head = pick(
        "budget_summary",
        "total_over" if remaining < 0 else "total",
        seed,
        month=month,
        spent=money(res.total_spent, cur),
        budget=money(res.total_budget, cur),
        remaining=money(remaining, cur),
        over=money(-remaining, cur),
    )
    tail = pick("budget_summary", "overspent", seed, names=join_words(res.overspent)) if res.overspent else ""
    return sentences(head, tail)


def _spending(args: Mapping[str, Any], res: SpendingResult, cur: str, seed: str, today: dt.date | None) -> str:
    cur = res.currency or cur
    values = {"start": short_day(res.start), "end": short_day(res.end), "total": money(res.total, cur)}
    if res.merchant:
        section = "merchant" if res.count else "none_merchant"
        shop = shop_name(res.merchant, [])
        return pick("spending_summary", section, seed, merchant=shop, count=res.count, **values)
    if not res.count:
        if res.category:
            return pick("spending_summary", "none_category", seed, category=res.category, **values)
        return pick("spending_summary", "none", seed, **values)
    if res.category:
        return pick("spending_summary", "category", seed, category=res.category, **values)
    head = pick("spending_summary", "ok", seed, **values)
    tops = [f"{r.category} {money(r.amount, cur)}" for r in res.by_category[:3]]
    top = pick("spending_summary", "top", seed, top=join_words(tops)) if tops else ""
    change = res.change_pct
    trend = ""
    if change is not None and change != 0:
        section = "change_up" if change > 0 else "change_down"
        trend = pick("spending_summary", section, seed, change=pct(abs(change)))
    return sentences(head, top, trend)


def _set_budget(args: Mapping[str, Any], res: SetBudgetResult, cur: str, seed: str, today: dt.date | None) -> str:
    line = res.budget
    return pick(
        "set_budget",
        "standing" if line.standing else "month",
        seed,
        category=line.category,
        amount=money(line.amount, line.currency or cur),
        month=month_words(line.month),
    )


def _move(args: Mapping[str, Any], res: MoveBudgetResult, cur: str, seed: str, today: dt.date | None) -> str:
    cur = res.currency or cur
    src, dst = res.from_line, res.to_line
    names = {"from_category": src.category, "to_category": dst.category}
    head = pick("move_budget", "ok", seed, amount=money(res.amount, cur), month=month_words(res.month), **names)
    lines = pick(
        "move_budget",
        "lines",
        seed,
        from_budget=money(src.budget, cur),
        from_left=money(src.remaining, cur),
        to_budget=money(dst.budget, cur),
        to_left=money(dst.remaining, cur),
        **names,
    )
    return sentences(head, lines)


# ---------------------------------------------------------------- chips


def _set_budget_chip(res: SetBudgetResult) -> Chip:
    b = res.budget
    return Chip("write", (f"Budget {b.category} · ", money_part(b.amount, b.currency), " a month"))


def _move_chip(res: MoveBudgetResult) -> Chip:
    route = f" · {res.from_line.category} → {res.to_line.category}"
    return Chip("write", ("Moved ", money_part(res.amount, res.currency), route))


SPECS = [
    ToolSpec(
        "budget_summary",
        "Budgets, spending and what is left per category for a month.",
        s.BudgetSummaryArgs,
        BudgetSummaryResult,
        budget_summary,
        _summary,
        read_chip("Looked at budgets"),
        "get your budget summary",
        read_only=True,
    ),
    ToolSpec(
        "spending_summary",
        "Total spent between two dates, by category.",
        s.SpendingSummaryArgs,
        SpendingResult,
        spending_summary,
        _spending,
        read_chip("Summed up spending"),
        "sum up your spending",
        read_only=True,
    ),
    ToolSpec(
        "set_budget",
        "Set a category's monthly budget.",
        s.SetBudgetArgs,
        SetBudgetResult,
        set_budget,
        _set_budget,
        _set_budget_chip,
        "set that budget",
    ),
    ToolSpec(
        "move_budget",
        "Move part of one category's budget to another for a month (this month by default).",
        s.MoveBudgetArgs,
        MoveBudgetResult,
        move_budget,
        _move,
        _move_chip,
        "move that budget",
    ),
]
