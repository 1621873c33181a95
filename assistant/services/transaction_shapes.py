"""A transaction as REST answers it and tools report it (``TransactionPublic``), and the
helpers that turn rows into it with their category names in one query.
``assistant.services.transactions`` re-exports these names.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, col, select

from ..models import Category, Transaction, TxKind, TxSource
from .categories import known_names
from .common import Page


class TransactionPublic(BaseModel):
    """A transaction as REST answers it and tools report it (money as a decimal string in JSON)."""

    id: int
    kind: TxKind
    amount: Decimal
    currency: str
    date: dt.date
    description: str
    merchant: str | None = None
    category: str | None = None
    category_id: int | None = None
    source: TxSource
    subscription_id: int | None = None
    home_amount: Decimal | None = None  # in the user's currency, fixed when recorded; None: no rate yet
    fx_rate: Decimal | None = None
    created_at: dt.datetime
    updated_at: dt.datetime


# Held here: pydantic keeps parametrized generics only weakly and rebuilt this per call.
_TxPublicPage = Page[TransactionPublic]


def to_public(tx: Transaction, category_name: str | None) -> TransactionPublic:
    assert tx.id is not None
    return TransactionPublic(
        id=tx.id,
        kind=tx.kind,
        amount=tx.amount,
        currency=tx.currency,
        date=tx.date,
        description=tx.description,
        merchant=tx.merchant,
        category=category_name,
        category_id=tx.category_id,
        source=tx.source,
        subscription_id=tx.subscription_id,
        home_amount=tx.home_amount,
        fx_rate=tx.fx_rate,
        created_at=tx.created_at,
        updated_at=tx.updated_at,
    )


def transaction_dict(tx: Transaction, category_name: str | None) -> dict[str, Any]:
    """The JSON form (money as a decimal string) that tool results and undo messages use."""
    return to_public(tx, category_name).model_dump(mode="json")


def category_names(session: Session, txs: list[Transaction]) -> dict[int, str]:
    """Names of the categories these transactions use, in one query (no N+1)."""
    ids = {tx.category_id for tx in txs if tx.category_id is not None}
    if not ids:
        return {}
    owners = {tx.user_id for tx in txs}
    if len(owners) == 1 and (known := known_names(session, owners.pop(), ids)) is not None:
        return known  # the turn's copy of the user's categories
    rows = session.exec(select(Category.id, Category.name).where(col(Category.id).in_(ids))).all()
    return {int(cid): name for cid, name in rows if cid is not None}


def public_list(session: Session, txs: list[Transaction]) -> list[TransactionPublic]:
    names = category_names(session, txs)
    return [to_public(tx, names.get(tx.category_id) if tx.category_id else None) for tx in txs]


def public_page(session: Session, page: Page[Transaction]) -> Page[TransactionPublic]:
    return _TxPublicPage(items=public_list(session, page.items), total=page.total)
