"""Everyday typos in the words that decide an intent ("buget", "cancle", "spnt", "recieved")
and in the lexicon's item and merchant words ("coffe", "starbuck").

Why so narrow: a wrong correction is worse than none. The words the rules key on are corrected
at one edit (a swap of two letters counts as one), never from a real word that sits one edit
away ("sent" stays "sent", not "spent"), and chat shorthands ("hw", "wat") are spelled out.
A lexicon word (five letters or more) is only restored from a word no English dictionary knows
(pyspellchecker's word list, loaded on the first such word), and only by adding, dropping or
swapping a letter, never by changing one: "coffe" becomes "coffee", "lights" stays "lights".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from .lexicon import PHRASES

# the words intents and categories key on, in the forms people type
TARGETS = (
    "budget", "budgets", "groceries", "grocery", "dining", "cancel", "cancelled", "spent", "spend", "spending",
    "delete", "afford", "subscription", "subscriptions", "transaction", "transactions", "expense", "expenses",
    "salary", "yesterday", "restaurant", "insights", "remove", "reminder", "payment", "payments", "monthly",
    "income", "received", "receive", "purchase", "category", "transport", "entertainment", "paycheck",
    "insurance", "electricity", "utilities", "summary", "remaining", "savings", "renews", "renewal",
    "purchases", "reminders",
)  # fmt: skip
# real words one edit from a target: never "corrected"
REAL_WORDS = frozenset(
    {
        "sent", "send", "scent", "spelt", "speed", "sending", "speeding", "spends", "budge", "cancer", "canceled",
        "remote", "remainder", "brought", "expanse", "expanses", "renew", "renewed", "renewals", "incomes",
        "receiver", "removed", "deleted", "purchased", "spender", "summery", "saving", "budgetwise",
    }
)  # fmt: skip
SHORTHANDS = {
    "hw": "how", "wat": "what", "wht": "what", "yday": "yesterday", "tmrw": "tomorrow", "tmr": "tomorrow",
    "nite": "night", "txn": "transaction", "txns": "transactions", "trx": "transactions", "subs": "subscriptions",
    "tix": "tickets", "thinkin": "thinking", "bout": "about", "wot": "what", "wots": "what's",
    # a day word typed run together: "uber home 18.90 lastnight"
    "lastnight": "last night", "lastnite": "last night", "lastweek": "last week", "lastmonth": "last month",
    "thismorning": "this morning", "daybefore": "day before",
    # the word other languages use for a subscription, as their speakers often write it in English
    "abonnement": "subscription", "abonnements": "subscriptions", "abo": "subscription", "abos": "subscriptions",
}  # fmt: skip
WORD = re.compile(r"[A-Za-z]+")


def _one_edit(a: str, b: str) -> bool:
    """True when ``a`` becomes ``b`` by one insertion, deletion, substitution or swap of neighbours."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


# lexicon words a typo may be restored to, by first letter
LEXICON_WORDS: dict[str, tuple[str, ...]] = {}
for _phrase in sorted(PHRASES):
    if _phrase.isalpha() and len(_phrase) >= 5:
        LEXICON_WORDS[_phrase[0]] = (*LEXICON_WORDS.get(_phrase[0], ()), _phrase)


@lru_cache(maxsize=1)
def _dictionary() -> Callable[[str], bool] | None:
    """Whether a word is English, from pyspellchecker's frequency list (None: not installed)."""
    try:
        from spellchecker import SpellChecker
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    words = SpellChecker(distance=1).word_frequency
    return lambda word: word in words


def warm_up() -> None:
    """Load the dictionary now (the first unknown word would otherwise wait for it)."""
    _dictionary()


def _is_english(word: str) -> bool:
    known = _dictionary()
    return True if known is None else known(word)


is_english = _is_english  # whether a lower-case word is in the English word list (no list: True)


@lru_cache(maxsize=4096)
def correct_word(word: str) -> str | None:
    """The target ``word`` is a typo of, or None (lowercase in, lowercase out)."""
    if word in SHORTHANDS:
        return SHORTHANDS[word]
    if len(word) < 4 or word in REAL_WORDS or word in TARGETS or word in PHRASES:
        return None
    if word.endswith("in") and not _is_english(word) and _is_english(word + "g"):
        return word + "g"  # the dropped g of speech: "eatin out", "fixin the AC", "drivin" ("cousin" is a word)
    found = [t for t in TARGETS if t[0] == word[0] and _one_edit(word, t)]
    if found:
        return found[0] if len(found) == 1 else None
    if len(word) < 5:
        return None
    size, letters = len(word), sorted(word)  # once, not per lexicon word
    # a length two or more away is never one edit: skipped before the comparison, which would say no
    near = [
        t
        for t in LEXICON_WORDS.get(word[0], ())
        if abs(len(t) - size) <= 1 and (len(t) != size or sorted(t) == letters)
    ]
    near = [t for t in near if _one_edit(word, t)]
    return near[0] if len(near) == 1 and not _is_english(word) else None


CONTRACTIONS = re.compile(r"\b(what|how|where|when|who)'d\b", re.IGNORECASE)
#: texting shorthands with a digit in them (the word matcher sees letters only): "due b4 payday"
DIGIT_SHORTHANDS = re.compile(r"\b(?:b4|2day|2moro|2morrow|2nite)\b", re.IGNORECASE)
DIGIT_WORDS = {"b4": "before", "2day": "today", "2moro": "tomorrow", "2morrow": "tomorrow", "2nite": "tonight"}

#: a lone "2" said for "to" before a verb ("too tired 2 be thinking", "coffee 2 go"): a word, never money
#: ("buy 2 get 1 free" keeps its count: "get" is not in the list), and for "too" before a feeling ("2 tired")
DIGIT_TO = re.compile(
    r"(?<![\d.,$€£¥₹])\b2\s+(?=(?:be|go|do|see|say|think|know|talk|sleep|deal|care|worry|bother|handle)\b)",
    re.IGNORECASE,
)
DIGIT_TOO = re.compile(r"(?<![\d.,$€£¥₹])\b2\s+(?=(?:tired|busy|broke|lazy|sleepy|stressed|much)\b)", re.IGNORECASE)

#: "yr" is a year only after a period word ("this yr", "last yr", "per yr"); alone it is often "your"
PERIOD_YR = re.compile(r"\b(this|last|next|per|a|each|every|the\s+whole)\s+yrs?\b", re.IGNORECASE)


def fix_typos(text: str) -> str:
    """``text`` with typos of the deciding words corrected (keeping a leading capital)."""
    text = CONTRACTIONS.sub(r"\1 did", text)  # "what'd i spend" asks what I did spend
    text = DIGIT_SHORTHANDS.sub(lambda m: DIGIT_WORDS[m.group(0).lower()], text)
    text = DIGIT_TO.sub("to ", text)
    text = DIGIT_TOO.sub("too ", text)
    text = PERIOD_YR.sub(r"\1 year", text)  # "this yr"; a lone "yr" is as often "your"

    def repl(m: re.Match[str]) -> str:
        word = m.group(0)
        fixed = correct_word(word.lower())
        if fixed is None:
            return word
        return fixed.capitalize() if word[:1].isupper() else fixed

    return WORD.sub(repl, text)
