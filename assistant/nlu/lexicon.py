"""Merchants and keywords -> category, and mapping to the user's own category names.

Why a built-in lexicon: the intent model says what a message asks, not where "Chevron 41" goes,
so that takes a list of what people buy and where. The user's merchant memory comes first (it is
what they taught us), then this lexicon, then "Other". The list is data (``data/lexicon.yaml``),
read once at import, so adding a merchant is a line in that file, not a code change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .fastregex import alternation

LEXICON_PATH = Path(__file__).resolve().parent / "data" / "lexicon.yaml"
#: the world pack: chains, utilities, transit cards, telecoms, insurers and street foods of about forty
#: countries, kept apart so that lexicon.yaml stays readable; loaded the same way, after it
WORLD_PATH = Path(__file__).resolve().parent / "data" / "lexicon_world.yaml"


def _load(path: Path = LEXICON_PATH) -> dict[str, Any]:
    """The lexicon data file (``data/lexicon.yaml``): adding a merchant or an item word is a line of data."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    return doc if isinstance(doc, dict) else {}


def _merged(*docs: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """Each category's phrases from every data file, in file order (a phrase listed earlier keeps its category)."""
    merged: dict[str, list[str]] = {}
    for doc in docs:
        for cat, phrases in (doc.get("categories") or {}).items():
            merged.setdefault(str(cat), []).extend(str(p) for p in phrases or ())
    return {cat: tuple(phrases) for cat, phrases in merged.items()}


_DATA = _load()
_WORLD = _load(WORLD_PATH)
#: canonical category -> phrases; merchants in their display spelling
KEYWORDS: dict[str, tuple[str, ...]] = _merged(_DATA, _WORLD)
#: phrases whose meaning wins over the words they contain ("car loan" is Debt, not Transport)
STRONG: frozenset[str] = frozenset(str(p).lower() for p in _DATA.get("strong") or ())
#: services usually paid as a subscription although their spending category is another one
SERVICES: frozenset[str] = frozenset(str(p).lower() for p in _DATA.get("services") or ())
#: category names people say for the canonical ones
ALIASES: dict[str, tuple[str, ...]] = {
    str(cat): tuple(str(a) for a in names or ()) for cat, names in (_DATA.get("aliases") or {}).items()
}

#: (the user's category names, the phrases filed there when they have one), in order: ``prefer`` in the data
PREFER: tuple[tuple[frozenset[str], frozenset[str]], ...] = tuple(
    (frozenset(str(n).lower() for n in e.get("names") or ()), frozenset(str(p).lower() for p in e.get("phrases") or ()))
    for e in _DATA.get("prefer") or ()
)


def own_category(phrases: Iterable[str], categories: Iterable[str]) -> str | None:
    """The user's own category for a phrase said ("vet" -> their "Pets", else their "Health"), if they keep one."""
    said = {p.lower() for p in phrases}
    names = {n.lower(): n for n in categories}
    for own, listed in PREFER:
        if said & listed and (mine := next((names[n] for n in names if n in own), None)):
            return mine
    return None


@dataclass(frozen=True)
class Hit:
    category: str  # canonical
    phrase: str
    display: str  # as written in the lexicon (merchant display name)
    start: int
    end: int
    strong: bool


def _phrases() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for cat, phrases in KEYWORDS.items():
        for raw in phrases:
            display = " ".join(raw.split())
            if display:
                table.setdefault(display.lower(), (cat, display))
    for key, (cat, display) in list(table.items()):
        plural_ok = display[:1].islower() and key not in {"lime", "bird", "giant", "max", "via"}  # scooters, not fruit
        if plural_ok and key.isalpha() and len(key) >= 4 and not re.search(r"(?:s|x|z|ch|sh|y)$", key):
            table.setdefault(key + "s", (cat, display))  # "takeouts", "haircuts", "lattes"
        joined = re.sub(r"[\s'-]", "", key)
        if (display[:1].isupper()) and joined != key and len(joined) >= 5:
            table.setdefault(joined, (cat, display))  # "wholefoods", "traderjoes", "tacobell"
    return table


PHRASES = _phrases()
# every phrase, longest first at each place, written as a trie (``fastregex.alternation``): the same
# matches as the plain list of 1,800 phrases, searched a character at a time instead of a phrase at a time
#: never inside a number: "76.50 for running shoes" names no 76 station (a price's digits are not a brand's)
PHRASE_BEFORE, PHRASE_AFTER = r"(?<![\w&+'$€£¥₹])(?<!\d[.,])", r"(?![\w&+])(?![.,]\d)"
PHRASE_RE = re.compile(PHRASE_BEFORE + "(" + alternation(PHRASES) + ")" + PHRASE_AFTER)
#: names of shops and services: capitalised ("Chipotle") or with a capital inside ("iCloud", "eBay")
#: (from every line of the data, so "Uber" is a merchant although the item word "uber" is listed first)
MERCHANT_DISPLAYS = {
    d.lower(): d
    for d in (" ".join(raw.split()) for phrases in KEYWORDS.values() for raw in phrases)
    if d[:1].isdigit() or any(c.isupper() for c in d)
}


# nouns that are also verbs: "book a flight" is Travel, not Education
VERBS: frozenset[str] = frozenset(str(v).lower() for v in _DATA.get("verbs") or ())
VERB_AFTER = re.compile(r"\s+(?:a|an|the|my|our|me|us|it|them|\d|flight|hotel|room|trip|tickets?|\$)")


# "95 after insurance" is what the dentist cost, not an insurance payment
NOT_THE_THING = {"insurance": re.compile(r"\b(?:after|with|through|by|minus|less|via|from|covered\s+by)\s+$")}


# a brand that is also a preposition, read as the word when it leads to a name: "sent 150 via WorldRemit" went
# through the service, it was no ride with Via ("via ride 12" and "Via 14" at the head stay the brand)
AS_A_WORD = {"via": re.compile(r"\s+(?!(?:ride|rides|shuttle|van|pass|app)\b)[a-z]")}


def keyword_hits(low: str) -> list[Hit]:
    """Lexicon phrases in lowercased text, longest first at each place."""
    return [
        Hit(PHRASES[m.group(1)][0], m.group(1), PHRASES[m.group(1)][1], m.start(), m.end(), m.group(1) in STRONG)
        for m in PHRASE_RE.finditer(low)
        if not (m.group(1) in VERBS and VERB_AFTER.match(low, m.end()))
        and not ((rx := NOT_THE_THING.get(m.group(1))) and rx.search(low[: m.start()]))
        and not (m.group(1) in AS_A_WORD and m.start() > 0 and AS_A_WORD[m.group(1)].match(low, m.end()))
    ]


def best_category(hits: Iterable[Hit], generic: frozenset[str] | set[str] = frozenset()) -> str | None:
    """Strong phrases first, then longer (more specific) phrases, then the earliest.

    In two words side by side the second names the thing ("school fundraiser" is a fundraiser,
    "hotel parking" is parking), so a plain word directly before another hit gives way to it,
    unless that hit is ``generic`` (a "train ticket" is about the train).
    """
    listed = list(hits)
    heads = [
        h
        for i, h in enumerate(listed)
        if not (
            i + 1 < len(listed)
            and listed[i + 1].start == h.end + 1
            and not h.strong
            and h.phrase not in MERCHANT_DISPLAYS
            and listed[i + 1].phrase not in MERCHANT_DISPLAYS
            and listed[i + 1].phrase not in generic
        )
    ]
    ranked = sorted(heads, key=lambda h: (not h.strong, -len(h.phrase.split()), h.start))
    return ranked[0].category if ranked else None


def merchant_in(hits: Iterable[Hit]) -> str | None:
    """The first known merchant named (display spelling), e.g. "Chipotle"."""
    for h in hits:
        if h.phrase in MERCHANT_DISPLAYS and h.phrase not in {"bird", "lime", "max", "via", "giant", "76"}:
            return MERCHANT_DISPLAYS[h.phrase]
    return None


def to_user_category(canonical: str, categories: Iterable[str]) -> str | None:
    """The user's own name for a canonical category (case-insensitive; "Gifts" for Gifts & Donations)."""
    names = list(categories)
    lowered = {n.lower(): n for n in names}
    if canonical.lower() in lowered:
        return lowered[canonical.lower()]
    for alias in ALIASES.get(canonical, ()):
        if alias in lowered:
            return lowered[alias]
    head = canonical.lower().split()[0]
    for n in names:
        if n.lower().startswith(head) or head.startswith(n.lower()):
            return n
    return None


@lru_cache(maxsize=64)
def _category_matcher(categories: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One compiled alternation of every way to say each of the user's categories."""
    names = list(categories)
    table: dict[str, str] = {}
    for canonical, aliases in ALIASES.items():
        user = to_user_category(canonical, names)
        if user:
            for alias in aliases:
                table.setdefault(alias, user)
    for n in names:
        table[n.lower()] = n
    return re.compile(rf"(?<![\w&])({alternation(table)})(?:s)?(?![\w&])"), table


def mentioned_categories(low: str, categories: Iterable[str]) -> list[tuple[int, str]]:
    """User category names said in the text (by name or alias), with their positions."""
    rx, table = _category_matcher(tuple(categories))
    return [(m.start(), table[m.group(1)]) for m in rx.finditer(low)]
