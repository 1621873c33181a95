"""Is this number money? The slot shapes of numbers that are not (``data/not_money.yaml``).

Why: a budgeting app that reads every number as an amount logs a PIN change as $1,234, a 401k
rollover as $401,000 and a table for 4 as $4. Each shape names its number with ``(?P<n>...)``
(or ``n2`` in a second branch); an amount inside that group is a PIN, a plan, a count, a time,
an id, a measure, a percentage, a level, a die, a sum or a day, and no write takes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .amounts import Amount

DATA = Path(__file__).resolve().parent / "data" / "not_money.yaml"


@dataclass(frozen=True)
class Shape:
    kind: str
    pattern: re.Pattern[str]
    even_marked: bool


@lru_cache(maxsize=1)
def shapes() -> tuple[Shape, ...]:
    doc = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    out: list[Shape] = []
    for kind, spec in doc.items():
        for pattern in spec["patterns"]:
            out.append(Shape(str(kind), re.compile(pattern), bool(spec.get("even_marked", False))))
    return tuple(out)


def not_money_kind(low: str, amount: Amount) -> str | None:
    """The kind of non-money number ``amount`` is in ``low`` (the lowercased message), or None if it is money."""
    for shape in shapes():
        if amount.marked and not shape.even_marked:
            continue
        for m in shape.pattern.finditer(low):
            for group in ("n", "n2"):
                if group not in shape.pattern.groupindex or m.start(group) < 0:
                    continue
                start, end = m.span(group)
                if start < amount.end and amount.start < end:
                    return shape.kind
    return None


def is_money(low: str, amount: Amount | None) -> bool:
    return amount is None or not_money_kind(low, amount) is None
