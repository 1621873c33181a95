"""Should I buy it? A read-only check of a purchase against budgets, goals and necessity."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from assistant.services.purchase import PurchaseCheck, check_purchase

from ..deps import ClockDep, CurrentUser, SessionDep
from ..errors import ERROR_RESPONSES
from .transactions import AmountIn

router = APIRouter(prefix="/purchase-check", tags=["purchase"], responses={401: ERROR_RESPONSES[401]})


class PurchaseIn(BaseModel):
    item: str = Field(min_length=1, max_length=200)
    amount: AmountIn
    category: str | None = Field(default=None, max_length=60)


@router.post("", response_model=PurchaseCheck)
def purchase_check(body: PurchaseIn, user: CurrentUser, session: SessionDep, clock: ClockDep) -> PurchaseCheck:
    """Never records anything: the answer is advice, the ledger stays as it was."""
    return check_purchase(session, user, item=body.item, amount=body.amount, category=body.category, clock=clock)
