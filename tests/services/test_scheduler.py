"""Reminders with an injected clock: each effect once, catch-up after downtime, month ends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from assistant.clock import FixedClock
from assistant.db import make_engine, unit_of_work
from assistant.errors import InvalidInput
from assistant.models import Cadence, Goal, Notification, Subscription, Transaction, TxSource, User
from assistant.scheduler.poll import poll
from assistant.services import reminder_policy as plan
from assistant.services.notifications import set_reminder_preferences, snooze
from assistant.services.users import create_user

NY = "America/New_York"


@pytest.fixture
def db(fresh_db_url: str) -> Iterator[Engine]:
    eng = make_engine(fresh_db_url)
    yield eng
    eng.dispose()


def ny(day: str, hh: int = 12) -> dt.datetime:
    """A wall-clock time in New York as UTC."""
    return plan.local_at(dt.date.fromisoformat(day), dt.time(hh, 0), NY)


def add_user(engine: Engine, **settings: object) -> int:
    with unit_of_work(engine) as s:
        u = create_user(s, email=f"r{id(settings)}-{len(settings)}@example.com", timezone=NY, settings=dict(settings))
        assert u.id is not None
        return u.id


def add_sub(engine: Engine, user_id: int, renewal: str, **kw: object) -> int:
    with unit_of_work(engine) as s:
        day = dt.date.fromisoformat(renewal)
        sub = Subscription(
            user_id=user_id,
            name=str(kw.pop("name", "Netflix")),
            amount=Decimal(str(kw.pop("amount", "15.49"))),
            cadence=kw.pop("cadence", Cadence.MONTHLY),
            next_renewal=day,
            anchor_day=int(kw.pop("anchor", day.day)),
            **kw,  # type: ignore[arg-type]
        )
        s.add(sub)
        s.flush()
        assert sub.id is not None
        return sub.id


def notes(engine: Engine, kind: str | None = None) -> list[Notification]:
    with Session(engine) as s:
        stmt = select(Notification).order_by(col(Notification.id))
        if kind:
            stmt = stmt.where(Notification.kind == kind)
        return list(s.exec(stmt))


def charges(engine: Engine) -> list[Transaction]:
    with Session(engine) as s:
        return list(
            s.exec(
                select(Transaction).where(Transaction.source == TxSource.SUBSCRIPTION).order_by(col(Transaction.date))
            )
        )


def test_seven_day_reminder_once_today_and_not_tomorrow(db: Engine) -> None:
    uid = add_user(db)
    add_sub(db, uid, "2026-11-29")
    clock = FixedClock(ny("2026-11-22", 8))
    poll(db, clock)
    assert notes(db, "renewal_reminder") == []  # 08:00: before the 09:00 reminder time
    clock.set(ny("2026-11-22", 10))
    poll(db, clock)
    poll(db, clock)
    reminders = notes(db, "renewal_reminder")
    assert len(reminders) == 1
    assert "in 7 days" in reminders[0].title and "$15.49" in reminders[0].body
    clock.set(ny("2026-11-23", 10))
    poll(db, clock)
    assert len(notes(db, "renewal_reminder")) == 1
    with Session(db) as s:  # the reminder is in the chat history too
        assert s.exec(select(func.count()).where(col(Notification.kind) == "renewal_reminder")).one() == 1


def test_renewal_day_records_one_expense_and_next_reminder_follows(db: Engine) -> None:
    uid = add_user(db)
    add_sub(db, uid, "2026-11-29", remind_days_before=7)
    clock = FixedClock(ny("2026-11-29", 1))
    poll(db, clock)
    poll(db, clock)
    recorded = charges(db)
    assert [(t.date, t.amount) for t in recorded] == [(dt.date(2026, 11, 29), Decimal("15.49"))]
    with Session(db) as s:
        sub = s.exec(select(Subscription)).one()
        assert sub.next_renewal == dt.date(2026, 12, 29)
    clock.set(ny("2026-12-22", 9))
    poll(db, clock)
    titles = [n.title for n in notes(db, "renewal_reminder")]
    assert titles[-1] == "Netflix renews in 7 days"


def test_week_of_downtime_catches_up_without_duplicates(db: Engine) -> None:
    uid = add_user(db)
    add_sub(db, uid, "2026-11-20", name="Weekly box", cadence=Cadence.WEEKLY, amount="30", remind_days_before=1)
    add_sub(db, uid, "2026-11-25", name="Gym", amount="40", remind_days_before=7, extra_reminder_days=[1])
    clock = FixedClock(ny("2026-11-14", 10))
    poll(db, clock)
    clock.set(ny("2026-12-03", 10))  # the app was down from the 14th to Dec 3rd
    poll(db, clock)
    poll(db, clock)
    by_sub: dict[str, list[dt.date]] = {}
    for t in charges(db):
        by_sub.setdefault(t.description, []).append(t.date)
    assert by_sub["Weekly box renewal"] == [dt.date(2026, 11, 20), dt.date(2026, 11, 27)]
    assert by_sub["Gym renewal"] == [dt.date(2026, 11, 25)]
    keys = [n.dedupe_key for n in notes(db)]
    assert len(keys) == len(set(keys))


def test_month_end_and_leap_year_renewals(db: Engine) -> None:
    uid = add_user(db)
    add_sub(db, uid, "2028-01-31", name="Rent insurance", anchor=31, remind_days_before=0)
    clock = FixedClock(ny("2028-01-31", 12))
    for day in ("2028-01-31", "2028-02-29", "2028-03-31", "2028-04-30"):
        clock.set(ny(day, 12))
        poll(db, clock)
    assert [t.date.isoformat() for t in charges(db)] == ["2028-01-31", "2028-02-29", "2028-03-31", "2028-04-30"]


def test_budget_alerts_at_80_and_100_once_each(db: Engine) -> None:
    from assistant.services.budgets import set_budget
    from assistant.services.transactions import add_transaction

    uid = add_user(db)
    clock = FixedClock(ny("2026-11-10", 12))
    with unit_of_work(db) as s:
        user = s.get(User, uid)
        assert user is not None
        set_budget(s, user, "Dining", Decimal("100"), clock=clock)
        add_transaction(s, user, amount="50", description="dinner", category="Dining", clock=clock)
    poll(db, clock)
    assert notes(db, "budget_alert") == []
    with unit_of_work(db) as s:
        user = s.get(User, uid)
        assert user is not None
        add_transaction(s, user, amount="35", description="lunch", category="Dining", clock=clock)
    poll(db, clock)
    poll(db, clock)
    assert [n.data["level"] for n in notes(db, "budget_alert")] == [80]
    with unit_of_work(db) as s:
        user = s.get(User, uid)
        assert user is not None
        add_transaction(s, user, amount="20", description="brunch", category="Dining", clock=clock)
    poll(db, clock)
    alerts = notes(db, "budget_alert")
    assert [n.data["level"] for n in alerts] == [80, 100]
    assert "over" in alerts[-1].title


def test_goal_reached_message_once(db: Engine) -> None:
    uid = add_user(db)
    with unit_of_work(db) as s:
        s.add(Goal(user_id=uid, name="Bike", target_amount=Decimal("500"), saved_amount=Decimal("500")))
    clock = FixedClock(ny("2026-11-22"))
    poll(db, clock)
    poll(db, clock)
    assert [n.title for n in notes(db, "goal_reached")] == ["Goal reached: Bike"]


def test_cancellation_deadline_and_price_change(db: Engine) -> None:
    uid = add_user(db)
    sid = add_sub(
        db,
        uid,
        "2026-12-01",
        name="Phone plan",
        amount="25",
        remind_days_before=3,
        contract_end=dt.date(2027, 1, 31),
        notice_days=30,
    )
    clock = FixedClock(ny("2026-12-29", 10))  # deadline Jan 1, reminded 3 days before
    poll(db, clock)
    deadline = notes(db, "cancel_deadline")
    assert len(deadline) == 1 and "2027-01-01" in deadline[0].title
    with unit_of_work(db) as s:
        sub = s.get(Subscription, sid)
        assert sub is not None
        sub.amount = Decimal("29")
        s.add(sub)
    clock.set(ny("2027-01-01", 10))
    poll(db, clock)
    changes = notes(db, "price_change")
    assert len(changes) == 1 and "$29.00" in changes[0].body and "$25.00" in changes[0].body


def test_snoozed_reminder_comes_back_once(db: Engine) -> None:
    uid = add_user(db)
    add_sub(db, uid, "2026-11-29")
    clock = FixedClock(ny("2026-11-22", 10))
    poll(db, clock)
    (reminder,) = notes(db, "renewal_reminder")
    with unit_of_work(db) as s:
        user = s.get(User, uid)
        assert user is not None and reminder.id is not None
        snooze(s, user, reminder.id, ny("2026-11-27", 9), now=clock.now())
    clock.set(ny("2026-11-26", 10))
    poll(db, clock)
    assert len(notes(db, "renewal_reminder")) == 1
    clock.set(ny("2026-11-27", 10))
    poll(db, clock)
    poll(db, clock)
    again = notes(db, "renewal_reminder")
    assert len(again) == 2 and again[1].data["snoozed_from"] == reminder.id


def test_a_matching_payment_clears_the_reminder(db: Engine) -> None:
    from assistant.services.transactions import add_transaction

    uid = add_user(db)
    add_sub(db, uid, "2026-11-29")
    clock = FixedClock(ny("2026-11-22", 10))
    poll(db, clock)
    with unit_of_work(db) as s:
        user = s.get(User, uid)
        assert user is not None
        add_transaction(s, user, amount="15.49", description="Netflix", category="Subscriptions", clock=clock)
    poll(db, clock)
    (reminder,) = notes(db, "renewal_reminder")
    assert reminder.handled_at is not None


def test_bad_preferences_are_refused_when_saved(session: Session, user: User) -> None:
    with pytest.raises(InvalidInput):
        set_reminder_preferences(session, user, reminder_time="25:00")
    with pytest.raises(InvalidInput):
        set_reminder_preferences(session, user, channels=[{"type": "apprise", "target": "nonsense://x"}])
    with pytest.raises(InvalidInput):
        set_reminder_preferences(session, user, channels=[{"type": "email", "target": "not-an-address"}])
    with pytest.raises(InvalidInput):
        set_reminder_preferences(session, user, timezone="Mars/Base")
    with pytest.raises(InvalidInput):
        set_reminder_preferences(session, user, default_remind_days=-1)
    prefs = set_reminder_preferences(
        session, user, reminder_time="7:30", channels=[{"type": "apprise", "target": "json://127.0.0.1:9/hook"}]
    )
    assert prefs["reminder_time"] == "07:30"


def test_morning_digest_collects_the_days_reminders(db: Engine) -> None:
    uid = add_user(db, digest=True, reminder_time="08:00")
    add_sub(db, uid, "2026-11-29", name="Netflix")
    add_sub(db, uid, "2026-11-29", name="Spotify", amount="11.99")
    clock = FixedClock(ny("2026-11-22", 8) + dt.timedelta(minutes=1))
    poll(db, clock)
    poll(db, clock)
    (digest,) = notes(db, "digest")
    assert "Netflix" in digest.body and "Spotify" in digest.body
    assert all(n.data.get("digest") for n in notes(db, "renewal_reminder"))
