"""Ledger services: regressions found in review, each failed before its fix."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import Session

from assistant.clock import FixedClock
from assistant.errors import InvalidInput, NotFound
from assistant.models import User
from assistant.services.goals import goal_progress, set_goal
from assistant.services.spending import spending_summary
from assistant.services.transactions import get_transaction
from assistant.services.users import create_user
from tests.api_support import Account, alice, app, client  # noqa: F401


def test_goal_start_day_is_the_users_day(session: Session, clock: FixedClock) -> None:
    # 2026-11-22 17:00 UTC is already 2026-11-23 06:00 in Auckland: the goal starts today there,
    # so nothing is expected saved yet and an empty goal is on track (the UTC day said it was behind).
    user = create_user(session, email=f"nz-{uuid.uuid4().hex[:10]}@example.com", timezone="Pacific/Auckland")
    set_goal(session, user, name="Trip", target_amount="100", target_date="2026-11-25", clock=clock)
    (progress,) = goal_progress(session, user, clock=clock)
    assert progress.on_track is True


def test_spending_summary_near_the_start_of_the_calendar_is_refused(
    session: Session, user: User, clock: FixedClock
) -> None:
    with pytest.raises(InvalidInput):
        spending_summary(session, user, "0001-01-01", "0001-01-05", clock=clock)


def test_huge_transaction_id_is_not_found(session: Session, user: User) -> None:
    for tx_id in (2**31, 10**30, 0, -1):
        with pytest.raises(NotFound):
            get_transaction(session, user, tx_id)


def test_renewal_dates_far_ahead_are_refused(session: Session, user: User, clock: FixedClock) -> None:
    """9999-12-31 would overflow when the renewal moves on; it is refused with a clear error."""
    from assistant.services.subscriptions import add_subscription, update_subscription

    with pytest.raises(InvalidInput):
        add_subscription(session, user, name="Forever", amount="5", next_renewal="9999-12-31", clock=clock)
    sub = add_subscription(session, user, name="Soon", amount="5", next_renewal="2027-01-05", clock=clock)
    assert sub.id is not None
    with pytest.raises(InvalidInput):
        update_subscription(session, user, sub.id, next_renewal="9999-12-31", clock=clock)
