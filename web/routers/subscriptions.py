"""Recurring charges: what renews when, and what they cost a month."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from assistant.models import Cadence
from assistant.services import subscriptions as subs
from assistant.services.common import Page
from assistant.services.subscriptions import SubscriptionPublic, SubscriptionTotals

from ..deps import ClockDep, CurrentUser, IdPath, PagingDep, SessionDep
from ..errors import ERROR_RESPONSES
from .transactions import AmountIn

router = APIRouter(prefix="/subscriptions", tags=["subscriptions"], responses={401: ERROR_RESPONSES[401]})


class SubscriptionIn(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    amount: AmountIn
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    cadence: Cadence = Cadence.MONTHLY
    next_renewal: dt.date | None = Field(default=None, description="Defaults to one period from today")
    remind_days_before: int = Field(default=7, ge=0, le=subs.MAX_REMIND_DAYS)
    category: str | None = Field(default=None, max_length=60)
    notes: str = Field(default="", max_length=1000)


class SubscriptionUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    amount: AmountIn | None = None
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    cadence: Cadence | None = None
    next_renewal: dt.date | None = None
    remind_days_before: int | None = Field(default=None, ge=0, le=subs.MAX_REMIND_DAYS)
    category: str | None = Field(default=None, max_length=60)
    active: bool | None = Field(default=None, description="false cancels (kept for history)")
    notes: str | None = Field(default=None, max_length=1000)
    extra_reminder_days: list[int] | None = Field(
        default=None, max_length=5, description="More lead times besides remind_days_before, e.g. [1]"
    )
    contract_end: dt.date | None = Field(default=None, description="End of a minimum term (null clears it)")
    notice_days: int | None = Field(default=None, ge=0, le=365, description="Notice needed to cancel")


@router.get("", response_model=Page[SubscriptionPublic])
def get_subscriptions(
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    paging: PagingDep,
    within_days: Annotated[int | None, Query(ge=0, le=subs.MAX_WITHIN_DAYS)] = None,
    include_cancelled: bool = False,
    name: Annotated[
        str | None, Query(max_length=120, description="Name contains this ('water bill' finds Water)")
    ] = None,
) -> Page[SubscriptionPublic]:
    """By next renewal; ``within_days`` keeps those due in the next N days, ``name`` those named so."""
    return subs.list_subscriptions(
        session,
        user,
        within_days=within_days,
        name=name,
        active_only=not include_cancelled,
        limit=paging.limit,
        offset=paging.offset,
        clock=clock,
    )


@router.get("/totals", response_model=SubscriptionTotals)
def get_totals(user: CurrentUser, session: SessionDep, clock: ClockDep) -> SubscriptionTotals:
    """What the active subscriptions cost a month and a year, in the user's currency."""
    return subs.subscription_totals(session, user, clock=clock)


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=SubscriptionPublic, responses={409: ERROR_RESPONSES[409]}
)
def post_subscription(
    body: SubscriptionIn, user: CurrentUser, session: SessionDep, clock: ClockDep
) -> SubscriptionPublic:
    sub = subs.add_subscription(session, user, clock=clock, **body.model_dump())
    return subs.to_public(session, user, sub, clock=clock)


@router.get("/{sub_id}", response_model=SubscriptionPublic, responses={404: ERROR_RESPONSES[404]})
def get_subscription(sub_id: IdPath, user: CurrentUser, session: SessionDep, clock: ClockDep) -> SubscriptionPublic:
    return subs.to_public(session, user, subs.get_subscription(session, user, sub_id), clock=clock)


@router.patch(
    "/{sub_id}", response_model=SubscriptionPublic, responses={404: ERROR_RESPONSES[404], 409: ERROR_RESPONSES[409]}
)
def patch_subscription(
    sub_id: IdPath, body: SubscriptionUpdate, user: CurrentUser, session: SessionDep, clock: ClockDep
) -> SubscriptionPublic:
    sub = subs.update_subscription(session, user, sub_id, clock=clock, **body.model_dump(exclude_unset=True))
    return subs.to_public(session, user, sub, clock=clock)


@router.delete("/{sub_id}", status_code=status.HTTP_204_NO_CONTENT, responses={404: ERROR_RESPONSES[404]})
def delete_subscription(sub_id: IdPath, user: CurrentUser, session: SessionDep) -> None:
    """Remove it for good (to stop it but keep the history, PATCH ``active: false``)."""
    subs.delete_subscription(session, user, sub_id)
