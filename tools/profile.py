"""The user's setup: exchange rates, the usual monthly income and new categories.

Why together: none touches the ledger's rows; each sets something later figures are read
against (a rate for foreign amounts, income for the month's room, a category to file under).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from assistant.models import CategoryKind, CategoryPublic, User
from assistant.services import categories, currency, income

from . import schemas as s
from .context import ToolContext
from .results import CategoryResult, IncomeResult, RateResult
from .spec import Chip, Result, ToolSpec, money_part
from .text import money, month_words, pick, sentences


def set_exchange_rate(session: Session, user: User, a: s.SetExchangeRateArgs, ctx: ToolContext) -> Result:
    row = currency.set_rate(session, user, a.currency, a.rate)
    return {"currency": row.currency, "rate": str(row.rate), "base": user.currency}


def set_monthly_income(session: Session, user: User, a: s.SetMonthlyIncomeArgs, ctx: ToolContext) -> Result:
    income.set_monthly_income(session, user, a.amount)
    return income.income_overview(session, user, clock=ctx.clock).model_dump(mode="json")  # type: ignore[no-any-return]


def create_category(session: Session, user: User, a: s.CreateCategoryArgs, ctx: ToolContext) -> Result:
    cat = categories.create_category(
        session, user, name=a.name, kind=CategoryKind(a.kind), necessity_score=a.necessity_score
    )
    return {"category": CategoryPublic.model_validate(cat).model_dump(mode="json")}


def _set_rate(args: Mapping[str, Any], res: RateResult, cur: str, seed: str, today: dt.date | None) -> str:
    return pick("set_exchange_rate", "ok", seed, currency=res.currency, rate=res.rate, base=res.base)


def _set_income(args: Mapping[str, Any], res: IncomeResult, cur: str, seed: str, today: dt.date | None) -> str:
    cur = res.currency or cur
    head = pick("set_monthly_income", "ok", seed, income=money(res.monthly_income, cur))
    section = "received" if res.received > 0 else "none_received"
    tail = pick("set_monthly_income", section, seed, month=month_words(res.month), received=money(res.received, cur),
                spent=money(res.spent, cur))  # fmt: skip
    return sentences(head, tail)


def _create_category(args: Mapping[str, Any], res: CategoryResult, cur: str, seed: str, today: dt.date | None) -> str:
    cat = res.category
    head = pick("create_category", "ok", seed, kind=cat.kind, name=cat.name, score=cat.necessity_score)
    hint = pick("create_category", "expense_hint", seed, name=cat.name) if cat.kind == "expense" else ""
    return sentences(head, hint)


SPECS = [
    ToolSpec(
        "set_exchange_rate",
        "Set how many units of the user's currency one unit of a foreign currency is worth.",
        s.SetExchangeRateArgs,
        RateResult,
        set_exchange_rate,
        _set_rate,
        lambda r: Chip("write", (f"Rate 1 {r.currency} = {r.rate} {r.base}",)),
        "set that exchange rate",
    ),
    ToolSpec(
        "set_monthly_income",
        "Record the user's usual monthly income (not a transaction).",
        s.SetMonthlyIncomeArgs,
        IncomeResult,
        set_monthly_income,
        _set_income,
        lambda r: Chip("write", ("Monthly income ", money_part(r.monthly_income, r.currency))),
        "save your monthly income",
        writes_user=True,
    ),
    ToolSpec(
        "create_category",
        "Create a new spending (or income) category.",
        s.CreateCategoryArgs,
        CategoryResult,
        create_category,
        _create_category,
        lambda r: Chip("write", (f"New category {r.category.name}",)),
        "create that category",
    ),
]
