"""transactions (user_id, created_at, id): the user's newest entry without sorting all of them

"The last one" ("make that 20 instead", "delete the last one") is the entry created most recently,
``ORDER BY created_at DESC, id DESC LIMIT 1`` over the user's rows. No index held that order, so
every correction read and sorted all of the user's transactions (the write policy's check, then the
tool's own): about 0.25 ms with a thousand rows, growing with the ledger. With this index both read
one entry from its end. Only an index is added: no table is rebuilt (the triggers of 0007 stay).

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_transactions_user_created", "transactions", ["user_id", "created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_transactions_user_created", table_name="transactions")
