"""Monthly budgets per category and how the month is going against them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from assistant.services.budgets import BudgetLine, BudgetSummary, budget_summary, remove_budget, set_budget

from ..deps import ClockDep, CurrentUser, MonthQuery, SessionDep
from ..errors import ERROR_RESPONSES
from .transactions import AmountIn

router = APIRouter(prefix="/budgets", tags=["budgets"], responses={401: ERROR_RESPONSES[401]})

CategoryPath = Annotated[str, Path(max_length=60, description="The category's name, URL-encoded")]


class BudgetIn(BaseModel):
    amount: AmountIn
    month: str | None = Field(default=None, max_length=7, description="YYYY-MM; none: every month from now")


@router.get("/summary", response_model=BudgetSummary)
def get_summary(
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    month: MonthQuery = None,
    category: Annotated[str | None, Query(max_length=60)] = None,
) -> BudgetSummary:
    return budget_summary(session, user, month, category=category, clock=clock)


@router.put("/{category}", response_model=BudgetLine)
def put_budget(
    category: CategoryPath, body: BudgetIn, user: CurrentUser, session: SessionDep, clock: ClockDep
) -> BudgetLine:
    """Set a category's limit for one month, or (no month) for every month from this one on."""
    return set_budget(session, user, category, body.amount, body.month, clock=clock)


@router.delete("/{category}", response_model=BudgetLine, responses={404: ERROR_RESPONSES[404]})
def delete_budget(
    category: CategoryPath, user: CurrentUser, session: SessionDep, clock: ClockDep, month: MonthQuery = None
) -> BudgetLine:
    """Remove a limit (earlier months keep theirs); answers the line that was removed."""
    return remove_budget(session, user, category, month, clock=clock)
