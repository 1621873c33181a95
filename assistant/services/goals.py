"""Savings goals: a target, what is saved so far, and what it takes a month to get there.

Progress is arithmetic on the stored amounts, never an estimate: ``monthly_needed`` is the
remaining amount spread over the whole months left before the target date, and ``on_track``
compares what is saved with a straight line from the day the goal was set to its target date.

Functions: ``set_goal`` (the same name again updates that goal), ``update_goal``,
``delete_goal``, ``get_goal``, ``find_goal``, ``contribute``, ``goal_progress``,
``progress_of``; the shape ``GoalProgress``.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from ..clock import Clock, SystemClock, user_today
from ..errors import Conflict, InvalidInput, NotFound
from ..models import Goal, User
from ..money import MAX_AMOUNT, parse_amount, quantize
from .common import as_date, flush_unique, only_match

UPDATABLE = frozenset({"name", "target_amount", "target_date", "saved_amount"})


class GoalProgress(BaseModel):
    id: int
    name: str
    currency: str
    target_amount: Decimal
    saved_amount: Decimal
    remaining: Decimal
    percent: Decimal
    target_date: dt.date | None
    months_left: int | None
    monthly_needed: Decimal | None
    on_track: bool | None
    reached: bool


def months_between(today: dt.date, target: dt.date) -> int:
    """Whole months from ``today`` until ``target`` (0 once the date has passed, else at least 1)."""
    if target <= today:
        return 0
    months = (target.year - today.year) * 12 + (target.month - today.month)
    if target.day < today.day:
        months -= 1
    return max(months, 1)


def progress_of(goal: Goal, *, today: dt.date, timezone: str = "UTC") -> GoalProgress:
    """The numbers a person asks about a goal, all derived from the stored amounts.

    ``today`` and ``timezone`` are the user's: the day the goal was created is read there too.
    """
    assert goal.id is not None
    target, saved = goal.target_amount, goal.saved_amount
    remaining = max(target - saved, Decimal("0.00"))
    reached = saved >= target
    percent = min(saved * 100 / target, Decimal(100)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    months_left: int | None = None
    monthly: Decimal | None = None
    on_track: bool | None = True if reached else None
    if goal.target_date is not None:
        months_left = months_between(today, goal.target_date)
        monthly = Decimal("0.00") if reached else quantize(remaining / max(months_left, 1))
        if not reached:
            created = goal.created_at if goal.created_at.tzinfo else goal.created_at.replace(tzinfo=dt.UTC)
            start = created.astimezone(ZoneInfo(timezone)).date()
            span = (goal.target_date - start).days
            elapsed = min(max((today - start).days, 0), span)
            expected = target * elapsed / span if span > 0 else target
            on_track = months_left > 0 and saved >= quantize(expected)
    return GoalProgress(
        id=goal.id,
        name=goal.name,
        currency=goal.currency,
        target_amount=target,
        saved_amount=saved,
        remaining=remaining,
        percent=percent,
        target_date=goal.target_date,
        months_left=months_left,
        monthly_needed=monthly,
        on_track=on_track,
        reached=reached,
    )


def _clean_name(name: str) -> str:
    clean = re.sub(r"\s+", " ", str(name or "").strip())
    if not clean or len(clean) > 120:
        raise InvalidInput("a goal name of 1 to 120 characters is needed", field="name")
    return clean


def _future_date(value: Any, user: User, clock: Clock) -> dt.date:
    day = as_date(value, field="target_date", timezone=user.timezone)
    if day <= user_today(clock, user.timezone):
        raise InvalidInput(f"the target date must be after today ({day.isoformat()} is not)", field="target_date")
    return day


def _saved(value: Any) -> Decimal:
    return parse_amount(value, field="saved_amount", allow_zero=True)


def _mark_reached(goal: Goal, clock: Clock) -> None:
    if goal.saved_amount >= goal.target_amount:
        goal.reached_at = goal.reached_at or clock.now()
    else:
        goal.reached_at = None


# Built once (the purchase check reads the goals each time; building cost more than running it).
_GOALS_Q = select(Goal).where(Goal.user_id == bindparam("uid")).order_by(col(Goal.created_at), col(Goal.id))


def _goals(session: Session, user: User) -> list[Goal]:
    return list(session.exec(_GOALS_Q, params={"uid": user.id}))


def get_goal(session: Session, user: User, goal_id: int) -> Goal:
    goal = session.get(Goal, goal_id)
    if goal is None or goal.user_id != user.id:
        raise NotFound(f"no goal with id {goal_id}")
    return goal


def find_goal(session: Session, user: User, name: str) -> Goal:
    """A goal by the name a person types: exact, then partial ("car" finds "New car")."""
    key = re.sub(r"\s+", " ", str(name or "").strip().lower())
    if not key:
        raise InvalidInput("say which goal", field="name")
    goals = _goals(session, user)
    exact = [g for g in goals if g.name.lower() == key]
    if exact:
        return exact[0]
    matches = [g for g in goals if key in g.name.lower()] or [g for g in goals if g.name.lower() in key]
    have = ", ".join(g.name for g in goals) or "none yet"
    return only_match(matches, name, "goals", f"no goal matches {name!r}; your goals: {have}")


def _resolve(session: Session, user: User, goal_id_or_name: int | str) -> Goal:
    if isinstance(goal_id_or_name, int) or str(goal_id_or_name).strip().isdigit():
        return get_goal(session, user, int(goal_id_or_name))
    return find_goal(session, user, str(goal_id_or_name))


def set_goal(
    session: Session,
    user: User,
    *,
    name: str,
    target_amount: object,
    target_date: dt.date | str | None = None,
    saved_amount: object = None,
    clock: Clock,
) -> Goal:
    """Create a goal, or update the one with the same name (case-insensitive)."""
    clean = _clean_name(name)
    target = parse_amount(target_amount, field="target_amount")
    day = _future_date(target_date, user, clock) if target_date not in (None, "") else None
    saved = _saved(saved_amount) if saved_amount is not None else None
    existing = next((g for g in _goals(session, user) if g.name.lower() == clean.lower()), None)
    if existing is None:
        assert user.id is not None
        goal = Goal(
            user_id=user.id,
            name=clean,
            target_amount=target,
            target_date=day,
            saved_amount=saved or Decimal("0.00"),
            currency=user.currency,
            created_at=clock.now(),
        )
    else:
        goal = existing
        goal.target_amount = target
        if day is not None:
            goal.target_date = day
        if saved is not None:
            goal.saved_amount = saved
    _mark_reached(goal, clock)
    flush_unique(session, goal, f"you already have a goal called {clean!r}")
    return goal


def update_goal(session: Session, user: User, goal_id: int, *, clock: Clock, **changes: Any) -> Goal:
    """Change fields; all are checked before anything is written.

    None leaves a field as it is, except ``target_date=None`` (or ""), which removes the date:
    a PATCH that sends ``"target_date": null`` means "no deadline".
    """
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise InvalidInput(f"cannot change {', '.join(sorted(unknown))}", field=sorted(unknown)[0])
    goal = get_goal(session, user, goal_id)
    ch = {k: v for k, v in changes.items() if v is not None}
    name = _clean_name(ch["name"]) if "name" in ch else goal.name
    target = parse_amount(ch["target_amount"], field="target_amount") if "target_amount" in ch else goal.target_amount
    saved = _saved(ch["saved_amount"]) if "saved_amount" in ch else goal.saved_amount
    day = goal.target_date
    if "target_date" in changes:
        raw = changes["target_date"]
        day = None if raw is None or raw == "" else _future_date(raw, user, clock)
    if name.lower() != goal.name.lower() and any(
        g.name.lower() == name.lower() for g in _goals(session, user) if g.id != goal.id
    ):
        raise Conflict(f"you already have a goal called {name!r}", field="name")
    goal.name, goal.target_amount, goal.saved_amount, goal.target_date = name, target, saved, day
    _mark_reached(goal, clock)
    flush_unique(session, goal, f"you already have a goal called {name!r}")
    return goal


def delete_goal(session: Session, user: User, goal_id: int) -> None:
    session.delete(get_goal(session, user, goal_id))
    session.flush()


def contribute(
    session: Session, user: User, goal_id_or_name: int | str, amount: object, *, clock: Clock | None = None
) -> Goal:
    """Add money to a goal's savings (by id or typed name); the one way savings grow, for the REST
    endpoint and the ``contribute_to_goal`` chat tool alike.

    Atomic: the goal's row is locked (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's
    ``BEGIN IMMEDIATE`` already lets one writer in) and read afresh before the sum, so concurrent
    contributions all count instead of overwriting each other's read-add-write.
    """
    value = parse_amount(amount)
    found = _resolve(session, user, goal_id_or_name)
    locked = select(Goal).where(Goal.id == found.id, Goal.user_id == user.id).with_for_update()
    goal = session.exec(locked.execution_options(populate_existing=True)).one()
    if goal.saved_amount + value > MAX_AMOUNT:
        raise InvalidInput("saved_amount would exceed 1,000,000", field="amount")
    goal.saved_amount = goal.saved_amount + value
    _mark_reached(goal, clock or SystemClock())
    session.add(goal)
    session.flush()
    return goal


def goal_progress(session: Session, user: User, name: str | None = None, *, clock: Clock) -> list[GoalProgress]:
    """Progress of every goal, or of the one a name points to."""
    today = user_today(clock, user.timezone)
    if name is not None and str(name).strip():
        return [progress_of(find_goal(session, user, name), today=today, timezone=user.timezone)]
    return [progress_of(g, today=today, timezone=user.timezone) for g in _goals(session, user)]


def monthly_goal_needs(session: Session, user: User, *, clock: Clock) -> Decimal:
    """What unreached goals with a date ask to be set aside this month (the purchase check's reserve)."""
    return sum(
        (p.monthly_needed for p in goal_progress(session, user, clock=clock) if p.monthly_needed and not p.reached),
        Decimal("0.00"),
    )
