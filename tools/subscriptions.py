"""Subscriptions and bills: add, list, change and cancel the ones the user tracks.

Why one module: the four share the subscription's public shape (``subscriptions.to_public``)
and the renewal wording ("Netflix $15.99 on Dec 3").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from assistant.errors import InvalidInput
from assistant.models import User
from assistant.services import subscriptions as subs

from . import schemas as s
from .context import ToolContext
from .ledger import to_json
from .results import Sub, SubListResult, SubResult, SubUpdateResult
from .spec import Chip, Result, ToolSpec, date_part, money_part, read_chip
from .text import change_words, day_words, join_words, money, pick, sentences, short_day


def add_subscription(session: Session, user: User, a: s.AddSubscriptionArgs, ctx: ToolContext) -> Result:
    sub = subs.add_subscription(session, user, **a.model_dump(exclude_none=True), clock=ctx.clock)
    return {"subscription": to_json(subs.to_public(session, user, sub, clock=ctx.clock))}


def list_subscriptions(session: Session, user: User, a: s.ListSubscriptionsArgs, ctx: ToolContext) -> Result:
    page = subs.list_subscriptions(session, user, within_days=a.within_days, name=a.name, clock=ctx.clock)
    out: Result = to_json(page)
    if a.name:
        out["name"] = a.name
    return out


def cancel_subscription(session: Session, user: User, a: s.CancelSubscriptionArgs, ctx: ToolContext) -> Result:
    sub = subs.cancel_subscription(session, user, a.name, clock=ctx.clock)
    return {"subscription": to_json(subs.to_public(session, user, sub, clock=ctx.clock))}


def update_subscription(session: Session, user: User, a: s.UpdateSubscriptionArgs, ctx: ToolContext) -> Result:
    changes = a.model_dump(exclude={"name"}, exclude_none=True)
    if not changes:
        raise InvalidInput("say what to change: amount, cadence, next renewal, reminder days or category")
    sub = subs.find_subscription(session, user, a.name)
    before = subs.to_public(session, user, sub, clock=ctx.clock).model_dump(mode="json")
    assert sub.id is not None
    sub = subs.update_subscription(session, user, sub.id, clock=ctx.clock, **changes)
    after = subs.to_public(session, user, sub, clock=ctx.clock).model_dump(mode="json")
    return {"subscription": after, "before": before, "changed": sorted(changes)}


# ---------------------------------------------------------------- replies


def _item(sub: Sub, cur: str, today: dt.date | None) -> str:
    amount = money(sub.amount, sub.currency or cur)
    return f"{sub.name} {amount} {day_words(sub.next_renewal, today)}"  # "today", "tomorrow", "on Nov 30"


def _named(sub: Sub, cur: str, today: dt.date | None) -> dict[str, Any]:
    """The words every reply about one subscription fills in: its name, amount and next renewal."""
    renewal = day_words(sub.next_renewal, today).removeprefix("on ")
    return {"name": sub.name, "amount": money(sub.amount, sub.currency or cur), "when": renewal, "renewal": renewal}


def _add(args: Mapping[str, Any], res: SubResult, cur: str, seed: str, today: dt.date | None) -> str:
    sub = res.subscription
    words = _named(sub, cur, today)
    return pick("add_subscription", "ok", seed, cadence=sub.cadence, remind=sub.remind_days_before, **words)


def _list(args: Mapping[str, Any], res: SubListResult, cur: str, seed: str, today: dt.date | None) -> str:
    items = res.items
    days = args.get("within_days")
    query = res.name or args.get("name")
    if query:
        if not items:
            return pick("list_subscriptions", "none_named", seed, query=query)
        if len(items) == 1:
            sub = items[0]
            until = sub.days_until
            days_text = "today" if until == 0 else f"in {until} day{'' if until == 1 else 's'}"
            days_text = days_text if until >= 0 else f"{-until} days ago"
            return pick("list_subscriptions", "named_one", seed, days=days_text, **_named(sub, cur, today))
        return pick("list_subscriptions", "named", seed, query=query, items=join_words(
            [_item(s, cur, today) for s in items[:10]]))  # fmt: skip
    if not items:
        return pick("list_subscriptions", "none" if days is None else "none_within", seed, days=days)
    text = join_words([_item(s, cur, today) for s in items[:10]])
    count = res.total or len(items)
    return pick("list_subscriptions", "ok" if days is None else "within", seed, count=count, items=text, days=days)


def _cancel(args: Mapping[str, Any], res: SubResult, cur: str, seed: str, today: dt.date | None) -> str:
    sub = res.subscription
    sub_cur = sub.currency or cur
    return pick(
        "cancel_subscription",
        "ok",
        seed,
        name=sub.name,
        amount=money(sub.amount, sub_cur),
        cadence=sub.cadence,
        monthly=money(sub.monthly_cost, sub_cur),
    )


def _update(args: Mapping[str, Any], res: SubUpdateResult, cur: str, seed: str, today: dt.date | None) -> str:
    sub, before = res.subscription, res.before
    sub_cur = sub.currency or cur
    changes = change_words(
        res.changed,
        {
            "amount": lambda: f"{money(sub.amount, sub_cur)} (was {money(before.amount, sub_cur)})",
            "cadence": lambda: f"{sub.cadence} (was {before.cadence})",
            "next_renewal": lambda: (
                f"next renewal {short_day(sub.next_renewal)} (was {short_day(before.next_renewal)})"
            ),
            "remind_days_before": lambda: f"reminder {sub.remind_days_before} days before",
            "category": lambda: f"category {sub.category} (was {before.category})",
        },
    )
    head = pick("update_subscription", "ok", seed, name=sub.name, changes=changes)
    nxt = pick("update_subscription", "next", seed, **_named(sub, cur, today))
    return sentences(head, nxt)


# ---------------------------------------------------------------- chips


def _add_chip(res: SubResult) -> Chip:
    sub = res.subscription
    when = (" · renews ", date_part(sub.next_renewal)) if sub.next_renewal else ()
    head = (f"Added {sub.name or 'subscription'} · ", money_part(sub.amount, sub.currency), f" {sub.cadence}")
    return Chip("write", (*head, *when))


def _update_chip(res: SubUpdateResult) -> Chip:
    sub = res.subscription
    text = (f"Updated {sub.name or 'subscription'} · ", money_part(sub.amount, sub.currency), f" {sub.cadence}")
    return Chip("write", text)


SPECS = [
    ToolSpec(
        "add_subscription",
        "Track a recurring subscription and remind before it renews.",
        s.AddSubscriptionArgs,
        SubResult,
        add_subscription,
        _add,
        _add_chip,
        "add that subscription",
    ),
    ToolSpec(
        "list_subscriptions",
        "List the user's active subscriptions and bills: name, amount, next renewal (due date).",
        s.ListSubscriptionsArgs,
        SubListResult,
        list_subscriptions,
        _list,
        read_chip("Looked at subscriptions"),
        "list your subscriptions",
        read_only=True,
    ),
    ToolSpec(
        "cancel_subscription",
        "Stop tracking a subscription.",
        s.CancelSubscriptionArgs,
        SubResult,
        cancel_subscription,
        _cancel,
        lambda r: Chip("write", (f"Cancelled {r.subscription.name or 'subscription'}",)),
        "cancel that subscription",
    ),
    ToolSpec(
        "update_subscription",
        "Change a tracked subscription's price, cadence, renewal date, reminder or category.",
        s.UpdateSubscriptionArgs,
        SubUpdateResult,
        update_subscription,
        _update,
        _update_chip,
        "change that subscription",
    ),
]
