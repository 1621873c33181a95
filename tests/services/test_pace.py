"""The month-to-date pace on the 1st, 5th and last day of a month, with rent paid on the 1st."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlmodel import Session

from assistant.clock import FixedClock
from assistant.models import User
from assistant.services.budgets import set_budget
from assistant.services.categories import resolve_category, update_category
from assistant.services.insights import get_insights
from assistant.services.pace import month_pace
from assistant.services.transactions import add_transaction

D = Decimal


def noon(day: dt.date) -> FixedClock:
    return FixedClock(dt.datetime(day.year, day.month, day.day, 17, 0, tzinfo=dt.UTC))  # noon in New York


def ledger(session: Session, user: User, through: dt.date) -> None:
    """Rent of 2,000 on the 1st of Oct, Nov and Dec; 15 of groceries every day from Nov 1 to ``through``."""
    clock = noon(through)
    for month in (10, 11, 12):
        add_transaction(
            session,
            user,
            amount="2000",
            description="rent",
            category="Housing",
            date=dt.date(2026, month, 1),
            clock=clock,
        )
    day = dt.date(2026, 11, 1)
    while day <= through:
        add_transaction(
            session, user, amount="15", description="groceries", category="Groceries", date=day, clock=clock
        )
        day += dt.timedelta(days=1)
    set_budget(session, user, "Housing", "2000", "2026-12", clock=clock)
    set_budget(session, user, "Groceries", "600", "2026-12", clock=clock)


@pytest.mark.parametrize(
    ("day", "groceries_projected"),
    [
        (1, D("579.31")),  # (15 + 600x7/31) / 8 a day for 30 more days: the budget's pace weighs most
        (5, D("531.05")),  # (75 + 600x7/31) / 12 a day for 26 more days
        (31, D("465.00")),  # the last day: what was spent
    ],
)
def test_rent_on_the_first_is_not_projected_and_the_bars_agree_with_the_tips(
    session: Session, user: User, day: int, groceries_projected: Decimal
) -> None:
    today = dt.date(2026, 12, day)
    ledger(session, user, today)
    clock = noon(today)
    pace = month_pace(session, user, clock=clock)
    assert pace.days_gone == day and pace.days_in_month == 31
    by = {c.category: c for c in pace.categories}
    housing, groceries = by["Housing"], by["Groceries"]
    assert housing.fixed and housing.projected == D("2000.00") and housing.status == "on_track"
    assert not groceries.fixed and groceries.spent == D(15 * day)
    assert groceries.projected == groceries_projected and groceries.status == "on_track"
    assert pace.total_projected == D("2000.00") + groceries_projected <= pace.total_budget
    ins = get_insights(session, user, clock=clock)
    assert not any("At this pace" in t or "over" in t for t in ins.tips), ins.tips
    # month-to-date against the same days of November: 15 a day both times, so no "down 90%"
    # (on Dec 31 the whole of December has one day more than the whole of November)
    changes = {c.category: c.change for c in ins.biggest_changes}
    assert changes.get("Groceries", D(0)) == (D("15.00") if day == 31 else D(0))


def test_a_flagged_fixed_category_and_a_real_overspend(session: Session, user: User) -> None:
    today = dt.date(2026, 12, 5)
    clock = noon(today)
    utilities = resolve_category(session, user, "Utilities")
    update_category(session, user, utilities.id or 0, fixed=True)
    add_transaction(
        session, user, amount="180", description="power bill", category="Utilities", date=today, clock=clock
    )
    add_transaction(session, user, amount="150", description="dinner", category="Dining", date=today, clock=clock)
    set_budget(session, user, "Utilities", "200", "2026-12", clock=clock)
    set_budget(session, user, "Dining", "200", "2026-12", clock=clock)
    by = {c.category: c for c in month_pace(session, user, clock=clock).categories}
    assert by["Utilities"].fixed and by["Utilities"].projected == D("180.00") and by["Utilities"].status == "on_track"
    assert by["Dining"].status == "over_pace" and by["Dining"].projected > D("200")
    tips = get_insights(session, user, clock=clock).tips
    assert any(t.startswith("At this pace Dining reaches") for t in tips)
    assert not any("Utilities reaches" in t for t in tips)


def test_the_demo_on_december_5_does_not_scare(session: Session) -> None:
    """The issue's case: rent paid on the 1st used to be projected into "$6,671.62 over your budget"."""
    from sqlmodel import select

    from assistant.demo import load_demo
    from assistant.models import User as UserModel

    clock = noon(dt.date(2026, 12, 5))
    email = f"demo-{dt.datetime.now().timestamp()}@example.com"
    load_demo(session, email=email, clock=clock)
    demo = session.exec(select(UserModel).where(UserModel.email == email)).one()
    pace = month_pace(session, demo, clock=clock)
    by = {c.category: c for c in pace.categories}
    assert by["Housing"].fixed and by["Housing"].projected == D("1600.00") and by["Housing"].status == "on_track"
    assert pace.total_projected < pace.total_budget
    tips = get_insights(session, demo, clock=clock).tips
    assert not any("over your" in t for t in tips), tips
    # every bar that says "on track" agrees with the tips: no category is both
    heading = {c.category for c in pace.categories if c.status == "over_pace"}
    assert {
        t.split(" reaches")[0].removeprefix("At this pace ") for t in tips if t.startswith("At this pace")
    } == heading
