"""The ledger: record, read, correct, delete and filter expenses and income."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from assistant.models import TxKind, TxSource
from assistant.services import transactions as tx_service
from assistant.services.common import Page
from assistant.services.transactions import TransactionPublic

from ..deps import ClockDep, CurrentUser, IdPath, PagingDep, SessionDep
from ..errors import ERROR_RESPONSES

router = APIRouter(prefix="/transactions", tags=["transactions"], responses={401: ERROR_RESPONSES[401]})

# Money is accepted as a JSON number or a decimal string; the service rounds to the cent.
AmountIn = Annotated[Decimal, Field(gt=0, le=1_000_000, examples=["12.50"])]


class TransactionIn(BaseModel):
    kind: TxKind = TxKind.EXPENSE
    amount: AmountIn
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    description: str = Field(default="", max_length=500)
    category: str | None = Field(default=None, max_length=60, description="A category name (or synonym)")
    date: dt.date | None = Field(default=None, description="Defaults to today where the user lives")
    merchant: str | None = Field(default=None, max_length=200)


class TransactionUpdate(BaseModel):
    kind: TxKind | None = None
    amount: AmountIn | None = None
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    description: str | None = Field(default=None, max_length=500)
    category: str | None = Field(default=None, max_length=60)
    date: dt.date | None = None
    merchant: str | None = Field(default=None, max_length=200, description='"" clears it')


@router.get("", response_model=Page[TransactionPublic])
def get_transactions(
    user: CurrentUser,
    session: SessionDep,
    paging: PagingDep,
    start: dt.date | None = None,
    end: dt.date | None = None,
    category: Annotated[str | None, Query(max_length=60)] = None,
    kind: TxKind | None = None,
    q: Annotated[str | None, Query(max_length=200, description="Text in description or merchant")] = None,
    merchant: Annotated[
        str | None, Query(max_length=200, description="Merchant or description contains this (any case)")
    ] = None,
) -> Page[TransactionPublic]:
    """Newest first; ``start`` and ``end`` are inclusive."""
    page = tx_service.list_transactions(
        session,
        user,
        start=start,
        end=end,
        category=category,
        kind=kind,
        q=q,
        merchant=merchant,
        limit=paging.limit,
        offset=paging.offset,
    )
    return tx_service.public_page(session, page)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=TransactionPublic)
def post_transaction(body: TransactionIn, user: CurrentUser, session: SessionDep, clock: ClockDep) -> TransactionPublic:
    tx = tx_service.add_transaction(
        session,
        user,
        source=TxSource.UI,
        clock=clock,
        **body.model_dump(),
    )
    return tx_service.public_list(session, [tx])[0]


@router.get("/{tx_id}", response_model=TransactionPublic, responses={404: ERROR_RESPONSES[404]})
def get_transaction(tx_id: IdPath, user: CurrentUser, session: SessionDep) -> TransactionPublic:
    tx = tx_service.get_transaction(session, user, tx_id)
    return tx_service.public_list(session, [tx])[0]


@router.patch("/{tx_id}", response_model=TransactionPublic, responses={404: ERROR_RESPONSES[404]})
def patch_transaction(
    tx_id: IdPath, body: TransactionUpdate, user: CurrentUser, session: SessionDep, clock: ClockDep
) -> TransactionPublic:
    """Change the fields sent; a new category also teaches the merchant memory."""
    tx = tx_service.update_transaction(session, user, tx_id, clock=clock, **body.model_dump(exclude_unset=True))
    return tx_service.public_list(session, [tx])[0]


@router.delete("/{tx_id}", status_code=status.HTTP_204_NO_CONTENT, responses={404: ERROR_RESPONSES[404]})
def delete_transaction(tx_id: IdPath, user: CurrentUser, session: SessionDep) -> None:
    tx_service.delete_transaction(session, user, tx_id)
