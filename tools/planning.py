"""The tools people asked for (issue 10): goal contributions, subscription changes, exchange rates,
budget moves, the usual monthly income and new categories.

Why a module of their own: the contract's table lists them beside the first fifteen, with
fixed names and arguments; each validates its arguments here, calls one service (the same one
its REST twin calls) and returns JSON, in the caller's one unit of work, for the context's user
only. Every figure a reply states is in the result.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema
from sqlmodel import Session

from assistant.clock import user_today
from assistant.errors import InvalidInput
from assistant.models import CategoryKind, CategoryPublic, User
from assistant.money import quantize
from assistant.services import budget_moves, categories, currency, goals, income
from assistant.services import subscriptions as subs

from .context import ToolContext
from .schemas import Currency, IsoDate, Money, Month, Text, ToolArgs, _money_in

Result = dict[str, Any]

RateValue = Annotated[
    Decimal,
    BeforeValidator(_money_in),
    Field(gt=0, le=1_000_000),
    WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "maximum": 1_000_000}),
]


class ContributeToGoalArgs(ToolArgs):
    name: Text = Field(description="The goal, by name, e.g. 'Emergency fund'.")
    amount: Money = Field(description="How much to add to the goal's savings.")


class UpdateSubscriptionArgs(ToolArgs):
    name: Text = Field(description="The subscription to change, e.g. 'Netflix'.")
    amount: Money | None = Field(default=None, description="The new price of each renewal.")
    cadence: Literal["weekly", "monthly", "quarterly", "yearly"] | None = Field(
        default=None, description="How often it now renews."
    )
    next_renewal: IsoDate | None = Field(default=None, description="The next renewal date, YYYY-MM-DD.")
    remind_days_before: int | None = Field(default=None, ge=0, le=60, description="Days of notice before renewal.")
    category: str | None = Field(default=None, max_length=60, description="The expense category it belongs to.")


class SetExchangeRateArgs(ToolArgs):
    currency: Currency = Field(description="ISO 4217 code of the foreign currency, e.g. 'EUR'.")
    rate: RateValue = Field(description="Units of the user's currency per one unit of `currency`, e.g. 1.08.")


class MoveBudgetArgs(ToolArgs):
    from_category: Text = Field(description="The expense category that gives budget.")
    to_category: Text = Field(description="The expense category that receives it.")
    amount: Money = Field(description="How much budget to move.")
    month: Month | None = Field(default=None, description="YYYY-MM; default this month.")


class SetMonthlyIncomeArgs(ToolArgs):
    amount: Money = Field(description="The user's usual income per month.")


class CreateCategoryArgs(ToolArgs):
    name: Annotated[str, Field(min_length=1, max_length=60)] = Field(description="The new category's name.")
    kind: Literal["expense", "income"] = Field(default="expense", description="'expense' or 'income'.")
    necessity_score: int = Field(default=5, ge=1, le=10, description="1 (a luxury) to 10 (essential).")


def contribute_to_goal(session: Session, user: User, a: ContributeToGoalArgs, ctx: ToolContext) -> Result:
    goal = goals.find_goal(session, user, a.name)
    assert goal.id is not None
    goal = goals.contribute(session, user, goal.id, a.amount, clock=ctx.clock)
    today = user_today(ctx.clock, user.timezone)
    progress = goals.progress_of(goal, today=today, timezone=user.timezone)
    return {"goal": progress.model_dump(mode="json"), "added": str(quantize(a.amount))}


def update_subscription(session: Session, user: User, a: UpdateSubscriptionArgs, ctx: ToolContext) -> Result:
    changes = a.model_dump(exclude={"name"}, exclude_none=True)
    if not changes:
        raise InvalidInput("say what to change: amount, cadence, next renewal, reminder days or category")
    sub = subs.find_subscription(session, user, a.name)
    before = subs.to_public(session, user, sub, clock=ctx.clock).model_dump(mode="json")
    assert sub.id is not None
    sub = subs.update_subscription(session, user, sub.id, clock=ctx.clock, **changes)
    after = subs.to_public(session, user, sub, clock=ctx.clock).model_dump(mode="json")
    return {"subscription": after, "before": before, "changed": sorted(changes)}


def set_exchange_rate(session: Session, user: User, a: SetExchangeRateArgs, ctx: ToolContext) -> Result:
    row = currency.set_rate(session, user, a.currency, a.rate)
    return {"currency": row.currency, "rate": str(row.rate), "base": user.currency}


def move_budget(session: Session, user: User, a: MoveBudgetArgs, ctx: ToolContext) -> Result:
    moved = budget_moves.move_budget(session, user, a.from_category, a.to_category, a.amount, a.month, clock=ctx.clock)
    return moved.model_dump(mode="json")  # type: ignore[no-any-return]


def set_monthly_income(session: Session, user: User, a: SetMonthlyIncomeArgs, ctx: ToolContext) -> Result:
    income.set_monthly_income(session, user, a.amount)
    return income.income_overview(session, user, clock=ctx.clock).model_dump(mode="json")  # type: ignore[no-any-return]


def create_category(session: Session, user: User, a: CreateCategoryArgs, ctx: ToolContext) -> Result:
    cat = categories.create_category(
        session, user, name=a.name, kind=CategoryKind(a.kind), necessity_score=a.necessity_score
    )
    return {"category": CategoryPublic.model_validate(cat).model_dump(mode="json")}


ARG_MODELS: dict[str, type[ToolArgs]] = {
    "contribute_to_goal": ContributeToGoalArgs,
    "update_subscription": UpdateSubscriptionArgs,
    "set_exchange_rate": SetExchangeRateArgs,
    "move_budget": MoveBudgetArgs,
    "set_monthly_income": SetMonthlyIncomeArgs,
    "create_category": CreateCategoryArgs,
}
DESCRIPTIONS: dict[str, str] = {
    "contribute_to_goal": "Add money to a savings goal, e.g. 'put 200 toward my emergency fund'.",
    "update_subscription": "Change a tracked subscription's price, cadence, renewal date, reminder or category.",
    "set_exchange_rate": "Set how many units of the user's currency one unit of a foreign currency is worth.",
    "move_budget": "Move part of one category's budget to another for a month (this month by default).",
    "set_monthly_income": "Record the user's usual monthly income (not a transaction).",
    "create_category": "Create a new spending (or income) category.",
}
IMPLS: dict[str, Callable[[Session, User, Any, ToolContext], Result]] = {
    "contribute_to_goal": contribute_to_goal,
    "update_subscription": update_subscription,
    "set_exchange_rate": set_exchange_rate,
    "move_budget": move_budget,
    "set_monthly_income": set_monthly_income,
    "create_category": create_category,
}

__all__ = ["ARG_MODELS", "DESCRIPTIONS", "IMPLS"]
