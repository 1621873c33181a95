"""One typed ``Result`` model per tool: the fields a tool returns that its reply and chip read.

Why typed: the reply writers and chip summaries used to guess field names in a dict
(``percent`` / ``percent_complete`` / ``progress_pct``); now each reads attributes of its tool's
model, so a renamed field fails a test instead of printing "?". Fields not listed are kept on
the wire (the model only reads), money is ``Decimal``, and every field has a default so a
partial result (an old history row, a hand-made test dict) still reads.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict


class View(BaseModel):
    """A read-only view of JSON a tool returned: unknown keys are ignored, never an error."""

    model_config = ConfigDict(extra="ignore", frozen=True)


# ---------------------------------------------------------------- shared parts


class Tx(View):
    id: int | None = None
    kind: str = "expense"
    amount: Decimal | None = None
    currency: str | None = None
    date: dt.date | None = None
    description: str = ""
    merchant: str | None = None
    category: str | None = None
    home_amount: Decimal | None = None


class BudgetLine(View):
    """One category's budget for a month (``budgets.category_budget`` / a summary line)."""

    category: str = ""
    budget: Decimal | None = None
    spent: Decimal | None = None
    remaining: Decimal | None = None
    percent_used: Decimal | None = None
    status: str = "ok"
    month: str | None = None
    this_month: bool = True


class Sub(View):
    id: int | None = None
    name: str = ""
    amount: Decimal | None = None
    currency: str | None = None
    cadence: str = ""
    next_renewal: dt.date | None = None
    remind_days_before: int = 0
    category: str | None = None
    days_until: int = 0
    monthly_cost: Decimal | None = None


class Goal(View):
    id: int | None = None
    name: str = ""
    currency: str | None = None
    target_amount: Decimal | None = None
    saved_amount: Decimal = Decimal(0)
    remaining: Decimal | None = None
    percent: Decimal | None = None
    target_date: dt.date | None = None
    monthly_needed: Decimal | None = None
    reached: bool = False


class Note(View):
    id: int | None = None
    title: str = ""


class ToolResult(View):
    """What every tool returns: ``ok``, and on failure ``error: {code, message}``."""

    ok: bool = True


# ---------------------------------------------------------------- transactions


class LoggedResult(ToolResult):
    transaction: Tx = Tx()
    budget: BudgetLine | None = None


class TxListResult(ToolResult):
    items: list[Tx] = []
    total: int = 0
    merchant: str | None = None


class TxUpdateResult(ToolResult):
    transaction: Tx = Tx()
    before: Tx = Tx()
    changed: list[str] = []
    budget: BudgetLine | None = None


class TxDeleteResult(ToolResult):
    deleted: Tx = Tx()


# ---------------------------------------------------------------- budgets and spending


class Alternative(View):
    text: str = ""


class PurchaseResult(ToolResult):
    item: str = ""
    amount: Decimal | None = None
    decision: str = "wait"
    reason: str = ""
    alternatives: list[Alternative] = []


class Unbudgeted(View):
    category: str = ""


class BudgetSummaryResult(ToolResult):
    month: str = ""
    currency: str | None = None
    total_budget: Decimal | None = None
    total_spent: Decimal | None = None
    total_remaining: Decimal = Decimal(0)
    total_expenses: Decimal = Decimal(0)
    categories: list[BudgetLine] = []
    overspent: list[str] = []
    unbudgeted: list[Unbudgeted] = []


class CategoryAmount(View):
    category: str = ""
    amount: Decimal | None = None


class SpendingResult(ToolResult):
    start: dt.date | None = None
    end: dt.date | None = None
    currency: str | None = None
    category: str | None = None
    merchant: str | None = None
    total: Decimal | None = None
    count: int = 0
    by_category: list[CategoryAmount] = []
    change_pct: Decimal | None = None


class SetBudgetLine(View):
    category: str = ""
    amount: Decimal | None = None
    currency: str | None = None
    month: str | None = None
    standing: bool = True


class SetBudgetResult(ToolResult):
    budget: SetBudgetLine = SetBudgetLine()


class MoveBudgetResult(ToolResult):
    month: str = ""
    currency: str | None = None
    amount: Decimal | None = None
    from_line: BudgetLine = BudgetLine()
    to_line: BudgetLine = BudgetLine()


class IncomeResult(ToolResult):
    month: str = ""
    currency: str | None = None
    monthly_income: Decimal | None = None
    received: Decimal = Decimal(0)
    spent: Decimal | None = None


class RateResult(ToolResult):
    currency: str = ""
    rate: Decimal | None = None
    base: str = ""


class CategoryOut(View):
    id: int | None = None
    name: str = ""
    kind: str = "expense"
    necessity_score: int = 5


class CategoryResult(ToolResult):
    category: CategoryOut = CategoryOut()


class Period(View):
    start: dt.date | None = None
    total: Decimal = Decimal(0)


class Pace(View):
    days: int = 0
    this_period: Period = Period()
    last_period: Period = Period()
    change: Decimal = Decimal(0)
    change_pct: Decimal | None = None


class Cut(View):
    category: str = ""
    spent: Decimal | None = None
    trim_saves: Decimal | None = None


class Checkup(View):
    month: str = ""
    pace: Pace = Pace()
    where_to_cut: list[Cut] = []


class TopCategory(View):
    category: str = ""
    spent: Decimal | None = None


class InsightsResult(ToolResult):
    month: str = ""
    currency: str | None = None
    top_categories: list[TopCategory] = []
    tips: list[str] = []
    checkup: Checkup | None = None


# ---------------------------------------------------------------- subscriptions, goals, reminders


class SubResult(ToolResult):
    subscription: Sub = Sub()


class SubListResult(ToolResult):
    items: list[Sub] = []
    total: int = 0
    name: str | None = None


class SubUpdateResult(ToolResult):
    subscription: Sub = Sub()
    before: Sub = Sub()
    changed: list[str] = []


class GoalResult(ToolResult):
    goal: Goal = Goal()


class GoalListResult(ToolResult):
    items: list[Goal] = []


class ContributeResult(ToolResult):
    goal: Goal = Goal()
    added: Decimal | None = None


class ReminderResult(ToolResult):
    subscription: Sub = Sub()
    days_before: int | None = None


class SnoozeResult(ToolResult):
    notification: Note = Note()
    until: dt.date | None = None
    at: str = ""


class DismissResult(ToolResult):
    notification: Note = Note()


def read(model: type[ToolResult], data: Any) -> Any:
    """``data`` as ``model`` (a dict a tool returned, or one a test wrote by hand)."""
    return model.model_validate(data if isinstance(data, dict) else {})
