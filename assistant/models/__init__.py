"""The data model (SQLModel). Alembic migrations build exactly these tables.

Money is kept exact: the ``Money`` column type stores integer cents (BIGINT on both SQLite
and PostgreSQL, so ``SUM`` in SQL is exact and fast) and hands ``Decimal`` to Python.
Per entity: ``XBase`` (shared fields), ``X(table=True)``, and API shapes ``XCreate``,
``XUpdate``, ``XPublic`` where the web layer needs them. The column types and enums live in
``model_types``; this package re-exports them, and the tables of ``sessions`` (chat, sign-in,
idempotency) and ``memory`` (merchant memory, rates, category rules).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, String, UniqueConstraint, event, text
from sqlmodel import Field, SQLModel

from ..model_types import (
    BudgetStatus,
    Cadence,
    CategoryKind,
    Decision,
    Money,
    Rate,
    TxKind,
    TxSource,
    UTCDateTime,
    money_field,
    ts_field,
    utcnow,
)
from .memory import CategoryRule, CurrencyRate, MerchantMemory
from .sessions import ChatMessage, IdempotencyRecord, LoginFailure, RefreshToken

# what this package re-exports from model_types and its submodules (the tables below are public too):
# callers import them from here
__all__ = [
    "BudgetStatus",
    "Cadence",
    "CategoryKind",
    "CategoryRule",
    "ChatMessage",
    "CurrencyRate",
    "Decision",
    "IdempotencyRecord",
    "LoginFailure",
    "MerchantMemory",
    "Money",
    "Rate",
    "RefreshToken",
    "TxKind",
    "TxSource",
    "UTCDateTime",
    "money_field",
    "ts_field",
    "utcnow",
]  # fmt: skip

# Ids users see (and say: "delete transaction 42") are never handed out twice: SQLite otherwise
# reuses the highest id after a delete, so a stale reference would hit another row. PostgreSQL
# sequences never go back anyway.
NEVER_REUSE_IDS: dict[str, Any] = {"sqlite_autoincrement": True}


# ---------------------------------------------------------------- users


class UserBase(SQLModel):
    email: str = Field(max_length=320)
    display_name: str = Field(default="", max_length=100)
    currency: str = Field(default="USD", max_length=3)
    timezone: str = Field(default="UTC", max_length=64)


class User(UserBase, table=True):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("email", name="uq_users_email"),)

    id: int | None = Field(default=None, primary_key=True)
    password_hash: str = Field(default="", max_length=255)
    settings: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    token_version: int = Field(default=0)
    created_at: dt.datetime = ts_field()
    monthly_income: Decimal | None = money_field(default=None, nullable=True)
    """The user's usual monthly income (they say it; the ledger's income is what arrived)."""
    context_version: int = Field(default=0, sa_type=BigInteger, sa_column_kwargs={"server_default": text("0")})
    """Changed by database triggers (migration 0007) whenever this row, the user's categories or
    merchant memory change: a chat turn's cached context is current while it is unchanged
    (``services/conversations.py``). Never written by the app."""


class UserPublic(UserBase):
    id: int
    settings: dict[str, Any] = {}
    created_at: dt.datetime
    monthly_income: Decimal | None = None


# ---------------------------------------------------------------- categories


class CategoryBase(SQLModel):
    name: str = Field(max_length=60)
    kind: CategoryKind = Field(default=CategoryKind.EXPENSE, sa_type=String(10))
    necessity_score: int = Field(default=5, ge=1, le=10)
    group: str | None = Field(default=None, max_length=60)
    # Archived: kept for history, offered nowhere new. Fixed: a monthly payment (rent, bills) the
    # month-to-date pace must not project across the month.
    archived: bool = Field(default=False)
    fixed: bool = Field(default=False)


class Category(CategoryBase, table=True):
    __tablename__ = "categories"
    __table_args__ = (UniqueConstraint("user_id", "name", name="uq_categories_user_name"), NEVER_REUSE_IDS)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    created_at: dt.datetime = ts_field()


class CategoryPublic(CategoryBase):
    id: int


# ---------------------------------------------------------------- transactions


class TransactionBase(SQLModel):
    kind: TxKind = Field(default=TxKind.EXPENSE, sa_type=String(10))
    amount: Decimal = money_field()
    currency: str = Field(default="USD", max_length=3)
    date: dt.date
    description: str = Field(default="", max_length=500)
    merchant: str | None = Field(default=None, max_length=200)


class Transaction(TransactionBase, table=True):
    __tablename__ = "transactions"
    __table_args__ = (
        Index("ix_transactions_user_date", "user_id", "date"),
        # Covers the totals query (home_amount included), so a month's sums never touch the table.
        Index(
            "ix_transactions_user_kind_date_cat",
            "user_id",
            "kind",
            "date",
            "category_id",
            "currency",
            "amount",
            "home_amount",
        ),
        Index("ix_transactions_user_category_date", "user_id", "category_id", "date"),
        # The newest entry ("make that 20", "delete the last one"): read from the index's end, not by
        # sorting every row the user has (migration 0008).
        Index("ix_transactions_user_created", "user_id", "created_at", "id"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    category_id: int | None = Field(default=None, foreign_key="categories.id", ondelete="SET NULL")
    source: TxSource = Field(default=TxSource.UI, sa_type=String(20))
    subscription_id: int | None = Field(default=None, foreign_key="subscriptions.id", ondelete="SET NULL", index=True)
    # The amount in the user's currency and the rate used, fixed when recorded (None: no rate was
    # known yet; totals then name what they leave out, and setting a rate fills it in).
    home_amount: Decimal | None = money_field(default=None, nullable=True)
    fx_rate: Decimal | None = Field(default=None, sa_type=Rate, nullable=True)
    created_at: dt.datetime = ts_field()
    updated_at: dt.datetime = ts_field()


# ---------------------------------------------------------------- budgets


class Budget(SQLModel, table=True):
    """A category's limit: for one month, or standing (every month from ``month`` on).

    For a month M the effective budget is the month's own row if there is one, else the
    standing row with the latest ``month`` not after M. Changing a standing budget adds a row
    from this month on, so earlier months keep the limit they had.
    """

    __tablename__ = "budgets"
    __table_args__ = (
        UniqueConstraint("user_id", "category_id", "month", "standing", name="uq_budgets_line"),
        Index("ix_budgets_user_month", "user_id", "month"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    category_id: int = Field(foreign_key="categories.id", ondelete="CASCADE")
    month: str = Field(max_length=7)
    standing: bool = Field(default=False)
    amount: Decimal = money_field()
    created_at: dt.datetime = ts_field()
    updated_at: dt.datetime = ts_field()


# ---------------------------------------------------------------- subscriptions


class SubscriptionBase(SQLModel):
    name: str = Field(max_length=120)
    amount: Decimal = money_field()
    currency: str = Field(default="USD", max_length=3)
    cadence: Cadence = Field(default=Cadence.MONTHLY, sa_type=String(10))
    next_renewal: dt.date
    remind_days_before: int = Field(default=7, ge=0, le=365)
    active: bool = Field(default=True)
    notes: str = Field(default="", max_length=1000)


class Subscription(SubscriptionBase, table=True):
    __tablename__ = "subscriptions"
    __table_args__ = (
        Index("ix_subscriptions_active_next", "active", "next_renewal"),
        Index("ix_subscriptions_user_next", "user_id", "next_renewal"),
        Index("ix_subscriptions_next_action", "active", "next_action_at"),
        # One active subscription per name, whatever the case (see ``name_key``).
        UniqueConstraint("user_id", "name_key", name="uq_subscriptions_user_name_key"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    category_id: int | None = Field(default=None, foreign_key="categories.id", ondelete="SET NULL")
    anchor_day: int = Field(default=1, ge=1, le=31)
    extra_reminder_days: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Contract terms: the minimum term ends on ``contract_end``; cancelling needs ``notice_days``.
    contract_end: dt.date | None = None
    notice_days: int = Field(default=0, ge=0, le=365)
    # The amount last recorded at a renewal, to notice a price change.
    last_amount: Decimal | None = money_field(default=None, nullable=True)
    # When the scheduler next has something to do for this subscription (reminder or renewal), UTC.
    next_action_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: dt.datetime = ts_field()
    updated_at: dt.datetime = ts_field()
    cancelled_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    # lower(name) while active, NULL once cancelled (NULLs never collide): the unique constraint
    # makes two racing "add Netflix" one row and a 409, while old cancelled ones may share a name.
    # Kept by ``_name_keys`` below on every insert and update; never set by hand.
    name_key: str | None = Field(default=None, max_length=255)


# ---------------------------------------------------------------- goals


class GoalBase(SQLModel):
    name: str = Field(max_length=120)
    target_amount: Decimal = money_field()
    target_date: dt.date | None = None
    saved_amount: Decimal = money_field(default=Decimal("0.00"))


class Goal(GoalBase, table=True):
    __tablename__ = "goals"
    __table_args__ = (
        Index("ix_goals_user", "user_id"),
        # One goal per name, whatever the case (see ``name_key``), where races cannot slip past it.
        UniqueConstraint("user_id", "name_key", name="uq_goals_user_name_key"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    currency: str = Field(default="USD", max_length=3)
    reached_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: dt.datetime = ts_field()
    # lower(name), kept by ``_name_keys`` below: the code compares goal names case-insensitively.
    name_key: str | None = Field(default=None, max_length=255)


def _name_keys(_mapper: Any, _conn: Any, target: Goal | Subscription) -> None:
    """Fill ``name_key`` on every flush, so no code path can forget it."""
    active = getattr(target, "active", True)
    target.name_key = target.name.lower() if active and target.name else None


for _model in (Goal, Subscription):
    event.listen(_model, "before_insert", _name_keys)
    event.listen(_model, "before_update", _name_keys)


# ---------------------------------------------------------------- notifications


class Notification(SQLModel, table=True):
    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("dedupe_key", name="uq_notifications_dedupe"),
        Index("ix_notifications_user_created", "user_id", "created_at"),
        Index("ix_notifications_user_read", "user_id", "read"),
        Index("ix_notifications_subscription", "subscription_id"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    kind: str = Field(max_length=40)
    title: str = Field(max_length=200)
    body: str = Field(default="", max_length=2000)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    read: bool = Field(default=False)
    dedupe_key: str = Field(max_length=200)
    subscription_id: int | None = Field(default=None, foreign_key="subscriptions.id", ondelete="SET NULL")
    handled_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    snoozed_until: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: dt.datetime = ts_field()


class NotificationDelivery(SQLModel, table=True):
    """One notification on one outside channel (email, an Apprise URL): claimed, sent, recorded."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (
        UniqueConstraint("notification_id", "channel", name="uq_delivery_channel"),
        Index("ix_deliveries_status_next", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    notification_id: int = Field(foreign_key="notifications.id", ondelete="CASCADE")
    channel: str = Field(max_length=500)
    status: str = Field(default="pending", max_length=20)
    attempts: int = Field(default=0)
    last_error: str = Field(default="", max_length=1000)
    next_attempt_at: dt.datetime = ts_field()
    sent_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)


class SchedulerState(SQLModel, table=True):
    """Small named values the scheduler keeps between polls (e.g. its transaction watermark)."""

    __tablename__ = "scheduler_state"

    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(default="", max_length=200)
    updated_at: dt.datetime = ts_field()


DEFAULT_CATEGORIES: list[tuple[str, int, CategoryKind]] = [
    ("Housing", 10, CategoryKind.EXPENSE),
    ("Utilities", 9, CategoryKind.EXPENSE),
    ("Groceries", 9, CategoryKind.EXPENSE),
    ("Health", 9, CategoryKind.EXPENSE),
    ("Debt", 9, CategoryKind.EXPENSE),
    ("Transport", 8, CategoryKind.EXPENSE),
    ("Education", 7, CategoryKind.EXPENSE),
    ("Personal care", 5, CategoryKind.EXPENSE),
    ("Other", 5, CategoryKind.EXPENSE),
    ("Dining", 4, CategoryKind.EXPENSE),
    ("Gifts & Donations", 4, CategoryKind.EXPENSE),
    ("Shopping", 3, CategoryKind.EXPENSE),
    ("Subscriptions", 3, CategoryKind.EXPENSE),
    ("Travel", 3, CategoryKind.EXPENSE),
    ("Entertainment", 2, CategoryKind.EXPENSE),
    ("Salary", 5, CategoryKind.INCOME),
    ("Other income", 5, CategoryKind.INCOME),
]
