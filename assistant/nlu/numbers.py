"""Is this number money? The one detector of numbers that are not (``data/not_money.yaml``).

Why one owner: a budgeting app that reads every number as an amount logs a PIN change as $1,234,
a 401k rollover as $401,000 and a table for 4 as $4. The engine asks about the amounts it found
(``not_money_kind``, by span) and the write-safety policy asks about any call's amount, a chat
model's included (``number_kind``, by value); both read the same slot shapes. Each shape names
its number with ``(?P<n>...)`` (or ``n2`` in a second branch); an amount inside that group is a
PIN, a plan, a count, a time, an id, a measure, a percentage, a level, a die, a sum, an age or a
day. A strong shape says so plainly (no write); a weak one ("at 5", "I'm 35") may still be money:
the engine keeps it, the policy asks first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from . import currencies
from .amounts import CODE_BEFORE, CUR_WORD, LETTERS, Amount
from .fastregex import Gated, bits
from .number_formats import guarded_money

DATA = Path(__file__).resolve().parent / "data" / "not_money.yaml"


@dataclass(frozen=True)
class Shape:
    kind: str
    pattern: re.Pattern[str]
    even_marked: bool
    label: str = ""
    strong: bool = True


@dataclass(frozen=True)
class NotMoney:
    """What a number is when it is not money: the shape's kind, its words, and whether plainly so."""

    kind: str
    label: str
    strong: bool


@lru_cache(maxsize=1)
def shapes() -> tuple[Shape, ...]:
    doc = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    out: list[Shape] = []
    for kind, spec in doc.items():
        for item in spec["patterns"]:
            one = item if isinstance(item, dict) else {"re": item}
            out.append(
                Shape(
                    str(kind),
                    re.compile(one["re"]),
                    bool(one.get("even_marked", spec.get("even_marked", False))),
                    str(one.get("label", spec.get("label", kind))),
                    bool(one.get("strong", spec.get("strong", True))),
                )
            )
    return tuple(out)


@lru_cache(maxsize=1)
def _gated() -> tuple[tuple[Shape, ...], Gated]:
    """The shapes, and a gate that names those that may match a message (``fastregex``)."""
    every = shapes()
    return every, Gated([shape.pattern for shape in every])


def warm_up() -> None:
    """Read the shapes and build their gate now, not at the first message with a number."""
    _gated()


@lru_cache(maxsize=512)
def _numbers_named(low: str) -> tuple[tuple[Shape, int, int], ...]:
    """Every shape's named number in ``low``, in the shapes' order: one scan per message, however
    many amounts are asked about (the engine asks several times for one message)."""
    out: list[tuple[Shape, int, int]] = []
    every, gate = _gated()
    for i in bits(gate.candidates(low)):  # a shape none of whose needed words is here cannot match
        shape = every[i]
        groups = [g for g in ("n", "n2") if g in shape.pattern.groupindex]
        for m in shape.pattern.finditer(low):
            out += [(shape, *m.span(g)) for g in groups if m.start(g) >= 0]
    return tuple(out)


def _shape_at(low: str, start: int, end: int, marked: bool) -> NotMoney | None:
    """The first strong shape whose number overlaps ``low[start:end]``, else the first weak one."""
    weak: NotMoney | None = None
    for shape, a, b in _numbers_named(low):
        if (marked and not shape.even_marked) or not (a < end and start < b):
            continue
        if shape.strong:
            return NotMoney(shape.kind, shape.label, True)
        if weak is None:
            weak = NotMoney(shape.kind, shape.label, False)
    return weak


def not_money_kind(low: str, amount: Amount) -> str | None:
    """The kind of non-money number ``amount`` is in ``low`` (the lowercased message), or None if it is money.

    Only strong shapes count here: the engine keeps a maybe ("at 5") as money and the policy asks.
    """
    found = _shape_at(low, amount.start, amount.end, amount.marked)
    return found.kind if found is not None and found.strong else None


def is_money(low: str, amount: Amount | None) -> bool:
    return amount is None or not_money_kind(low, amount) is None


# ---------------------------------------------------------------- by value (any call's amount)

_NUMBER = re.compile(r"(?<![\w.])([$€£¥₹]\s*)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(\s*[kK]\b)?")
#: Words after a number that make it money said as money (it is "marked").
_MONEY_AFTER = re.compile(
    r"^\s*(?:bucks|dollars?|euros?|quid|usd|eur|gbp|cad|aud|cents?|yen|rupees?|a\s+(?:month|year|week)|per\s+|"
    r"every\s+|each\s+|monthly|yearly|weekly|annually|/\s*(?:mo|month|yr|year|wk|week))\b"
)
_PLANS = frozenset({"401", "403", "457"})
# a currency's letters or code just before the number, or its name just after ("TSh 15,000", "CHF 412",
# "180 bob"): the number is marked as money, as with a symbol
_LETTERS_BEFORE = re.compile(rf"\b(?:{LETTERS})\s?$")
_WORD_AFTER = re.compile(rf"^\s?(?:[kK]\s?)?(?:{CUR_WORD})\b")
# "450 Ft" where the message's "Ft" are forints ("Budapest", "8 450 Ft"): the mark, not feet
_GUARDED_AFTER = re.compile(r"^\s?(?:" + ("|".join(re.escape(w) for w in currencies.GUARDED_MARKS) or "(?!)") + r")\b")


def as_decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value).strip().replace(",", "").lstrip("$€£¥₹"))
    except (InvalidOperation, ValueError):
        return None


def number_kind(text: str, amount: Any) -> NotMoney | None:
    """What the number that became ``amount`` really is in ``text``, if it is not money.

    For a call from any reader (the engine or a chat model): the number is found in the text by
    its value. Only its occurrence(s) are judged, so "dinner for 4 people, 120" is still a $120
    dinner; if one occurrence reads as money it is money. None: money, or no sign of anything else.
    """
    value = as_decimal(amount)
    if value is None:
        return None
    low = text.lower()
    found: NotMoney | None = None
    for m in _NUMBER.finditer(low):
        digits = m.group(2).replace(",", "")
        number = Decimal(digits + ("." + m.group(3) if m.group(3) else ""))
        if m.group(4):
            number *= 1000
        plan = digits in _PLANS and value in (Decimal(digits), number)
        if number != value and not plan:
            continue
        after, before = low[m.end() : m.end() + 30], low[max(0, m.start() - 8) : m.start()]
        marked = bool(m.group(1) or _MONEY_AFTER.match(after) or _WORD_AFTER.match(after))
        marked = marked or bool(_LETTERS_BEFORE.search(before) or CODE_BEFORE.search(before))
        marked = marked or bool(_GUARDED_AFTER.match(after) and guarded_money(low))
        kind = _shape_at(low, m.start(), m.end(), marked)
        if kind is None:
            return None  # one occurrence reads as money: it is money
        if found is None or (kind.strong and not found.strong):
            found = kind
    return found
