"""One call for the UI's home screen, so it loads in a single round trip."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from importlib import resources

from fastapi import APIRouter
from pydantic import BaseModel

from assistant.clock import user_today
from assistant.services import transactions as tx_service
from assistant.services.budgets import BudgetSummary, budget_summary
from assistant.services.goals import GoalProgress, goal_progress
from assistant.services.spending import MonthTrend, monthly_trend
from assistant.services.subscriptions import SubscriptionPublic, list_subscriptions
from assistant.services.transactions import TransactionPublic

from ..deps import ClockDep, CurrentUser, SessionDep
from ..errors import ERROR_RESPONSES

router = APIRouter(prefix="/dashboard", tags=["dashboard"], responses={401: ERROR_RESPONSES[401]})

RENEWAL_WINDOW_DAYS = 30
RECENT = 10
TREND_MONTHS = 6


class Dashboard(BaseModel):
    budget: BudgetSummary
    trend: list[MonthTrend]
    upcoming_renewals: list[SubscriptionPublic]
    recent_transactions: list[TransactionPublic]
    goals: list[GoalProgress]
    tip: str
    monthly_income: Decimal | None = None  # the usual income the user stated (set_monthly_income)


@lru_cache
def tips() -> tuple[str, ...]:
    text = resources.files("prompts").joinpath("tips.txt").read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip())


@router.get("", response_model=Dashboard)
def get_dashboard(user: CurrentUser, session: SessionDep, clock: ClockDep) -> Dashboard:
    """This month's budgets, the six-month trend, renewals in the next 30 days, the latest
    transactions, goals and the tip of the day (the same all day, a new one tomorrow)."""
    today = user_today(clock, user.timezone)
    recent = tx_service.list_transactions(session, user, limit=RECENT)
    all_tips = tips()
    return Dashboard(
        budget=budget_summary(session, user, clock=clock),
        trend=monthly_trend(session, user, TREND_MONTHS, clock=clock),
        upcoming_renewals=list_subscriptions(
            session, user, within_days=RENEWAL_WINDOW_DAYS, limit=50, clock=clock
        ).items,
        recent_transactions=tx_service.public_page(session, recent).items,
        goals=goal_progress(session, user, clock=clock),
        tip=all_tips[today.toordinal() % len(all_tips)],
        monthly_income=user.monthly_income,
    )
