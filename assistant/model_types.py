"""The data model's building blocks: exact column types (``Money`` as integer cents, ``Rate``,
``UTCDateTime``), the field helpers that use them, and the enums the tables store.
``assistant.models`` re-exports every name here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, DateTime, String, TypeDecorator
from sqlmodel import Field


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Money(TypeDecorator[Decimal]):
    """Exact money: integer cents in the database, ``Decimal`` in Python."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        if value is None:
            return None
        return int((Decimal(str(value)) * 100).to_integral_value())

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(Decimal("0.01"))


class Rate(TypeDecorator[Decimal]):
    """An exchange rate, kept as exact text (rates need more digits than money)."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else str(Decimal(str(value)))

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        return None if value is None else Decimal(value)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes on both backends (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: Any, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def money_field(**kwargs: Any) -> Any:
    nullable = kwargs.pop("nullable", False)
    return Field(sa_type=Money, sa_column_kwargs={"nullable": nullable}, **kwargs)


def ts_field(**kwargs: Any) -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, **kwargs)


class TxKind(StrEnum):
    EXPENSE = "expense"
    INCOME = "income"
    REFUND = "refund"  # money back on an expense: lowers its (expense) category's spending

    @property
    def category_kind(self) -> CategoryKind:
        """The kind of category a row of this kind is filed under (a refund: an expense category)."""
        return CategoryKind.INCOME if self is TxKind.INCOME else CategoryKind.EXPENSE


class CategoryKind(StrEnum):
    EXPENSE = "expense"
    INCOME = "income"


class TxSource(StrEnum):
    CHAT = "chat"
    UI = "ui"
    IMPORT = "import"
    SUBSCRIPTION = "subscription"


class Cadence(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"


class BudgetStatus(StrEnum):
    OK = "ok"
    WARNING = "warning"
    OVER = "over"


class Decision(StrEnum):
    BUY = "buy"
    WAIT = "wait"
    DONT_BUY = "dont_buy"
