"""unique goal and subscription names per user; ids never reused on SQLite

Revision ID: 0002
Revises: 0001

Goal names, and the names of a user's active subscriptions, were unique only in Python, so two
racing creates made two rows: the database enforces it now on ``name_key`` (lower(name); NULL for
a cancelled subscription), case-insensitive as the code compares names. Rows that already
collide are renamed "<name> (<id>)" first, so nothing is lost.

On SQLite the tables whose ids users see are rebuilt with AUTOINCREMENT, so a deleted row's id
is never handed out again (PostgreSQL sequences never go back). The rebuild copies every row; the
migration runner turns foreign-key enforcement off around it, so dropping the old table cascades
nothing.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID_TABLES = ("categories", "subscriptions", "goals", "transactions", "notifications")


def _fill_name_keys(table: str, only_active: bool) -> None:
    """``name_key`` = lower(name) (NULL for a cancelled subscription); a name that collides with an
    earlier row's gets the row's id as a suffix first, so the constraint holds and nothing is lost."""
    bind = op.get_bind()
    cols = [sa.column("id"), sa.column("user_id"), sa.column("name"), sa.column("name_key")]
    if only_active:
        cols.append(sa.column("active", sa.Boolean()))
    t = sa.table(table, *cols)
    query = sa.select(t.c.id, t.c.user_id, t.c.name, t.c.active if only_active else sa.true()).order_by(t.c.id)
    seen: set[tuple[int, str]] = set()
    for row_id, user_id, name, active in bind.execute(query).all():
        if not active:
            continue
        key = str(name).lower()
        if (user_id, key) in seen:
            name = f"{name} ({row_id})"[:120]
            key = name.lower()
        seen.add((user_id, key))
        bind.execute(sa.update(t).where(t.c.id == row_id).values(name=name, name_key=key))


def _rebuild(autoincrement: bool) -> None:
    """SQLite only: rebuild the tables whose ids users see, with or without AUTOINCREMENT."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in ID_TABLES:
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}):
            pass


def upgrade() -> None:
    _rebuild(autoincrement=True)
    for table in ("goals", "subscriptions"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("name_key", sa.String(length=255), nullable=True))
    _fill_name_keys("goals", only_active=False)
    _fill_name_keys("subscriptions", only_active=True)
    for table in ("goals", "subscriptions"):
        with op.batch_alter_table(table, table_kwargs={"sqlite_autoincrement": True}) as batch_op:
            batch_op.create_unique_constraint(f"uq_{table}_user_name_key", ["user_id", "name_key"])


def downgrade() -> None:
    for table in ("goals", "subscriptions"):
        with op.batch_alter_table(table, table_kwargs={"sqlite_autoincrement": True}) as batch_op:
            batch_op.drop_constraint(f"uq_{table}_user_name_key", type_="unique")
            batch_op.drop_column("name_key")
    _rebuild(autoincrement=False)
