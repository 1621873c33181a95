"""Money that is not the user's own spending or earning now (``data/not_yours.yaml``).

Why: "my roommate spent 60 on pizza", "planning to order pizza, like 35", "resisted the 15 dollar
candle" and "if my rent went up 200" all hold an amount and a spending word, and were logged. Who
paid, whether it happened and whether it is a what-if are structures, not intents, so they are
shapes in a data file: a match keeps the kind's tools from being planned, and the turn answers
plainly without writing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from . import currencies
from .amounts import WORD_CURRENCY, Amount, find_amounts
from .fastregex import Gated, bits

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
    # `{currencies}`: any currency's name ("baht", "euros", "rand"), for a shape that must leave rates alone
    # babel's names of two words and more, and the one-word names ("euro", "yen", "rand") the amounts read;
    # not the dollar's (the shapes see "$"), nor "pound", a weight as often ("$4 a pound now")
    said = {w for w, code in WORD_CURRENCY.items() if code not in ("$", "USD") and len(w) > 2} - {"pound", "pounds"}
    named = sorted(set(currencies.UNIQUE) | set(currencies.SHARED) | said, key=len, reverse=True)
    money = "(?:" + "|".join(re.escape(w) for w in named) + ")"
    return tuple(
        Kind(
            str(name),
            str(spec["reply"]),
            frozenset(spec["tools"]),
            tuple(re.compile(p.replace("{people}", people).replace("{currencies}", money)) for p in spec["patterns"]),
        )
        for name, spec in doc.items()
    )


# a currency said as a code or a letter before or after the number ("4,299 aed", "r89", "zar 650"): the
# shapes below write money as "$" and digits, so every marking reads the same to them (round 37)
_CODE = (
    r"(?:usd|eur|gbp|cad|aud|nzd|chf|jpy|inr|mxn|ngn|ghs|kes|zar|php|aed|sar|qar|kwd|omr|bhd|egp|pkr|lkr|bdt|"
    r"sgd|hkd|myr|idr|thb|krw|cny|rmb|brl|ars|clp|cop|pln|czk|huf|sek|nok|dkk|ils|dhs|dh)"
)
_CODE_AFTER = re.compile(r"(?<![\w.,])(\d[\d,.]*k?)\s?" + _CODE + r"\b")
_CODE_BEFORE = re.compile(r"\b" + _CODE + r"\s?\$?(\d[\d,.]*k?)\b")
_DIGITS = re.compile(r"\d[\d,.]*k?")
_DIGIT = re.compile(r"\d")


def as_dollars(low: str, amounts: Sequence[Amount] | None = None) -> str:
    """``low`` with each currency-marked amount written "$" and its digits ("r89" -> "$89", "30k pesos" -> "$30k").

    ``amounts``: ``find_amounts(low, [])`` where the caller has it already. Without a digit there is no
    amount and no code before or after one, so the text stays as it is.
    """
    if not _DIGIT.search(low):
        return low
    if amounts is None:
        amounts = find_amounts(low, [])
    for amount in sorted(amounts, key=lambda a: a.start, reverse=True):
        said = low[amount.start : amount.end]
        digits = _DIGITS.search(said)
        if amount.marked and digits is not None and not said.startswith("$"):
            low = low[: amount.start] + "$" + digits.group() + low[amount.end :]
    low = _CODE_BEFORE.sub(r"$\1", low)
    return _CODE_AFTER.sub(r"$\1", low)


@lru_cache(maxsize=64)  # one per tool name (about 25)
def _gate(tool: str | None) -> tuple[Gated, tuple[Kind, ...]]:
    """The patterns of the kinds that keep ``tool`` out (all, for None), in the kinds' order, gated by
    the texts they need, and the kind of each; built once per tool."""
    heeded = [k for k in kinds() if tool is None or tool in k.tools]
    return Gated([p for k in heeded for p in k.patterns]), tuple(k for k in heeded for _ in k.patterns)


def warm_up() -> None:
    """Build every tool's gate now (the first message planning each tool would otherwise wait for it)."""
    for tool in {None, *(t for k in kinds() for t in k.tools)}:
        _gate(tool)


def not_yours(low: str, tool: str | None = None, amounts: Sequence[Amount] | None = None) -> Kind | None:
    """The kind of money-that-is-not-yours ``low`` (the lowercased message) speaks of, if it keeps ``tool`` out.

    ``amounts``: ``find_amounts(low, [])``, where the caller read it already (the engine, when no date
    was masked). A pattern is searched only where the message holds a text it needs (``fastregex``), in
    the kinds' order, so the first kind that matches is the one a search of every pattern would find."""
    global _last
    last = _last
    if last[0] == low and last[1] == tool:  # the write policy asks again what the engine asked
        return last[2]
    found = _search(low, tool, amounts)
    _last = (low, tool, found)
    return found


_last: tuple[str | None, str | None, Kind | None] = (None, None, None)
"""The last question ``not_yours`` answered and its answer. Why: a write turn asks it twice, with the
same text and tool (the engine, then the write policy over the raw text, which is the same text for
a plain entry); the answer depends on nothing else (the shapes and the lexicon are fixed), so the
second search is skipped. One entry only: a cache of many would only serve repeated messages. A
tuple swapped whole, so threads never see half of it."""


def _search(low: str, tool: str | None, amounts: Sequence[Amount] | None) -> Kind | None:
    gate, owner = _gate(tool)
    if not owner:
        return None
    plain = " ".join(low.split())
    low = as_dollars(plain, amounts if plain == low else None)
    patterns = gate.patterns
    for i in bits(gate.candidates(low)):
        p = patterns[i]
        # without a ``who`` every match holds, so the first one found settles it
        if (p.search(low) is not None) if "who" not in p.groupindex else any(map(_holds, p.finditer(low))):
            return owner[i]
    return None


def _holds(m: re.Match[str]) -> bool:
    """A match counts unless its ``who`` is a thing the lexicon knows ("groceries paid 80" is an entry)."""
    if "who" not in m.re.groupindex or m.group("who") is None:
        return True
    from .lexicon import keyword_hits

    return not keyword_hits(m.group("who"))
