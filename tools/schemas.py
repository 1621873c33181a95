"""One pydantic argument model per contract tool: the schema a model reads and the gate it passes.

Why strict here: a model's arguments are untrusted input. Amounts are exact decimals in
(0, 1,000,000], dates ISO ``YYYY-MM-DD``, months ``YYYY-MM``; anything a model invents that is not
an argument (a ``user_id``, say) is dropped before a service sees it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"


def _money_in(value: Any) -> Any:
    """Accept '$1,200.50' and 12.5 alike; floats go through their shortest repr."""
    if isinstance(value, str):
        return value.strip().replace(",", "").lstrip("$€£")
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


def _date_in(value: Any) -> Any:
    """ISO dates only, with or without a time part a model may append."""
    if isinstance(value, str) and len(value) > 10 and value[10] in "T ":
        return value[:10]
    return value


def _tx_id_in(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("transaction_id must be a number or 'last'")
    if isinstance(value, int):
        return value
    text = str(value).strip().lstrip("#").lower()
    if text in {"last", "latest", "previous", "that", "it"}:
        return "last"
    if text.isdigit():
        return int(text)
    raise ValueError("transaction_id must be a transaction's id or 'last'")


Money = Annotated[
    Decimal,
    BeforeValidator(_money_in),
    Field(gt=0, le=1_000_000),
    WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "maximum": 1_000_000}),
]
IsoDate = Annotated[dt.date, BeforeValidator(_date_in), WithJsonSchema({"type": "string", "format": "date"})]
Month = Annotated[str, Field(pattern=MONTH_PATTERN)]
TxId = Annotated[
    int | Literal["last"],
    BeforeValidator(_tx_id_in),
    WithJsonSchema({"type": "string", "description": "a transaction id, or 'last'"}),
]
Currency = Annotated[str, Field(min_length=3, max_length=3, pattern=r"^[A-Za-z]{3}$")]
Text = Annotated[str, Field(min_length=1, max_length=200)]


class ToolArgs(BaseModel):
    """Arguments a model may set; unknown keys are ignored, never used."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class LogExpenseArgs(ToolArgs):
    amount: Money = Field(description="How much was spent, a positive decimal like 12.50.")
    description: Text = Field(description="What it was for, in a few words, e.g. 'lunch at Chipotle'.")
    category: str | None = Field(
        default=None, description="The user's expense category by display name, e.g. 'Dining'."
    )
    date: IsoDate | None = Field(default=None, description="YYYY-MM-DD in the user's time zone; default today.")
    currency: Currency | None = Field(default=None, description="ISO 4217 code; default the user's currency.")
    merchant: str | None = Field(default=None, max_length=200, description="Where, e.g. 'Chipotle'.")


class LogIncomeArgs(ToolArgs):
    amount: Money = Field(description="How much came in, a positive decimal.")
    source: Text = Field(description="Where it came from, e.g. 'salary' or 'freelance job'.")
    date: IsoDate | None = Field(default=None, description="YYYY-MM-DD; default today.")
    currency: Currency | None = Field(default=None, description="ISO 4217 code; default the user's currency.")


class LogRefundArgs(ToolArgs):
    amount: Money = Field(description="How much came back, a positive decimal like 35.99.")
    description: Text = Field(description="What was refunded, in a few words, e.g. 'headphones from Amazon'.")
    category: str | None = Field(
        default=None, description="The expense category whose spending it lowers, e.g. 'Shopping'."
    )
    date: IsoDate | None = Field(default=None, description="YYYY-MM-DD in the user's time zone; default today.")
    currency: Currency | None = Field(default=None, description="ISO 4217 code; default the user's currency.")
    merchant: str | None = Field(default=None, max_length=200, description="Who refunded it, e.g. 'Amazon'.")


class CheckPurchaseArgs(ToolArgs):
    item: Text = Field(description="What the user is thinking of buying.")
    amount: Money = Field(description="Its price, a positive decimal.")
    category: str | None = Field(default=None, description="The expense category it would fall under.")


class BudgetSummaryArgs(ToolArgs):
    month: Month | None = Field(default=None, description="YYYY-MM; default this month.")
    category: str | None = Field(default=None, description="Only this category.")


class SpendingSummaryArgs(ToolArgs):
    start: IsoDate = Field(description="First day, YYYY-MM-DD.")
    end: IsoDate = Field(description="Last day, YYYY-MM-DD (inclusive).")
    category: str | None = Field(default=None, description="Only this category.")
    merchant: str | None = Field(
        default=None,
        max_length=200,
        description="Only where the merchant or description contains this, e.g. 'Starbucks'.",
    )


class SetBudgetArgs(ToolArgs):
    category: Text = Field(description="The expense category by display name.")
    amount: Money = Field(description="The monthly limit, a positive decimal.")
    month: Month | None = Field(default=None, description="YYYY-MM for one month; omit for every month from now.")


class AddSubscriptionArgs(ToolArgs):
    name: Text = Field(description="The service, e.g. 'Netflix'.")
    amount: Money = Field(description="What each renewal costs.")
    cadence: Literal["weekly", "monthly", "quarterly", "yearly"] = Field(description="How often it renews.")
    next_renewal: IsoDate | None = Field(default=None, description="Next renewal date, YYYY-MM-DD.")
    remind_days_before: int = Field(default=7, ge=0, le=365, description="Days of notice before renewal.")
    category: str | None = Field(default=None, description="Expense category; default Subscriptions.")


class ListSubscriptionsArgs(ToolArgs):
    within_days: int | None = Field(default=None, ge=0, le=3660, description="Only those renewing this soon.")
    name: str | None = Field(
        default=None, max_length=120, description="Only those whose name contains this, e.g. 'water' for a bill."
    )


class CancelSubscriptionArgs(ToolArgs):
    name: Text = Field(description="The subscription's name (or id).")


class ListTransactionsArgs(ToolArgs):
    start: IsoDate | None = Field(default=None, description="From this day, YYYY-MM-DD.")
    end: IsoDate | None = Field(default=None, description="To this day, YYYY-MM-DD (inclusive).")
    category: str | None = Field(default=None, description="Only this category.")
    limit: int = Field(default=20, ge=1, le=100, description="At most this many, newest first (1-100).")
    merchant: str | None = Field(
        default=None, max_length=200, description="Only where the merchant or description contains this."
    )


class UpdateTransactionArgs(ToolArgs):
    transaction_id: TxId = Field(description="The transaction's id, or 'last' for the one just logged.")
    amount: Money | None = Field(default=None, description="The corrected amount.")
    category: str | None = Field(default=None, description="The corrected category (teaches merchant memory).")
    date: IsoDate | None = Field(default=None, description="The corrected date, YYYY-MM-DD.")
    description: str | None = Field(default=None, max_length=200, description="The corrected description.")


class DeleteTransactionArgs(ToolArgs):
    transaction_id: TxId = Field(description="The transaction's id, or 'last' for the one just logged.")


class SetGoalArgs(ToolArgs):
    name: Text = Field(description="The goal, e.g. 'Emergency fund'.")
    target_amount: Money = Field(description="How much to save in total.")
    target_date: IsoDate | None = Field(default=None, description="By when, YYYY-MM-DD.")


class GoalProgressArgs(ToolArgs):
    name: str | None = Field(default=None, max_length=200, description="One goal by name; omit for all.")


class GetInsightsArgs(ToolArgs):
    month: Month | None = Field(default=None, description="YYYY-MM; default this month.")


# ---------------------------------------------------------------- the tools people asked for (issue 10)

RateValue = Annotated[
    Decimal,
    BeforeValidator(_money_in),
    Field(gt=0, le=1_000_000),
    WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "maximum": 1_000_000}),
]


class ContributeToGoalArgs(ToolArgs):
    name: Text = Field(description="The goal, by name, e.g. 'Emergency fund'.")
    amount: Money = Field(description="How much to add to the goal's savings.")


class UpdateSubscriptionArgs(ToolArgs):
    name: Text = Field(description="The subscription to change, e.g. 'Netflix'.")
    amount: Money | None = Field(default=None, description="The new price of each renewal.")
    cadence: Literal["weekly", "monthly", "quarterly", "yearly"] | None = Field(
        default=None, description="How often it now renews."
    )
    next_renewal: IsoDate | None = Field(default=None, description="The next renewal date, YYYY-MM-DD.")
    remind_days_before: int | None = Field(default=None, ge=0, le=60, description="Days of notice before renewal.")
    category: str | None = Field(default=None, max_length=60, description="The expense category it belongs to.")


class SetExchangeRateArgs(ToolArgs):
    currency: Currency = Field(description="ISO 4217 code of the foreign currency, e.g. 'EUR'.")
    rate: RateValue = Field(description="Units of the user's currency per one unit of `currency`, e.g. 1.08.")


class MoveBudgetArgs(ToolArgs):
    from_category: Text = Field(description="The expense category that gives budget.")
    to_category: Text = Field(description="The expense category that receives it.")
    amount: Money = Field(description="How much budget to move.")
    month: Month | None = Field(default=None, description="YYYY-MM; default this month.")


class SetMonthlyIncomeArgs(ToolArgs):
    amount: Money = Field(description="The user's usual income per month.")


class CreateCategoryArgs(ToolArgs):
    name: Annotated[str, Field(min_length=1, max_length=60)] = Field(description="The new category's name.")
    kind: Literal["expense", "income"] = Field(default="expense", description="'expense' or 'income'.")
    necessity_score: int = Field(default=5, ge=1, le=10, description="1 (a luxury) to 10 (essential).")
