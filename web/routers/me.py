"""The signed-in user's profile and preferences."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from assistant.models import UserPublic
from assistant.services.currency import CurrencyChange, change_home_currency
from assistant.services.users import update_profile

from ..deps import CurrentUser, SessionDep
from ..errors import ERROR_RESPONSES

router = APIRouter(prefix="/me", tags=["me"], responses={401: ERROR_RESPONSES[401]})


class UserSettingsIn(BaseModel):
    """Preferences the UI and the scheduler read; unknown keys are refused, not stored blindly."""

    model_config = ConfigDict(extra="forbid")

    theme: Literal["light", "dark", "system"] | None = None
    remind_days_before: int | None = Field(default=None, ge=0, le=365, description="Default for new subscriptions")
    email_reminders: bool | None = None
    speak_replies: bool | None = None
    locale: str | None = Field(default=None, max_length=20)


class MeUpdate(BaseModel):
    display_name: str | None = Field(default=None, max_length=100)
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    timezone: str | None = Field(default=None, max_length=64)
    settings: UserSettingsIn | None = None


@router.get("", response_model=UserPublic)
def read_me(user: CurrentUser) -> UserPublic:
    return UserPublic.model_validate(user)


@router.patch("", response_model=UserPublic)
def update_me(body: MeUpdate, user: CurrentUser, session: SessionDep) -> UserPublic:
    """Change name, currency, time zone or preferences; omitted fields keep their value."""
    settings = body.settings.model_dump(exclude_none=True) if body.settings else None
    if body.currency is not None:
        # The ledger follows the currency (converted by a known rate, else left pending and said).
        change_home_currency(session, user, body.currency)
    update_profile(
        session,
        user,
        display_name=body.display_name,
        timezone=body.timezone,
        settings=settings,
    )
    return UserPublic.model_validate(user)


class CurrencyIn(BaseModel):
    currency: str = Field(min_length=3, max_length=3)
    rate: Decimal | None = Field(
        default=None, gt=0, le=1_000_000, description="Units of the new currency per one unit of the old"
    )


@router.post("/currency", response_model=CurrencyChange)
def change_currency(body: CurrencyIn, user: CurrentUser, session: SessionDep) -> CurrencyChange:
    """Change the home currency: amounts, budgets and rates convert at ``rate`` (or at a rate
    already set for the new currency); without either, the answer says what is left out."""
    return change_home_currency(session, user, body.currency, body.rate)
