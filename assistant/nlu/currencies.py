"""Currency words from a kept list: babel's (CLDR) English names of the currencies countries use today.

Why not a hand table: "62,300 naira" was read as dollars because nobody had typed "naira" in; CLDR
names every current currency, singular and plural ("cedi"/"cedis" GHS, "zloty" PLN, "rupiah" IDR).
What the list cannot know is data (``data/currencies.yaml``): English words that are also a currency's
name ("mark", "real"), and the words several countries share ("pesos", "shillings"), which are asked
about unless a country word is said ("Kenyan shillings" is KES).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from pathlib import Path

import yaml
from babel import Locale
from babel.core import get_global
from babel.numbers import get_territory_currencies

DATA_PATH = Path(__file__).resolve().parent / "data" / "currencies.yaml"
_DATA = yaml.safe_load(DATA_PATH.read_text(encoding="utf-8")) or {}
_AS_OF = dt.date(2026, 1, 1)  # the currencies in use at this date (a fixed day: the same words every run)


def _plain(text: str) -> str:
    """Lower case without accents: "złoty" -> "zloty", "córdoba" -> "cordoba"."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().replace("ʻ", "")


def _babel_names() -> tuple[dict[str, set[str]], dict[str, str]]:
    """Each last word of a currency's English name -> its codes, and each full name -> its code."""
    english = Locale("en")
    plural = english._data["currency_names_plural"]  # babel has no public accessor for plurals
    codes = {
        code
        for territory in get_global("territory_currencies")
        for code in get_territory_currencies(territory, _AS_OF, tender=True)
    }
    words: dict[str, set[str]] = defaultdict(set)
    full: dict[str, str] = {}
    for code in sorted(codes):
        names = {english.currencies.get(code) or ""} | {str(n) for n in (plural.get(code) or {}).values()}
        for name in filter(None, names):
            plain = _plain(name)
            if " " not in plain:
                continue
            words[plain.rsplit(" ", 1)[1]].add(code)
            full.setdefault(plain, code)
    return words, full


_WORDS, _FULL = _babel_names()
NOT_CURRENCY: frozenset[str] = frozenset(str(w) for w in _DATA.get("not_currency") or ())
USUAL: dict[str, str] = {str(k): str(v) for k, v in (_DATA.get("usual") or {}).items()}
ASKED_DEFAULT: dict[str, str] = {str(k): str(v) for k, v in (_DATA.get("asked_default") or {}).items()}
# a word one currency owns, or one whose usual meaning is data: read without asking
UNIQUE: dict[str, str] = {w: next(iter(c)) for w, c in _WORDS.items() if len(c) == 1 and w not in NOT_CURRENCY} | USUAL
# a word several currencies share: the code read, and a write with it asks unless a country is said
SHARED: dict[str, str] = {
    w: ASKED_DEFAULT.get(w, min(c)) for w, c in _WORDS.items() if len(c) > 1 and w not in NOT_CURRENCY | set(USUAL)
}
# "kenyan shillings", "mexican peso", "canadian dollars": the qualified name of one currency
QUALIFIED: dict[str, str] = {
    name: code for name, code in _FULL.items() if name.rsplit(" ", 1)[1] in SHARED or name.rsplit(" ", 1)[1] in USUAL
}
QUALIFIERS: frozenset[str] = frozenset(name.rsplit(" ", 1)[0] for name in QUALIFIED)
