"""A living demo ledger: six months of realistic spending, budgets, subscriptions and a goal.

Seeded (the same demo every time) and dated relative to today, so a newcomer's dashboard shows
this month in progress. Written straight to the tables in one transaction: the data are ours
and valid by construction, and the loader must not depend on the chat engine.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlmodel import Session, select

from .clock import Clock, SystemClock, add_months, month_bounds, month_of, user_today
from .errors import Conflict
from .models import Budget, Cadence, Category, Goal, Subscription, Transaction, TxKind, TxSource, User
from .services.users import create_user

# (category, merchant, description, low, high, times a month)
SPENDING: list[tuple[str, str | None, str, int, int, int]] = [
    ("Groceries", "Trader Joe's", "groceries", 45, 120, 4),
    ("Groceries", "Costco", "bulk groceries", 90, 210, 1),
    ("Dining", "Chipotle", "lunch", 11, 16, 3),
    ("Dining", "Starbucks", "coffee", 4, 8, 6),
    ("Dining", None, "dinner out", 35, 90, 2),
    ("Transport", "Shell", "gas", 38, 62, 3),
    ("Transport", "Uber", "ride", 12, 34, 2),
    ("Utilities", "City Power", "electric bill", 70, 130, 1),
    ("Utilities", "Comcast", "internet", 65, 65, 1),
    ("Shopping", "Amazon", "household items", 15, 95, 2),
    ("Shopping", "Target", "clothes", 25, 80, 1),
    ("Entertainment", "AMC", "movie tickets", 18, 32, 1),
    ("Health", "CVS", "pharmacy", 10, 45, 1),
    ("Personal care", None, "haircut", 30, 45, 1),
    ("Gifts & Donations", None, "gift", 20, 80, 1),
]
BUDGETS = {
    "Housing": 1650,
    "Groceries": 600,
    "Dining": 250,
    "Transport": 250,
    "Utilities": 220,
    "Shopping": 200,
    "Entertainment": 100,
    "Health": 120,
    "Personal care": 60,
    "Gifts & Donations": 80,
    "Subscriptions": 60,
}
SUBSCRIPTIONS = [
    ("Netflix", "15.49", Cadence.MONTHLY, 5),
    ("Spotify", "11.99", Cadence.MONTHLY, 18),
    ("iCloud+", "2.99", Cadence.MONTHLY, 27),
    ("Gym membership", "39.00", Cadence.MONTHLY, 1),
    ("Amazon Prime", "139.00", Cadence.YEARLY, 14),
]


def _clamp_day(year: int, month: int, day: int) -> dt.date:
    first, last = month_bounds(f"{year:04d}-{month:02d}")
    return first.replace(day=min(day, last.day))


def demo_exists(session: Session, email: str) -> bool:
    return session.exec(select(User.id).where(User.email == email.strip().lower())).first() is not None


def remove_demo(session: Session, email: str) -> None:
    """Delete the demo user; their rows go with them (ON DELETE CASCADE on every table)."""
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is not None:
        session.delete(user)
        session.flush()


def load_demo(session: Session, *, email: str, password_hash: str = "", clock: Clock | None = None) -> str:
    """Create the demo user and their ledger; refuse if the email exists already."""
    clock = clock or SystemClock()
    if session.exec(select(User.id).where(User.email == email.lower())).first() is not None:
        raise Conflict(f"{email} exists already; the demo is loaded")
    user = create_user(
        session, email=email, password_hash=password_hash, display_name="Demo", timezone="America/New_York"
    )
    assert user.id is not None
    uid: int = user.id
    cats = {c.name: c for c in session.exec(select(Category).where(Category.user_id == user.id))}
    for name in ("Housing", "Utilities"):  # monthly bills: the pace never projects them
        cats[name].fixed = True
        session.add(cats[name])
    rng = random.Random(2026)
    today = user_today(clock, user.timezone)
    this_month = month_of(today)
    rows: list[Transaction] = []

    def tx(kind: TxKind, cat: str, amount: Decimal, day: dt.date, desc: str, merchant: str | None) -> None:
        rows.append(
            Transaction(
                user_id=uid,
                kind=kind,
                amount=amount,
                currency=user.currency,
                date=day,
                description=desc,
                merchant=merchant,
                category_id=cats[cat].id,
                source=TxSource.IMPORT,
            )
        )

    for back in range(5, -1, -1):
        month = add_months(this_month, -back)
        first, last = month_bounds(month)
        end = min(last, today)
        days = (end - first).days + 1
        tx(TxKind.INCOME, "Salary", Decimal("4100.00"), first, "salary", "Acme Corp")
        if days >= 15:
            tx(TxKind.INCOME, "Salary", Decimal("4100.00"), first.replace(day=15), "salary", "Acme Corp")
        tx(TxKind.EXPENSE, "Housing", Decimal("1600.00"), first, "rent", "Parkview Apartments")
        for cat, merchant, desc, low, high, times in SPENDING:
            # the current month is only partly lived, so it gets its share of the visits
            visits = times if back else max(0, round(times * days / last.day))
            for _ in range(visits):
                cents = rng.randint(low * 100, high * 100)
                day = first + dt.timedelta(days=rng.randrange(days))
                tx(TxKind.EXPENSE, cat, Decimal(cents) / 100, day, desc, merchant)
    last_month_day = month_bounds(add_months(this_month, -1))[0] + dt.timedelta(days=20)
    tx(TxKind.REFUND, "Shopping", Decimal("24.99"), last_month_day, "returned shirt", "Target")
    session.add_all(rows)

    for name, amount in BUDGETS.items():
        session.add(
            Budget(
                user_id=uid,
                category_id=cats[name].id or 0,
                month=add_months(this_month, -5),
                standing=True,
                amount=Decimal(amount),
            )
        )
    next_month = dt.date.fromisoformat(add_months(this_month, 1) + "-01")
    for name, price, cadence, anchor in SUBSCRIPTIONS:
        nxt = _clamp_day(today.year, today.month, anchor)
        if nxt < today:
            nxt = _clamp_day(next_month.year, next_month.month, anchor)
        if cadence is Cadence.YEARLY:
            nxt = _clamp_day(today.year + (1 if today.month >= 3 else 0), 3, anchor)
        session.add(
            Subscription(
                user_id=uid,
                name=name,
                amount=Decimal(price),
                currency=user.currency,
                cadence=cadence,
                next_renewal=nxt,
                anchor_day=anchor,
                remind_days_before=7,
                category_id=cats["Subscriptions"].id,
            )
        )
    session.add(
        Goal(
            user_id=user.id,
            name="Emergency fund",
            target_amount=Decimal("5000.00"),
            saved_amount=Decimal("1850.00"),
            target_date=dt.date(today.year + 1, 6, 30),
            currency=user.currency,
        )
    )
    session.flush()
    return (
        f"Demo loaded: {len(rows)} transactions over six months, {len(BUDGETS)} budgets, "
        f"{len(SUBSCRIPTIONS)} subscriptions and a goal."
    )
