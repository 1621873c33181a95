"""The ledger tests' shared readings: every row as plain values, the row count, a new user."""

from __future__ import annotations

import uuid

from sqlalchemy import func
from sqlmodel import Session, select

from assistant.models import Transaction, User
from assistant.services.transactions import list_transactions, public_page
from assistant.services.users import create_user


def rows_of(session: Session, user: User) -> list[tuple[object, ...]]:
    """Every transaction of the user as comparable values (no ids, sources or timestamps)."""
    page = public_page(session, list_transactions(session, user, limit=500))
    return sorted(
        (t.date, t.kind.value, t.amount, t.currency, t.category, t.description, t.merchant) for t in page.items
    )


def count(session: Session, user: User) -> int:
    return session.exec(select(func.count()).select_from(Transaction).where(Transaction.user_id == user.id)).one()


def fresh_user(session: Session, **kw: object) -> User:
    return create_user(session, email=f"imp-{uuid.uuid4().hex[:8]}@example.com", **kw)  # type: ignore[arg-type]
