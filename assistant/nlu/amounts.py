"""Money in free text: digits, words, symbols and slang ("twelve fifty", "2k", "45 bucks").

Why a module of its own: every intent needs the amount, and the hard part is what is NOT an
amount (dates, times, counts, "3 days ago"), so the rules live in one tested place.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import get_currency_precision
from text_to_num import alpha2digit

from . import currencies
from .number_formats import (
    _CONVERSION,
    _FRIDAY_DATE,
    _SAID_IN,
    AMOUNT_RE,
    AMOUNT_RE_GUARDED,
    CODE_BEFORE,
    CODE_IN_BRACKETS,
    COUNTED,
    DOLLAR_LANDS,
    DOT_THOUSANDS,
    MONEY_AFTER_SMALL,
    NOT_MONEY_AFTER,
    NOT_MONEY_BEFORE,
    ORDINAL_WORDS,
    QUAL,
    SAME_UNIT,
    SCALE,
    SLANG,
    SLANG_NOTES,
    SMALL_WORDS,
    SYMBOLS,
    UNIT_AFTER_SMALL,
    WORD_CURRENCY,
    _join_spaced,
    _said_in_code,
    guarded_money,
)
from .number_formats import CUR_WORD as CUR_WORD
from .number_formats import LETTERS as LETTERS


@dataclass(frozen=True)
class Amount:
    """One money mention: exact value, currency code (None = the user's), span in the text."""

    value: Decimal
    currency: str | None
    start: int
    end: int
    marked: bool  # a symbol or currency word was next to it: surely money
    shared: bool = False  # a currency word several countries share, no country said ("500 pesos"): ask
    options: frozenset[str] = frozenset()  # what a shared word may mean ("francs": CHF, XOF, XAF ...)
    raw: str = ""  # the number as written, when its grouping depends on the currency ("47.500": 47,500 rupiah)

    def in_currency(self, code: str | None, shared: bool, options: frozenset[str]) -> Amount:
        """This amount said in ``code`` (a currency said once for a list, "..., all idr"): read as written there."""
        value = (thousands_dot(self.raw, code) if self.raw else None) or self.value
        return replace(self, value=value, currency=code, marked=True, shared=shared, options=options)


def _join_word_decimals(original: str, converted: str) -> str:
    """ "twelve fifty" becomes "12 50" after text2num; join such pairs into 12.50.

    "one thirty nine" is said for 139 far more than for 1.39, so a leading "one" reads as hundreds.
    """

    def repl(m: re.Match[str]) -> str:
        if m.group(0) in original:
            return m.group(0)
        if m.group(1) == "1" and int(m.group(2)) >= 10:
            return f"1{m.group(2)}"
        return f"{m.group(1)}.{m.group(2)}"

    return re.sub(r"(?<![\d.,])(\d{1,3}) (\d{2})(?![\d.,])", repl, converted)


# One search each before a loop of substitutions that needs one of its words (most texts have none).
_ANY_SMALL = re.compile(r"\b(?:" + "|".join(SMALL_WORDS) + r")\b", re.IGNORECASE)
_ANY_SLANG = re.compile("|".join(f"(?:{p})" for p in SLANG), re.IGNORECASE)
_ANY_ORDINAL = re.compile(r"\b(?:" + "|".join(ORDINAL_WORDS) + r")\b", re.IGNORECASE)
# the substitutions every message goes through, compiled once (``re.sub`` with a string looks its cache up per call)
_THANKS_A_LOT = re.compile(r"\b(thanks|thank\s+you)\s+a\s+(?:million|bunch|ton)\b", re.IGNORECASE)
_ADJECTIVE_HYPHEN = re.compile(r"(?<=[a-z])-(?=(?:hundred|thousand|dollars?|bucks?|euros?|pounds?)\b)", re.IGNORECASE)
_A_UNIT_AGO = re.compile(r"\ba (day|week|month|year)\b(?=\s+(?:ago|before|earlier))", re.I)
_MILLION = re.compile(r"\b(\d+(?:\.\d+)?)\s+million\b", re.IGNORECASE)
_BILLION = re.compile(r"\b(\d+(?:\.\d+)?)\s+billion\b", re.I)
_NUMBER_WORD = re.compile(
    r"\b(?:four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fifteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred|thousand|million|fifth|sixth|tenth|twentieth|thirtieth)",
    re.IGNORECASE,
)
_A_BUCK = re.compile(r"\ba\s+buck\s+(?:and\s+)?(\d{2})\b", re.IGNORECASE)
_ONE_LAKH = re.compile(r"\b(?:a|one|1)\s+lakhs?\b", re.IGNORECASE)
_LAKHS = re.compile(r"\b(\d+(?:\.\d+)?)\s+lakhs?\b", re.IGNORECASE)
_CRORES = re.compile(r"\b(\d+(?:\.\d+)?)\s+crores?\b", re.IGNORECASE)
_DECIMAL_COMMA = re.compile(r",\d{1,2}$")
_SAID_DAY = re.compile(r"\s*day\s+(?:before\s+yesterday|after\s+tomorrow)\b", re.IGNORECASE)


def words_to_digits(text: str) -> str:
    """Number words to digits, keeping the rest of the text as it was."""
    out = text.replace("’", "'").replace("‘", "'")
    out = _THANKS_A_LOT.sub(r"\1 a lot", out)
    # "a one-hundred-dollar donation", "a five-dollar coffee": the hyphens of an adjective
    out = _ADJECTIVE_HYPHEN.sub(" ", out)
    small = _ANY_SMALL.search(out) is not None  # none of them: the loops below would change nothing
    for word, digit in SMALL_WORDS.items() if small else ():
        out = re.sub(rf"\b{word}\b{UNIT_AFTER_SMALL}", digit, out, flags=re.IGNORECASE)
        # alone, not the end of "forty two" or "a hundred and one"
        out = re.sub(rf"(?<!ty\s)(?<!ty-)(?<!red\s)(?<!and\s)\b{word}\b{MONEY_AFTER_SMALL}", digit, out, flags=re.I)
    for slang, digits in SLANG.items() if _ANY_SLANG.search(out) else ():
        out = re.sub(slang, digits, out, flags=re.IGNORECASE)
    out = _A_UNIT_AGO.sub(r"1 \1", out)
    for word, digit in ORDINAL_WORDS.items() if _ANY_ORDINAL.search(out) else ():
        # "on the second of the month", "on second thought": no day
        no_day = r"(?!\s+(?:of\s+)?(?:the\s+)?(?:month|time|thoughts?|glance|look|try|attempt))"
        out = re.sub(rf"\b(on|the)\s+{word}\b{no_day}", rf"\1 {digit}", out, flags=re.I)
    # "1.2 million", "3 billion": the word scales the number before it (text2num would make it a second number)
    out = _MILLION.sub(lambda m: _scaled(m.group(1), 1_000_000), out)
    out = _BILLION.sub(lambda m: _scaled(m.group(1), 1_000_000_000), out)
    if _NUMBER_WORD.search(out):
        converted = alpha2digit(out, "en")
        converted = re.sub(r"\ba (\d+)", r"\1", converted)  # "a 120" from "a hundred and twenty"
        out = _join_word_decimals(out, converted)
    out = _A_BUCK.sub(r"1.\1 dollars", out)  # "a buck fifty"
    out = _PLUS_EXTRA.sub(_with_extra, out)  # "haircut 25 plus 5 tip": 30 in all
    out = _ONE_LAKH.sub("100000", out)  # Indian English: 1 lakh = 100,000
    out = _LAKHS.sub(lambda m: _scaled(m.group(1), 100_000), out)
    out = _CRORES.sub(lambda m: _scaled(m.group(1), 10_000_000), out)
    return out


# a price and what was added to it: "25 plus 5 tip", "40 + 6 tax", "18 plus a 3 dollar tip" is one payment
_PLUS_EXTRA = re.compile(
    r"(?<![\d.,])(\d+(?:\.\d{1,2})?)\s*(?:plus|\+|and)\s+(?:a\s+)?(\d+(?:\.\d{1,2})?)\s*(?:dollars?\s+|bucks?\s+)?"
    r"(tip|tax|gratuity|shipping|delivery(?:\s+fee)?|service\s+charge)\b(?![^.;]{0,20}\d)",  # no total said after
    re.IGNORECASE,
)


def _with_extra(m: re.Match[str]) -> str:
    total = Decimal(m.group(1)) + Decimal(m.group(2))
    return f"{format(total.normalize(), 'f')} with {m.group(3)}"


def _scaled(number: str, factor: int) -> str:
    return format((Decimal(number) * factor).normalize(), "f")


def _to_decimal(num: str) -> Decimal | None:
    num = num.replace("'", "")  # "7'850": Swiss thousands
    if _DECIMAL_COMMA.search(num):  # a decimal comma: "12,50", "2.400,00"
        num = num.replace(".", "").replace(",", ".")
    elif num.count(".") > 1:  # "6.500.000": thousands grouped with dots
        num = num.replace(".", "")
    try:
        return Decimal(num.replace(",", ""))
    except InvalidOperation:
        return None


def find_amounts(text: str, masked: list[tuple[int, int]] | None = None) -> list[Amount]:
    """All money mentions in already-normalised text, skipping the masked spans (dates)."""
    pattern = AMOUNT_RE_GUARDED if guarded_money(text) else AMOUNT_RE  # "8 450 Ft" forints, "a 25 ft hose" feet
    text = _join_spaced(text)  # "r1 240": 1,240 rand
    found: list[Amount] = []
    count_end = 0  # where the last count said ("38 trips") ended
    spans = masked or []
    for m in pattern.finditer(text):
        start, end = m.start("num"), m.end()
        if any(a <= start < b or a < end <= b for a, b in spans):
            continue
        prev = text[max(0, start - 1) : start]
        if prev and (prev.isalpha() or prev in "_") and not m.group("sym"):
            continue  # "mp3", "b2b": part of a word
        after = text[m.end("num") :]
        said_day = _SAID_DAY.match(after)
        said_scale = (m.group("k") or "").strip().lower()
        local_scale = currencies.SCALE_WORDS.get(said_scale)  # "25rb", "2,5 jt", "200 nghìn", "2tr"
        if said_scale in currencies.SCALE_BEFORE:  # "18 mil kz": the mark after it says whose money
            local_scale = (currencies.SCALE_BEFORE[said_scale][0], "")
        scale = said_scale[:1] if local_scale is None else ""
        scaled = scale == "k" or bool(scale and m.group("sym"))  # "2k", "$1.2M", "$1.5bn": the suffix scales it
        scaled = scaled or local_scale is not None
        if scale and not scaled:
            end = m.end("num")  # "5m" with no currency is as likely minutes or metres: the number as it was
        if not scaled and not m.group("word") and not m.group("mark") and NOT_MONEY_AFTER.match(after) and not said_day:
            counted = COUNTED.match(after)
            count_end = m.end("num") + counted.end() if counted else count_end
            continue
        if count_end and not m.group("sym") and not m.group("word") and SAME_UNIT.fullmatch(text[count_end:start]):
            continue  # "did 38 trips on uber and 12 on doordash": 12 more trips
        if not m.group("sym") and NOT_MONEY_BEFORE.search(text[:start]):
            continue
        value = _to_decimal(m.group("num"))
        if value is None:
            continue
        if scaled:
            value *= SCALE[scale] if local_scale is None else local_scale[0]
        if m.group("cents") or m.group("cents2"):
            value += Decimal(m.group("cents") or m.group("cents2")) / 100
        sym = (m.group("sym") or m.group("psym") or "").lower().rstrip(".")
        if sym == "fr" and _FRIDAY_DATE.fullmatch(text, m.start("num"), m.end("num") + 1):
            continue  # "Fr. 12.03.": Friday the 12th of March (German), no francs
        word = (m.group("word") or "").lower()
        qualified = currencies.QUALIFIED.get(f"{m.group('qual')} {word}".lower()) if m.group("qual") else None
        code = SYMBOLS.get(sym) or qualified or WORD_CURRENCY.get(word) or currencies.GUARDED_MARKS.get(word)
        if sym in currencies.LOCAL_SYMBOLS and word in WORD_CURRENCY:
            code = WORD_CURRENCY[word]  # "size L. 40 dollars": the word says the money, the letter a size
        if sym == "$" and WORD_CURRENCY.get(word, "$") != "$":
            code = WORD_CURRENCY[word]  # "$94.18 canadian", "$72 nzd", "$50 pesos": which currency
        if (
            code == "$"
            and (said := CODE_IN_BRACKETS.match(text, end))
            and said[1].upper() in currencies.DOLLAR_COUNTRIES.values()
        ):
            code, end = said[1].upper(), said.end()  # "twelve dollars sixty (sgd)"
        if m.group("land"):
            if sym == "$":
                code = currencies.DOLLAR_COUNTRIES[m.group("land")]  # "$26 nz"
            else:
                end = m.start("land") - 1  # "26 nz" alone: the letters say nothing
        plain = value >= 10 or not m.group("num").isdigit()  # "385", "38.500", "312,75": a price, not "1 try"
        if sym in currencies.PLAIN_SYMBOLS and not plain and not m.group("word"):
            continue  # "Golf Mk 7": a model's mark; "MK 8,000" is Malawi's kwacha
        said = _WORD_CODE.match(text, end) if (sym == "$" or not sym) and not m.group("word") else None
        if said and not plain and sym != "$" and not _RATE_SAID.match(text, said.end()):
            said = None  # "1 try", "2 bd flat"; but "1 BD = 2.65 USD" names a currency for its rate
        if said:
            code, end = currencies.WORD_CODES[said[1]], said.end()  # "$38.500 COP", "385 TRY"
        before = None if sym or m.group("word") else CODE_BEFORE.search(text[:start])
        if before is None and not sym and not m.group("word") and plain and not m.group("num").isdigit():
            before = _WORD_CODE_BEFORE.search(text[:start])  # "COP 38.500"
        if before:
            code = before.group(1).upper()
        if local_scale is not None and code is None:
            code = local_scale[1] or None  # "25rb" is rupiah, "200 nghìn" dong, unless a currency is said
        marked = bool(sym or m.group("word") or before or m.group("mark") or local_scale or said)
        if not marked and (said_in := _SAID_IN.match(text, end)) and not _CONVERSION.search(text):
            code, marked, end = _said_in_code(said_in), True, said_in.end()  # "38.50 in NZ dollars"
        begin = m.start("sym") if m.group("sym") else start  # "R650" is cut from a description whole
        shared = not sym and not qualified and word in currencies.SHARED
        options = currencies.options(word) if shared else frozenset()
        if not sym and not qualified and currencies.USUAL.get(word, "$") != "$":
            options = currencies.options(word)  # "pesos": Mexico's, unless the user's own pesos are another's
        if word in SLANG_NOTES:  # "a tenner for the Luas" (euros in Dublin): the place or the user says whose
            code = currencies.slang_code(text)  # None: the user's own money
            options = frozenset() if code else currencies.SLANG_NOTE_CODES
        if m.group("mark") and not sym:  # "850/-": a shilling or a rupee, whose not said ("Rs. 500/-" is a rupee)
            word, code, shared = "shillings", currencies.SHARED.get("shillings"), True
            options = currencies.SHILLINGS | (currencies.DASH_RUPEES if m.group("mark") == "/-" else frozenset())
        elif m.group("mark") == "/=" and code == "INR" and currencies.EQUALS_RUPEE and not qualified:
            code = currencies.EQUALS_RUPEE  # "Rs. 8,750/=": the rupee written so is Sri Lanka's
        if sym == "¥" and (local := currencies.local_code("¥", text, currencies.YEN_SIGN_LOCAL | {"JPY"})):
            code = local  # "¥50 for noodles in Beijing": the yuan
        if (mark := sym or word) in currencies.SHARED_MARKS:  # "189 kr": Sweden's, Norway's, Denmark's or Iceland's
            shared, options = True, currencies.options(mark)
            code = currencies.local_code(mark, text) or code  # "kr 89 in Stockholm": Swedish, still asked
            if mark in currencies.SETTLED_BY_LOCAL and code in currencies.local_codes(mark, text):
                shared, options = False, frozenset()  # "300 dh for a grand taxi in Casablanca": Moroccan dirhams
        elif (not sym or sym == "$") and not qualified and word and (local := currencies.local_code(word, text)):
            code, shared, options = local, False, frozenset()  # "3,200 pesos for Meralco": the Philippine peso
        elif code == "$" and not m.group("land") and re.fullmatch(r"[1-9]\d{0,2}(?:\.\d{3})+", m.group("num")):
            local = currencies.local_code("$", text, currencies.DOLLAR_SIGN_PESOS)
            if local is None:  # "$ 32.000": a peso's thousands or a dollar to the tenth of a cent? asked
                shared, options = True, currencies.DOLLAR_SIGN_PESOS | {"MXN"}
            code = local or code  # "D1 $48.300": Colombian pesos, the dot grouping their thousands
        rupee_said = sym in ("rs", "₨") or word in ("rs", "rupee", "rupees")  # not "₹" or "inr": India's own
        if code == "INR" and rupee_said and not qualified and (lands := currencies.local_codes("rupees", text)):
            # "Rs. 2,400 at Khaadi" (Pakistani rupees); words of two rupee countries: which is asked
            code, shared, options = (next(iter(lands)), False, frozenset()) if len(lands) == 1 else (code, True, lands)
        raw = m.group("num") if not scaled and not m.group("cents") and not m.group("cents2") else ""
        if raw and (regrouped := thousands_dot(raw, code)) is not None:
            value = regrouped  # "4.000 €", "2.899 TL", "38.000 baht": thousands
        value = value.normalize() if value == value.to_integral() else value
        found.append(Amount(value, code, begin, end, marked, shared, options, raw))
    once = (last := trailing_currency(text)) is not None and bool(found) and last[0] >= found[-1].end
    if not once and found and (first := leading_currency(text)) is not None and first[0] <= found[0].start:
        last, once = first, True  # "all in vnd: pho 45k, coffee 30k"
    if once and last is not None:
        # "matatu 80, lunch 350, airtime 100. all ksh", "got 12k from a gig, shillings": said once, for each
        _, code, shared, options = last
        found = [a if a.marked else a.in_currency(code, shared, options) for a in found]
    found = [a for a in found if a.value < _BEYOND_MONEY]
    return _said_amounts(text, _subunits(text, _local_letters(text, _glued_q(text, found))))


# No one's ledger holds a quadrillion: a number this long is an id or noise, and its cents would not fit
# the decimal context (a 27-digit "amount" made the engine raise instead of answering).
_BEYOND_MONEY = Decimal(10) ** 15

_SUBUNIT_AT_END = (
    re.compile(r"\s?(" + "|".join(re.escape(w) for w in currencies.SUBUNITS) + r")$") if currencies.SUBUNITS else None
)


def _subunits(text: str, found: list[Amount]) -> list[Amount]:
    """ "800 fils": a coin's count, as a part of the currency the message's other sums are in (or whose country is
    said); else a part of the first that has the coin, asked about."""
    if _SUBUNIT_AT_END is None:
        return found
    coins = {id(a): m[1] for a in found if (m := _SUBUNIT_AT_END.search(text, a.start, a.end))}
    if not coins:
        return found
    out = []
    for a in found:
        if (coin := coins.get(id(a))) is None:
            out.append(a)
            continue
        per = currencies.SUBUNITS[coin]
        said = {b.currency for b in found if id(b) not in coins and b.currency in per}
        code = next(iter(said)) if len(said) == 1 else currencies.local_code("", text, frozenset(per))
        asked = code is None
        code = code or next(iter(per))
        out.append(
            replace(
                a,
                value=a.value / per[code],
                currency=code,
                shared=asked,
                options=frozenset(per) if asked else frozenset(),
            )
        )
    return out


def _local_letters(text: str, found: list[Amount]) -> list[Amount]:
    """ "K65" and "L. 450": letters several countries' money shares (data: local_symbols). A word of one of those
    countries settles whose; without one the sum is asked about, and left out where another sum is said plainly
    ("K12 tuition 300": a school grade)."""
    lettered = [
        (a, codes)
        for a in found
        if (codes := currencies.LOCAL_SYMBOLS.get(text[a.start : a.start + 1]))
        and a.currency == codes[0]
        and not text[a.start + 1 : a.start + 2].isalpha()
    ]
    if not lettered:
        return found
    others = len(lettered) < len(found)
    out = []
    for a in found:
        codes = next((c for b, c in lettered if b is a), None)
        if codes is not None:
            local = currencies.local_code("", text, frozenset(codes))
            if local is not None:
                a = replace(a, currency=local, shared=False, options=frozenset())
            elif others:
                continue
            else:
                a = replace(a, shared=True, options=frozenset(codes))
        out.append(a)
    return out


# a car's model, not a price: "Audi Q5", "Infiniti Q50"
_Q_MODEL = re.compile(r"\b(?:audi|infiniti|my|the|a|an|new|used)\s+$")


def _glued_q(text: str, found: list[Amount]) -> list[Amount]:
    """Quetzales glued to the number ("Q150", "Q25"): surely money only with two digits or more and no other
    number said but other quetzales; "Audi Q5 service 450" is a car ("the Q7", "my Q50" too), and so is "Q8 oil change
    300"; a lone "Q9", or "Q80 ... 300", is asked (settled where the user keeps quetzales)."""
    glued = [
        a for a in found if a.currency == "GTQ" and text[a.start] == "q" and text[a.start + 1 : a.start + 2].isdigit()
    ]
    if not glued:
        return found
    others = any(a not in glued for a in found)
    out = []
    for a in found:
        if a in glued:
            one_digit = re.fullmatch(r"\d", text[a.start + 1 : a.end].strip()) is not None
            if _Q_MODEL.search(text[: a.start]) or (one_digit and others):
                continue  # "Q8 oil change 300": the car's model, the price said after it
            if others or one_digit:
                a = replace(a, shared=True, options=frozenset({"GTQ"}))
        out.append(a)
    return out


_WORD_CODES = "|".join(re.escape(c) for c in currencies.WORD_CODES) or "(?!)"
_WORD_CODE = re.compile(rf"\s?({_WORD_CODES})\b")
_WORD_CODE_BEFORE = re.compile(rf"\b({_WORD_CODES})\s?$")
_RATE_SAID = re.compile(r"\s*(?:=|equals\b)")
# the currencies whose amounts have a third decimal place ("1.500 TND" is a dinar and a half): never regrouped
_THREE_PLACES = frozenset(c.upper() for c in currencies.CODES if get_currency_precision(c.upper()) == 3)
_DOLLARS = frozenset(currencies.DOLLAR_COUNTRIES.values()) | {"$", "USD"}


def thousands_dot(raw: str, code: str | None) -> Decimal | None:
    """ "47.500" as 47,500 where the currency is written with a thousands dot ("Rp 47.500", "2.899 TL"), or is
    another than a dollar with no third decimal place ("38.000 baht": nobody prices baht to a thousandth);
    None where the number stays as written ("$3.459" a gallon, "1.500 TND" a dinar and a half, "0.500")."""
    if code is None or code in _THREE_PLACES or (code in _DOLLARS and code not in DOT_THOUSANDS):
        return None
    if not re.fullmatch(r"[1-9]\d{0,2}(?:\.\d{3})+", raw):
        return None
    return Decimal(raw.replace(".", ""))


_TRAILING_WORDS = "|".join(
    re.escape(w)
    for w in sorted(set(WORD_CURRENCY) - {"won"}, key=len, reverse=True)  # "..., won" is a win
)
# the currency said once after the amounts: "..., all ksh", "... both in francs", "..., shillings"
_TRAILING = re.compile(
    rf"(?:[,.;:!-]\s*(?:(?:all|both|each|everything|they\s+were|it\s+was|that'?s|its|it'?s)\s+)?|"
    rf"\s(?:all|both|each|everything)\s+)(?:in\s+)?(?:(?P<qual>{QUAL})\s)?(?P<word>{_TRAILING_WORDS})\s*[.!]*\s*$"
)


# ... or in brackets after them, "pho 45.000, coffee 30.000 (vnd)", or before them: "all in vnd: pho 45k, tea 30k"
_BRACKETED = re.compile(
    rf"\s*\(\s*(?:(?:all|both|each)\s+)?(?:in\s+)?(?:(?P<qual>{QUAL})\s)?(?P<word>{_TRAILING_WORDS})\s*\)\s*[.!]*\s*$"
)
# (not "pounds": "my weight in pounds: 180" is no money)
_LEADING = re.compile(
    rf"^(?:[a-z']+\s+){{0,2}}?(?:(?:all|everything|prices?|amounts?)\s+)?in\s+(?:(?P<qual>{QUAL})\s|(?!pounds?\b))"
    rf"(?P<word>{_TRAILING_WORDS})\s*[:;,-]"
)


def leading_currency(text: str) -> tuple[int, str | None, bool, frozenset[str]] | None:
    """The currency said once at the start for the amounts after it ("all in vnd: pho 45k, coffee 30k"):
    where the saying ends, then as ``trailing_currency``."""
    m = _LEADING.search(text)
    return None if m is None else (m.end(), *_said_once(m, text))


def trailing_currency(text: str) -> tuple[int, str | None, bool, frozenset[str]] | None:
    """The currency said once at the end of a message for the amounts before it ("..., both ksh"): where
    it starts, the code, whether the word is shared by several countries, and what it may mean."""
    m = _TRAILING.search(text) or _BRACKETED.search(text)
    return None if m is None else (m.start(), *_said_once(m, text))


def _said_once(m: re.Match[str], text: str) -> tuple[str | None, bool, frozenset[str]]:
    word = m.group("word").lower()
    qualified = currencies.QUALIFIED.get(f"{m.group('qual')} {word}".lower()) if m.group("qual") else None
    if qualified:
        return qualified, False, frozenset()
    if (local := currencies.local_code(word, text)) is not None:
        return local, False, frozenset()
    shared = word in currencies.SHARED
    return WORD_CURRENCY.get(word), shared, currencies.options(word) if shared else frozenset()


# a number glued to the word before it is part of a name or a model ("flat 1", "switch 2", "Microsoft 365")
_GLUED = re.compile(r"(?<![\w'])([a-z][a-z+]*)\s$|(?<![\w'-])([a-z]{1,4})-$")  # "flat 1", "the f-150"
# words after which a number is what something cost: never a name's number
_CUE_WORDS = frozenset(
    {"at", "for", "is", "was", "it's", "its", "be", "cost", "costs", "costing", "paid", "pay", "spent", "spend",
     "of", "about", "around", "like", "target", "goal", "to", "by", "and", "plus", "only", "just", "came", "total",
     "approx", "roughly", "worth", "over", "under", "budget", "limit"}
)  # fmt: skip
# what says a number is the money: a currency, or a cue word just before it, or ", 449" ending the message
_CUED = re.compile(r"\b(?:target|goal|it'?s|is|was|costs?|price[ds]?)\s+(?:like\s+|about\s+)?$")
# weaker: "at 69.99", "for 30", ", 449" at the end: a name's number next to a list's separator stays an entry
_CUED_WEAK = re.compile(r"(?:\b(?:at|for|paid|of|about|around)\s+|,\s*)$")
# between two amounts of a run: a separator, then only the next item's words ("lunch 14, parking 6")
_RUN = re.compile(r"\s*(?:,|and|&|\+|n|plus)\s+(?:[a-z][a-z' -]*?\s*)?[a-z][a-z' -]*\s*")
# a correction between two amounts: "was it 20?? no - 100.17", "40, sorry, 45": the later one was meant
_CORRECTION = re.compile(
    r"^[\s?!.,)-]*(?:no+|nope|sorry|oops|i\s+mean|actually|wait|make\s+(?:that|it)|correction|scratch\s+that)\b"
    r"[\s,.:!-]*(?:it\s+was\s+|its?\s+|it's\s+)?$"
)


# "7,890 won monthly, renews on the 12th. oh wait it bills my US card, $5.99": the money is corrected to
# another currency late in the message, after a stop; the later amount is the one meant
_SWITCH = re.compile(
    r"(?:^|[.!?;,]\s*)(?:oh\s+)?(?:no\s+)?(?:wait|actually)\b[\s,]*(?:it\s+(?:bills|charges|goes\s+on)|it'?s|its)?"
    r"[^.?!\d]{0,40}$"
)


def _switched(a: Amount, b: Amount, between: str) -> bool:
    return b.marked and a.marked and (a.currency or "$") != (b.currency or "$") and bool(_SWITCH.search(between))


def _said_amounts(text: str, found: list[Amount]) -> list[Amount]:
    """The amounts a message means, when it has several: a number said in a name or a model ("bought
    Genki 1 ..., 89.95 AUD", "roof on flat 2, target 9,000") is not money when another number is marked
    or cued as money, and an amount taken back ("was it 20?? no - 100.17") gives way to the later one."""
    if len(found) < 2:
        return found
    kept = [
        a
        for a, b in itertools.pairwise(found)
        if not _CORRECTION.match(text[a.end : b.start]) and not _switched(a, b, text[a.end : b.start])
    ]
    found = [*kept, found[-1]]

    def glued(a: Amount) -> bool:
        raw = text[a.start : a.end]
        if a.marked or not raw.isdigit() or a.value >= 1000:
            return False
        m = _GLUED.search(text[: a.start])
        return m is not None and (m.group(1) or m.group(2)) not in _CUE_WORDS

    def cue(a: Amount) -> int:  # 2: surely the money, 1: likely, 0: nothing says so
        head = text[: a.start]
        if a.marked or _CUED.search(head):
            return 2
        if not _CUED_WEAK.search(head):
            return 0
        if head.rstrip().endswith(","):  # ", 449" ends the message (or its clause)
            return 1 if not re.search(r"[a-z]", text[a.end :].split(",")[0]) else 0
        return 1

    def a_name(i: int) -> bool:
        """ "flat 1, £850", "switch 2 for christmas, 449": a glued number before the money, nothing between
        but the name's words (a run, "lunch 14 and coffee for 5", keeps both); or "£850 flat 1" after it."""
        if not glued(found[i]):
            return False
        if i + 1 < len(found) and (after := cue(found[i + 1])):
            between = text[found[i].end : found[i + 1].start]
            run = _RUN.fullmatch(between)
            return not run or (after == 2 and bool(_CUED.search(between)))
        if i > 0 and cue(found[i - 1]) == 2:
            return re.fullmatch(r"\s+[a-z]+\s", text[found[i - 1].end : found[i].start]) is not None
        return False

    names = [a for i, a in enumerate(found) if a_name(i)]
    return [a for a in found if a not in names] if len(names) < len(found) else found


def resolve_currency(code: str | None, user_currency: str) -> str | None:
    """The ISO code to pass on, or None when the user meant their own currency."""
    if code is None:
        return None
    if code == "$":
        return None if user_currency in DOLLAR_LANDS else "USD"
    return None if code == user_currency else code


def pick_amount(amounts: list[Amount], text: str = "") -> Amount | None:
    """The amount the user means: a marked one first, else the first number said.

    With the text, "2 for 140" / "3 x 12" read as a count and a price: the price is meant.
    """
    if not amounts:
        return None
    marked = [a for a in amounts if a.marked]
    if marked:
        return marked[0]
    first = amounts[0]
    counted = text and len(amounts) > 1 and first.value == first.value.to_integral() and first.value <= 20
    if counted and re.fullmatch(r"\s*(?:[a-z]+\s+){0,2}(?:for|at|@)\s*", text[first.end : amounts[1].start]):
        return amounts[1]
    return first


def format_amount(value: Decimal) -> str:
    """Decimal string with cents ("12.50", "1600.00")."""
    return f"{value.quantize(Decimal('0.01'))}"


def settle_shared(
    found: list[Amount], own: Callable[[], frozenset[str]] | None, text: str = "", home: str | None = None
) -> list[Amount]:
    """A word several countries share ("francs", "shillings", "850/-") read as the one of them the user
    has a rate for, entries in or keeps their books in, or whose code the message says ("145 shillings,
    save that for KES"): asked about only when none or several fit. A shared word with a usual reading
    ("pesos": Mexico's) keeps it unless exactly one other of its currencies is the user's (a user with a
    PHP rate and no MXN one means Philippine pesos); a local word in the message has settled it already."""
    if not any(a.options for a in found):
        return found
    said = {w.upper() for w in re.findall(r"\b[a-z]{3}\b", text.lower()) if w in currencies.CODES}
    mine = (own() if own is not None else frozenset()) | said | ({home.upper()} if home else set())
    out = []
    for a in found:
        fits = a.options & mine
        if len(fits) == 1 and (a.shared or a.currency not in fits):
            a = a.in_currency(next(iter(fits)), False, a.options)  # "$ 32.000" for a user with COP: 32,000 pesos
        elif len(fits) > 1 and not a.shared and a.currency is not None:
            a = replace(a, shared=True, options=fits)  # pesos for a user with both MXN and PHP ones: which?
        # (a slang note, "a fiver", with several of the user's currencies it may be in, stays the user's own)
        out.append(a)
    return out


def in_entry_grouping(amount: Amount, last_args: Mapping[str, Any] | None) -> Decimal:
    """A correction's sum read the way the entry it corrects was written: "it was 2.200 not 2.400" after a
    dinar entry is 2,200 dinars (Serbia groups thousands with a dot), not 2.20. Only a number said with no
    currency of its own; a dollar entry, or a currency with a third decimal place (the dinar of Jordan),
    keeps the number as written."""
    code = (last_args or {}).get("currency")
    if amount.marked or not amount.raw or not isinstance(code, str):
        return amount.value
    regrouped = thousands_dot(amount.raw, code.upper())
    return amount.value if regrouped is None else regrouped
