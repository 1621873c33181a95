"""Subscriptions: the renewal calendar never drifts, totals are exact, names resolve as typed."""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from assistant.clock import FixedClock
from assistant.errors import Conflict, InvalidInput, NotFound
from assistant.models import Cadence, Subscription, User
from assistant.services.currency import set_rate
from assistant.services.subscriptions import (
    add_subscription,
    advance_renewal,
    cancel_subscription,
    delete_subscription,
    due_renewals,
    find_subscription,
    get_subscription,
    list_subscriptions,
    next_renewal_after,
    renewals_before,
    subscription_totals,
    to_public,
    update_subscription,
)
from assistant.services.users import create_user

D = Decimal
TODAY = dt.date(2026, 11, 22)  # the clock fixture's date in New York


def sid(sub: Subscription) -> int:
    assert sub.id is not None
    return sub.id


# ---------------------------------------------------------------- pure renewal arithmetic

days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2200, 12, 31))
anchors = st.integers(min_value=1, max_value=31)


def _on_anchor(day: dt.date, anchor: int) -> dt.date:
    return day.replace(day=min(anchor, calendar.monthrange(day.year, day.month)[1]))


@settings(max_examples=60, deadline=None)
@given(start=days, anchor=anchors, steps=st.integers(min_value=1, max_value=40),
       cadence=st.sampled_from([Cadence.MONTHLY, Cadence.QUARTERLY, Cadence.YEARLY]))  # fmt: skip
def test_renewal_day_never_drifts(start: dt.date, anchor: int, steps: int, cadence: Cadence) -> None:
    day = _on_anchor(start, anchor)
    for _ in range(steps):
        nxt = next_renewal_after(day, cadence, anchor)
        assert nxt > day
        assert nxt.day == min(anchor, calendar.monthrange(nxt.year, nxt.month)[1])
        day = nxt


@settings(max_examples=60, deadline=None)
@given(start=days, anchor=anchors)
def test_twelve_monthly_steps_equal_one_yearly(start: dt.date, anchor: int) -> None:
    day = _on_anchor(start, anchor)
    monthly = day
    for _ in range(12):
        monthly = next_renewal_after(monthly, Cadence.MONTHLY, anchor)
    quarterly = day
    for _ in range(4):
        quarterly = next_renewal_after(quarterly, "quarterly", anchor)
    assert monthly == quarterly == next_renewal_after(day, Cadence.YEARLY, anchor)


@settings(max_examples=30, deadline=None)
@given(start=days)
def test_weekly_is_seven_days(start: dt.date) -> None:
    assert next_renewal_after(start, Cadence.WEEKLY, start.day) == start + dt.timedelta(days=7)


def test_month_end_anchor_comes_back_after_february() -> None:
    jan31 = dt.date(2027, 1, 31)
    feb = next_renewal_after(jan31, Cadence.MONTHLY, 31)
    assert feb == dt.date(2027, 2, 28)
    assert next_renewal_after(feb, Cadence.MONTHLY, 31) == dt.date(2027, 3, 31)
    assert next_renewal_after(dt.date(2028, 1, 31), "monthly", 31) == dt.date(2028, 2, 29)
    assert next_renewal_after(dt.date(2028, 2, 29), "yearly", 29) == dt.date(2029, 2, 28)
    assert next_renewal_after(dt.date(2029, 2, 28), "yearly", 29) == dt.date(2030, 2, 28)
    assert next_renewal_after(dt.date(2031, 2, 28), "yearly", 29) == dt.date(2032, 2, 29)
    assert next_renewal_after(dt.date(2026, 11, 30), "quarterly", 31) == dt.date(2027, 2, 28)


# ---------------------------------------------------------------- the ledger


def test_add_defaults_and_public_shape(session: Session, user: User, clock: FixedClock) -> None:
    sub = add_subscription(session, user, name="  Netflix ", amount="15.49", clock=clock)
    assert sub.name == "Netflix" and sub.amount == D("15.49") and sub.currency == "USD"
    assert sub.next_renewal == dt.date(2026, 12, 22) and sub.anchor_day == 22
    pub = to_public(session, user, sub, clock=clock)
    assert pub.category == "Subscriptions" and pub.days_until == 30 and pub.monthly_cost == D("15.49")
    assert pub.remind_days_before == 7 and pub.active


def test_past_renewal_rolls_forward_keeping_anchor(session: Session, user: User, clock: FixedClock) -> None:
    sub = add_subscription(session, user, name="Gym", amount=40, next_renewal="2025-01-31", clock=clock)
    assert sub.next_renewal == dt.date(2026, 11, 30) and sub.anchor_day == 31
    weekly = add_subscription(
        session, user, name="Box", amount=9, cadence="weekly", next_renewal=dt.date(2026, 11, 1), clock=clock
    )
    assert weekly.next_renewal == dt.date(2026, 11, 22)  # today counts as due
    yearly = add_subscription(
        session, user, name="Domain", amount=12, cadence="annual", next_renewal="2020-02-29", clock=clock
    )
    assert yearly.next_renewal == dt.date(2027, 2, 28) and yearly.cadence == Cadence.YEARLY


def test_advance_and_due_renewals_across_users(session: Session, user: User, clock: FixedClock) -> None:
    other = create_user(session, email=f"o-{uuid.uuid4().hex[:8]}@example.com")
    a = add_subscription(session, user, name="A", amount=5, next_renewal="2026-11-30", clock=clock)
    b = add_subscription(session, other, name="B", amount=5, next_renewal="2026-11-25", clock=clock)
    c = add_subscription(session, other, name="C", amount=5, next_renewal="2026-12-25", clock=clock)
    cancelled = add_subscription(session, user, name="Old", amount=5, next_renewal="2026-11-24", clock=clock)
    cancel_subscription(session, user, "old", clock=clock)
    due = [s.id for s in due_renewals(session, on_or_before=dt.date(2026, 11, 30))]
    assert due.index(b.id) < due.index(a.id)
    assert c.id not in due and cancelled.id not in due
    assert advance_renewal(session, a) == dt.date(2026, 12, 30)
    assert advance_renewal(session, a) == dt.date(2027, 1, 30)


def test_find_and_cancel_by_partial_name(session: Session, user: User, clock: FixedClock) -> None:
    yt = add_subscription(session, user, name="YouTube Premium", amount="13.99", clock=clock)
    add_subscription(session, user, name="Spotify Family", amount="19.99", clock=clock)
    add_subscription(session, user, name="Spotify Duo", amount="14.99", clock=clock)
    assert find_subscription(session, user, "youtube").id == yt.id
    assert find_subscription(session, user, "cancel my youtube premium").id == yt.id
    assert find_subscription(session, user, "youtub premium").id == yt.id
    with pytest.raises(InvalidInput) as amb:
        find_subscription(session, user, "spotify")
    assert "Spotify Duo" in amb.value.message and "Spotify Family" in amb.value.message
    with pytest.raises(NotFound) as none:
        find_subscription(session, user, "hulu")
    assert "YouTube Premium" in none.value.message
    done = cancel_subscription(session, user, "YOUTUBE", clock=clock)
    assert not done.active and done.cancelled_at == clock.now()
    assert sorted(s.name for s in list_subscriptions(session, user, clock=clock).items) == [
        "Spotify Duo", "Spotify Family"]  # fmt: skip
    # the name is free again once cancelled
    add_subscription(session, user, name="youtube premium", amount="13.99", clock=clock)


def test_a_name_said_aloud_finds_the_typed_one(session: Session, user: User, clock: FixedClock) -> None:
    """A voice transcript writes "Disney Plus" and "AT and T"; the user typed "Disney+" and "AT&T"."""
    disney = add_subscription(session, user, name="Disney+", amount="13.99", clock=clock)
    phone = add_subscription(session, user, name="AT&T", amount="65", clock=clock)
    add_subscription(session, user, name="Paramount+", amount="7.99", clock=clock)
    assert find_subscription(session, user, "Disney Plus").id == disney.id
    assert find_subscription(session, user, "stop my disney plus").id == disney.id
    assert find_subscription(session, user, "disney+").id == disney.id
    assert find_subscription(session, user, "AT and T").id == phone.id
    with pytest.raises(InvalidInput):  # "plus" alone names two: ask which
        find_subscription(session, user, "plus")


def test_list_within_days_and_paging(session: Session, user: User, clock: FixedClock) -> None:
    for i, day in enumerate(["2026-11-25", "2026-12-01", "2026-12-20", "2027-01-10"]):
        add_subscription(session, user, name=f"S{i}", amount=1, next_renewal=day, clock=clock)
    soon = list_subscriptions(session, user, within_days=10, clock=clock)
    assert [s.name for s in soon.items] == ["S0", "S1"] and soon.total == 2
    page = list_subscriptions(session, user, limit=2, offset=1, clock=clock)
    assert [s.name for s in page.items] == ["S1", "S2"] and page.total == 4
    assert page.items[0].days_until == 9
    with pytest.raises(InvalidInput):
        list_subscriptions(session, user, within_days=-1, clock=clock)
    with pytest.raises(InvalidInput):
        list_subscriptions(session, user, limit=0, clock=clock)


def test_totals_are_exact(session: Session, user: User, clock: FixedClock) -> None:
    add_subscription(session, user, name="W", amount="10.00", cadence="weekly", clock=clock)
    add_subscription(session, user, name="M", amount="9.99", cadence="monthly", clock=clock)
    add_subscription(session, user, name="Q", amount="30.01", cadence="quarterly", clock=clock)
    add_subscription(session, user, name="Y", amount="99.99", cadence="yearly", clock=clock)
    add_subscription(session, user, name="EUR", amount="5.00", currency="eur", clock=clock)
    add_subscription(session, user, name="GBP", amount="7.00", currency="GBP", clock=clock)
    set_rate(session, user, "EUR", "1.10")
    gone = add_subscription(session, user, name="Gone", amount="500", clock=clock)
    cancel_subscription(session, user, sid(gone), clock=clock)
    t = subscription_totals(session, user, clock=clock)
    yearly = D("10.00") * 52 + D("9.99") * 12 + D("30.01") * 4 + D("99.99") + D("5.00") * D("1.10") * 12
    assert t.yearly == yearly == D("925.91")
    assert t.monthly == D("77.16")  # 925.91 / 12 = 77.159..., rounded once
    assert t.count == 5 and t.missing_rates == ["GBP"]
    assert t.by_cadence["weekly"] == {"count": 1, "yearly": D("520.00"), "monthly": D("43.33")}


def test_update_validates_then_writes(session: Session, user: User, clock: FixedClock) -> None:
    sub = add_subscription(session, user, name="Netflix", amount="15.49", clock=clock)
    add_subscription(session, user, name="Hulu", amount="7.99", clock=clock)
    with pytest.raises(Conflict):
        update_subscription(session, user, sid(sub), name="hulu", amount="1", clock=clock)
    with pytest.raises(InvalidInput):
        update_subscription(session, user, sid(sub), amount="5", remind_days_before=61, clock=clock)
    assert sub.name == "Netflix" and sub.amount == D("15.49")
    update_subscription(
        session, user, sid(sub), amount="17.99", next_renewal="2027-01-31", cadence="monthly", clock=clock
    )
    assert sub.amount == D("17.99") and sub.anchor_day == 31
    update_subscription(session, user, sid(sub), active=False, clock=clock)
    assert sub.cancelled_at is not None
    update_subscription(session, user, sid(sub), active=True, category="entertainment", clock=clock)
    assert sub.active and sub.cancelled_at is None
    assert to_public(session, user, sub, clock=clock).category == "Entertainment"
    with pytest.raises(InvalidInput):
        update_subscription(session, user, sid(sub), user_id=99, clock=clock)


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [("cadence", {"cadence": "fortnightly"}), ("amount", {"amount": 0}), ("amount", {"amount": "-3"}),
     ("remind_days_before", {"remind_days_before": -1}), ("remind_days_before", {"remind_days_before": 61}),
     ("next_renewal", {"next_renewal": "2026-02-30"}), ("name", {"name": "  "}),
     ("currency", {"currency": "XXQ"}), ("category", {"category": "spaceships"})],
)  # fmt: skip
def test_bad_input_is_refused_and_nothing_written(
    session: Session, user: User, clock: FixedClock, field: str, kwargs: dict[str, object]
) -> None:
    args: dict[str, object] = {"name": "Thing", "amount": "5"} | kwargs
    with pytest.raises(InvalidInput) as err:
        add_subscription(session, user, clock=clock, **args)  # type: ignore[arg-type]
    assert err.value.field == field
    assert list_subscriptions(session, user, active_only=False, clock=clock).total == 0


def test_duplicate_active_name_is_a_conflict(session: Session, user: User, clock: FixedClock) -> None:
    add_subscription(session, user, name="Netflix", amount=10, clock=clock)
    with pytest.raises(Conflict):
        add_subscription(session, user, name="NETFLIX", amount=12, clock=clock)


def test_another_users_subscription_is_not_found(session: Session, user: User, clock: FixedClock) -> None:
    other = create_user(session, email=f"o-{uuid.uuid4().hex[:8]}@example.com")
    theirs = add_subscription(session, other, name="Theirs", amount=5, clock=clock)
    assert theirs.id is not None
    for call in (
        lambda: get_subscription(session, user, theirs.id),
        lambda: update_subscription(session, user, theirs.id, amount=1, clock=clock),
        lambda: cancel_subscription(session, user, theirs.id),
        lambda: delete_subscription(session, user, theirs.id),
        lambda: find_subscription(session, user, "theirs"),
    ):
        with pytest.raises(NotFound):
            call()
    assert theirs.active and session.get(Subscription, theirs.id) is not None


def test_delete(session: Session, user: User, clock: FixedClock) -> None:
    sub = add_subscription(session, user, name="X", amount=5, clock=clock)
    delete_subscription(session, user, sid(sub))
    with pytest.raises(NotFound):
        get_subscription(session, user, sid(sub))


def test_renewals_before_lists_each_charge(session: Session, user: User, clock: FixedClock) -> None:
    add_subscription(
        session, user, name="Weekly box", amount=10, cadence="weekly", next_renewal="2026-11-23", clock=clock
    )
    add_subscription(session, user, name="Music", amount="9.99", next_renewal="2026-11-30", clock=clock)
    add_subscription(session, user, name="Later", amount=50, next_renewal="2026-12-15", clock=clock)
    got = renewals_before(session, user, dt.date(2026, 11, 30), clock=clock)
    assert [(r.name, r.date) for r in got] == [
        ("Weekly box", dt.date(2026, 11, 23)), ("Music", dt.date(2026, 11, 30)),
        ("Weekly box", dt.date(2026, 11, 30))]  # fmt: skip
    assert sum(r.amount_in_user_currency or 0 for r in got) == D("29.99")
