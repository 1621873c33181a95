"""Money that is not the user's own spending or earning now (``data/not_yours.yaml``).

Why: "my roommate spent 60 on pizza", "planning to order pizza, like 35", "resisted the 15 dollar
candle" and "if my rent went up 200" all hold an amount and a spending word, and were logged. Who
paid, whether it happened and whether it is a what-if are structures, not intents, so they are
shapes in a data file: a match keeps the kind's tools from being planned, and the turn answers
plainly without writing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data" / "not_yours.yaml"


@dataclass(frozen=True)
class Kind:
    name: str
    reply: str
    tools: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]


@lru_cache(maxsize=1)
def kinds() -> tuple[Kind, ...]:
    doc = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    people = "(?:" + "|".join(str(w) for w in doc.pop("people", [])) + ")"
    return tuple(
        Kind(
            str(name),
            str(spec["reply"]),
            frozenset(spec["tools"]),
            tuple(re.compile(p.replace("{people}", people)) for p in spec["patterns"]),
        )
        for name, spec in doc.items()
    )


def not_yours(low: str, tool: str | None = None) -> Kind | None:
    """The kind of money-that-is-not-yours ``low`` (the lowercased message) speaks of, if it keeps ``tool`` out."""
    low = " ".join(low.split())
    for kind in kinds():
        if tool is not None and tool not in kind.tools:
            continue
        if any(_holds(m) for p in kind.patterns for m in p.finditer(low)):
            return kind
    return None


def _holds(m: re.Match[str]) -> bool:
    """A match counts unless its ``who`` is a thing the lexicon knows ("groceries paid 80" is an entry)."""
    if "who" not in m.re.groupindex or m.group("who") is None:
        return True
    from .lexicon import keyword_hits

    return not keyword_hits(m.group("who"))
