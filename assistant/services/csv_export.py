"""The user's ledger exported as CSV (re-importable with ``csv_io.import_csv``) or JSON.
``assistant.services.csv_io`` re-exports these names."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from sqlmodel import Session, col, select

from ..models import Transaction, User
from .common import as_date
from .csv_cells import escape_text
from .transaction_shapes import TransactionPublic, public_list

EXPORT_HEADER = ("date", "kind", "amount", "currency", "category", "description", "merchant", "source", "id")


def _export_rows(
    session: Session, user: User, start: dt.date | str | None, end: dt.date | str | None
) -> list[TransactionPublic]:
    stmt = select(Transaction).where(Transaction.user_id == user.id)
    if start not in (None, ""):
        stmt = stmt.where(col(Transaction.date) >= as_date(start, field="start", timezone=user.timezone))
    if end not in (None, ""):
        stmt = stmt.where(col(Transaction.date) <= as_date(end, field="end", timezone=user.timezone))
    txs = list(session.exec(stmt.order_by(col(Transaction.date), col(Transaction.id))).all())
    return public_list(session, txs)


def export_csv(
    session: Session, user: User, *, start: dt.date | str | None = None, end: dt.date | str | None = None
) -> str:
    """The user's transactions (oldest first) as CSV; re-importable with ``import_csv``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_HEADER)
    for tx in _export_rows(session, user, start, end):
        writer.writerow(
            [
                tx.date.isoformat(),
                tx.kind.value,
                f"{tx.amount:.2f}",
                tx.currency,
                escape_text(tx.category or ""),
                escape_text(tx.description),
                escape_text(tx.merchant or ""),
                tx.source.value,
                tx.id,
            ]
        )
    return out.getvalue()


def export_json(
    session: Session, user: User, *, start: dt.date | str | None = None, end: dt.date | str | None = None
) -> str:
    """The user's transactions (oldest first) as a JSON list, money as decimal strings."""
    rows = [tx.model_dump(mode="json") for tx in _export_rows(session, user, start, end)]
    return json.dumps(rows, ensure_ascii=False, indent=2)
