"""What the user taught the ledger: a merchant's category, a currency's rate, a rule for imports.
``assistant.models`` re-exports them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from ..model_types import Rate, ts_field

# ---------------------------------------------------------------- merchant memory and rates


class MerchantMemory(SQLModel, table=True):
    """What the user taught us: this merchant belongs in that category."""

    __tablename__ = "merchant_memory"
    __table_args__ = (UniqueConstraint("user_id", "merchant", name="uq_merchant_memory"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    merchant: str = Field(max_length=200)
    category_id: int = Field(foreign_key="categories.id", ondelete="CASCADE")
    updated_at: dt.datetime = ts_field()


class CurrencyRate(SQLModel, table=True):
    """One unit of ``currency`` is worth ``rate`` units of the user's own currency."""

    __tablename__ = "currency_rates"
    __table_args__ = (UniqueConstraint("user_id", "currency", name="uq_currency_rates"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    currency: str = Field(max_length=3)
    rate: Decimal = Field(sa_type=Rate)
    updated_at: dt.datetime = ts_field()


class CategoryRule(SQLModel, table=True):
    """A user rule for imports and new rows: text containing ``pattern`` goes to ``category_id``."""

    __tablename__ = "category_rules"
    __table_args__ = (UniqueConstraint("user_id", "pattern", name="uq_category_rules_pattern"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    pattern: str = Field(max_length=200)
    category_id: int = Field(foreign_key="categories.id", ondelete="CASCADE")
    created_at: dt.datetime = ts_field()
