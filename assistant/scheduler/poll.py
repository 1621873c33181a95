"""One poll of the ledger: the work the scheduler does every ``reminder_poll_seconds``.

Each step works in small batches, each batch one transaction. On PostgreSQL the rows a batch
works on are claimed with ``FOR UPDATE SKIP LOCKED``, so several schedulers share the work
without waiting on each other; on every backend each effect is tied to a notification whose
dedupe key is unique, so nothing happens twice, and a crash rolls a batch back whole.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from ..clock import Clock, FixedClock, user_today
from ..db import unit_of_work
from ..models import (
    Goal,
    Notification,
    SchedulerState,
    Subscription,
    Transaction,
    TxKind,
    TxSource,
    User,
    utcnow,
)
from ..money import fmt
from ..services import reminder_policy as plan
from ..services.budgets import budget_summary
from ..services.categories import resolve_category
from ..services.notifications import clear_reminders_for, create_notification
from ..services.subscriptions import next_renewal_after

log = logging.getLogger(__name__)
BATCH = 200
MAX_CATCH_UP = 60  # renewal periods recorded for one subscription in one pass


@dataclass
class PollReport:
    notifications: list[tuple[int, int]] = field(default_factory=list)  # (user_id, notification_id)
    renewals_recorded: int = 0
    subscriptions_seen: int = 0

    def add(self, n: Notification | None) -> None:
        if n is not None and n.id is not None:
            self.notifications.append((n.user_id, n.id))


def _locking(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _reminder_time(user: User) -> dt.time:
    try:
        return plan.parse_time_of_day((user.settings or {}).get("reminder_time"))
    except Exception:
        return plan.parse_time_of_day(None)


def _wants_digest(user: User) -> bool:
    return bool((user.settings or {}).get("digest"))


# ---------------------------------------------------------------- subscriptions


def _record_renewal(session: Session, user: User, sub: Subscription, report: PollReport, now: dt.datetime) -> None:
    """Record the renewal on ``sub.next_renewal`` as an expense, once, and move to the next period."""
    assert sub.id is not None and user.id is not None
    day = sub.next_renewal
    label = fmt(sub.amount, sub.currency)
    n = create_notification(
        session, user, now=now, kind="renewal_recorded", title=f"{sub.name} renewed",
        body=f"{label} for {sub.name} was recorded on {day.isoformat()}.",
        dedupe_key=f"charge:{sub.id}:{day.isoformat()}",
        data={"subscription_id": sub.id, "amount": str(sub.amount), "currency": sub.currency, "date": day.isoformat()},
        subscription_id=sub.id, deliver=False,
    )  # fmt: skip
    if n is not None:
        category_id = sub.category_id
        if category_id is None:
            category_id = resolve_category(session, user, "Subscriptions").id
        session.add(
            Transaction(
                user_id=user.id, kind=TxKind.EXPENSE, amount=sub.amount, currency=sub.currency, date=day,
                description=f"{sub.name} renewal", merchant=sub.name, category_id=category_id,
                source=TxSource.SUBSCRIPTION, subscription_id=sub.id,
            )
        )  # fmt: skip
        if sub.last_amount is not None and sub.last_amount != sub.amount:
            report.add(
                create_notification(
                    session, user, now=now, kind="price_change", title=f"{sub.name} changed its price",
                    body=f"{sub.name} renewed at {label}, up from {fmt(sub.last_amount, sub.currency)}."
                    if sub.amount > sub.last_amount
                    else f"{sub.name} renewed at {label}, down from {fmt(sub.last_amount, sub.currency)}.",
                    dedupe_key=f"price:{sub.id}:{day.isoformat()}",
                    data={"subscription_id": sub.id, "old": str(sub.last_amount), "new": str(sub.amount)},
                    subscription_id=sub.id,
                )
            )  # fmt: skip
        report.renewals_recorded += 1
        report.add(n)
    sub.last_amount = sub.amount
    sub.next_renewal = next_renewal_after(day, sub.cadence, sub.anchor_day)


def _remind(session: Session, user: User, sub: Subscription, now: dt.datetime, report: PollReport) -> None:
    assert sub.id is not None
    at = _reminder_time(user)
    event = plan.due_reminder(sub, user.timezone, at, now)
    if event is not None:
        days = (event.day - user_today(FixedClock(now), user.timezone)).days
        when = "today" if days <= 0 else "tomorrow" if days == 1 else f"in {days} days"
        report.add(
            create_notification(
                session, user, now=now, kind="renewal_reminder", title=f"{sub.name} renews {when}",
                body=f"{sub.name} renews on {event.day.isoformat()} for {fmt(sub.amount, sub.currency)}.",
                dedupe_key=event.key(sub.id),
                data={"subscription_id": sub.id, "renewal_date": event.day.isoformat(), "lead_days": event.lead,
                      "amount": str(sub.amount), "currency": sub.currency, "digest": _wants_digest(user)},
                subscription_id=sub.id, deliver=not _wants_digest(user),
            )
        )  # fmt: skip
    deadline = plan.due_deadline(sub, user.timezone, at, now)
    if deadline is not None:
        report.add(
            create_notification(
                session, user, now=now, kind="cancel_deadline",
                title=f"Last day to cancel {sub.name}: {deadline.day.isoformat()}",
                body=f"To leave {sub.name} at the end of its term, cancel by {deadline.day.isoformat()} "
                f"({sub.notice_days} days' notice).",
                dedupe_key=deadline.key(sub.id),
                data={"subscription_id": sub.id, "deadline": deadline.day.isoformat()},
                subscription_id=sub.id,
            )
        )  # fmt: skip


def _claim(session: Session, cond: Any, limit: int, order: Any = None) -> list[Subscription]:
    """Active subscriptions matching ``cond``; on PostgreSQL locked for this batch (others skip them)."""
    stmt = select(Subscription).where(col(Subscription.active).is_(True), cond)
    stmt = stmt.order_by(order if order is not None else col(Subscription.next_action_at), col(Subscription.id))
    stmt = stmt.limit(limit)
    if _locking(session):
        stmt = stmt.with_for_update(skip_locked=True)
    return list(session.exec(stmt))


def process_subscriptions(engine: Engine, now: dt.datetime, report: PollReport, *, batch: int = BATCH) -> int:
    """Renewals and reminders for every subscription whose next action has come; returns rows done."""
    done = 0
    while True:
        with unit_of_work(engine) as session:
            # Two index seeks rather than one "IS NULL OR <=" scan: new or changed subscriptions
            # (no next action worked out yet) first, then those whose next action has come.
            subs = _claim(session, col(Subscription.next_action_at).is_(None), batch)
            if len(subs) < batch:
                due = col(Subscription.next_action_at) <= now
                subs += _claim(session, due, batch - len(subs), order=col(Subscription.next_action_at))
            if not subs:
                return done
            users: dict[int, User] = {}
            for sub in subs:
                user = users.get(sub.user_id) or session.get(User, sub.user_id)
                if user is None:
                    continue
                users[sub.user_id] = user
                today = user_today(FixedClock(now), user.timezone)
                for _ in range(MAX_CATCH_UP):
                    if sub.next_renewal > today:
                        break
                    _record_renewal(session, user, sub, report, now)
                _remind(session, user, sub, now, report)
                sub.next_action_at = plan.next_action_at(sub, user.timezone, _reminder_time(user), now)
                sub.updated_at = utcnow()
                session.add(sub)
            session.flush()
            done += len(subs)
            report.subscriptions_seen += len(subs)
        if len(subs) < batch:
            return done


# ---------------------------------------------------------------- ledger watermark: budgets, cleared reminders


def _state(session: Session, key: str, *, lock: bool) -> SchedulerState:
    stmt = select(SchedulerState).where(SchedulerState.key == key)
    if lock:
        stmt = stmt.with_for_update()
    row = session.exec(stmt).first()
    if row is None:
        row = SchedulerState(key=key, value="0")
        session.add(row)
        session.flush()
    return row


def process_new_transactions(engine: Engine, now: dt.datetime, report: PollReport, *, batch: int = 2000) -> None:
    """Look at expenses added since the last poll: budget alerts, and reminders a payment clears."""
    with unit_of_work(engine) as session:
        state = _state(session, "transactions_watermark", lock=_locking(session))
        mark = int(state.value or 0)
        rows = session.execute(
            sa_select(*(col(c) for c in (Transaction.id, Transaction.user_id, Transaction.date,
                      Transaction.description, Transaction.merchant, Transaction.amount, Transaction.source)))
            .where(col(Transaction.id) > mark, col(Transaction.kind) == TxKind.EXPENSE)
            .order_by(col(Transaction.id)).limit(batch)
        ).all()  # fmt: skip
        if not rows:
            top = session.exec(select(Transaction.id).order_by(col(Transaction.id).desc())).first()
            if top and top > mark:
                state.value = str(top)
                session.add(state)
            return
        months: dict[int, set[str]] = {}
        paid: dict[int, list[str]] = {}  # user -> texts of their new payments
        for _id, user_id, day, desc, merchant, _amount, source in rows:
            months.setdefault(user_id, set()).add(f"{day.year:04d}-{day.month:02d}")
            if source != TxSource.SUBSCRIPTION:
                paid.setdefault(user_id, []).append(f"{desc} {merchant or ''}".lower())
        for user_id, texts in paid.items():
            _clear_matching(session, user_id, texts, now)
        clock = FixedClock(now)
        for user_id, touched in months.items():
            user = session.get(User, user_id)
            if user is None:
                continue
            this_month = user_today(clock, user.timezone).strftime("%Y-%m")
            if this_month not in touched:
                continue
            summary = budget_summary(session, user, this_month, clock=clock)
            for line in summary.categories:
                pct = Decimal(str(line.percent_used or 0))
                for level in (100, 80):
                    if line.budget and pct >= level:
                        over = level == 100
                        report.add(
                            create_notification(
                                session, user, now=now, kind="budget_alert",
                                title=f"{line.category}: {'over budget' if pct > 100 else f'{pct}% of budget used'}",
                                body=(f"You've spent {fmt(line.spent, summary.currency)} of "
                                      f"{fmt(line.budget, summary.currency)} in {line.category} this month"
                                      + (f"; {fmt(-line.remaining, summary.currency)} over." if line.remaining < 0
                                         else f"; {fmt(line.remaining, summary.currency)} left.")),
                                dedupe_key=f"budget:{user_id}:{line.category}:{this_month}:{level}",
                                data={"category": line.category, "month": this_month, "level": level,
                                      "percent_used": str(pct), "over": over},
                            )
                        )  # fmt: skip
                        break
        state.value = str(rows[-1][0])
        state.updated_at = utcnow()
        session.add(state)


def _clear_matching(session: Session, user_id: int, texts: list[str], now: dt.datetime) -> None:
    """Payments that name one of the user's subscriptions clear its open reminders (one query per user)."""
    user = session.get(User, user_id)
    if user is None:
        return
    subs = session.exec(
        select(Subscription).where(col(Subscription.user_id) == user_id, col(Subscription.active).is_(True))
    ).all()
    for sub in subs:
        if sub.id is not None and any(sub.name.lower() in text for text in texts):
            clear_reminders_for(session, user, sub.id, now=now)


# ---------------------------------------------------------------- goals, snoozes, digests


def process_goals(engine: Engine, report: PollReport, now: dt.datetime) -> None:
    with unit_of_work(engine) as session:
        goals = session.exec(
            select(Goal).where(col(Goal.saved_amount) >= col(Goal.target_amount)).order_by(col(Goal.id))
        ).all()
        for goal in goals:
            user = session.get(User, goal.user_id)
            if user is None or goal.id is None:
                continue
            report.add(
                create_notification(
                    session, user, now=now, kind="goal_reached", title=f"Goal reached: {goal.name}",
                    body=f"You saved {fmt(goal.saved_amount, goal.currency)} for {goal.name}. Well done!",
                    dedupe_key=f"goal:{goal.id}:reached", data={"goal_id": goal.id},
                )
            )  # fmt: skip
            if goal.reached_at is None:
                goal.reached_at = now
                session.add(goal)


def process_snoozes(engine: Engine, now: dt.datetime, report: PollReport) -> None:
    with unit_of_work(engine) as session:
        stmt = select(Notification).where(
            col(Notification.snoozed_until).is_not(None), col(Notification.snoozed_until) <= now,
            col(Notification.handled_at).is_(None),
        ).limit(BATCH)  # fmt: skip
        if _locking(session):
            stmt = stmt.with_for_update(skip_locked=True)
        for n in session.exec(stmt).all():
            user = session.get(User, n.user_id)
            assert n.snoozed_until is not None
            if user is not None:
                report.add(
                    create_notification(
                        session, user, now=now, kind=n.kind, title=n.title, body=n.body,
                        dedupe_key=f"snooze:{n.id}:{n.snoozed_until.isoformat()}"[:200],
                        data={**(n.data or {}), "snoozed_from": n.id}, subscription_id=n.subscription_id,
                    )
                )  # fmt: skip
            n.snoozed_until = None
            n.handled_at = now
            session.add(n)


def process_digests(engine: Engine, now: dt.datetime, report: PollReport) -> None:
    """A morning digest for users who prefer one: today's reminders in one message."""
    with unit_of_work(engine) as session:
        users = session.exec(select(User).where(col(User.settings)["digest"].as_boolean().is_(True))).all()
        for user in users:
            assert user.id is not None
            today = user_today(FixedClock(now), user.timezone)
            if plan.local_at(today, _reminder_time(user), user.timezone) > now:
                continue
            since = now - dt.timedelta(days=1)
            items = session.exec(
                select(Notification).where(
                    col(Notification.user_id) == user.id, col(Notification.kind) == "renewal_reminder",
                    col(Notification.created_at) > since,
                ).order_by(col(Notification.created_at))
            ).all()  # fmt: skip
            if not items:
                continue
            report.add(
                create_notification(
                    session, user, now=now, kind="digest", title=f"Your reminders for {today.isoformat()}",
                    body=" ".join(f"{n.title}." for n in items),
                    dedupe_key=f"digest:{user.id}:{today.isoformat()}",
                    data={"items": [n.id for n in items]},
                )
            )  # fmt: skip


def poll(engine: Engine, clock: Clock, *, after_commit: Callable[[PollReport], None] | None = None) -> PollReport:
    """One full poll; ``after_commit`` gets what was created (for in-process live pushes)."""
    now = clock.now()
    report = PollReport()
    process_subscriptions(engine, now, report)
    process_new_transactions(engine, now, report)
    process_goals(engine, report, now)
    process_snoozes(engine, now, report)
    process_digests(engine, now, report)
    if after_commit is not None and report.notifications:
        after_commit(report)
    return report
