"""totals you can trust: amounts in the user's currency, category flags, import rules

Revision ID: 0004
Revises: 0001
"""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
import sqlmodel
from alembic import op

import assistant.models

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("transactions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("home_amount", assistant.models.Money(), nullable=True))
        batch_op.add_column(sa.Column("fx_rate", assistant.models.Rate(), nullable=True))
    with op.batch_alter_table("transactions", schema=None) as batch_op:
        # the totals query reads home_amount too: keep its index covering
        batch_op.drop_index("ix_transactions_user_kind_date_cat")
        batch_op.create_index(
            "ix_transactions_user_kind_date_cat",
            ["user_id", "kind", "date", "category_id", "currency", "amount", "home_amount"],
            unique=False,
        )
    with op.batch_alter_table("categories", schema=None) as batch_op:
        batch_op.add_column(sa.Column("archived", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("fixed", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "category_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("pattern", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("created_at", assistant.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["category_id"], ["categories.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "pattern", name="uq_category_rules_pattern"),
    )
    with op.batch_alter_table("category_rules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_category_rules_user_id"), ["user_id"], unique=False)

    # Backfill: rows in the user's own currency convert at 1; foreign rows with a rate the user
    # already set keep the value today's totals give them (rate fixed now); the rest stay pending.
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "UPDATE transactions SET home_amount = amount, fx_rate = '1' "
            "WHERE currency = (SELECT u.currency FROM users u WHERE u.id = transactions.user_id)"
        )
    )
    rows = bind.execute(
        sa.text(
            "SELECT t.id, t.amount, r.rate FROM transactions t "
            "JOIN currency_rates r ON r.user_id = t.user_id AND r.currency = t.currency "
            "WHERE t.home_amount IS NULL"
        )
    ).all()
    for tx_id, cents, rate in rows:
        home = (Decimal(int(cents)) * Decimal(rate)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        bind.execute(
            sa.text("UPDATE transactions SET home_amount = :h, fx_rate = :r WHERE id = :i"),
            {"h": int(home), "r": str(rate), "i": tx_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("category_rules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_category_rules_user_id"))
    op.drop_table("category_rules")
    with op.batch_alter_table("categories", schema=None) as batch_op:
        batch_op.drop_column("fixed")
        batch_op.drop_column("archived")
    with op.batch_alter_table("transactions", schema=None) as batch_op:
        batch_op.drop_index("ix_transactions_user_kind_date_cat")
        batch_op.create_index(
            "ix_transactions_user_kind_date_cat",
            ["user_id", "kind", "date", "category_id", "currency", "amount"],
            unique=False,
        )
    with op.batch_alter_table("transactions", schema=None) as batch_op:
        batch_op.drop_column("fx_rate")
        batch_op.drop_column("home_amount")
