"""Insights: every figure matches a brute-force sum over the rows, and rebalancing is sensible."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from sqlmodel import Session

from assistant.clock import FixedClock
from assistant.models import Budget, Transaction, TxKind, User
from assistant.services.categories import list_categories, resolve_category
from assistant.services.insights import get_insights
from assistant.services.subscriptions import add_subscription, subscription_totals

D = Decimal


def add_tx(session: Session, user: User, category: str, amount: Decimal, day: dt.date, kind: TxKind) -> None:
    cat = resolve_category(session, user, category)
    assert user.id is not None
    session.add(Transaction(user_id=user.id, category_id=cat.id, kind=kind, amount=amount, date=day))


def add_budget(session: Session, user: User, category: str, amount: str, month: str) -> None:
    cat = resolve_category(session, user, category)
    assert user.id is not None and cat.id is not None
    session.add(Budget(user_id=user.id, category_id=cat.id, month=month, standing=False, amount=D(amount)))


def pct(part: Decimal, whole: Decimal) -> Decimal:
    return (part * 100 / whole).quantize(D("0.1"), rounding=ROUND_HALF_UP)


def test_numbers_match_brute_force_sums(session: Session, user: User, clock: FixedClock) -> None:
    rng = random.Random(7)
    names = [c.name for c in list_categories(session, user) if c.kind == "expense"]
    rows: list[tuple[str, Decimal, dt.date]] = []
    for _ in range(80):
        day = dt.date(2026, rng.choice([9, 10]), rng.randint(1, 30))
        row = (rng.choice(names[:8]), D(rng.randint(100, 20000)) / 100, day)
        rows.append(row)
        add_tx(session, user, *row, TxKind.EXPENSE)
    add_tx(session, user, "Salary", D("4000.00"), dt.date(2026, 10, 1), TxKind.INCOME)
    add_tx(session, user, "Dining", D("999.99"), dt.date(2026, 11, 1), TxKind.EXPENSE)  # another month
    budgets = {names[0]: "300", names[1]: "50", names[2]: "5000"}
    for cat, limit in budgets.items():
        add_budget(session, user, cat, limit, "2026-10")
    add_subscription(session, user, name="Music", amount="9.99", clock=clock)
    add_subscription(session, user, name="Box", amount="20", cadence="weekly", clock=clock)
    session.flush()

    ins = get_insights(session, user, "2026-10", clock=clock)
    oct_: dict[str, Decimal] = defaultdict(Decimal)
    sep: dict[str, Decimal] = defaultdict(Decimal)
    for cat, amount, day in rows:
        (oct_ if day.month == 10 else sep)[cat] += amount
    total = sum(oct_.values(), D(0))
    assert ins.total_spent == total and ins.income == D("4000.00")
    expected_top = sorted(oct_.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    assert [(t.category, t.spent, t.share) for t in ins.top_categories] == [
        (c, v, pct(v, total)) for c, v in expected_top
    ]
    for ch in ins.biggest_changes:
        assert ch.change == oct_[ch.category] - sep[ch.category]
    all_changes = sorted((abs(oct_[c] - sep[c]) for c in set(oct_) | set(sep)), reverse=True)
    assert [abs(c.change) for c in ins.biggest_changes] == all_changes[:3]
    expected_over = {c: oct_[c] - D(b) for c, b in budgets.items() if oct_[c] > D(b)}
    assert {o.category: o.over_by for o in ins.over_budget} == expected_over
    moved_to: dict[str, Decimal] = defaultdict(Decimal)
    moved_from: dict[str, Decimal] = defaultdict(Decimal)
    for mv in ins.reallocation:
        moved_to[mv.to_category] += mv.amount
        moved_from[mv.from_category] += mv.amount
    for cat, got in moved_to.items():
        assert got <= expected_over[cat]
    for cat, got in moved_from.items():
        assert got <= D(budgets[cat]) - oct_[cat]
    assert ins.subscriptions_monthly_total == subscription_totals(session, user, clock=clock).monthly == D("96.66")
    assert any("Subscriptions cost $96.66 a month" in t for t in ins.tips)
    assert any("You kept $" in t for t in ins.tips) == (total <= D("4000.00"))


def test_reallocation_takes_from_wants_first(session: Session, user: User, clock: FixedClock) -> None:
    for cat, budget, spent in [("Dining", "100", "160"), ("Entertainment", "50", "10"), ("Shopping", "100", "50"),
                               ("Groceries", "400", "100")]:  # fmt: skip
        add_budget(session, user, cat, budget, "2026-10")
        add_tx(session, user, cat, D(spent), dt.date(2026, 10, 5), TxKind.EXPENSE)
    session.flush()
    ins = get_insights(session, user, "2026-10", clock=clock)
    assert [(o.category, o.over_by) for o in ins.over_budget] == [("Dining", D("60.00"))]
    assert [(r.from_category, r.to_category, r.amount) for r in ins.reallocation] == [
        ("Entertainment", "Dining", D("40.00")),
        ("Shopping", "Dining", D("20.00")),
    ]
    assert ins.reallocation[0].text == "Move $40.00 from Entertainment to Dining"
    assert "Dining is over budget by $60.00 ($160.00 of $100.00)." in ins.tips


def test_current_month_keeps_a_share_for_the_days_left(session: Session, user: User, clock: FixedClock) -> None:
    # 2026-11-22: 9 of 30 days left, so Entertainment keeps 300 x 9/30 = 90 of its 100 left.
    for cat, budget, spent in [("Dining", "100", "150"), ("Entertainment", "300", "200")]:
        add_budget(session, user, cat, budget, "2026-11")
        add_tx(session, user, cat, D(spent), dt.date(2026, 11, 3), TxKind.EXPENSE)
    session.flush()
    ins = get_insights(session, user, clock=clock)
    assert ins.month == "2026-11"
    assert [(r.from_category, r.amount) for r in ins.reallocation] == [("Entertainment", D("10.00"))]
    # One pace model: Dining is over already (said once), Entertainment's 200 in 22 days heads for
    # 274.48 of its 300, so no "at this pace" warning contradicts an on-track bar.
    assert not any("At this pace" in t for t in ins.tips)
    assert ins.pace is not None
    assert [(c.category, c.status) for c in ins.pace.categories] == [("Dining", "over"), ("Entertainment", "on_track")]


def test_empty_month(session: Session, user: User, clock: FixedClock) -> None:
    ins = get_insights(session, user, "2026-01", clock=clock)
    assert ins.top_categories == [] and ins.over_budget == [] and ins.reallocation == []
    assert ins.tips == ["No spending recorded for 2026-01 yet."] and ins.subscriptions_monthly_total == D("0.00")
