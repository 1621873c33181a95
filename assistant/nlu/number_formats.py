"""How numbers and currencies are written: small and slang number words, currency symbols, codes, marks
and words, the amount pattern and the space-grouped thousands ("R2 000").

Why apart from amounts.py: the vocabulary of written money is one job; finding and picking amounts is another.
"""

from __future__ import annotations

import re
from decimal import Decimal

from . import currencies

SMALL_WORDS = {"one": "1", "two": "2", "a couple of": "2", "a couple": "2", "three": "3"}
SLANG = {
    r"\ba\s+fiver\b": "5 fiver",  # the note's name stays: whose fiver is for the message or the user to say
    r"\ba\s+tenner\b": "10 tenner",
    r"\ba\s+grand\b": "1000 dollars",
    r"\b(\d+(?:\.\d+)?)\s+grand\b": r"\1k",
    r"\ba\s+couple\s+(?:of\s+)?hundred\b": "200",
    r"\ba\s+few\s+hundred\b": "300",
    r"\ba\s+(hundred|thousand)\b": r"one \1",
}
ORDINAL_WORDS = {"first": "1st", "second": "2nd", "third": "3rd"}
UNIT_AFTER_SMALL = r"(?=\s+(?:more\s+)?(?:days?|weeks?|months?|years?|transactions?|expenses?|entries|items|purchases))"
MONEY_AFTER_SMALL = r"(?=\s+(?:grand|bucks|dollars|euros|pounds|quid)\b)"  # "two grand", "three bucks"
# a currency code said before the number: "EUR 18", "gbp 9.50"
CODE_BEFORE = re.compile(rf"\b({'|'.join(sorted(currencies.CODES))})\s?$", re.IGNORECASE)

SYMBOLS = {"$": "$", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₽": "RUB", "rs": "INR", "r": "ZAR"}
# "Q150", "Q25": Guatemala's quetzal glued to the number, as "R650" is rand; "Q1" to "Q4" alone are a year's quarters
SYMBOLS["q"] = "GTQ"
# "K85", "L. 450": a kwacha's or a lempira's letter (amounts.py settles whose, or asks)
SYMBOLS |= {k: v[0] for k, v in currencies.LOCAL_SYMBOLS.items()}
SYMBOLS |= currencies.PREFIXED_DOLLARS  # "nz$86.40", "a$12", "hk$300", "r$50"
SYMBOLS |= {k.rstrip("."): v for k, v in currencies.LETTER_SYMBOLS.items()}  # "ksh 1,500", "fr. 4.80", "tsh 20,000"
# "₴200", "15 zł", "14,200원": CLDR's signs (one character) and words of other scripts, before or after
_SIGNS = {s: c for s, c in currencies.OTHER_MARKS.items() if len(s) == 1 and not s.isalnum()}
_MARK_WORDS = {s: c for s, c in currencies.OTHER_MARKS.items() if s not in _SIGNS}
SYMBOLS |= _SIGNS | {s: c for s, c in _MARK_WORDS.items() if s not in SYMBOLS}
AFTER_SIGNS = "".join(re.escape(s) for s in sorted(set("€£¥₹₩₽") | set(_SIGNS)))  # "8,500₩"
SIGN_CHARS = re.escape("$") + AFTER_SIGNS
LETTERS = "|".join(
    re.escape(s) for s in sorted([*currencies.LETTER_SYMBOLS, *_MARK_WORDS, *currencies.SHARED_MARKS], key=len)[::-1]
)
MARKS = "|".join(re.escape(m) for m in currencies.SHILLING_MARKS) or "(?!)"
PREFIXED = "|".join(re.escape(p) for p in sorted(currencies.PREFIXED_DOLLARS, key=len, reverse=True) if p[:1].isalnum())
# "$U 450" (Uruguay's peso): a sign first and the country's letter after it, before a number
SIGN_FIRST = (
    "|".join(
        re.escape(p) + r"(?=\s?\d)"
        for p in sorted(currencies.PREFIXED_DOLLARS, key=len, reverse=True)
        if not p[:1].isalnum()
    )
    or "(?!)"
)
# "$26 nz", "$40 au": a country's letters after a dollar amount name its dollar
LANDS = "|".join(sorted(currencies.DOLLAR_COUNTRIES, key=len, reverse=True))
WORD_CURRENCY = {
    "dollar": "$", "dollars": "$", "bucks": "$", "buck": "$", "usd": "USD",
    "euro": "EUR", "euros": "EUR", "eur": "EUR",
    "pound": "GBP", "pounds": "GBP", "quid": "GBP", "gbp": "GBP",
    "yen": "JPY", "jpy": "JPY", "rupees": "INR", "rupee": "INR", "inr": "INR",
    "cad": "CAD", "aud": "AUD", "chf": "CHF", "francs": "CHF", "pesos": "MXN", "mxn": "MXN",
    "rand": "ZAR", "zar": "ZAR", "peso": "MXN", "baht": "THB", "thb": "THB",
    "ngn": "NGN", "ghs": "GHS", "kes": "KES", "php": "PHP",
    "rs": "INR", "canadian": "CAD", "aussie": "AUD",  # "150 rs", "$94.18 canadian"
}  # fmt: skip
# "a tenner", "a fiver": a note said by its slang name, in the user's money unless the message or the user's
# own currencies say another (a tenner in Dublin is euros)
SLANG_NOTES = frozenset({"tenner", "fiver"})
WORD_CURRENCY |= dict.fromkeys(SLANG_NOTES, "$")
# every other currency's name from babel ("naira", "cedis", "zloty"); the table above keeps its reading
WORD_CURRENCY = currencies.UNIQUE | currencies.SHARED | WORD_CURRENCY
# every ISO code said as a word ("54 nzd", "$72 NZD"), and the nicknames that stand alone ("40 loonies")
WORD_CURRENCY = {c: c.upper() for c in currencies.CODES} | WORD_CURRENCY
_ALONE = {k: v for k, v in currencies.NICKNAMES.items() if k not in currencies.QUALIFIERS}  # "40 loonies"
WORD_CURRENCY |= {k: v for k, v in _ALONE.items() if k not in WORD_CURRENCY}
# babel's letters said after the number too ("1,500 ksh", "500 nis"), those without a dot
WORD_CURRENCY |= {
    k: v
    for k, v in currencies.LETTER_SYMBOLS.items()
    if "." not in k and k not in WORD_CURRENCY and k not in currencies.WORD_CODES  # "2 bd flat": money only plain
}
WORD_CURRENCY |= {k: v for k, v in _MARK_WORDS.items() if k not in WORD_CURRENCY}  # "15 zł", "14,200원"
WORD_CURRENCY |= {k: v for k, v in currencies.AFTER_WORDS.items() if k not in WORD_CURRENCY}  # "145 LE", "120 บาท"
WORD_CURRENCY |= {k: next(iter(v)) for k, v in currencies.SUBUNITS.items() if k not in WORD_CURRENCY}  # "800 fils"
# "189 kr", "kr. 189": a mark several countries share, read as the data's first and asked about (amounts.py)
WORD_CURRENCY |= {k.rstrip("."): currencies.SHARED[k] for k in currencies.SHARED_MARKS}
SYMBOLS |= {k.rstrip("."): currencies.SHARED[k] for k in currencies.SHARED_MARKS}
# currencies written with a decimal comma and a thousands dot: "4.000 €" is four thousand
DOT_THOUSANDS = frozenset(currencies.DOT_THOUSANDS)
DOLLAR_LANDS = {"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN"}

SCALE = {"k": Decimal(1000), "m": Decimal(1000000), "b": Decimal(1000000000)}  # a suffix after a number
# "1,250.00", then the European "2.400,00" and "12,50" (a comma before one or two digits is a decimal point)
# ("7'850" is the Swiss way of grouping thousands; "6.500.000", two dots or more, can only be thousands)
NUM = r"\d{1,3}(?:'\d{3})+(?:\.\d+)?|"
NUM += r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:\.\d{3})+,\d{2}(?!\d)|\d{1,3}(?:\.\d{3}){2,}(?![.,]?\d)|"
NUM += r"\d+,\d{1,2}(?![\d,])|\d+(?:\.\d+)?|\.\d+"
CUR_WORD = "|".join(re.escape(w) for w in sorted(WORD_CURRENCY, key=len, reverse=True))
# "25rb", "2,5 jt", "200 nghìn", "2tr": local words of scale (data), those said only glued to the number apart
_SCALE_SPACED = [w for w in currencies.SCALE_WORDS if w not in currencies.SCALE_GLUED]
LOCAL_SCALE = (
    r"\s?(?:"
    + "|".join(re.escape(w) for w in sorted(_SCALE_SPACED, key=len, reverse=True))
    + r")\b"
    + "".join(f"|{re.escape(w)}\\b" for w in sorted(currencies.SCALE_GLUED))
    if currencies.SCALE_WORDS
    else "(?!)"
)
# "18 mil kz": "mil" a thousand only before a mark of a country that says it so ("2 mil" alone may be millions)
LOCAL_SCALE += "".join(
    rf"|\s{re.escape(w)}(?=\s?(?:{'|'.join(re.escape(m) for m in marks)})\b)"
    for w, (_, marks) in currencies.SCALE_BEFORE.items()
)
QUAL = "|".join(re.escape(q) for q in sorted(currencies.QUALIFIERS, key=len, reverse=True))


def _amount_re(cur_word: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?P<sym>\b(?:{PREFIXED})|{SIGN_FIRST}|[{SIGN_CHARS}]|\brs\.?(?=\s?\d)|\br(?=\d)|\bq(?=\d)(?![1-4](?![\d.,]?\d))|\bk(?=\d{{2}})|\bl\.(?=\s?\d)|\b(?:{LETTERS})(?=\s?\d))?\s?(?P<num>{NUM})"
        r"(?:\.[-–—]{1,2}(?!\w))?"  # "Fr. 45.–": Swiss whole francs
        rf"(?P<k>\s?[kK]\b|(?:mm|m|bn|b)\b|{LOCAL_SCALE})?"
        rf"(?:\s?(?:(?P<qual>{QUAL})\s)?(?P<word>{cur_word})\b|\s?(?P<psym>[{AFTER_SIGNS}])|\s(?P<land>{LANDS})\b(?![$'-])|(?P<mark>{MARKS}))?"
        r"(?:\s?(?:and\s)?(?P<cents>\d{1,2})\s?cents?\b|"
        # "twelve dollars sixty" (12.60), "37 dollars and 50": two digits right after a currency word, ending the phrase
        r"(?<=[a-z])\s(?:and\s)?(?P<cents2>\d{2})(?=\s*(?:$|[,.;!?(])))?"
    )


AMOUNT_RE = _amount_re(CUR_WORD)
# ... where a guarded mark ("Ft") is money in this message: "8 450 Ft", "450 Ft in Budapest"
AMOUNT_RE_GUARDED = _amount_re(
    "|".join(re.escape(w) for w in sorted([*WORD_CURRENCY, *currencies.GUARDED_MARKS], key=len, reverse=True))
)
# "R1 240", "€2 400", "18 000 rand": thousands grouped with a space (a no-break or narrow one too), read so
# only where a currency that is written that way marks the number (CLDR: its country groups with a space):
# "room 4 500" or a phone number stays as it was, and so does "$5 100"
_GAP = "[ \u00a0\u202f]"
_SPACED_NUM = rf"\d{{1,3}}(?:{_GAP}\d{{3}})+(?!\d)(?![.,]\d{{3}})(?P<dec>[.,]\d{{1,2}}(?!\d))?"
_SPACED_SYMBOLS = {s for s, code in SYMBOLS.items() if code in currencies.SPACE_GROUPED} | {
    c for c in currencies.CODES if c.upper() in currencies.SPACE_GROUPED
}
_SPACED_CHARS = "".join(re.escape(s) for s in sorted(_SPACED_SYMBOLS) if len(s) == 1 and not s.isalpha())
_SPACED_LETTERS = "|".join(
    re.escape(s) + ("" if len(s) == 1 else r"\.?\s?")  # "r1 240" (a lone letter is glued), "zar 1 240"
    for s in sorted((s for s in _SPACED_SYMBOLS if s[:1].isalpha()), key=len, reverse=True)
)
_SPACED_WORDS = "|".join(
    re.escape(w)
    for w in sorted(
        (w for w, c in (WORD_CURRENCY | currencies.GUARDED_MARKS).items() if c in currencies.SPACE_GROUPED), key=len
    )[::-1]
)
# "1 850 dollars", "20 000 DA": a space-grouped number with a currency's name or mark right after it is one sum
# in any currency (people write thousands so whatever their money); "2 100 dollar bills" stays two numbers
_MONEY_WORDS = "|".join(
    re.escape(w)
    for w in sorted(
        (w for w in [*WORD_CURRENCY, *currencies.PLAIN_WORDS] if w[:1].isalpha() and w not in SLANG_NOTES), key=len
    )[::-1]
)  # ("1 500 dram", "12 000 lei": a word money only where the price is plain is so, grouped)
_MONEY_VERBS = (
    r"(?:paid|pay|pays|paying|spent|spend|spends|spending|cost|costs|costing|charged|charges|came\s+to|comes\s+to|"
    r"come\s+to|totall?ed|was|owe|owed|received|earned)"  # ("dinner for 2 150" is two people, 150)
)
_SPACED = re.compile(
    rf"(?:(?<![a-z])(?:{_SPACED_LETTERS})|[{_SPACED_CHARS}]\s?)(?P<num>{_SPACED_NUM})"
    rf"|(?<![\d.,])(?<!\d{_GAP})(?P<num2>{_SPACED_NUM.replace('?P<dec>', '?P<dec2>')})"
    rf"(?=\s?(?:(?:{_SPACED_WORDS})\b|[{_SPACED_CHARS}]|(?:{_MONEY_WORDS})\b(?!\s+(?:bills?|notes?|coins?|gift)\b)))"
    # "it was 1 145,60 not 1 245,60": space-grouped thousands with a decimal comma and its two cents are one sum
    # with no mark ("2 100" alone, a count and a price, stays two numbers)
    rf"|(?<![\d.,])(?<!\d{_GAP})(?P<num3>\d{{1,3}}(?:{_GAP}\d{{3}})+(?P<dec3>,\d{{2}})(?![\d.,]))"
    # "i paid 1 200 for the tv", "$1 200", "it came to N$1 860": after a money verb or a currency's sign a
    # space-grouped number is one sum in any currency, unless a unit or a count follows ("paid 2 100 times")
    rf"|(?:\b{_MONEY_VERBS}\s(?:(?:about|around|like|only|just|me|us|him|her|them)\s)?(?:[a-z]{{1,3}}\$\s?|\$\s?)?|"
    rf"(?<![a-z])(?:[a-z]{{1,3}})?\$\s?)"
    rf"(?<![\d.,])(?P<num4>{_SPACED_NUM.replace('?P<dec>', '?P<dec4>')})"
    rf"(?!\s?(?:{_MONEY_WORDS})?\s*(?:bills?|notes?|coins?|each|apiece)\b)"
)


# a month or a date word just before a number: "Dec 1 900 dollars" is the 1st and 900
_DAY_BEFORE = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s$|(?:\bno\.?|\bnumber|#)\s?$",
    re.IGNORECASE,
)


def _join_spaced(text: str) -> str:
    """ "r1 240" -> "r1,240", "1 240,50 €" -> "1.240,50 €": the same length, so every span still holds."""

    def repl(m: re.Match[str]) -> str:
        which = next(w for w in ("num", "num2", "num3", "num4") if m.group(w))
        if which == "num2" and _DAY_BEFORE.search(text, 0, m.start()):
            return m.group(0)  # "rent Dec 1 900 dollars": the day, then the sum
        if which == "num4" and (NOT_MONEY_AFTER.match(text, m.end()) or COUNTED.match(text, m.end())):
            return m.group(0)  # "paid 2 100 times", "$5 100 times over": a number, then a count
        decimal = m.group("dec") or m.group("dec2") or m.group("dec3") or m.group("dec4") or ""
        joint = "." if decimal.startswith(",") else ","
        a, b = m.start(which) - m.start(), m.end(which) - m.start()
        whole = m.group(0)
        return whole[:a] + re.sub(_GAP, joint, whole[a:b]) + whole[b:]

    return _SPACED.sub(repl, text) if re.search(rf"\d{_GAP}\d", text) else text


_GUARDED = "|".join(re.escape(w) for w in currencies.GUARDED_MARKS) or "(?!)"
# a guarded mark after a number grouped the way the currency's own country writes thousands ("8 450 Ft",
# "12.990 Ft"): English writes a length's thousands with a comma ("30,000 ft")
_GUARDED_GROUPED = re.compile(rf"(?<![\d.,])\d{{1,3}}(?:[ \u00a0\u202f.]\d{{3}})+\s?(?P<mark>{_GUARDED})\b")
_GUARDED_ANY = re.compile(rf"\d\s?(?P<mark>{_GUARDED})\b")


def guarded_money(text: str) -> bool:
    """Whether the guarded marks after numbers here ("Ft") are money: one of them after a number in its
    country's grouping, or the country said ("Budapest"); else they are the unit ("a 25 ft hose")."""
    if not (said := _GUARDED_ANY.search(text)):
        return False
    if _GUARDED_GROUPED.search(text):
        return True
    return currencies.local_code(said["mark"], text, frozenset({currencies.GUARDED_MARKS[said["mark"]]})) is not None


# "12 dollars (sgd)": the code in brackets after a dollar amount says which dollar
CODE_IN_BRACKETS = re.compile(r"\s*\(\s*([a-z]{3})\s*\)")
# what follows a number that makes it a count, a time or a date rather than money
NOT_MONEY_AFTER = re.compile(
    r"(?:(?:st|nd|rd|th)\b|\s*[-+*x×^=/]\s*\d|\s*%|\s?°|-eleven|/\d|:\d|\s*(?:am|pm)\b|\s*[ap]\.m|"
    r"\s*(?:most\s+recent|latest|recent)\b|"
    r"\s*(?:more\s+)?(?:days?|weeks?|wks?|months?|years?|yrs?|hours?|hrs?|h|minutes?|mins?|nights?|times|"
    r"transactions?|expenses?|entries|entry|items|purchases|records|payments|people|persons|kids|"
    r"miles|km|gb|mb|percent|trips|rides|deliveries|runs|orders)\b|\s+of\s+(?:them|those|these|em)\b)",
    re.IGNORECASE,
)
# a count of things done, and a later bare number that shares its unit ("38 trips on uber today and 12 on doordash")
COUNTED = re.compile(r"\s*(?:trips|rides|deliveries|runs|orders|items|people|kids|times|shifts)\b")
SAME_UNIT = re.compile(r"[a-z' ]{0,40}?\band\s+")
NOT_MONEY_BEFORE = re.compile(r"(?:\d[/:.-]|\d\s*[+*×^=]\s*|#|\bno\.\s?|\btop\s|\bfirst\s)$", re.IGNORECASE)


# "a card and a book, 38.50 in NZ dollars": the currency the amount was paid in, said after "in" (never in a
# conversion: "what is 100 in eur" asks about another currency)
_SAID_IN = re.compile(rf"\s+in\s+(?:(?P<qual>{QUAL})\s)?(?P<word>{CUR_WORD})\b(?=\s*(?:[,.;!]|$))")
_CONVERSION = re.compile(r"\b(?:what|how|convert|conversion|know|tell|worth|equals?|rate|buy|get)\b|=|\?")


def _said_in_code(m: re.Match[str]) -> str | None:
    word = m.group("word").lower()
    if m.group("qual"):
        return currencies.QUALIFIED.get(f"{m.group('qual')} {word}".lower()) or WORD_CURRENCY.get(word)
    return WORD_CURRENCY.get(word)


# a day and a month written the German way, dots after each: "12.03." (after "Fr.", a Friday)
_FRIDAY_DATE = re.compile(r"(?:[12]\d|3[01]|0?[1-9])\.(?:1[0-2]|0?[1-9])\.")
