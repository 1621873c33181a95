"""Currency words from a kept list: babel's (CLDR) English names of the currencies countries use today.

Why not a hand table: "62,300 naira" was read as dollars because nobody had typed "naira" in; CLDR
names every current currency, singular and plural ("cedi"/"cedis" GHS, "zloty" PLN, "rupiah" IDR).
What the list cannot know is data (``data/currencies.yaml``): English words that are also a currency's
name ("mark", "real"), and the words several countries share ("pesos", "shillings"), which are asked
about unless a country word is said ("Kenyan shillings" is KES).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import yaml
from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.numbers import get_territory_currencies

DATA_PATH = Path(__file__).resolve().parent / "data" / "currencies.yaml"
_DATA = yaml.safe_load(DATA_PATH.read_text(encoding="utf-8")) or {}
_AS_OF = dt.date(2026, 1, 1)  # the currencies in use at this date (a fixed day: the same words every run)


def _plain(text: str) -> str:
    """Lower case without accents: "złoty" -> "zloty", "córdoba" -> "cordoba"."""
    if text.isascii():  # nothing to decompose, no accent, no ʻokina: only the case changes
        return text.lower()
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
# "189 kr", "kr. 189": a mark several countries' currencies share (data), asked about like a shared word
SHARED_MARKS: dict[str, frozenset[str]] = {
    str(k).lower(): frozenset(str(c) for c in v) for k, v in (_DATA.get("shared_marks") or {}).items()
}
# "300 dhs to Casablanca": the shared marks a local word settles without asking (the crowns stay asked)
SETTLED_BY_LOCAL: frozenset[str] = frozenset(str(m).lower() for m in _DATA.get("settled_by_local") or ())
RATE_ASKED: frozenset[str] = frozenset(str(w).lower() for w in _DATA.get("rate_asked") or ()) | frozenset(SHARED_MARKS)
# "8 450 Ft": marks that are as often a unit ("25 ft"), money only where the message says so (amounts.py)
GUARDED_MARKS: dict[str, str] = {str(k).lower(): str(v) for k, v in (_DATA.get("guarded_marks") or {}).items()}
for _mark, _codes_of in SHARED_MARKS.items():
    _WORDS[_mark] = set(_codes_of)
    SHARED[_mark] = ASKED_DEFAULT.get(_mark, min(_codes_of))
# "kenyan shillings", "mexican peso", "canadian dollars": the qualified name of one currency
QUALIFIED: dict[str, str] = {
    name: code for name, code in _FULL.items() if name.rsplit(" ", 1)[1] in SHARED or name.rsplit(" ", 1)[1] in USUAL
}


def _codes() -> set[str]:
    return {c for t in get_global("territory_currencies") for c in get_territory_currencies(t, _AS_OF, tender=True)}


def _dollar_countries() -> dict[str, str]:
    """A country's letters -> its own dollar ("nz" NZD, "au" AUD, "sg" SGD): the currency whose code starts
    with the country's code and whose English name is a dollar (so Tuvalu, which uses AUD, is not one)."""
    english = Locale("en")
    out = {}
    for territory in get_global("territory_currencies"):
        for code in get_territory_currencies(territory, _AS_OF, tender=True):
            if code.startswith(territory) and _plain(english.currencies.get(code) or "").endswith(" dollar"):
                out[territory.lower()] = code
    return out


# ISO codes said as words ("54 nzd", "$72 NZD", "NZD 50"), except those that are English words ("all", "top")
CODES: frozenset[str] = frozenset(c.lower() for c in _codes()) - {str(w) for w in _DATA.get("not_code") or ()}
DOLLAR_COUNTRIES: dict[str, str] = {
    k: v for k, v in _dollar_countries().items() if k not in {str(w) for w in _DATA.get("not_country") or ()}
}
_DOT_LISTED: frozenset[str] = frozenset(str(c) for c in _DATA.get("dot_thousands") or ())
# "Rp 47.500", "2.899 TL": written after the amount only where before it the letters are a word (data)
AFTER_WORDS: dict[str, str] = {str(k).lower(): str(v) for k, v in (_DATA.get("after_words") or {}).items()}
# "25rb", "2,5 jt", "200 nghìn", "2tr": a scale said after the number, and whose money it is unless said (data)
SCALE_WORDS: dict[str, tuple[int, str]] = {
    str(k).lower(): (int(v[0]), str(v[1])) for k, v in (_DATA.get("scale_words") or {}).items()
}
SCALE_GLUED: frozenset[str] = frozenset(str(w).lower() for w in _DATA.get("scale_glued") or ())
# "18 mil kz": a scale word that scales only before one of its marks (data), and those marks
SCALE_BEFORE: dict[str, tuple[int, tuple[str, ...]]] = {
    str(k).lower(): (int(v[0]), tuple(str(w).lower() for w in v[1]))
    for k, v in (_DATA.get("scale_before") or {}).items()
}
PLAIN_WORDS: dict[str, str] = {str(k).lower(): str(v) for k, v in (_DATA.get("plain_words") or {}).items()}
WORD_CODES: dict[str, str] = {str(c).lower(): str(c).upper() for c in _DATA.get("word_codes") or ()} | PLAIN_WORDS
# "MK 8,000": letters before a sum that are money only where the price is plain ("Golf Mk 7" is a model)
PLAIN_SYMBOLS: frozenset[str] = frozenset(str(s).lower() for s in _DATA.get("plain_symbols") or ())
DOLLAR_SIGN_PESOS: frozenset[str] = frozenset(str(c) for c in _DATA.get("dollar_sign_pesos") or ())
NICKNAMES: dict[str, str] = {str(k): str(v) for k, v in (_DATA.get("nicknames") or {}).items()}
# "NZ$86.40", "A$12", "HK$300", "R$50": babel's symbols with a country's letters, the country letters before
# any country's own dollar ("AU$", "SG$"), and the few said by habit (data: "C$" is CAD, "S$" SGD)
PREFIXED_DOLLARS: dict[str, str] = (
    {f"{t}$": code for t, code in DOLLAR_COUNTRIES.items()}
    | {s.lower(): c for c, s in Locale("en").currency_symbols.items() if s.endswith("$") and len(s) > 1}
    | {str(k).lower(): str(v) for k, v in (_DATA.get("prefixed_dollars") or {}).items()}
)
# "NZ dollars", "kiwi dollars", "aussie dollar": a dollar qualified by a country's letters or a nickname
_DOLLAR_NICKNAMES = {k: v for k, v in NICKNAMES.items() if v in DOLLAR_COUNTRIES.values()}
QUALIFIED |= {
    f"{q} {word}": code for q, code in (DOLLAR_COUNTRIES | _DOLLAR_NICKNAMES).items() for word in ("dollar", "dollars")
}
QUALIFIERS: frozenset[str] = frozenset(name.rsplit(" ", 1)[0] for name in QUALIFIED)
# "3,200 pesos for Meralco" (PHP), "2,500 shillings on M-Pesa" (KES): a local word settles a shared word
LOCAL_WORDS: dict[str, re.Pattern[str]] = {
    str(code): re.compile(r"\b(?:" + "|".join(re.escape(_plain(str(w))) for w in words) + r")\b")
    for code, words in (_DATA.get("local_words") or {}).items()
}


# "a tenner for the Luas": the places that settle whose note a slang amount is (data: slang_local)
SLANG_LOCAL: dict[str, re.Pattern[str]] = {
    str(code): re.compile(r"\b(?:" + "|".join(re.escape(_plain(str(w))) for w in words) + r")\b")
    for code, words in (_DATA.get("slang_local") or {}).items()
}
SLANG_NOTE_CODES: frozenset[str] = frozenset(SLANG_LOCAL)


def slang_code(text: str) -> str | None:
    """The currency a slang note ("a tenner") is in, when a place only one of its countries has is said."""
    plain = _plain(text)
    found = {code for code, words in SLANG_LOCAL.items() if words.search(plain)}
    return next(iter(found)) if len(found) == 1 else None


def local_codes(word: str, text: str) -> frozenset[str]:
    """Every currency a shared word may mean whose country is said here (two: the message names both)."""
    codes = frozenset(_WORDS.get(_plain(word)) or ())
    plain = _plain(text) if codes else ""
    return frozenset(code for code in codes if code in LOCAL_WORDS and LOCAL_WORDS[code].search(plain))


def local_code(word: str, text: str, codes: frozenset[str] | None = None) -> str | None:
    """The currency a word several countries share (or one of ``codes``) means here, if a word only one of
    them has is said."""
    codes = codes if codes is not None else frozenset(_WORDS.get(_plain(word)) or ())
    if not codes:
        return None
    plain = _plain(text)
    found = {code for code in codes if code in LOCAL_WORDS and LOCAL_WORDS[code].search(plain)}
    return next(iter(found)) if len(found) == 1 else None


def _locale_symbols() -> Iterator[tuple[str, str]]:
    """(code, symbol) of every CLDR locale's own currency symbols (not inherited), for the generators below.

    Babel keeps what it loads: the unmerged locales read here are dropped from its cache afterwards."""
    from babel import localedata

    found = getattr(localedata, "_cache", None)
    cache: dict[str, object] = found if isinstance(found, dict) else {}
    before = set(cache)
    try:
        for name in localedata.locale_identifiers():
            symbols = localedata.load(name, merge_inherited=False).get("currency_symbols") or {}
            yield from ((str(code), str(symbol)) for code, symbol in symbols.items())
    finally:
        for name in set(cache) - before:
            cache.pop(name, None)


def babel_letter_symbols() -> dict[str, str]:
    """Letters written before an amount, from every CLDR locale's symbols for the currencies in use today
    ("Ksh" KES, "TSh" TZS, "USh" UGX, "Nkr" NOK, "din." RSD): a symbol of letters (a dot may end it) of
    three letters or more that only one current currency has, not a word or a unit (data), and not an ISO
    code (those are read already). Shorter ones ("Ft", "km", "Le", "DA") are too often words.

    Reading every locale takes a second, so the result is kept in ``data/babel_symbols.yaml``
    (``python -m assistant.nlu.currencies`` writes it again; a test checks it still matches babel)."""
    current = _codes()
    owners: dict[str, set[str]] = defaultdict(set)
    for code, symbol in _locale_symbols():
        plain = str(symbol).lower()
        if code in current and re.fullmatch(r"[a-z]{3,}\.?", plain) and plain.rstrip(".") != code.lower():
            owners[plain].add(code)
    banned = {str(w).lower() for w in _DATA.get("not_symbol") or ()}
    return {s: next(iter(c)) for s, c in sorted(owners.items()) if len(c) == 1 and s not in banned and s not in CODES}


SYMBOLS_PATH = DATA_PATH.parent / "babel_symbols.yaml"
_BABEL_SYMBOLS = yaml.safe_load(SYMBOLS_PATH.read_text(encoding="utf-8")) if SYMBOLS_PATH.exists() else None


# "KSh 1,500", "TSh 20,000", "Fr. 4.80": letters before the number that name one currency
LETTER_SYMBOLS: dict[str, str] = {str(k): str(v) for k, v in (_BABEL_SYMBOLS or babel_letter_symbols()).items()} | {
    str(k).lower(): str(v) for k, v in (_DATA.get("symbols") or {}).items()
}


def babel_marks() -> dict[str, str]:
    """Symbols not written in plain letters, from every CLDR locale, that only one current currency has:
    a sign ("₴" UAH, "₸" KZT, "₺" TRY, "₼" AZN, "₾" GEL, "₦" NGN, "₱" PHP) or a word in another script or
    with a letter English lacks ("zł" PLN, "Kč" CZK, "лв." BGN, "ден." MKD), a dot that ends it dropped.
    Those shared ("£", "¥"), mixed with letters or a dollar ("kr₩", "$ au": read already) or dotted inside
    ("د.إ.") are left out, and so are units and words (data: not_symbol, "км" is kilometres).

    Kept in ``data/babel_marks.yaml`` like the letter symbols (``python -m assistant.nlu.currencies``)."""
    current = _codes()
    owners: dict[str, set[str]] = defaultdict(set)
    for code, symbol in _locale_symbols():
        plain = re.sub("[\u200e\u200f\u200b]", "", str(symbol)).lower().rstrip(".")
        if code in current and not plain.isascii():
            owners[plain].add(code)
    banned = {str(w).lower() for w in _DATA.get("not_symbol") or ()}

    def shaped(s: str) -> bool:  # one sign, or letters only (two or more)
        return (len(s) == 1 and not s.isalnum() and s not in "$£¥€") or (len(s) >= 2 and s.isalpha())

    return {s: next(iter(c)) for s, c in sorted(owners.items()) if len(c) == 1 and s not in banned and shaped(s)}


MARKS_PATH = DATA_PATH.parent / "babel_marks.yaml"
_BABEL_MARKS = yaml.safe_load(MARKS_PATH.read_text(encoding="utf-8")) if MARKS_PATH.exists() else None
# "15 zł", "₴200", "1 200 Kč", "14,200원": signs and words of other scripts, CLDR's and the few it lacks (data)
OTHER_MARKS: dict[str, str] = {str(k): str(v) for k, v in (_BABEL_MARKS or babel_marks()).items()} | {
    str(k).lower(): str(v) for k, v in (_DATA.get("marks") or {}).items()
}
# "850/-", "5,000/=": East African shillings, which country's not said
SHILLING_MARKS: tuple[str, ...] = tuple(str(m) for m in _DATA.get("shilling_marks") or ())
SHILLINGS: frozenset[str] = frozenset(_WORDS.get("shillings") or ()) or frozenset({"KES", "UGX", "TZS"})
DASH_RUPEES: frozenset[str] = frozenset(str(c) for c in _DATA.get("dash_rupees") or ())
EQUALS_RUPEE: str | None = _DATA.get("equals_rupee")
# "K85", "L. 450": letters several countries write before a sum, settled by a local word, else asked (data)
LOCAL_SYMBOLS: dict[str, tuple[str, ...]] = {
    str(k).lower().rstrip("."): tuple(str(c) for c in v) for k, v in (_DATA.get("local_symbols") or {}).items()
}
# "800 fils": a coin below a currency and how many make one, for each currency that has it (data)
SUBUNITS: dict[str, dict[str, int]] = {
    str(k).lower(): {str(c): int(n) for c, n in v.items()} for k, v in (_DATA.get("subunits") or {}).items()
}
YEN_SIGN_LOCAL: frozenset[str] = frozenset(str(c) for c in _DATA.get("yen_sign_local") or ())


def _grouped_with(marks: set[str]) -> frozenset[str]:
    """The currencies whose own country writes thousands with one of ``marks`` (CLDR's group symbol): with a
    space (a no-break or narrow one too) "R1 240" is 1,240 rand, "2 400 €" 2,400 euros; with a dot "2.899 TL" is
    2,899 lira, "Rp 47.500" 47,500 rupiah. A currency's own country is the one whose letters begin its code (ZA
    for ZAR); one with none (EUR, XOF) counts when a country that uses it writes so. The dollar's country does
    not: "$5 100" stays two numbers, "$3.459" a price to the tenth of a cent."""
    spaces = marks

    def group(territory: str) -> str | None:
        try:
            return str(Locale.parse(f"und_{territory}").number_symbols["latn"]["group"])
        except (ValueError, KeyError, TypeError, LookupError, UnknownLocaleError):
            return None

    users: dict[str, set[str]] = defaultdict(set)
    for territory in get_global("territory_currencies"):
        for code in get_territory_currencies(territory, _AS_OF, tender=True):
            users[code].add(territory)
    out = set()
    for code, lands in users.items():
        own = code[:2] if code[:2] in lands and group(code[:2]) is not None else None
        if (own is not None and group(own) in spaces) or (own is None and any(group(t) in spaces for t in lands)):
            out.add(code)
    return frozenset(out)


SPACE_GROUPED: frozenset[str] = _grouped_with({" ", "\u00a0", "\u202f"})
# "1.247,50 TL", "2.899 TL", "Rp 47.500": currencies written with a thousands dot (CLDR, and the data's list)
DOT_THOUSANDS: frozenset[str] = _grouped_with({"."}) | _DOT_LISTED


def options(word: str) -> frozenset[str]:
    """The currencies a word several countries share may mean ("francs": CHF, XOF, XAF ...)."""
    return frozenset(_WORDS.get(_plain(word)) or ())


if __name__ == "__main__":  # write babel's symbols again (after a babel upgrade)
    SYMBOLS_PATH.write_text(
        "# Generated by `python -m assistant.nlu.currencies` from babel (CLDR): letters written before an\n"
        "# amount and the one current currency each names. Do not edit; see currencies.babel_letter_symbols.\n"
        + yaml.safe_dump(babel_letter_symbols(), allow_unicode=True, sort_keys=True),
        encoding="utf-8",
    )
    MARKS_PATH.write_text(
        "# Generated by `python -m assistant.nlu.currencies` from babel (CLDR): signs and words of other scripts\n"
        "# written with an amount and the one current currency each names. Do not edit; see currencies.babel_marks.\n"
        + yaml.safe_dump(babel_marks(), allow_unicode=True, sort_keys=True),
        encoding="utf-8",
    )
