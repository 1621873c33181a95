"""Spending over a date range and the month's insights: the chat's spending_summary and
get_insights tools, over REST too (what chat can do, the UI and REST can do)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from assistant.services.checkup import Checkup, month_checkup
from assistant.services.insights import Insights, get_insights
from assistant.services.spending import SpendingSummary, spending_summary

from ..deps import ClockDep, CurrentUser, SessionDep, month_read
from ..errors import ERROR_RESPONSES

router = APIRouter(tags=["spending"], responses={401: ERROR_RESPONSES[401]})


@router.get("/spending/summary", response_model=SpendingSummary)
def get_spending_summary(
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    start: Annotated[dt.date, Query(description="First day, YYYY-MM-DD")],
    end: Annotated[dt.date, Query(description="Last day, YYYY-MM-DD (inclusive)")],
    category: Annotated[str | None, Query(max_length=60)] = None,
    merchant: Annotated[
        str | None, Query(max_length=200, description="Merchant or description contains this (any case)")
    ] = None,
) -> SpendingSummary:
    """What was spent from ``start`` to ``end``, by category, against the period before."""
    return spending_summary(session, user, start, end, category=category, merchant=merchant, clock=clock)


month_read(
    router,
    "/insights/checkup",
    month_checkup,
    Checkup,
    name="get_checkup",
    doc='"How am I doing": so far against the same days of last month, and where to cut.',
)


month_read(
    router,
    "/insights",
    get_insights,
    Insights,
    name="get_month_insights",
    doc="The month at a glance: top categories, changes, overruns, rebalancing and tips.",
)
