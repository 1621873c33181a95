"""REST twins of the planning tools (issue 10): exchange rates, budget moves, the monthly income.

What chat can do, the UI and REST can do: each endpoint calls the same service as its tool
(``set_exchange_rate``, ``move_budget``, ``set_monthly_income``) in the request's one unit of
work. ``contribute_to_goal``, ``update_subscription`` and ``create_category`` have their twins
already: ``POST /api/goals/{id}/contributions``, ``PATCH /api/subscriptions/{id}``,
``POST /api/categories``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Path, status
from pydantic import BaseModel, Field
from sqlmodel import col, select

from assistant.models import CurrencyRate
from assistant.services import currency
from assistant.services.budget_moves import BudgetMove, move_budget
from assistant.services.income import IncomeOverview, clear_monthly_income, income_overview, set_monthly_income

from ..deps import ClockDep, CurrentUser, SessionDep, month_read
from ..errors import ERROR_RESPONSES
from .transactions import AmountIn

router = APIRouter(tags=["planning"], responses={401: ERROR_RESPONSES[401]})

CurrencyPath = Annotated[str, Path(min_length=3, max_length=3, description="ISO 4217 code, e.g. EUR")]
RateIn = Annotated[Decimal, Field(gt=0, le=1_000_000, examples=["1.08"])]


class RatePublic(BaseModel):
    currency: str
    rate: Decimal  # units of ``base`` per one unit of ``currency``
    base: str
    updated_at: dt.datetime


class RatePage(BaseModel):
    items: list[RatePublic]
    total: int
    base: str


class RateBody(BaseModel):
    rate: RateIn


class BudgetMoveIn(BaseModel):
    from_category: str = Field(min_length=1, max_length=60)
    to_category: str = Field(min_length=1, max_length=60)
    amount: AmountIn
    month: str | None = Field(default=None, max_length=7, description="YYYY-MM; this month when left out")


class IncomeIn(BaseModel):
    amount: AmountIn


@router.get("/rates", response_model=RatePage)
def get_rates(user: CurrentUser, session: SessionDep) -> RatePage:
    """The exchange rates the user set (1 unit of ``currency`` = ``rate`` units of ``base``)."""
    rows = session.exec(
        select(CurrencyRate).where(CurrencyRate.user_id == user.id).order_by(col(CurrencyRate.currency))
    ).all()
    items = [RatePublic(currency=r.currency, rate=r.rate, base=user.currency, updated_at=r.updated_at) for r in rows]
    return RatePage(items=items, total=len(items), base=user.currency)


@router.put("/rates/{code}", response_model=RatePublic)
def put_rate(code: CurrencyPath, body: RateBody, user: CurrentUser, session: SessionDep) -> RatePublic:
    """Set or replace one rate; amounts in that currency count in totals from now on."""
    row = currency.set_rate(session, user, code, body.rate)
    return RatePublic(currency=row.currency, rate=row.rate, base=user.currency, updated_at=row.updated_at)


@router.delete("/rates/{code}", status_code=status.HTTP_204_NO_CONTENT, responses={404: ERROR_RESPONSES[404]})
def delete_rate(code: CurrencyPath, user: CurrentUser, session: SessionDep) -> None:
    """Forget a rate: amounts in that currency are left out of totals again (and listed as missing)."""
    currency.delete_rate(session, user, code)


@router.post("/budgets/move", response_model=BudgetMove, responses={409: ERROR_RESPONSES[409]})
def post_budget_move(body: BudgetMoveIn, user: CurrentUser, session: SessionDep, clock: ClockDep) -> BudgetMove:
    """Move budget between two expense categories for one month, all or nothing.

    422 when the "from" category has no budget that month or less left than ``amount``.
    """
    return move_budget(session, user, body.from_category, body.to_category, body.amount, body.month, clock=clock)


month_read(
    router,
    "/me/income",
    income_overview,
    IncomeOverview,
    name="get_income",
    doc="The usual monthly income beside what the month received and spent.",
)


@router.put("/me/income", response_model=IncomeOverview)
def put_income(body: IncomeIn, user: CurrentUser, session: SessionDep, clock: ClockDep) -> IncomeOverview:
    """Set the usual monthly income (a statement about the user, not a transaction)."""
    set_monthly_income(session, user, body.amount)
    return income_overview(session, user, clock=clock)


@router.delete("/me/income", status_code=status.HTTP_204_NO_CONTENT)
def delete_income(user: CurrentUser, session: SessionDep) -> None:
    clear_monthly_income(session, user)
