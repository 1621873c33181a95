"""Replies written from tool results: exact numbers, the user's currency, varied wording.

Why templates and not a model: the local engine must never invent a number, so every figure in
a reply is read from the tool result and formatted with ``assistant.money.fmt``. Wording lives
in ``prompts/replies/<tool>.txt``: ``[section]`` headers, one wording per line (picked by the
turn's seed, so a replay gives the same text), ``#`` comments.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any

from ..money import fmt

ACTIONS = {
    "log_expense": "log that expense",
    "log_income": "log that income",
    "log_refund": "record that refund",
    "check_purchase": "check that purchase",
    "budget_summary": "get your budget summary",
    "spending_summary": "sum up your spending",
    "set_budget": "set that budget",
    "add_subscription": "add that subscription",
    "list_subscriptions": "list your subscriptions",
    "cancel_subscription": "cancel that subscription",
    "list_transactions": "list your transactions",
    "update_transaction": "change that transaction",
    "delete_transaction": "delete that transaction",
    "set_goal": "set that goal",
    "goal_progress": "check your goals",
    "get_insights": "look at your month",
    "set_reminder": "set that reminder",
    "snooze_reminder": "snooze that reminder",
    "dismiss_reminder": "dismiss that reminder",
    "contribute_to_goal": "add to that goal",
    "update_subscription": "change that subscription",
    "set_exchange_rate": "set that exchange rate",
    "move_budget": "move that budget",
    "set_monthly_income": "save your monthly income",
    "create_category": "create that category",
}


@cache
def templates(tool: str) -> dict[str, tuple[str, ...]]:
    """The wordings of one tool's file, by section (read once per process)."""
    try:
        text = resources.files("prompts").joinpath("replies", f"{tool}.txt").read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    sections: dict[str, list[str]] = {}
    current = "ok"
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
            sections.setdefault(current, [])
            continue
        sections.setdefault(current, []).append(line)
    return {k: tuple(v) for k, v in sections.items() if v}


def pick(tool: str, section: str, seed: str, **values: Any) -> str:
    """One wording of ``tool``'s ``section`` (chosen by ``seed``), filled in; '' when absent."""
    options = templates(tool).get(section)
    if not options:
        return ""
    idx = zlib.crc32(f"{seed}|{tool}|{section}".encode()) % len(options)
    return options[idx].format_map(values)


# ---------------------------------------------------------------- formatting helpers


def dec(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def money(value: Any, currency: str) -> str:
    amount = dec(value)
    return fmt(amount, currency) if amount is not None else "?"


def pct(value: Any) -> str:
    number = dec(value)
    return "?" if number is None else f"{number.quantize(Decimal('1'))}%"


def day_words(iso: Any, today: dt.date | None) -> str:
    """'today', 'yesterday', 'on Friday', or 'on Nov 3, 2025'."""
    try:
        day = dt.date.fromisoformat(str(iso)[:10])
    except ValueError:
        return str(iso)
    if today is not None:
        delta = (today - day).days
        if delta == 0:
            return "today"
        if delta == 1:
            return "yesterday"
        if delta == -1:
            return "tomorrow"
        if 1 < delta < 7:
            return f"on {day:%A}"
    if today is not None and day.year == today.year:
        return f"on {day:%b} {day.day}"
    return f"on {day:%b} {day.day}, {day.year}"


def short_day(iso: Any) -> str:
    try:
        day = dt.date.fromisoformat(str(iso)[:10])
    except ValueError:
        return str(iso)
    return f"{day:%b} {day.day}"


def month_words(month: Any) -> str:
    try:
        first = dt.date.fromisoformat(f"{str(month)[:7]}-01")
    except ValueError:
        return str(month)
    return f"{first:%B %Y}"


def what_of(tx: Mapping[str, Any]) -> str:
    """'lunch at Chipotle': the description, with the merchant when it adds something."""
    desc = str(tx.get("description") or "").strip()
    merchant = str(tx.get("merchant") or "").strip()
    if merchant and merchant.lower() not in desc.lower():
        return f"{desc} at {merchant}" if desc else merchant
    return desc or merchant or "that"


def join_words(items: Sequence[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def shop_name(query: str, items: Sequence[Mapping[str, Any]]) -> str:
    """How to write a merchant the user typed: as the ledger spells it, else capitalised if typed lower case."""
    key = query.strip().lower()
    for tx in items:
        found = str(tx.get("merchant") or "")
        if found.lower() == key:
            return found
    words = query.split()
    return (
        " ".join(w.capitalize() for w in words)
        if query.islower() and all(w.isalpha() for w in words)
        else query.strip()
    )


def sentences(*parts: str) -> str:
    """Parts joined into sentences, each starting with a capital letter."""
    out = [p.strip() for p in parts if p and p.strip()]
    return " ".join(p[0].upper() + p[1:] for p in out)


# ---------------------------------------------------------------- one writer per tool

Writer = Callable[[Mapping[str, Any], Mapping[str, Any], str, str, "dt.date | None"], str]


def _budget_part(tool: str, budget: Mapping[str, Any] | None, currency: str, seed: str) -> str:
    """'$187.50 left in Dining this month.' from the budget line a write tool returned."""
    if not budget:
        return ""
    period = "this month" if budget.get("this_month", True) else f"in {month_words(budget.get('month'))}"
    remaining = dec(budget.get("remaining")) or Decimal(0)
    values = {
        "category": budget.get("category", ""),
        "remaining": money(budget.get("remaining"), currency),
        "budget": money(budget.get("budget"), currency),
        "over": money(-remaining, currency),
        "percent": pct(budget.get("percent_used")),
        "period": period,
    }
    section = {"over": "over", "warning": "warning"}.get(str(budget.get("status")), "left")
    if remaining < 0:
        section = "over"
    return pick("log_expense", section, seed, **values)


def rate_question(tx: Mapping[str, Any], cur: str) -> str:
    """Asked when a foreign amount was recorded with no rate: totals leave it out until one is set."""
    code = str(tx.get("currency") or cur)
    if code == cur or tx.get("home_amount") is not None or "home_amount" not in tx:
        return ""
    try:
        from babel.numbers import get_currency_name

        one = get_currency_name(code, count=1, locale="en").lower()
        many = get_currency_name(cur, count=2, locale="en")
    except Exception:  # an odd code: say it by its code
        one, many = code, cur
    return (
        f"I have no {code} rate yet, so totals leave it out for now. "
        f"What's a {one} worth in {many}? Tell me (“1 {code} is 1.08 {cur}”) and I'll remember it."
    )


def _logged(tool: str, default_category: str, *, with_budget: bool) -> Writer:
    """The reply writer of a tool that records one transaction (expense, income, refund): the row in
    words, what is left of its budget where it touches one, and the rate question for a foreign amount."""

    def write(args: Mapping[str, Any], res: Mapping[str, Any], cur: str, seed: str, today: dt.date | None) -> str:
        tx = res.get("transaction") or {}
        head = pick(
            tool,
            "ok",
            seed,
            amount=money(tx.get("amount"), str(tx.get("currency") or cur)),
            what=what_of(tx),
            category=tx.get("category") or default_category,
            when=day_words(tx.get("date"), today),
        )
        budget = _budget_part("log_expense", res.get("budget"), cur, seed) if with_budget else ""
        return sentences(head, budget, rate_question(tx, cur))

    return write


_log_expense = _logged("log_expense", "Other", with_budget=True)
_log_income = _logged("log_income", "Other income", with_budget=False)
_log_refund = _logged("log_refund", "Other", with_budget=True)


def _update(args: Mapping[str, Any], res: Mapping[str, Any], cur: str, seed: str, today: dt.date | None) -> str:
    tx, before = res.get("transaction") or {}, res.get("before") or {}
    tx_cur = str(tx.get("currency") or cur)
    changes: list[str] = []
    for key in res.get("changed") or []:
        if key == "amount":
            changes.append(f"amount {money(tx.get('amount'), tx_cur)} (was {money(before.get('amount'), tx_cur)})")
        elif key == "category":
            changes.append(f"category {tx.get('category')} (was {before.get('category')})")
        elif key == "date":
            changes.append(f"date {short_day(tx.get('date'))} (was {short_day(before.get('date'))})")
        elif key == "description":
            changes.append(f"description {tx.get('description')!r}")
    head = pick("update_transaction", "ok", seed, what=what_of(before), changes=join_words(changes))
    learned = ""
    if "category" in (res.get("changed") or []) and tx.get("category") != before.get("category"):
        merchant = tx.get("merchant") or tx.get("description")
        if merchant:
            learned = pick("update_transaction", "learned", seed, merchant=merchant, category=tx.get("category"))
    return sentences(head, learned, _budget_part("log_expense", res.get("budget"), cur, seed))


def _delete(args: Mapping[str, Any], res: Mapping[str, Any], cur: str, seed: str, today: dt.date | None) -> str:
    tx = res.get("deleted") or {}
    return pick(
        "delete_transaction",
        "ok",
        seed,
        amount=money(tx.get("amount"), str(tx.get("currency") or cur)),
        what=what_of(tx),
        when=day_words(tx.get("date"), today).removeprefix("on "),
    )


def _purchase(args: Mapping[str, Any], res: Mapping[str, Any], cur: str, seed: str, today: dt.date | None) -> str:
    decision = str(res.get("decision") or "wait")
    head = pick(
        "check_purchase",
        decision if decision in ("buy", "wait", "dont_buy") else "wait",
        seed,
        item=res.get("item") or args.get("item") or "that",
        amount=money(res.get("amount") or args.get("amount"), cur),
        reason=str(res.get("reason") or "").strip(),
    )
    alts = [str(a.get("text") or "") if isinstance(a, Mapping) else str(a) for a in res.get("alternatives") or []]
    alts = [a.rstrip(".") for a in alts if a][:3]
    tail = pick("check_purchase", "alternatives", seed, alternatives="; ".join(alts)) if alts else ""
    return sentences(head, tail)


def _budget_summary(args: Mapping[str, Any], res: Mapping[str, Any], cur: str, seed: str, today: dt.date | None) -> str:
    cur = str(res.get("currency") or cur)
    month = month_words(res.get("month"))
    lines = list(res.get("categories") or [])
    if args.get("category"):
        if not lines:  # the summary was filtered to this category, so its expenses are the category's
            named = [u.get("category") for u in res.get("unbudgeted") or []]
            return pick("budget_summary", "no_category", seed, category=named[0] if named else args["category"],
                        month=month, spent=money(res.get("total_expenses", "0"), cur))  # fmt: skip
        line = lines[0]
        remaining = dec(line.get("remaining")) or Decimal(0)
        values = {
            "category": line.get("category"),
            "month": month,
            "spent": money(line.get("spent"), cur),
            "budget": money(line.get("budget"), cur),
            "remaining": money(line.get("remaining"), cur),
            "over": money(-remaining, cur),
            "percent": pct(line.get("percent_used")),
        }
        return pick("budget_summary", "category_over" if remaining < 0 else "category", seed, **values)
    if not lines:
        return pick("budget_summary", "none", seed, month=month, spent=money(res.get("total_expenses", "0"), cur))
    remaining = dec(res.get("total_remaining")) or Decimal(0)
    head = pick(
        "budget_summary",
        "total_over" if remaining < 0 else "total",
        seed,
        month=month,
        spent=money(res.get("total_spent"), cur),
        budget=money(res.get("total_budget"), cur),
        remaining=money(res.get("total_remaining"), cur),
        over=money(-remaining, cur),
    )
    over = [str(n) for n in res.get("overspent") or []]
    tail = pick("budget_summary", "overspent", seed, names=join_words(over)) if over else ""
    return sentences(head, tail)


def _spending(args: Mapping[str, Any], res: Mapping[str, Any], cur: str, seed: str, today: dt.date | None) -> str:
    cur = str(res.get("currency") or cur)
    values = {
        "start": short_day(res.get("start")),
        "end": short_day(res.get("end")),
        "total": money(res.get("total"), cur),
    }
    if res.get("merchant"):
        section = "merchant" if res.get("count") else "none_merchant"
        shop = shop_name(res["merchant"], [])
        return pick("spending_summary", section, seed, merchant=shop, count=res.get("count", 0), **values)
    if not res.get("count"):
        if res.get("category"):
            return pick("spending_summary", "none_category", seed, category=res["category"], **values)
        return pick("spending_summary", "none", seed, **values)
    if res.get("category"):
        return pick("spending_summary", "category", seed, category=res["category"], **values)
    head = pick("spending_summary", "ok", seed, **values)
    tops = [f"{r.get('category')} {money(r.get('amount'), cur)}" for r in (res.get("by_category") or [])[:3]]
    top = pick("spending_summary", "top", seed, top=join_words(tops)) if tops else ""
    change = dec(res.get("change_pct"))
    trend = ""
    if change is not None and change != 0:
        section = "change_up" if change > 0 else "change_down"
        trend = pick("spending_summary", section, seed, change=pct(abs(change)))
    return sentences(head, top, trend)


def _set_budget(args: Mapping[str, Any], res: Mapping[str, Any], cur: str, seed: str, today: dt.date | None) -> str:
    line = res.get("budget") or {}
    return pick(
        "set_budget",
        "standing" if line.get("standing", True) else "month",
        seed,
        category=line.get("category"),
        amount=money(line.get("amount"), str(line.get("currency") or cur)),
        month=month_words(line.get("month")),
    )


def _sub_item(sub: Mapping[str, Any], cur: str, today: dt.date | None) -> str:
    amount = money(sub.get("amount"), str(sub.get("currency") or cur))
    when = day_words(sub.get("next_renewal"), today)  # "today", "tomorrow", "on Nov 30"
    return f"{sub.get('name')} {amount} {when}"


def _add_sub(args: Mapping[str, Any], res: Mapping[str, Any], cur: str, seed: str, today: dt.date | None) -> str:
    sub = res.get("subscription") or {}
    return pick(
        "add_subscription",
        "ok",
        seed,
        name=sub.get("name"),
        amount=money(sub.get("amount"), str(sub.get("currency") or cur)),
        cadence=sub.get("cadence"),
        renewal=day_words(sub.get("next_renewal"), today).removeprefix("on "),
        remind=sub.get("remind_days_before"),
    )


def _list_subs(args: Mapping[str, Any], res: Mapping[str, Any], cur: str, seed: str, today: dt.date | None) -> str:
    items = list(res.get("items") or [])
    days = args.get("within_days")
    query = res.get("name") or args.get("name")
    if query:
        if not items:
            return pick("list_subscriptions", "none_named", seed, query=query)
        if len(items) == 1:
            sub = items[0]
            until = int(sub.get("days_until") or 0)
            days_text = "today" if until == 0 else f"in {until} day{'' if until == 1 else 's'}"
            return pick(
                "list_subscriptions",
                "named_one",
                seed,
                name=sub.get("name"),
                amount=money(sub.get("amount"), str(sub.get("currency") or cur)),
                when=day_words(sub.get("next_renewal"), today).removeprefix("on "),
                days=days_text if until >= 0 else f"{-until} days ago",
            )
        return pick("list_subscriptions", "named", seed, query=query, items=join_words(
            [_sub_item(s, cur, today) for s in items[:10]]))  # fmt: skip
    if not items:
        return pick("list_subscriptions", "none" if days is None else "none_within", seed, days=days)
    text = join_words([_sub_item(s, cur, today) for s in items[:10]])
    count = res.get("total", len(items))
    return pick("list_subscriptions", "ok" if days is None else "within", seed, count=count, items=text, days=days)


def _cancel_sub(args: Mapping[str, Any], res: Mapping[str, Any], cur: str, seed: str, today: dt.date | None) -> str:
    sub = res.get("subscription") or {}
    sub_cur = str(sub.get("currency") or cur)
    return pick(
        "cancel_subscription",
        "ok",
        seed,
        name=sub.get("name"),
        amount=money(sub.get("amount"), sub_cur),
        cadence=sub.get("cadence"),
        monthly=money(sub.get("monthly_cost"), sub_cur),
    )


def _list_tx(args: Mapping[str, Any], res: Mapping[str, Any], cur: str, seed: str, today: dt.date | None) -> str:
    items = list(res.get("items") or [])
    merchant = res.get("merchant") or args.get("merchant")
    if merchant:
        merchant = shop_name(str(merchant), items)
    if not items:
        return pick("list_transactions", "none_merchant" if merchant else "none", seed, merchant=merchant)
    if len(items) == 1 and int(args.get("limit") or 0) == 1:
        tx = items[0]
        return pick(
            "list_transactions",
            "one",
            seed,
            amount=money(tx.get("amount"), str(tx.get("currency") or cur)),
            what=what_of(tx),
            category=tx.get("category") or "uncategorized",
            when=day_words(tx.get("date"), today),
        )
    lines = [
        f"{short_day(t.get('date'))} {money(t.get('amount'), str(t.get('currency') or cur))} "
        f"{what_of(t)} ({t.get('category') or 'uncategorized'})"
        for t in items
    ]
    section = "merchant" if merchant else "ok"
    head = pick("list_transactions", section, seed, count=len(items), items="; ".join(lines), merchant=merchant)
    more = pick("list_transactions", "more", seed, total=res.get("total")) if res.get("total", 0) > len(items) else ""
    return sentences(head, more)


def _goal_values(goal: Mapping[str, Any], cur: str, today: dt.date | None) -> dict[str, Any]:
    goal_cur = str(goal.get("currency") or cur)
    target_date = goal.get("target_date")
    return {
        "name": goal.get("name"),
        "target": money(goal.get("target_amount"), goal_cur),
        "saved": money(goal.get("saved_amount", "0"), goal_cur),
        "percent": pct(goal.get("percent", goal.get("percent_complete", goal.get("progress_pct")))),
        "by": f" by {day_words(target_date, None).removeprefix('on ')}" if target_date else "",
    }


def _set_goal(args: Mapping[str, Any], res: Mapping[str, Any], cur: str, seed: str, today: dt.date | None) -> str:
    return pick("set_goal", "ok", seed, **_goal_values(res.get("goal") or {}, cur, today))


def _goal_progress(args: Mapping[str, Any], res: Mapping[str, Any], cur: str, seed: str, today: dt.date | None) -> str:
    goals = list(res.get("items") or res.get("goals") or ([res["goal"]] if res.get("goal") else []))
    if not goals and res.get("name"):
        goals = [res]
    if not goals:
        return pick("goal_progress", "none", seed)
    return sentences(
        *(pick("goal_progress", "one", f"{seed}:{i}", **_goal_values(g, cur, today)) for i, g in enumerate(goals[:5]))
    )


def _checkup(check: Mapping[str, Any], res: Mapping[str, Any], cur: str, seed: str) -> list[str]:
    """The check-up's sentences: so far against the same days of last month, top categories, cuts."""
    pace = check.get("pace") or {}
    now, before = pace.get("this_period") or {}, pace.get("last_period") or {}
    spent, prev = dec(now.get("total")) or Decimal(0), dec(before.get("total")) or Decimal(0)
    month = month_words(check.get("month"))
    if spent == 0:
        return [pick("get_insights", "nothing", seed, month=month)]
    change = dec(pace.get("change")) or Decimal(0)
    section = "pace_new" if prev == 0 else "pace_up" if change > 0 else "pace_down" if change < 0 else "pace_same"
    out = [
        pick(
            "get_insights",
            section,
            seed,
            month=month,
            spent=money(spent, cur),
            days=pace.get("days"),
            change=money(abs(change), cur),
            change_pct=pct(abs(dec(pace.get("change_pct")) or Decimal(0))),
            last_month=month_words(str(before.get("start") or "")[:7]),
            before=money(prev, cur),
        )
    ]
    tops = [f"{t.get('category')} {money(t.get('spent'), cur)}" for t in (res.get("top_categories") or [])[:3]]
    if tops:
        out.append(pick("get_insights", "top", seed, top=join_words(tops)))
    cuts = [
        f"{c.get('category')} ({money(c.get('spent'), cur)}; "
        f"cutting it by a fifth saves {money(c.get('trim_saves'), cur)})"
        for c in check.get("where_to_cut") or []
    ]
    if cuts:
        out.append(pick("get_insights", "cut", seed, cuts=join_words(cuts)))
    return out


def _insights(args: Mapping[str, Any], res: Mapping[str, Any], cur: str, seed: str, today: dt.date | None) -> str:
    cur = str(res.get("currency") or cur)
    raw = list(res.get("tips") or res.get("insights") or res.get("items") or [])
    texts = [
        str(i.get("text") or i.get("message") or i.get("title") or "") if isinstance(i, Mapping) else str(i)
        for i in raw
    ]
    texts = [t.rstrip(".") + "." for t in texts if t and not t.startswith("No spending recorded")][:4]
    raw_month = str(res.get("month") or args.get("month") or "")
    month = month_words(raw_month)
    check = res.get("checkup")
    head = _checkup(check, res, cur, seed) if isinstance(check, Mapping) else []
    if not texts:
        if head:
            return sentences(*head)
        past = today is not None and bool(raw_month) and raw_month < today.strftime("%Y-%m")
        return pick("get_insights", "none_past" if past else "none", seed, month=month)
    return sentences(*head, pick("get_insights", "ok", seed, month=month, items=" ".join(texts)))


def _set_reminder(args: Mapping[str, Any], res: Mapping[str, Any], cur: str, seed: str, today: dt.date | None) -> str:
    sub = res.get("subscription") or {}
    days = int(res.get("days_before", sub.get("remind_days_before", 0)) or 0)
    return pick(
        "set_reminder",
        "same_day" if days == 0 else "ok",
        seed,
        name=sub.get("name"),
        lead=f"{days} day{'' if days == 1 else 's'} before",
        renewal=day_words(sub.get("next_renewal"), today).removeprefix("on "),
    )


def _snooze(args: Mapping[str, Any], res: Mapping[str, Any], cur: str, seed: str, today: dt.date | None) -> str:
    note = res.get("notification") or {}
    until = day_words(res.get("until"), today).removeprefix("on ")
    ahead = (dt.date.fromisoformat(str(res["until"])[:10]) - today).days if today and res.get("until") else 0
    if today and 1 < ahead < 7:  # "until Friday" for a day this coming week
        until = f"{today + dt.timedelta(days=ahead):%A}"
    title = note.get("title") or "that reminder"
    return pick("snooze_reminder", "ok", seed, title=title, until=until, at=res.get("at"))


def _dismiss(args: Mapping[str, Any], res: Mapping[str, Any], cur: str, seed: str, today: dt.date | None) -> str:
    note = res.get("notification") or {}
    return pick("dismiss_reminder", "ok", seed, title=note.get("title") or "that reminder")


def _contribute(args: Mapping[str, Any], res: Mapping[str, Any], cur: str, seed: str, today: dt.date | None) -> str:
    goal = res.get("goal") or {}
    values = _goal_values(goal, cur, today)
    goal_cur = str(goal.get("currency") or cur)
    head = pick("contribute_to_goal", "ok", seed, added=money(res.get("added"), goal_cur), **values)
    if goal.get("reached"):
        return sentences(head, pick("contribute_to_goal", "reached", seed, **values))
    monthly = dec(goal.get("monthly_needed"))
    if monthly is not None and monthly > 0:
        tail = pick("contribute_to_goal", "monthly", seed, monthly=money(monthly, goal_cur), **values)
    else:
        tail = pick("contribute_to_goal", "remaining", seed, remaining=money(goal.get("remaining"), goal_cur), **values)
    return sentences(head, tail)


def _update_sub(args: Mapping[str, Any], res: Mapping[str, Any], cur: str, seed: str, today: dt.date | None) -> str:
    sub, before = res.get("subscription") or {}, res.get("before") or {}
    sub_cur = str(sub.get("currency") or cur)
    changes: list[str] = []
    for key in res.get("changed") or []:
        if key == "amount":
            changes.append(f"{money(sub.get('amount'), sub_cur)} (was {money(before.get('amount'), sub_cur)})")
        elif key == "cadence":
            changes.append(f"{sub.get('cadence')} (was {before.get('cadence')})")
        elif key == "next_renewal":
            changes.append(
                f"next renewal {short_day(sub.get('next_renewal'))} (was {short_day(before.get('next_renewal'))})"
            )
        elif key == "remind_days_before":
            changes.append(f"reminder {sub.get('remind_days_before')} days before")
        elif key == "category":
            changes.append(f"category {sub.get('category')} (was {before.get('category')})")
    head = pick("update_subscription", "ok", seed, name=sub.get("name"), changes=join_words(changes))
    nxt = pick(
        "update_subscription",
        "next",
        seed,
        when=day_words(sub.get("next_renewal"), today).removeprefix("on "),
        amount=money(sub.get("amount"), sub_cur),
    )
    return sentences(head, nxt)


def _set_rate(args: Mapping[str, Any], res: Mapping[str, Any], cur: str, seed: str, today: dt.date | None) -> str:
    return pick(
        "set_exchange_rate", "ok", seed, currency=res.get("currency"), rate=res.get("rate"), base=res.get("base")
    )


def _move_budget(args: Mapping[str, Any], res: Mapping[str, Any], cur: str, seed: str, today: dt.date | None) -> str:
    cur = str(res.get("currency") or cur)
    src, dst = res.get("from_line") or {}, res.get("to_line") or {}
    names = {"from_category": src.get("category"), "to_category": dst.get("category")}
    head = pick("move_budget", "ok", seed, amount=money(res.get("amount"), cur), month=month_words(res.get("month")),
                **names)  # fmt: skip
    lines = pick(
        "move_budget",
        "lines",
        seed,
        from_budget=money(src.get("budget"), cur),
        from_left=money(src.get("remaining"), cur),
        to_budget=money(dst.get("budget"), cur),
        to_left=money(dst.get("remaining"), cur),
        **names,
    )
    return sentences(head, lines)


def _set_income(args: Mapping[str, Any], res: Mapping[str, Any], cur: str, seed: str, today: dt.date | None) -> str:
    cur = str(res.get("currency") or cur)
    head = pick("set_monthly_income", "ok", seed, income=money(res.get("monthly_income"), cur))
    received = dec(res.get("received")) or Decimal(0)
    month = month_words(res.get("month"))
    section = "received" if received > 0 else "none_received"
    tail = pick("set_monthly_income", section, seed, month=month, received=money(received, cur),
                spent=money(res.get("spent"), cur))  # fmt: skip
    return sentences(head, tail)


def _create_category(
    args: Mapping[str, Any], res: Mapping[str, Any], cur: str, seed: str, today: dt.date | None
) -> str:
    cat = res.get("category") or {}
    head = pick(
        "create_category", "ok", seed, kind=cat.get("kind"), name=cat.get("name"), score=cat.get("necessity_score")
    )
    hint = pick("create_category", "expense_hint", seed, name=cat.get("name")) if cat.get("kind") == "expense" else ""
    return sentences(head, hint)


WRITERS: dict[str, Writer] = {
    "log_expense": _log_expense,
    "log_income": _log_income,
    "log_refund": _log_refund,
    "update_transaction": _update,
    "delete_transaction": _delete,
    "check_purchase": _purchase,
    "budget_summary": _budget_summary,
    "spending_summary": _spending,
    "set_budget": _set_budget,
    "add_subscription": _add_sub,
    "list_subscriptions": _list_subs,
    "cancel_subscription": _cancel_sub,
    "list_transactions": _list_tx,
    "set_goal": _set_goal,
    "goal_progress": _goal_progress,
    "get_insights": _insights,
    "set_reminder": _set_reminder,
    "snooze_reminder": _snooze,
    "dismiss_reminder": _dismiss,
    "contribute_to_goal": _contribute,
    "update_subscription": _update_sub,
    "set_exchange_rate": _set_rate,
    "move_budget": _move_budget,
    "set_monthly_income": _set_income,
    "create_category": _create_category,
}


# ---------------------------------------------------------------- the entry point


def compose_reply(
    tool_name: str,
    args: Mapping[str, Any],
    result: Mapping[str, Any],
    *,
    currency: str,
    seed: str | int = 0,
    today: dt.date | None = None,
) -> str:
    """The assistant's answer to one tool call, every number taken from ``result``."""
    seed = str(seed)
    if not result.get("ok", False):
        err = result.get("error") or {}
        message = str(err.get("message") or "something went wrong").rstrip(".")
        action = ACTIONS.get(tool_name, f"run {tool_name}")
        return sentences(pick("errors", "ok", seed, action=action, message=message))
    writer = WRITERS.get(tool_name)
    if writer is None:
        return "Done."
    return sentences(writer(args, result, currency, seed, today))


def compose_turn_reply(
    calls: Sequence[tuple[str, Mapping[str, Any], Mapping[str, Any]]],
    *,
    currency: str,
    seed: str | int = 0,
    today: dt.date | None = None,
) -> str:
    """One reply for every tool call of a turn, in order.

    Several expenses in one message ("8 on coffee and 42 on a haircut") get one sentence each
    and then their sum, so the person sees that every amount was kept.
    """
    parts = [
        compose_reply(name, args, result, currency=currency, seed=f"{seed}:{i}", today=today)
        for i, (name, args, result) in enumerate(calls)
    ]
    logged = [r.get("transaction") or {} for n, _, r in calls if n == "log_expense" and r.get("ok")]
    currencies = {str(tx.get("currency") or currency) for tx in logged}
    if len(logged) > 1 and len(currencies) == 1:
        total = sum((dec(tx.get("amount")) or Decimal(0) for tx in logged), Decimal(0))
        parts.append(pick("log_expense", "several", str(seed), count=len(logged), total=money(total, currencies.pop())))
    return sentences(*parts)
