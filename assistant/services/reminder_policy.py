"""When does a subscription next need the scheduler, and which reminder settings are valid?
Pure date arithmetic, no database (the reminder policy: services validate with it, the scheduler
plans with it).

Events of one subscription for its current renewal date R:
- ``charge``: on R (at the start of the user's day) the renewal is recorded as an expense;
- ``remind``: for each lead time L, on R - L at the user's reminder time;
- ``deadline``: with a contract end and a notice period, the last day to cancel
  (contract_end - notice_days) is reminded like a renewal, L days before.
Every event has a dedupe key; the poll claims the key in the same transaction as the effect.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ..errors import InvalidInput
from ..models import Subscription

DEFAULT_REMINDER_TIME = "09:00"
MAX_LEAD_DAYS = 60
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_time_of_day(value: str | None) -> dt.time:
    text = (value or DEFAULT_REMINDER_TIME).strip()
    match = _TIME.match(text)
    if not match:
        raise InvalidInput(f"reminder time must be HH:MM (24-hour), got {value!r}", field="reminder_time")
    return dt.time(int(match.group(1)), int(match.group(2)))


def check_lead_days(values: list[int] | tuple[int, ...] | set[int]) -> list[int]:
    out: set[int] = set()
    for v in values:
        if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= MAX_LEAD_DAYS:
            raise InvalidInput(f"reminder lead times must be whole days from 0 to {MAX_LEAD_DAYS}", field="lead_days")
        out.add(v)
    return sorted(out, reverse=True)


def lead_days(sub: Subscription) -> list[int]:
    """The subscription's lead times, largest first (e.g. [7, 1])."""
    leads = {int(sub.remind_days_before)} | {int(x) for x in (sub.extra_reminder_days or [])}
    return sorted((x for x in leads if 0 <= x <= MAX_LEAD_DAYS), reverse=True)


def local_at(day: dt.date, at: dt.time, timezone: str) -> dt.datetime:
    """A wall-clock moment in the user's zone, as UTC."""
    return dt.datetime.combine(day, at, tzinfo=ZoneInfo(timezone)).astimezone(dt.UTC)


@dataclass(frozen=True)
class Event:
    kind: str  # charge | remind | deadline
    at: dt.datetime
    day: dt.date  # the renewal (or deadline) date the event is about
    lead: int = 0

    def key(self, sub_id: int) -> str:
        if self.kind == "charge":
            return f"charge:{sub_id}:{self.day.isoformat()}"
        return f"{self.kind}:{sub_id}:{self.day.isoformat()}:{self.lead}"


def cancel_deadline(sub: Subscription) -> dt.date | None:
    if sub.contract_end is None:
        return None
    return sub.contract_end - dt.timedelta(days=int(sub.notice_days or 0))


def events(sub: Subscription, timezone: str, reminder_time: dt.time) -> list[Event]:
    """The subscription's events for its current renewal, in time order."""
    out = [Event("charge", local_at(sub.next_renewal, dt.time(0, 0), timezone), sub.next_renewal)]
    for lead in lead_days(sub):
        day = sub.next_renewal - dt.timedelta(days=lead)
        out.append(Event("remind", local_at(day, reminder_time, timezone), sub.next_renewal, lead))
    deadline = cancel_deadline(sub)
    if deadline is not None:
        lead = int(sub.remind_days_before)
        out.append(
            Event("deadline", local_at(deadline - dt.timedelta(days=lead), reminder_time, timezone), deadline, lead)
        )
    return sorted(out, key=lambda e: e.at)


def due_reminder(sub: Subscription, timezone: str, reminder_time: dt.time, now: dt.datetime) -> Event | None:
    """The most imminent reminder whose time has come (earlier leads it covers are not re-sent)."""
    due = [e for e in events(sub, timezone, reminder_time) if e.kind == "remind" and e.at <= now]
    return min(due, key=lambda e: e.lead) if due else None


def due_deadline(sub: Subscription, timezone: str, reminder_time: dt.time, now: dt.datetime) -> Event | None:
    deadline = cancel_deadline(sub)
    if deadline is None or local_at(deadline, dt.time(23, 59), timezone) < now:
        return None
    due = [e for e in events(sub, timezone, reminder_time) if e.kind == "deadline" and e.at <= now]
    return due[0] if due else None


def next_action_at(sub: Subscription, timezone: str, reminder_time: dt.time, now: dt.datetime) -> dt.datetime:
    """The first event after ``now`` (the charge always comes, so there is one)."""
    later = [e.at for e in events(sub, timezone, reminder_time) if e.at > now]
    return min(later) if later else now
