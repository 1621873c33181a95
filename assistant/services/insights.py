"""Insights: where the month's money went, what changed, and how to rebalance, all from the ledger.

Why computed, not generated: every figure and every tip is arithmetic on the month's budget
summary, month-over-month totals and the subscription calendar, so a model can only repeat
numbers, never invent them.

Reallocation moves *spare* budget to categories that are over. In a past month all that is left
is spare; in the current month a category keeps its pro-rata share for the days still to come
(budget x days left / days in month), and only what is beyond that is offered.

Function: ``get_insights(session, user, month=None, *, clock) -> Insights``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel
from sqlmodel import Session

from ..clock import Clock, month_bounds, month_of, user_today
from ..models import User
from ..money import fmt, quantize
from .budgets import BudgetSummary, budget_summary
from .categories import necessity_scores
from .pace import MonthPace, month_pace
from .spending import CategoryChange, month_over_month, spending_summary
from .subscriptions import subscription_totals

ZERO = Decimal("0.00")
TOP_N = 5
CHANGES_N = 3


class TopCategory(BaseModel):
    category: str
    spent: Decimal
    share: Decimal | None  # percent of the month's spending


class OverBudget(BaseModel):
    category: str
    budget: Decimal
    spent: Decimal
    over_by: Decimal


class Reallocation(BaseModel):
    from_category: str
    to_category: str
    amount: Decimal
    text: str


class Insights(BaseModel):
    month: str
    currency: str
    total_spent: Decimal
    income: Decimal
    top_categories: list[TopCategory]
    biggest_changes: list[CategoryChange]
    over_budget: list[OverBudget]
    reallocation: list[Reallocation]
    tips: list[str]
    subscriptions_monthly_total: Decimal
    missing_rates: list[str]
    pace: MonthPace | None = None
    note: str | None = None  # what the totals leave out (no rate), said next to them


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    return None if whole == 0 else (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _spare(summary: BudgetSummary, month: str, today_month: str, days_in_month: int) -> dict[str, Decimal]:
    """Budget each category can give away without starving the rest of its month."""
    out: dict[str, Decimal] = {}
    for line in summary.categories:
        keep = ZERO
        if month == today_month:
            keep = line.budget * summary.days_left / days_in_month
        spare = quantize(line.remaining - keep)
        if spare > 0:
            out[line.category] = spare
    return out


def _reallocate(
    over: list[OverBudget], spare: dict[str, Decimal], necessity: dict[str, int], fmt_money: Callable[[Decimal], str]
) -> list[Reallocation]:
    """Cover the largest overrun first, from the least necessary category with spare, then the next."""
    moves: list[Reallocation] = []
    pool = dict(spare)
    for line in sorted(over, key=lambda o: (-o.over_by, o.category)):
        need = line.over_by
        for src in sorted(pool, key=lambda c: (necessity.get(c, 5), -pool[c], c)):
            if need <= 0:
                break
            amount = min(need, pool[src])
            if amount <= 0:
                continue
            pool[src] -= amount
            need -= amount
            text = f"Move {fmt_money(amount)} from {src} to {line.category}"
            moves.append(Reallocation(from_category=src, to_category=line.category, amount=amount, text=text))
    return moves


def get_insights(session: Session, user: User, month: str | None = None, *, clock: Clock) -> Insights:
    """The month at a glance: top categories, changes, overruns, rebalancing and tips."""
    today = user_today(clock, user.timezone)
    summary = budget_summary(session, user, month, clock=clock)  # validates the month
    target = summary.month
    first, last = month_bounds(target)
    cur = user.currency

    def m(x: Decimal) -> str:
        return fmt(quantize(x), cur)

    spending = spending_summary(session, user, first, last, clock=clock)
    total = spending.total
    rows = [c for c in spending.by_category if c.amount]
    top = [TopCategory(category=c.category, spent=c.amount, share=_percent(c.amount, total)) for c in rows]
    top = sorted(top, key=lambda t: (-t.spent, t.category))[:TOP_N]
    pace = month_pace(session, user, target, clock=clock)
    running = target == month_of(today)
    # Mid-month, a bill paid on the 3rd last month and not yet this month is no "-100%" news.
    fixed = {c.category for c in pace.categories if c.fixed} if running else set()
    changes = [
        c for c in month_over_month(session, user, target, clock=clock) if c.change != 0 and c.category not in fixed
    ][:CHANGES_N]
    over = [
        OverBudget(category=c.category, budget=c.budget, spent=c.spent, over_by=-c.remaining)
        for c in summary.categories
        if c.remaining < 0
    ]
    over.sort(key=lambda o: (-o.over_by, o.category))
    necessity = {name: score for _, name, score in necessity_scores(session, user)}
    days_in_month = (last - first).days + 1
    spare = _spare(summary, target, month_of(today), days_in_month)
    moves = _reallocate(over, spare, necessity, m)
    subs = subscription_totals(session, user, clock=clock)

    tips: list[str] = []
    if total == 0:
        tips.append(f"No spending recorded for {target} yet.")
    for o in over:
        tips.append(f"{o.category} is over budget by {m(o.over_by)} ({m(o.spent)} of {m(o.budget)}).")
    if moves:
        tips.append("To rebalance: " + "; ".join(mv.text[0].lower() + mv.text[1:] for mv in moves) + ".")
    rises = [c for c in changes if c.change > 0]
    if rises:
        c = rises[0]
        pct = f" ({c.change_pct}%)" if c.change_pct is not None else ""
        since = "the same days of last month" if target == month_of(today) else "last month"
        tips.append(f"{c.category} is up {m(c.change)}{pct} on {since} ({m(c.last_month)} -> {m(c.this_month)}).")
    if top and top[0].share is not None and top[0].share >= 30 and top[0].category not in fixed:
        tips.append(f"{top[0].category} is {top[0].share}% of your spending this month.")
    if spending.income_total > 0:
        saved = spending.income_total - total
        rate = _percent(saved, spending.income_total)
        if saved >= 0:
            tips.append(f"You kept {m(saved)} of {m(spending.income_total)} income ({rate}%).")
        else:
            tips.append(f"You spent {m(-saved)} more than your {m(spending.income_total)} income.")
    if running and pace.total_budget > 0 and total > 0:
        # One pace model for the tips and the bars: fixed payments are not projected.
        heading = [c for c in pace.categories if c.status == "over_pace"]
        for line in heading:
            tips.append(
                f"At this pace {line.category} reaches {m(line.projected)} by {last:%B} {last.day}, "
                f"{m(line.projected - line.budget)} over its {m(line.budget)} budget."
            )
    if subs.count:
        tips.append(f"Subscriptions cost {m(subs.monthly)} a month ({m(subs.yearly)} a year) across {subs.count}.")

    return Insights(
        month=target,
        currency=cur,
        total_spent=total,
        income=spending.income_total,
        top_categories=top,
        biggest_changes=changes,
        over_budget=over,
        reallocation=moves,
        tips=tips,
        subscriptions_monthly_total=subs.monthly,
        missing_rates=sorted(set(spending.missing_rates) | set(subs.missing_rates)),
        pace=pace,
        note=spending.note,
    )
