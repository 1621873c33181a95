"""A message mostly in another language: which one, and the English the engine reads it as, word by word.

Why a gloss and not "English only": people write a budgeting app the way they talk, a Bogotá freelancer's
"cobro de freelance 2.400.000 COP" or a Jakarta student's "bayar parkir 5000" (both team-written here). The
sums, currencies and shop names are the same in every language; what a request turns on is a handful of
words (paid, bought, paid me, costs, wrong, change it to, should I, my husband, plans to), and those are
data (``data/languages.yaml``), twenty-three languages' common words and the glosses of sixteen. The gloss goes
through the same engine as English, so another person's purchase, a plan, a question or a price seen is
refused the same way in Swedish as in English.

What keeps it safe (``read``): a message is read through its gloss only when most of its words are known
(glossed, English, the app's vocabulary, a name, a number); a write from it runs unasked only when nearly
all its words are known and its sum is marked with a currency, or it changes the entry just made; any
other write is asked first, naming the exact action. Too few words known: the "English only" reply.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache, lru_cache, partial
from pathlib import Path
from typing import Any

import yaml
from babel.numbers import is_currency

from .amounts import find_amounts, settle_shared
from .lexicon import PHRASES
from .model import load
from .understanding import WRITES, NLUContext, Understanding, _reply

_WORDS = re.compile(r"[^\W\d_][\w'’-]*")
#: at least this share of a message's words known for its gloss to be read at all
READ_SHARE = 0.6
#: ... and for a write from it to run unasked (a sum marked with a currency, or a change to the last entry)
WRITE_SHARE = 0.8
#: a write from another language that is not sure enough to run unasked is asked first, never below this
ASK_CONFIDENCE = 0.6
_CHANGES = frozenset({"update_transaction", "delete_transaction"})
#: writes a plan word does not undo: a goal or a budget is a plan by nature ("quiero juntar 900 pa un viaje")
_PLANNED = frozenset({"set_goal", "set_budget", "set_monthly_income"})
#: money someone sent the user is the user's own income ("mi primo me devolvió 300")
_TO_ME = re.compile(r"\b(?:paid me|paid me back|sent me|gave me)\b")
#: writes that are someone else's when the message is about someone else ("mi hermana gastó 60 €"); a goal,
#: a budget or a category for them ("tuition ng kapatid ko") is still the user's own
_THEIRS = frozenset({"log_expense", "log_income", "add_subscription", "update_subscription"})


@dataclass(frozen=True)
class Language:
    name: str
    words: frozenset[str]  # the words that tell it apart (the gloss's one-word keys among them)
    gloss: dict[str, str]
    pattern: re.Pattern[str] | None  # the gloss's keys, longest first
    dot_groups: bool  # "2.400.000" is two million four hundred thousand, "8,25" eight and a quarter
    scale: re.Pattern[str] | None  # "25rb", "30 triệu": a number and a word that multiplies it
    factors: dict[str, tuple[Decimal, str]]  # a scale word's factor, and the currency it names ("2 rojos": 2000 CRC)
    first_class: bool = False  # read as English is: a sum with no currency said is in the user's own books
    space_groups: bool = False  # "2 000 dh" is two thousand dirhams
    phrases: re.Pattern[str] | None = None  # a first-class language's phrases of two words or more ("no era")
    borrowed: frozenset[str] = frozenset()  # words an English message borrows from it ("no espera", "con el tip")
    compounds: bool = False  # "Urlaubs-Ziel" is two words, "3. März" the 3rd of March (German)
    # phrases whose words a gloss word by word would leave in the wrong order ("ay 3.500 pala" is "actually 3.500"),
    # said in English before the gloss, in its messages and in English ones that mix them in
    reorder: tuple[tuple[re.Pattern[str], str], ...] = ()
    # its currencies' names are read in English messages too ("18 dolares"); not where a name says which
    # country's ("pesos" in a Tagalog message are Philippine pesos, in an English one they are not)
    lends_currencies: bool = True
    elided: re.Pattern[str] | None = None  # "dell'autobus": elided articles, split from what follows (Italian)
    day_mark: re.Pattern[str] | None = None  # "renew 5hb": a day of the month with its mark (Malay "hari bulan")


@cache
def _doc() -> dict[str, Any]:
    """``data/languages.yaml``, read once (with libyaml's parser where PyYAML has it: the pure-Python one took
    0.4 s a read, which the first chat message after start paid twice)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    text = (Path(__file__).resolve().parent / "data" / "languages.yaml").read_text(encoding="utf-8")
    doc: dict[str, Any] = yaml.load(text, Loader=loader)  # a safe loader, C or Python
    return doc


def warm_up() -> None:
    """Read the language data and build its patterns (at start, in the background: not in a chat turn)."""
    _data()
    _word_owners()
    _varieties()
    _lexicon_words()


@lru_cache(maxsize=1)
def _data() -> tuple[
    frozenset[str], tuple[Language, ...], frozenset[str], re.Pattern[str], tuple[tuple[str, re.Pattern[str]], ...]
]:
    doc = _doc()
    english = frozenset(doc["english"])
    langs: list[Language] = []
    glossed: set[str] = set()
    for name, spec in doc["languages"].items():
        gloss = {str(k).lower(): str(v) for k, v in (spec.get("gloss") or {}).items()}
        if spec.get("elisions"):  # "l'altro ieri" is read after its article is split off: "l' altro ieri"
            gloss = {_ELIDED_IN_KEY.sub("' ", k): v for k, v in gloss.items()}
        # a currency's name ("pesos", "kr") says where, not which language: it does not tell one
        words = frozenset(spec.get("words") or ()) | {
            k for k, v in gloss.items() if _WORDS.fullmatch(k) and not any(a.marked for a in find_amounts(f"1 {v}"))
        }
        keys = sorted(gloss, key=len, reverse=True)
        pattern = (
            re.compile(
                r"(?<![\w'’])(?:" + "|".join(re.escape(k) for k in keys) + r")(?:(?<=['’-])|(?![\w'’]))", re.IGNORECASE
            )
            if keys
            else None
        )
        factors = {str(k).lower(): _factor(v) for k, v in (spec.get("scale") or {}).items()}
        scale = (
            re.compile(r"(\d+(?:[.,]\d+)?)\s?(" + "|".join(re.escape(k) for k in factors) + r")(?![\w])", re.IGNORECASE)
            if factors
            else None
        )
        langs.append(
            Language(
                name,
                words,
                gloss,
                pattern,
                bool(spec.get("dot_groups")),
                scale,
                factors,
                bool(spec.get("first_class")),
                bool(spec.get("space_groups")),
                _phrases(gloss) if spec.get("first_class") else None,
                frozenset(str(w).lower() for w in spec.get("borrowed") or ()),
                bool(spec.get("compounds")),
                tuple((re.compile(str(k), re.IGNORECASE), str(v)) for k, v in (spec.get("reorder") or {}).items()),
                bool(spec.get("lends_currencies", True)),
                elided=_elisions(gloss) if spec.get("elisions") else None,
                day_mark=_day_mark(spec.get("day_mark")),
            )
        )
        glossed.update(w for v in gloss.values() for w in v.split())
    not_done = tuple(
        (kind, re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b"))
        for kind, words in (doc.get("not_done") or {}).items()
    )
    # "cena con mi amigo", "una tele pa mis viejos": with them or for them, the money is still the user's; "en
    # casa de mami" (at their place) too
    not_theirs = r"(?<!\bwith\s)(?<!\bwith\smy\s)(?<!\bfor\smy\s)(?<!\bplace\sof\s)(?<!\bplace\sof\smy\s)"
    others = re.compile(not_theirs + r"\b(?:" + "|".join(doc["others"]) + r")\b")
    return english, tuple(langs), frozenset(glossed), others, not_done


def _factor(value: object) -> tuple[Decimal, str]:
    """A scale word's factor and the currency it says, if any: ``1000`` ("25 mil") or ``1000 CRC`` ("2 rojos" is
    two thousand-colón notes)."""
    factor, *code = str(value).split()
    return Decimal(factor), " ".join(code)


def _elisions(gloss: dict[str, str]) -> re.Pattern[str] | None:
    keys = sorted((k for k in gloss if k.endswith("'") and " " not in k), key=len, reverse=True)
    pattern = r"(?<![\w'’])(" + "|".join(re.escape(k) for k in keys) + r")(?=[^\W\d_])"
    return re.compile(pattern, re.IGNORECASE) if keys else None


def _day_mark(mark: object) -> re.Pattern[str] | None:
    if not mark:
        return None
    return re.compile(r"(?<![\d.,])([1-9]|[12]\d|3[01])\s?" + re.escape(str(mark)) + r"\b", re.IGNORECASE)


def _days_said(lang: Language, text: str) -> str:
    """``text`` with the days of the month written with the language's mark said in English ("5hb" is "the 5th")."""
    if lang.day_mark is None:
        return text
    return lang.day_mark.sub(lambda m: f"the {m[1]}{_ordinal(int(m[1]))}", text)


def _phrases(gloss: dict[str, str]) -> re.Pattern[str] | None:
    keys = sorted((k for k in gloss if " " in k), key=len, reverse=True)
    pattern = r"(?<![\w'’])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![\w'’])"
    return re.compile(pattern, re.IGNORECASE) if keys else None


def identify(text: str) -> Language | None:
    """The language ``text`` is mostly in, when not English: two of its words or more, and more of them than
    English ones. A word it shares with English ("i" is Swedish for "in") counts for neither; a phrase of a
    first-class language ("no era", "el mes pasado") counts once more."""
    low = text.lower()
    words = _WORDS.findall(low)
    if len(words) < 2:
        return None
    english, langs, _, _, _ = _data()
    owners, shared = _word_owners()
    # "dell'autobus", "l'aeroporto": an elided article a language owns is a word of its own, and so is what follows
    words = [part for w in words for part in _elided(w, owners)]
    # one pass over the words (every message comes through here): each language's own words, and the English
    # words each language also has (they count for neither side)
    own, english_shared, english_count = [0] * len(langs), [0] * len(langs), 0
    for w in words:
        if w in english:
            english_count += 1
            for i in shared.get(w, ()):
                english_shared[i] += 1
        else:
            for i in owners.get(w, ()):
                own[i] += 1
    best: tuple[int, Language] | None = None
    for i, lang in enumerate(langs):
        if lang.phrases is not None:  # "no era 45": a phrase only the language says is a word of it more
            own[i] += len(lang.phrases.findall(low))
        if own[i] >= 2 and own[i] > english_count - english_shared[i] and (best is None or own[i] > best[0]):
            best = (own[i], lang)
    return best[1] if best else None


def _elided(word: str, owners: dict[str, tuple[int, ...]]) -> tuple[str, ...]:
    cut = word.find("'") + 1
    if 0 < cut < len(word) and word[:cut] in owners:
        return word[:cut], word[cut:]
    return (word,)


@cache
def _word_owners() -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]:
    """For each word, the languages (by their place in ``_data()``) that have it: its own words (not English
    ones), and the English words a language also lists."""
    english, langs, _, _, _ = _data()
    owners: dict[str, list[int]] = {}
    shared: dict[str, list[int]] = {}
    for i, lang in enumerate(langs):
        for w in lang.words:
            (shared if w in english else owners).setdefault(w, []).append(i)
    return {w: tuple(v) for w, v in owners.items()}, {w: tuple(v) for w, v in shared.items()}


# "4.100", "2.400.000", "1.247,50": thousands grouped with dots (a comma decimal after them, or nothing)
# (never from a 0: "0.017" is a decimal in any language)
_DOT_GROUPED = re.compile(r"(?<![\d.,])([1-9]\d{0,2}(?:\.\d{3})+)(,\d{1,2})?(?![\d]|[.,]\d)")


def gloss(text: str, lang: Language) -> str:
    """``text`` with the language's known words and phrases said in English (the rest as written), and its
    dot-grouped numbers written the English way ("4.100 pesos" is 4100 pesos where dots group thousands)."""
    text = _reordered(text, lang)
    if lang.dot_groups:
        text = _DOT_GROUPED.sub(lambda m: m[1].replace(".", "") + (m[2] or "").replace(",", "."), text)
    if lang.scale is not None:
        text = lang.scale.sub(lambda m: _scaled(m[1], *lang.factors[m[2].lower()]), text)
    if lang.space_groups:
        text = _SPACE_GROUPED.sub(lambda m: m[0].replace(" ", "").replace("\u202f", "").replace("\xa0", ""), text)
    text = _days_said(lang, text)
    if lang.elided is not None:
        text = lang.elided.sub(r"\1 ", text)
    if lang.compounds:
        # "mein Urlaubs-Ziel", "das Spotify-Abo": each part of a hyphened compound is a word of its own; "am 3. März":
        # a day written with its ordinal dot before a word is the day
        text = _DAY_DOT.sub(r"\1", _COMPOUND.sub(" ", text))
    if lang.pattern is None:
        return text
    said = lang.pattern.sub(partial(_glossed, lang.gloss), text)
    # "sa 8th nagre-renew" glossed is "at 8th renews": a day of the month is "on the 8th"
    said = _AT_ORDINAL.sub(r"on the \1", said)
    # "se cobra el 18": the day of the month a gloss leaves bare is said the English way, "renews on the 18th"
    return _DAY_OF_MONTH.sub(lambda m: f"{m[1]}{m[2]}{_ordinal(int(m[2]))}", said)


_AT_ORDINAL = re.compile(r"\bat ((?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th))\b")


def _reordered(text: str, lang: Language) -> str:
    for pattern, english in lang.reorder:
        text = pattern.sub(english, text)
    return text


def _glossed(gloss: dict[str, str], m: re.Match[str]) -> str:
    """A known word said in English; an article written capitalised inside the message before a capitalised word
    stays as written: it begins a name ("cuánto gasté en La Sirena", "El Corte Inglés")."""
    word = m.group(0)
    english = gloss[word.lower()]
    if english == "the" and m.start() > 0 and word[0].isupper() and _NAME_AFTER.match(m.string, m.end()):
        return word
    return english


_ELIDED_IN_KEY = re.compile(r"'(?=[^\W\d_])")
_COMPOUND = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
_DAY_DOT = re.compile(r"(?<![\d.,])([1-9]|[12]\d|3[01])\.(?=\s?[^\W\d_])")
_NAME_AFTER = re.compile(r" [A-ZÁÉÍÓÚÑ]")
_DAY_OF_MONTH = re.compile(r"\b(renews on the )([1-9]|[12]\d|3[01])(?!\d|[.,]\d|st|nd|rd|th)")
# "2 000 dh": thousands grouped with spaces (French)
_SPACE_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u202f\xa0]\d{3})+(?![\d]|[.,]\d{3})")


def _ordinal(day: int) -> str:
    return "th" if 10 < day % 100 < 14 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _scaled(number: str, factor: Decimal, code: str = "") -> str:
    value = Decimal(number.replace(",", ".")) * factor
    said = str(value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize())
    return f"{said} {code}" if code else said


def known_share(glossed: str) -> float:
    """The share of the words of a glossed message the engine can read: English, a gloss, a word of the
    app's vocabulary or lexicon, or a name (capitalised)."""
    words = _WORDS.findall(glossed)
    if not words:
        return 1.0
    english, _, glossed_words, _, _ = _data()
    vocab, lexicon_words = load().word_index, _lexicon_words()
    named = {w.lower() for m in _NAMED.finditer(glossed) for w in _WORDS.findall(m[1])}
    known = sum(
        1
        for w in words
        if w[0].isupper()
        or (low := w.lower()) in english
        or low in glossed_words
        or low in vocab
        or low in lexicon_words
        or low in named
    )
    return known / len(words)


#: a goal named after "into", written in lowercase ("metí 100 en lo de punta cana"): a name, known as one
_NAMED = re.compile(r"\binto ((?:[^\W\d_]+ ?){1,3})(?=[^\w\s]|$)")


@lru_cache(maxsize=1)
def _lexicon_words() -> frozenset[str]:
    return frozenset(w for p in PHRASES for w in p.split())


def read(text: str, ctx: NLUContext, english: Callable[[str, NLUContext], Understanding]) -> Understanding | None:
    """What a message mostly in another language asks, through ``english`` (the engine) on its gloss; None when
    the message is English."""
    lang = identify(text)
    if lang is None:
        mixed = _people_said(text)
        return None if mixed == text else english(mixed, ctx)
    said = gloss(text, lang)
    share = known_share(said)
    if share < READ_SHARE or identify(said) is not None:
        return _reply("other_language", 0.1)
    out = english(said, ctx)
    writes = [c for c in out.calls if c.name in WRITES]
    if share < WRITE_SHARE:  # read, but too little of it to act on or answer
        return _reply("other_language", 0.1) if not writes else _asked(out)
    if not writes:
        return out
    for kind, words in _data()[4]:
        if words.search(said.lower()) and not all(c.name in _CHANGES | _PLANNED for c in writes):
            return _reply(kind, out.confidence, out.intent)  # "planuję kupić rower za 2000 zł": a plan
    theirs = [c for c in writes if c.name in _THEIRS and not (c.name == "log_income" and _TO_ME.search(said.lower()))]
    if _data()[3].search(said.lower()) and theirs:
        # "mi hermana gastó 60 € en la cena", "mein Mann hat 80 € ausgegeben": someone else's money
        return _reply("someone_else", out.confidence, out.intent) if out.intent == "log_expense" else _asked(out)
    own = lang.first_class and not (lang.scale is not None and lang.scale.search(text))
    # a write with no sum in it ("avísame 3 días antes q se renueve spotify") is clear when it is the user's own
    unpriced = own and not _data()[3].search(said.lower())
    if all(
        c.name in _CHANGES
        or (unpriced and not _MONEY_ARGS & set(c.args))
        or _bought_as_checked(c.name, said, ctx, own)
        or _sum_clear(said, ctx, own)
        for c in writes
    ):
        return out
    return _asked(out)


@dataclass(frozen=True)
class Variety:
    """An English variety's own words (``data/languages.yaml``, "varieties") and how to say them in standard English."""

    words: frozenset[str]
    least: int
    gloss: dict[str, str]
    pattern: re.Pattern[str]
    always: re.Pattern[str] | None
    subject: re.Pattern[str] | None
    verbs: dict[str, str]


_BOUND_BEFORE = r"(?<![\w'’-])"
_BOUND_AFTER = r"(?![\w'’-])"


@cache
def _varieties() -> tuple[Variety, ...]:
    doc = _doc()
    out: list[Variety] = []
    for spec in (doc.get("varieties") or {}).values():
        gloss = {str(k).lower(): str(v) for k, v in spec["gloss"].items()}
        keys = sorted(gloss, key=len, reverse=True)
        always = sorted((str(a).lower() for a in spec.get("always") or ()), key=len, reverse=True)
        said = {str(k).lower(): str(v) for k, v in (spec.get("subject_before") or {}).items()}
        verbs = sorted(said, key=len, reverse=True)
        out.append(
            Variety(
                frozenset(str(w).lower() for w in spec["words"]),
                int(spec.get("min", 2)),
                gloss,
                re.compile(_BOUND_BEFORE + "(?:" + "|".join(map(re.escape, keys)) + ")" + _BOUND_AFTER, re.IGNORECASE),
                re.compile(_BOUND_BEFORE + "(?:" + "|".join(map(re.escape, always)) + ")" + _BOUND_AFTER, re.IGNORECASE)
                if always
                else None,
                re.compile(
                    _BOUND_BEFORE + r"mi\s+(" + "|".join(map(re.escape, verbs)) + ")" + _BOUND_AFTER,
                    re.IGNORECASE,
                )
                if verbs
                else None,
                said,
            )
        )
    return tuple(out)


def _in_standard_english(text: str) -> str:
    """``text`` with an English variety's words said in standard English ("Di gym raise di price" is "the gym
    raise the price", "mi pay 75 fi a tyre" is "I pay 75 for a tyre"): when the message has enough of them, or
    for the few phrases only the variety says ("a goal fi a new roof")."""
    for variety in _varieties():
        words = _WORDS.findall(text.lower())
        if sum(1 for w in words if w in variety.words) >= variety.least:
            if variety.subject is not None:
                text = variety.subject.sub(partial(_subject_said, variety.verbs), text)
            text = variety.pattern.sub(partial(_word_by_word, variety.gloss), text)
        elif variety.always is not None:
            text = variety.always.sub(partial(_word_by_word, variety.gloss), text)
    return text


def _subject_said(verbs: dict[str, str], m: re.Match[str]) -> str:
    return "I " + verbs[m[1].lower()]


def _word_by_word(gloss: dict[str, str], m: re.Match[str]) -> str:
    said = m[0].lower()
    english = gloss[said] if said in gloss else " ".join(gloss.get(w, w) for w in said.split())
    return english[:1].upper() + english[1:] if m[0][:1].isupper() else english


def _people_said(text: str) -> str:
    """English with a first-class language's words for a person or a currency in it ("Mi hermana paid 1,200 for
    the dentist", "uber to south beach 18 dolares"): those words said in English, so that someone else's money is
    seen as theirs and a sum as money, as in English; else ``text``. An English variety's words are said in
    standard English first."""
    text = _in_standard_english(text)
    for lang in _data()[1]:
        if not lang.first_class:
            continue
        text = _reordered(text, lang)
        if (pattern := _mixed(lang.name)) is not None:
            said = pattern.sub(partial(_said_in_english, lang.gloss), text)
            # "add icloud 2.99 sebulan, renew 5hb": a borrowed word says which language's day marks to read
            text = said if said == text else _days_said(lang, said)
    return text


def _said_in_english(gloss: dict[str, str], m: re.Match[str]) -> str:
    return gloss[m[0].lower()]


@cache
def _mixed(name: str) -> re.Pattern[str] | None:
    """A first-class language's words that an English message borrows: a person ("mi hermana"), a currency's
    name ("dólares") or a word of its ``borrowed`` list ("no espera it was 30 con el tip")."""
    lang = next(lang for lang in _data()[1] if lang.name == name)
    others = _data()[3]
    keys = sorted(
        (
            k
            for k, v in lang.gloss.items()
            if (" " in k and others.search(v))
            or (lang.lends_currencies and _is_currency_name(k, v))
            or k in lang.borrowed
        ),
        key=len,
        reverse=True,
    )
    return (
        re.compile(r"(?<![\w'’])(?:" + "|".join(map(re.escape, keys)) + r")(?![\w'’])", re.IGNORECASE) if keys else None
    )


def _is_currency_name(key: str, english: str) -> bool:
    return " " not in key and key != english and any(a.marked for a in find_amounts(f"1 {english}"))


def _asked(out: Understanding) -> Understanding:
    """``out``'s calls asked first: the exact action named, nothing written unasked."""
    calls = tuple(replace(c, confidence=min(c.confidence, ASK_CONFIDENCE)) for c in out.calls)
    return replace(out, calls=calls, confidence=min(out.confidence, ASK_CONFIDENCE))


#: the arguments that carry a sum: a write without one ("avísame 3 días antes") has no currency to read
_MONEY_ARGS = frozenset({"amount", "target_amount", "rate", "limit"})
_CODE = re.compile(r"\b[A-Z]{3}\b")


_NEXT_WORD = re.compile(r"\s?([^\W\d_]{1,4})\b")


def _mark_after(low: str, end: int) -> bool:
    """Whether a short word no list knows follows a sum ("2000 dh", "450 rs"): a currency's mark the recognisers
    do not read, so the sum is not the user's own books' without asking."""
    if (m := _NEXT_WORD.match(low, end)) is None:
        return False
    english, _, glossed_words, _, _ = _data()
    word = m[1]
    return word not in english and word not in glossed_words and word not in load().word_index


_CODE_BEFORE = re.compile(r"(?<![\w'’])([A-Z]{2,3})\s?$")


def _mark_around(said: str, low: str, start: int, end: int) -> bool:
    return _mark_after(low, end) or _mark_before(said, start)


def _mark_before(said: str, start: int) -> bool:
    """Whether a short capitalised word no list knows comes just before a sum ("BD 18.750", "KD 4"): a currency's
    mark the recognisers do not read, so the sum is not the user's own books' without asking."""
    if (m := _CODE_BEFORE.search(said, 0, start)) is None:
        return False
    word = m[1].lower()
    english, _, glossed_words, _, _ = _data()
    return word not in english and word not in glossed_words and word not in load().word_index


def english_of(text: str) -> str:
    """``text`` as the engine reads it: its English gloss when it is mostly another language, else as written
    (the write-safety policy judges "38 dolares" by its gloss, a sum in dollars, not a count of something)."""
    lang = identify(text)
    return _people_said(text) if lang is None else gloss(text, lang)


def _bought_as_checked(name: str, said: str, ctx: NLUContext, own_books: bool) -> bool:
    """Whether a write is the purchase just checked, now bought ("sige bibilhin ko na, log mo na" after "pwede ko
    bang bilhin yung AirPods, 179 dollars?"): its sum is the check's, said no new way; in the user's own books in a
    first-class language, else only when the check named its currency."""
    last = ctx.last_args or {}
    return (
        name == "log_expense"
        and ctx.last_tool == "check_purchase"
        and not find_amounts(said.lower())
        and (own_books or bool(last.get("currency")))
    )


def _sum_clear(said: str, ctx: NLUContext, own_books: bool = False) -> bool:
    """Whether every sum is read one way: its currency said and read as one (a sign, a code or a word the
    recognisers know; "pesos" only for a user with one peso), and no currency code beside it left unread
    ("$156.800 COP" read as dollars is not sure). A sum with no currency is not: said in another language,
    "beli kopi 25rb" is rupiah however the user keeps their books. In a first-class language (``own_books``) a
    sum with no currency is the user's own, as in English ("pagué 60 de luz")."""
    low = said.lower()
    found = find_amounts(low)
    own = (ctx.own_currencies() if ctx.own_currencies else frozenset()) | {ctx.currency}
    settled = settle_shared(found, lambda: own, low, ctx.currency)
    read = {str(b.currency).upper() for a, b in zip(found, settled, strict=True) if a.marked}
    if not found or any(c not in read for c in _CODE.findall(said) if is_currency(c)):
        return False
    return all(
        (a.marked or (own_books and not a.shared and not a.options and not _mark_around(said, low, a.start, a.end)))
        and (not (a.shared or a.options) or b.currency in own)
        for a, b in zip(found, settled, strict=True)
    )
