"""users.context_version: a value that changes with every write of a turn's cached context

A chat turn's context (the user's row, categories and merchant memory) is kept per process between
turns (``services/conversations.py``); each turn reads this one value to know whether its copy is
still the database's. Triggers change it on every insert, update or delete of those rows, whoever
writes them (REST, imports, another tab, another app process, a hand-written statement), in the
writer's own transaction. The new value is random, not a counter from 0, so a user row made anew
(a database restored or re-created under the same ids) never matches a copy kept of another.

A later migration that rebuilds ``users``, ``categories`` or ``merchant_memory`` on SQLite (Alembic's
batch mode copies the table) drops their triggers: it must create them again (``create_triggers``).
``tests/services/test_context_version.py`` fails when one is missing.

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WATCHED = ("categories", "merchant_memory")

_PG_NEW = "floor(random() * 9007199254740991)::bigint"

_PG_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION budgetwise_user_context_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.context_version IS NOT DISTINCT FROM OLD.context_version THEN
        NEW.context_version := {_PG_NEW};
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION budgetwise_owner_context_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE users SET context_version = {_PG_NEW} WHERE id = OLD.user_id;
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.user_id IS DISTINCT FROM OLD.user_id) THEN
        UPDATE users SET context_version = {_PG_NEW} WHERE id = NEW.user_id;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
"""


def create_triggers() -> None:
    """The triggers that change ``users.context_version`` (both backends)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTIONS)
        op.execute(
            "CREATE TRIGGER users_context_version BEFORE INSERT OR UPDATE ON users "
            "FOR EACH ROW EXECUTE FUNCTION budgetwise_user_context_changed()"
        )
        for table in WATCHED:
            op.execute(
                f"CREATE TRIGGER {table}_context_version AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION budgetwise_owner_context_changed()"
            )
        return
    # SQLite: AFTER triggers that update the row (a BEFORE trigger cannot change NEW there). The
    # users trigger fires only when the statement left the version alone, so its own update (and
    # the watched tables' updates) do not fire it again.
    op.execute(
        "CREATE TRIGGER users_context_version_insert AFTER INSERT ON users FOR EACH ROW "
        "BEGIN UPDATE users SET context_version = random() WHERE id = NEW.id; END"
    )
    op.execute(
        "CREATE TRIGGER users_context_version_update AFTER UPDATE ON users FOR EACH ROW "
        "WHEN NEW.context_version IS OLD.context_version "
        "BEGIN UPDATE users SET context_version = random() WHERE id = NEW.id; END"
    )
    for table in WATCHED:
        op.execute(
            f"CREATE TRIGGER {table}_context_version_insert AFTER INSERT ON {table} FOR EACH ROW "
            "BEGIN UPDATE users SET context_version = random() WHERE id = NEW.user_id; END"
        )
        op.execute(
            f"CREATE TRIGGER {table}_context_version_update AFTER UPDATE ON {table} FOR EACH ROW "
            "BEGIN UPDATE users SET context_version = random() WHERE id IN (OLD.user_id, NEW.user_id); END"
        )
        op.execute(
            f"CREATE TRIGGER {table}_context_version_delete AFTER DELETE ON {table} FOR EACH ROW "
            "BEGIN UPDATE users SET context_version = random() WHERE id = OLD.user_id; END"
        )


def drop_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ("users", *WATCHED):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_context_version ON {table}")
        op.execute("DROP FUNCTION IF EXISTS budgetwise_owner_context_changed()")
        op.execute("DROP FUNCTION IF EXISTS budgetwise_user_context_changed()")
        return
    for table in ("users", *WATCHED):
        for when in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_context_version_{when}")


def upgrade() -> None:
    op.add_column("users", sa.Column("context_version", sa.BigInteger(), nullable=False, server_default=sa.text("0")))
    create_triggers()


def downgrade() -> None:
    drop_triggers()
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("context_version")
