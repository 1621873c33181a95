"""Savings goals: set one, see how far along they are, put money toward one.

Why one module: the three share the goal's progress shape (``goals.progress_of``) and its
wording (saved of target, percent, by when).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from assistant.clock import user_today
from assistant.models import User
from assistant.money import quantize
from assistant.services import goals

from . import schemas as s
from .context import ToolContext
from .ledger import to_json
from .results import ContributeResult, Goal, GoalListResult, GoalResult
from .spec import Chip, Result, ToolSpec, money_part, read_chip
from .text import day_words, money, pct, pick, sentences


def set_goal(session: Session, user: User, a: s.SetGoalArgs, ctx: ToolContext) -> Result:
    goal = goals.set_goal(
        session, user, name=a.name, target_amount=a.target_amount, target_date=a.target_date, clock=ctx.clock
    )
    today = user_today(ctx.clock, user.timezone)
    return {"goal": to_json(goals.progress_of(goal, today=today, timezone=user.timezone))}


def goal_progress(session: Session, user: User, a: s.GoalProgressArgs, ctx: ToolContext) -> Result:
    return {"items": to_json(goals.goal_progress(session, user, a.name, clock=ctx.clock))}


def contribute_to_goal(session: Session, user: User, a: s.ContributeToGoalArgs, ctx: ToolContext) -> Result:
    goal = goals.find_goal(session, user, a.name)
    assert goal.id is not None
    goal = goals.contribute(session, user, goal.id, a.amount, clock=ctx.clock)
    today = user_today(ctx.clock, user.timezone)
    progress = goals.progress_of(goal, today=today, timezone=user.timezone)
    return {"goal": progress.model_dump(mode="json"), "added": str(quantize(a.amount))}


def _values(goal: Goal, cur: str) -> dict[str, Any]:
    goal_cur = goal.currency or cur
    by = day_words(goal.target_date, None).removeprefix("on ") if goal.target_date else ""
    return {
        "name": goal.name,
        "target": money(goal.target_amount, goal_cur),
        "saved": money(goal.saved_amount, goal_cur),
        "percent": pct(goal.percent),
        "by": f" by {by}" if by else "",
    }


def _set(args: Mapping[str, Any], res: GoalResult, cur: str, seed: str, today: dt.date | None) -> str:
    return pick("set_goal", "ok", seed, **_values(res.goal, cur))


def _progress(args: Mapping[str, Any], res: GoalListResult, cur: str, seed: str, today: dt.date | None) -> str:
    if not res.items:
        return pick("goal_progress", "none", seed)
    return sentences(
        *(pick("goal_progress", "one", f"{seed}:{i}", **_values(g, cur)) for i, g in enumerate(res.items[:5]))
    )


def _contribute(args: Mapping[str, Any], res: ContributeResult, cur: str, seed: str, today: dt.date | None) -> str:
    goal = res.goal
    values = _values(goal, cur)
    goal_cur = goal.currency or cur
    head = pick("contribute_to_goal", "ok", seed, added=money(res.added, goal_cur), **values)
    if goal.reached:
        return sentences(head, pick("contribute_to_goal", "reached", seed, **values))
    monthly = goal.monthly_needed
    if monthly is not None and monthly > 0:
        tail = pick("contribute_to_goal", "monthly", seed, monthly=money(monthly, goal_cur), **values)
    else:
        tail = pick("contribute_to_goal", "remaining", seed, remaining=money(goal.remaining, goal_cur), **values)
    return sentences(head, tail)


def _set_chip(res: GoalResult) -> Chip:
    return Chip("write", (f"Goal {res.goal.name} · ", money_part(res.goal.target_amount, res.goal.currency)))


def _contribute_chip(res: ContributeResult) -> Chip:
    g = res.goal
    return Chip(
        "write",
        (
            "Saved ",
            money_part(res.added, g.currency),
            f" · {g.name or 'goal'} · ",
            money_part(g.saved_amount, g.currency),
            " of ",
            money_part(g.target_amount, g.currency),
        ),
    )


SPECS = [
    ToolSpec(
        "set_goal",
        "Create or change a savings goal.",
        s.SetGoalArgs,
        GoalResult,
        set_goal,
        _set,
        _set_chip,
        "set that goal",
    ),
    ToolSpec(
        "goal_progress",
        "How far along the user's savings goals are.",
        s.GoalProgressArgs,
        GoalListResult,
        goal_progress,
        _progress,
        read_chip("Looked at goals"),
        "check your goals",
        read_only=True,
    ),
    ToolSpec(
        "contribute_to_goal",
        "Add money to a savings goal, e.g. 'put 200 toward my emergency fund'.",
        s.ContributeToGoalArgs,
        ContributeResult,
        contribute_to_goal,
        _contribute,
        _contribute_chip,
        "add to that goal",
    ),
]
