"""Savings goals with their progress (computed from the stored amounts)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from assistant.clock import user_today
from assistant.models import Goal, User
from assistant.services import goals as goal_service
from assistant.services.common import Page
from assistant.services.goals import GoalProgress

from ..deps import ClockDep, CurrentUser, IdPath, PagingDep, SessionDep
from ..errors import ERROR_RESPONSES
from .transactions import AmountIn

router = APIRouter(prefix="/goals", tags=["goals"], responses={401: ERROR_RESPONSES[401]})

SavedIn = Annotated[Decimal, Field(ge=0, le=1_000_000, examples=["250.00"])]


class GoalIn(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    target_amount: AmountIn
    target_date: dt.date | None = None
    saved_amount: SavedIn | None = None


class GoalUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    target_amount: AmountIn | None = None
    target_date: dt.date | None = None
    saved_amount: SavedIn | None = None


class ContributionIn(BaseModel):
    amount: AmountIn


def _progress(goal: Goal, user: User, clock: ClockDep) -> GoalProgress:
    return goal_service.progress_of(goal, today=user_today(clock, user.timezone), timezone=user.timezone)


@router.get("", response_model=Page[GoalProgress])
def get_goals(user: CurrentUser, session: SessionDep, clock: ClockDep, paging: PagingDep) -> Page[GoalProgress]:
    goals = goal_service.goal_progress(session, user, clock=clock)
    return Page[GoalProgress](items=goals[paging.offset : paging.offset + paging.limit], total=len(goals))


@router.post("", status_code=status.HTTP_201_CREATED, response_model=GoalProgress)
def post_goal(body: GoalIn, user: CurrentUser, session: SessionDep, clock: ClockDep) -> GoalProgress:
    """Create a goal (a goal of the same name is updated instead)."""
    goal = goal_service.set_goal(session, user, clock=clock, **body.model_dump())
    return _progress(goal, user, clock)


@router.get("/{goal_id}", response_model=GoalProgress, responses={404: ERROR_RESPONSES[404]})
def get_goal(goal_id: IdPath, user: CurrentUser, session: SessionDep, clock: ClockDep) -> GoalProgress:
    return _progress(goal_service.get_goal(session, user, goal_id), user, clock)


@router.patch(
    "/{goal_id}", response_model=GoalProgress, responses={404: ERROR_RESPONSES[404], 409: ERROR_RESPONSES[409]}
)
def patch_goal(
    goal_id: IdPath, body: GoalUpdate, user: CurrentUser, session: SessionDep, clock: ClockDep
) -> GoalProgress:
    goal = goal_service.update_goal(session, user, goal_id, clock=clock, **body.model_dump(exclude_unset=True))
    return _progress(goal, user, clock)


@router.post("/{goal_id}/contributions", response_model=GoalProgress, responses={404: ERROR_RESPONSES[404]})
def post_contribution(
    goal_id: IdPath, body: ContributionIn, user: CurrentUser, session: SessionDep, clock: ClockDep
) -> GoalProgress:
    """Put money aside for a goal."""
    goal = goal_service.contribute(session, user, goal_id, body.amount, clock=clock)
    return _progress(goal, user, clock)


@router.delete("/{goal_id}", status_code=status.HTTP_204_NO_CONTENT, responses={404: ERROR_RESPONSES[404]})
def delete_goal(goal_id: IdPath, user: CurrentUser, session: SessionDep) -> None:
    goal_service.delete_goal(session, user, goal_id)
