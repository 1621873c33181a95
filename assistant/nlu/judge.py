"""The judge of the understanding engine's case files, importable by tests and bench alike.

A case is one line of a jsonl file: ``{"id", "text", "expect": {"tool", "args", "allow"}}``.
``judge(case, calls, today)`` says whether the tool calls a message produced are the ones the case
expects (a write tool the case did not ask for always fails it). ``load_judge()`` returns the
shared judge of this workplace (``../shared/eval/run_eval.py`` next to a checkout) when it is
there, else ``copied_judge``, a faithful copy; ``score`` runs ``understand`` over cases with it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import importlib.util
import json
import time
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from . import NLUContext, understand

#: the checkout this module runs from (the case files below exist only there)
ROOT = Path(__file__).resolve().parents[2]
SHARED_JUDGE = ROOT.parent / "shared" / "eval" / "run_eval.py"
DEV_CASES = ROOT.parent / "shared" / "eval" / "dev-utterances.jsonl"
HELDOUT_CASES = ROOT / "tests" / "data" / "heldout-utterances.jsonl"

Judge = Callable[[dict[str, Any], list[dict[str, Any]], dt.date], tuple[bool, str]]

# ---- a faithful copy of the shared judge, for use outside this workplace ----
WRITE_TOOLS = {
    "log_expense", "log_income", "set_budget", "add_subscription",
    "cancel_subscription", "delete_transaction", "update_transaction", "set_goal",
}  # fmt: skip
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def resolve_date(spec: str, today: dt.date) -> set[dt.date]:
    if spec == "today":
        return {today}
    if spec == "yesterday":
        return {today - dt.timedelta(days=1)}
    if spec == "day_before_yesterday":
        return {today - dt.timedelta(days=2)}
    if spec.startswith("last_") and spec.split("_")[1] in WEEKDAYS:
        wd = WEEKDAYS.index(spec.split("_")[1])
        back = (today.weekday() - wd) % 7 or 7
        out = {today - dt.timedelta(days=back)}
        if spec.endswith("_or_today") and today.weekday() == wd:
            out.add(today)
        return out
    if spec == "first_of_last_month":
        prev = today.replace(day=1) - dt.timedelta(days=1)
        return {prev.replace(day=1)}
    if spec == "first_of_this_year":
        return {today.replace(month=1, day=1)}
    if spec.startswith("next_day_of_month:"):
        day = int(spec.split(":")[1])
        found: set[dt.date] = set()
        y, m = today.year, today.month
        for _ in range(3):
            if day <= calendar.monthrange(y, m)[1]:
                cand = dt.date(y, m, day)
                if cand > today or (cand == today and not found):
                    found.add(cand)
                    if cand > today:
                        return found
            m += 1
            if m == 13:
                y, m = y + 1, 1
        return found
    if spec.startswith("next_month_day:"):
        mm, dd = map(int, spec.split(":")[1].split("-"))
        cand = dt.date(today.year, mm, dd)
        if cand < today:
            cand = dt.date(today.year + 1, mm, dd)
        return {cand}
    return {dt.date.fromisoformat(spec)}


def resolve_month(spec: str, today: dt.date) -> set[str]:
    if spec == "this_month":
        return {today.strftime("%Y-%m")}
    if spec == "last_month":
        prev = today.replace(day=1) - dt.timedelta(days=1)
        return {prev.strftime("%Y-%m")}
    return {spec}


def as_decimal(v: Any) -> Decimal | None:
    try:
        return Decimal(str(v))
    except (InvalidOperation, ValueError):
        return None


def arg_matches(key: str, want: Any, got: dict[str, Any], today: dt.date) -> bool:
    if key not in got or got[key] in (None, ""):
        return (key == "month" and want == "this_month") or (key == "date" and want == "today")
    have = got[key]
    if key in ("amount", "target_amount"):
        a = as_decimal(have)
        return a is not None and abs(a - Decimal(str(want))) < Decimal("0.005")
    if key in ("date", "next_renewal", "start"):
        try:
            d = dt.date.fromisoformat(str(have)[:10])
        except ValueError:
            return False
        return d in resolve_date(want, today)
    if key == "month":
        return str(have)[:7] in resolve_month(want, today)
    if key in ("category", "currency", "cadence"):
        options = want if isinstance(want, list) else [want]
        return str(have).strip().lower() in {o.lower() for o in options}
    if key in ("item", "name"):
        return str(want).lower() in str(have).lower().replace(" ", "") or str(want).lower() in str(have).lower()
    if key in ("within_days", "remind_days_before", "limit"):
        try:
            return int(have) == int(want)
        except (TypeError, ValueError):
            return False
    if key == "transaction_id":
        return str(have).lower() == str(want).lower()
    return bool(have == want)


def copied_judge(case: dict[str, Any], calls: list[dict[str, Any]], today: dt.date) -> tuple[bool, str]:
    exp = case["expect"]
    if exp["tool"] is None:
        extra = [c.get("name") for c in calls if c.get("name") not in exp.get("allow", [])]
        return (not extra), ("ok" if not extra else f"expected no tool, got {extra}")
    tools = exp["tool"] if isinstance(exp["tool"], list) else [exp["tool"]]
    hits = [c for c in calls if c.get("name") in tools]
    if not hits:
        return False, f"expected {tools}, got {[c.get('name') for c in calls]}"
    stray = [c["name"] for c in calls if c.get("name") in WRITE_TOOLS and c.get("name") not in tools]
    if stray:
        return False, f"unexpected write tool(s) {stray}"
    bad: list[str] = []
    for call in hits:
        args = call.get("args") or {}
        bad = [k for k, v in exp.get("args", {}).items() if not arg_matches(k, v, args, today)]
        if not bad:
            return True, "ok"
    return False, f"args off in {bad}: {hits[-1].get('args')}"


# ---- scoring ----
def load_judge() -> Judge:
    """The shared judge when this workplace has it (the one that counts), else the copy."""
    if SHARED_JUDGE.exists():
        spec = importlib.util.spec_from_file_location("shared_run_eval", SHARED_JUDGE)
        if spec and spec.loader:
            module = importlib.util.module_from_spec(spec)
            try:
                spec.loader.exec_module(module)
                return module.judge  # type: ignore[no-any-return]
            except ImportError:
                pass
    return copied_judge


def load_cases(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score(
    cases: list[dict[str, Any]], today: dt.date, judge: Judge | None = None
) -> tuple[float, list[tuple[str, str, str]], list[float]]:
    """(share passed, misses as (id, text, why), per-call seconds)."""
    judge = judge or load_judge()
    ctx = NLUContext(today=today)
    misses: list[tuple[str, str, str]] = []
    timings: list[float] = []
    for case in cases:
        t0 = time.perf_counter()
        result = understand(case["text"], ctx)
        timings.append(time.perf_counter() - t0)
        calls = [{"name": c.name, "args": c.args} for c in result.calls]
        ok, why = judge(case, calls, today)
        if not ok:
            misses.append((case["id"], case["text"], why))
    return (1 - len(misses) / len(cases)) if cases else 0.0, misses, timings
