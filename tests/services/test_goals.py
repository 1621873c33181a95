"""Goals: set, update by name, contribute, and progress numbers a person can check by hand."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from sqlmodel import Session

from assistant.clock import FixedClock
from assistant.errors import Conflict, InvalidInput, NotFound
from assistant.models import Goal, User
from assistant.services.goals import (
    contribute,
    delete_goal,
    find_goal,
    get_goal,
    goal_progress,
    monthly_goal_needs,
    months_between,
    set_goal,
    update_goal,
)
from assistant.services.users import create_user

D = Decimal


def gid(goal: Goal) -> int:
    assert goal.id is not None
    return goal.id


def test_set_goal_then_same_name_updates(session: Session, user: User, clock: FixedClock) -> None:
    goal = set_goal(session, user, name="New car", target_amount="12000", target_date="2027-11-22", clock=clock)
    again = set_goal(session, user, name="new CAR", target_amount="15000", saved_amount="3000", clock=clock)
    assert again.id == goal.id and again.target_amount == D("15000.00") and again.saved_amount == D("3000.00")
    assert again.target_date == dt.date(2027, 11, 22)
    [p] = goal_progress(session, user, clock=clock)
    assert p.remaining == D("12000.00") and p.percent == D("20.0") and p.months_left == 12
    assert p.monthly_needed == D("1000.00") and not p.reached


def test_partial_name_and_contribute(session: Session, user: User, clock: FixedClock) -> None:
    car = set_goal(session, user, name="New car", target_amount=1000, clock=clock)
    set_goal(session, user, name="Emergency fund", target_amount=5000, clock=clock)
    assert find_goal(session, user, "car").id == car.id
    contribute(session, user, "car", "250.50", clock=clock)
    contribute(session, user, gid(car), "249.50", clock=clock)
    [p] = goal_progress(session, user, "CAR", clock=clock)
    assert p.saved_amount == D("500.00") and p.percent == D("50.0") and p.monthly_needed is None
    contribute(session, user, "new car", 600, clock=clock)
    [p] = goal_progress(session, user, "car", clock=clock)
    assert p.reached and p.remaining == D("0.00") and p.percent == D("100.0") and p.on_track
    assert car.reached_at == clock.now()
    with pytest.raises(NotFound) as err:
        find_goal(session, user, "boat")
    assert "Emergency fund" in err.value.message


def test_ambiguous_name(session: Session, user: User, clock: FixedClock) -> None:
    set_goal(session, user, name="Trip to Rome", target_amount=1000, clock=clock)
    set_goal(session, user, name="Trip to Oslo", target_amount=1000, clock=clock)
    with pytest.raises(InvalidInput) as err:
        contribute(session, user, "trip", 10)
    assert "Trip to Rome" in err.value.message and "Trip to Oslo" in err.value.message


def test_on_track_follows_a_straight_line(session: Session, user: User, clock: FixedClock) -> None:
    goal = set_goal(session, user, name="Laptop", target_amount=1200, target_date="2027-11-22", clock=clock)
    later = FixedClock(clock.now() + dt.timedelta(days=365 // 2))
    [p] = goal_progress(session, user, clock=later)
    assert p.on_track is False  # half the time gone, nothing saved
    update_goal(session, user, gid(goal), saved_amount=700, clock=later)
    [p] = goal_progress(session, user, clock=later)
    assert p.on_track is True and p.months_left == 5 and p.monthly_needed == D("100.00")  # May 23 -> Nov 22


def test_monthly_goal_needs_sums_dated_unreached_goals(session: Session, user: User, clock: FixedClock) -> None:
    set_goal(session, user, name="A", target_amount=600, target_date="2027-05-22", clock=clock)  # 6 months
    set_goal(session, user, name="B", target_amount=100, target_date="2026-12-31", clock=clock)  # 1 month
    set_goal(session, user, name="C", target_amount=100, clock=clock)  # no date: no monthly ask
    set_goal(session, user, name="D", target_amount=100, saved_amount=100, target_date="2027-01-01", clock=clock)
    assert monthly_goal_needs(session, user, clock=clock) == D("200.00")


def test_months_between() -> None:
    today = dt.date(2026, 11, 22)
    assert months_between(today, dt.date(2026, 11, 22)) == 0
    assert months_between(today, dt.date(2026, 11, 30)) == 1
    assert months_between(today, dt.date(2027, 1, 21)) == 1
    assert months_between(today, dt.date(2027, 1, 22)) == 2


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [("target_date", {"target_date": "2026-11-22"}), ("target_date", {"target_date": "2020-01-01"}),
     ("target_amount", {"target_amount": 0}), ("target_amount", {"target_amount": "abc"}),
     ("saved_amount", {"saved_amount": "-1"}), ("name", {"name": ""}),
     ("target_date", {"target_date": "2027-02-30"})],
)  # fmt: skip
def test_bad_input_is_refused(
    session: Session, user: User, clock: FixedClock, field: str, kwargs: dict[str, object]
) -> None:
    args: dict[str, object] = {"name": "Car", "target_amount": 100} | kwargs
    with pytest.raises(InvalidInput) as err:
        set_goal(session, user, clock=clock, **args)  # type: ignore[arg-type]
    assert err.value.field == field
    assert goal_progress(session, user, clock=clock) == []


def test_update_and_delete(session: Session, user: User, clock: FixedClock) -> None:
    goal = set_goal(session, user, name="Bike", target_amount=800, clock=clock)
    set_goal(session, user, name="Sofa", target_amount=800, clock=clock)
    with pytest.raises(Conflict):
        update_goal(session, user, gid(goal), name="sofa", clock=clock)
    with pytest.raises(InvalidInput):
        update_goal(session, user, gid(goal), target_amount=900, target_date="2000-01-01", clock=clock)
    assert goal.target_amount == D("800.00")
    update_goal(session, user, gid(goal), name="Road bike", target_date="2027-03-01", clock=clock)
    assert get_goal(session, user, gid(goal)).name == "Road bike"
    assert goal.target_date == dt.date(2027, 3, 1)
    update_goal(session, user, gid(goal), target_amount=None, target_date=None, clock=clock)  # a PATCH with null
    assert goal.target_date is None and goal.target_amount == D("800.00")
    delete_goal(session, user, gid(goal))
    with pytest.raises(NotFound):
        get_goal(session, user, gid(goal))


def test_another_users_goal_is_not_found(session: Session, user: User, clock: FixedClock) -> None:
    other = create_user(session, email=f"o-{uuid.uuid4().hex[:8]}@example.com")
    theirs = set_goal(session, other, name="Their car", target_amount=100, clock=clock)
    for call in (
        lambda: get_goal(session, user, gid(theirs)),
        lambda: update_goal(session, user, gid(theirs), saved_amount=50, clock=clock),
        lambda: delete_goal(session, user, gid(theirs)),
        lambda: contribute(session, user, gid(theirs), 10),
        lambda: contribute(session, user, "their car", 10),
        lambda: goal_progress(session, user, "their", clock=clock),
    ):
        with pytest.raises(NotFound):
            call()
    assert theirs.saved_amount == D("0.00")
