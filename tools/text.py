"""What every reply writer and chip shares: wordings by tool, exact money, days in words.

Why templates and not a model: the local engine must never invent a number, so every figure in
a reply is read from the tool result and formatted with ``assistant.money.fmt``. Wording lives
in ``prompts/replies/<tool>.txt``: ``[section]`` headers, one wording per line (picked by the
turn's seed, so a replay gives the same text), ``#`` comments.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any

from assistant.money import fmt

from .results import Tx


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


def what_of(tx: Tx) -> str:
    """'lunch at Chipotle': the description, with the merchant when it adds something."""
    desc = (tx.description or "").strip()
    merchant = (tx.merchant or "").strip()
    if merchant and merchant.lower() not in desc.lower():
        return f"{desc} at {merchant}" if desc else merchant
    return desc or merchant or "that"


def join_words(items: Sequence[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def change_words(changed: Iterable[str], words: Mapping[str, Callable[[], str]]) -> str:
    """The changed fields in the order they changed, each in its own words; a field without words is left out."""
    return join_words([words[key]() for key in changed if key in words])


def shop_name(query: str, items: Sequence[Tx]) -> str:
    """How to write a merchant the user typed: as the ledger spells it, else capitalised if typed lower case."""
    key = query.strip().lower()
    for tx in items:
        found = tx.merchant or ""
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
