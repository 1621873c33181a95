"""Advice that records nothing: can I afford this purchase, and how is my month going.

Why apart from budgets: both read many services (purchase rules, insights, the month's
check-up) and their replies are the longest; every figure they say is in the result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from assistant.models import User

from . import schemas as s
from .context import ToolContext
from .ledger import to_json
from .results import Checkup, InsightsResult, PurchaseResult
from .spec import Chip, Result, ToolSpec, read_chip
from .text import join_words, money, month_words, pct, pick, sentences


def check_purchase(session: Session, user: User, a: s.CheckPurchaseArgs, ctx: ToolContext) -> Result:
    from assistant.services.purchase import check_purchase as check

    verdict = check(session, user, item=a.item, amount=a.amount, category=a.category, clock=ctx.clock)
    return {"item": a.item, "amount": str(a.amount), **to_json(verdict)}


def get_insights(session: Session, user: User, a: s.GetInsightsArgs, ctx: ToolContext) -> Result:
    from assistant.services.checkup import month_checkup
    from assistant.services.insights import get_insights as insights

    out: Result = to_json(insights(session, user, a.month, clock=ctx.clock))
    checkup = month_checkup(session, user, a.month, clock=ctx.clock)
    out["checkup"] = to_json(checkup)  # so far vs the same days last month, and where to cut
    return out


# ---------------------------------------------------------------- replies


def _purchase(args: Mapping[str, Any], res: PurchaseResult, cur: str, seed: str, today: dt.date | None) -> str:
    decision = res.decision if res.decision in ("buy", "wait", "dont_buy") else "wait"
    head = pick(
        "check_purchase",
        decision,
        seed,
        item=res.item or args.get("item") or "that",
        amount=money(res.amount if res.amount is not None else args.get("amount"), cur),
        reason=res.reason.strip(),
    )
    alts = [a.text.rstrip(".") for a in res.alternatives if a.text][:3]
    tail = pick("check_purchase", "alternatives", seed, alternatives="; ".join(alts)) if alts else ""
    return sentences(head, tail)


def _checkup(check: Checkup, res: InsightsResult, cur: str, seed: str) -> list[str]:
    """The check-up's sentences: so far against the same days of last month, top categories, cuts."""
    pace = check.pace
    spent, prev = pace.this_period.total, pace.last_period.total
    month = month_words(check.month)
    if spent == 0:
        return [pick("get_insights", "nothing", seed, month=month)]
    change = pace.change
    section = "pace_new" if prev == 0 else "pace_up" if change > 0 else "pace_down" if change < 0 else "pace_same"
    out = [
        pick(
            "get_insights",
            section,
            seed,
            month=month,
            spent=money(spent, cur),
            days=pace.days,
            change=money(abs(change), cur),
            change_pct=pct(abs(pace.change_pct or Decimal(0))),
            last_month=month_words(str(pace.last_period.start or "")[:7]),
            before=money(prev, cur),
        )
    ]
    tops = [f"{t.category} {money(t.spent, cur)}" for t in res.top_categories[:3]]
    if tops:
        out.append(pick("get_insights", "top", seed, top=join_words(tops)))
    cuts = [
        f"{c.category} ({money(c.spent, cur)}; cutting it by a fifth saves {money(c.trim_saves, cur)})"
        for c in check.where_to_cut
    ]
    if cuts:
        out.append(pick("get_insights", "cut", seed, cuts=join_words(cuts)))
    return out


def _insights(args: Mapping[str, Any], res: InsightsResult, cur: str, seed: str, today: dt.date | None) -> str:
    cur = res.currency or cur
    texts = [t.rstrip(".") + "." for t in res.tips if t and not t.startswith("No spending recorded")][:4]
    raw_month = res.month or str(args.get("month") or "")
    month = month_words(raw_month)
    head = _checkup(res.checkup, res, cur, seed) if res.checkup is not None else []
    if not texts:
        if head:
            return sentences(*head)
        past = today is not None and bool(raw_month) and raw_month < today.strftime("%Y-%m")
        return pick("get_insights", "none_past" if past else "none", seed, month=month)
    return sentences(*head, pick("get_insights", "ok", seed, month=month, items=" ".join(texts)))


DECISION = {"buy": "buy", "wait": "wait", "dont_buy": "don't buy"}


def _purchase_chip(res: PurchaseResult) -> Chip:
    return Chip("read", (f"Checked {res.item or 'purchase'}: {DECISION.get(res.decision, res.decision or '?')}",))


SPECS = [
    ToolSpec(
        "check_purchase",
        "Advise whether a planned purchase fits the budget. Records nothing.",
        s.CheckPurchaseArgs,
        PurchaseResult,
        check_purchase,
        _purchase,
        _purchase_chip,
        "check that purchase",
        read_only=True,
    ),
    ToolSpec(
        "get_insights",
        "How the month is going: spending so far vs the same days last month, top categories, "
        "overspending, where to cut, tips.",
        s.GetInsightsArgs,
        InsightsResult,
        get_insights,
        _insights,
        read_chip("Looked for insights"),
        "look at your month",
        read_only=True,
    ),
]
