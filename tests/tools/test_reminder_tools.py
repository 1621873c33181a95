"""Reminders by chat: set_reminder, snooze_reminder and dismiss_reminder, on a real database.

Tools commit their own unit of work, so these tests use committed users of their own; a renewal
reminder comes from a real scheduler poll (a subscription that renews within 7 days).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from assistant.agent.replies import compose_reply
from assistant.clock import FixedClock
from assistant.db import unit_of_work
from assistant.models import Notification, Subscription
from assistant.nlu import NLUContext, understand
from assistant.scheduler.poll import poll
from assistant.services.notifications import set_reminder_preferences
from assistant.services.users import create_user, get_user
from tools import WRITE_TOOLS, ToolContext, run_tool

TZ = "America/New_York"


def new_user(engine: Engine) -> int:
    with unit_of_work(engine) as s:
        user = create_user(s, email=f"r-{uuid.uuid4().hex[:12]}@example.com", timezone=TZ)
        assert user.id is not None
        return user.id


@pytest.fixture
def ctx(engine: Engine, clock: FixedClock) -> ToolContext:
    return ToolContext(engine=engine, user_id=new_user(engine), clock=clock, timezone=TZ)


def ok(ctx: ToolContext, tool: str, **args: Any) -> dict[str, Any]:
    good, result = run_tool(ctx, tool, args)
    assert good and result["ok"], result
    return result


def refused(ctx: ToolContext, tool: str, **args: Any) -> dict[str, Any]:
    good, result = run_tool(ctx, tool, args)
    assert not good and result["ok"] is False, result
    return result["error"]


def reminders(engine: Engine, user_id: int) -> list[Notification]:
    with Session(engine) as s:
        return list(
            s.exec(
                select(Notification)
                .where(Notification.user_id == user_id, Notification.kind == "renewal_reminder")
                .order_by(col(Notification.id))
            )
        )


def with_reminders(ctx: ToolContext, clock: FixedClock, *names: str) -> list[Notification]:
    """Subscriptions renewing in 3 days (inside their 7-day lead), then one poll: a reminder each."""
    renewal = (clock.now().astimezone(dt.UTC).date() + dt.timedelta(days=3)).isoformat()
    for name in names:
        ok(ctx, "add_subscription", name=name, amount="15.99", cadence="monthly", next_renewal=renewal)
    poll(ctx.engine, clock)
    found = reminders(ctx.engine, ctx.user_id)
    assert len(found) == len(names)
    return found


def reply(ctx: ToolContext, tool: str, args: dict[str, Any], result: dict[str, Any]) -> str:
    return compose_reply(tool, args, result, currency="USD", seed="t", today=ctx.clock.now().date())


def test_the_reminder_tools_are_write_tools() -> None:
    assert {"set_reminder", "snooze_reminder", "dismiss_reminder"} <= WRITE_TOOLS


def test_set_reminder_without_a_name_changes_the_newest_subscription(ctx: ToolContext) -> None:
    ok(ctx, "add_subscription", name="Spotify", amount="11.99", cadence="monthly")
    ok(ctx, "add_subscription", name="Netflix", amount="15.99", cadence="monthly")
    out = ok(ctx, "set_reminder", days_before=3)
    assert out["subscription"]["name"] == "Netflix" and out["subscription"]["remind_days_before"] == 3
    text = reply(ctx, "set_reminder", {"days_before": 3}, out)
    assert "Netflix" in text and "3 days before" in text
    named = ok(ctx, "set_reminder", days_before=0, name="spotify")
    assert named["subscription"]["name"] == "Spotify" and named["subscription"]["remind_days_before"] == 0
    same_day = reply(ctx, "set_reminder", {}, named)
    assert "Spotify" in same_day and ("renewal day" in same_day or "on the day" in same_day)


def test_set_reminder_refuses_bad_input(ctx: ToolContext) -> None:
    assert refused(ctx, "set_reminder", days_before=3)["code"] == "not_found"  # no subscription yet
    ok(ctx, "add_subscription", name="Hulu", amount="7.99", cadence="monthly")
    assert refused(ctx, "set_reminder", days_before=61)["code"] == "invalid"
    assert refused(ctx, "set_reminder", days_before=-1)["code"] == "invalid"
    assert refused(ctx, "set_reminder", days_before=2, name="Disney")["code"] == "not_found"
    _, result = run_tool(ctx, "set_reminder", {"days_before": 2, "name": "Disney"})
    text = reply(ctx, "set_reminder", {}, result)
    assert "reminder" in text and "Disney" in text


def test_snooze_the_newest_reminder_until_a_day_at_the_reminder_time(ctx: ToolContext, clock: FixedClock) -> None:
    with unit_of_work(ctx.engine) as s:
        set_reminder_preferences(s, get_user(s, ctx.user_id), reminder_time="08:30")
    first, newest = with_reminders(ctx, clock, "Spotify", "Netflix")
    out = ok(ctx, "snooze_reminder", until="2026-11-27")
    assert out["notification"]["id"] == newest.id and out["at"] == "08:30"
    # 08:30 in New York on Nov 27 is 13:30 UTC
    assert dt.datetime.fromisoformat(out["notification"]["snoozed_until"]) == dt.datetime(
        2026, 11, 27, 13, 30, tzinfo=dt.UTC
    )
    text = reply(ctx, "snooze_reminder", {"until": "2026-11-27"}, out)
    assert "Netflix" in text and "08:30" in text and "Friday" in text
    named = ok(ctx, "snooze_reminder", until="2026-11-24", name="spotify")
    assert named["notification"]["id"] == first.id and named["at"] == "08:30"


def test_snoozed_reminder_comes_back_then(ctx: ToolContext, clock: FixedClock) -> None:
    (note,) = with_reminders(ctx, clock, "Netflix")
    ok(ctx, "snooze_reminder", until="2026-11-23")  # 09:00 New York = 14:00 UTC
    later = FixedClock(dt.datetime(2026, 11, 23, 14, 1, tzinfo=dt.UTC))
    poll(ctx.engine, later)
    with Session(ctx.engine) as s:
        back = s.exec(select(Notification).where(Notification.user_id == ctx.user_id, col(Notification.id) > note.id))
        assert any((n.data or {}).get("snoozed_from") == note.id for n in back)


def test_snooze_refuses_the_past_and_a_missing_reminder(ctx: ToolContext, clock: FixedClock) -> None:
    assert refused(ctx, "snooze_reminder", until="2026-11-30")["code"] == "not_found"
    with_reminders(ctx, clock, "Netflix")
    assert refused(ctx, "snooze_reminder", until="2026-11-21")["code"] == "invalid"
    assert refused(ctx, "snooze_reminder", until="2027-06-01")["code"] == "invalid"  # over 90 days
    assert refused(ctx, "snooze_reminder", until="next friday")["code"] == "invalid"


def test_dismiss_marks_the_reminder_handled(ctx: ToolContext, clock: FixedClock) -> None:
    first, newest = with_reminders(ctx, clock, "Spotify", "Netflix")
    out = ok(ctx, "dismiss_reminder")
    assert out["notification"]["id"] == newest.id and out["notification"]["handled"] is True
    assert "Netflix" in reply(ctx, "dismiss_reminder", {}, out)
    again = ok(ctx, "dismiss_reminder")  # the next open one
    assert again["notification"]["id"] == first.id
    assert refused(ctx, "dismiss_reminder")["code"] == "not_found"


def test_reminder_tools_act_for_the_context_user_only(engine: Engine, ctx: ToolContext, clock: FixedClock) -> None:
    with_reminders(ctx, clock, "Netflix")
    other = ToolContext(engine=engine, user_id=new_user(engine), clock=clock, timezone=TZ)
    assert refused(other, "dismiss_reminder")["code"] == "not_found"
    assert refused(other, "snooze_reminder", until="2026-11-25", name="Netflix")["code"] == "not_found"
    assert refused(other, "set_reminder", days_before=1, name="Netflix")["code"] == "not_found"
    with Session(engine) as s:
        sub = s.exec(select(Subscription).where(Subscription.user_id == ctx.user_id)).one()
        assert sub.remind_days_before == 7
    good, _ = run_tool(other, "dismiss_reminder", {"user_id": ctx.user_id})
    assert not good and reminders(engine, ctx.user_id)[0].handled_at is None


def test_chat_to_tool_round_trip(ctx: ToolContext, clock: FixedClock) -> None:
    """What the offline engine reads from a message runs as-is."""
    nlu = NLUContext(today=dt.date(2026, 11, 22))
    with_reminders(ctx, clock, "Spotify")
    for text in ("remind me 2 days before", "snooze the Spotify reminder until Friday", "I paid it, dismiss it"):
        (call,) = understand(text, nlu).calls
        ok(ctx, call.name, **call.args)
