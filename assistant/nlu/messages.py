"""A message before its intent: the talk around a request, bad input, several expenses in one.

Why apart from the decision: these read the words only (no model): "um could you log that ...",
an empty or 4,000-character message, another language, "8 on coffee and 42 on a haircut".
"""

import re
from dataclasses import replace
from itertools import pairwise
from typing import Any

from . import lexicon
from .amounts import Amount, find_amounts, leading_currency, settle_shared, trailing_currency
from .arg_common import _log_expense, _log_income
from .dates import date_spans, find_date
from .numbers import is_money
from .understanding import Msg, Understanding, _reply

# talk around a request that changes nothing in it: "um ...", "hey budgetwise ...", "... thx"
FILLER_LEAD = re.compile(
    r"^(?:(?:u+m+|u+h+|e+r+m*|h+m+|oh|ah|ugh|so|ok(?:ay)?(?!\s+(?:to|if)\b)|hey|yo|well|like|basically|alright|right|"
    r"(?:hey\s+)?budget\s*wise)\b[\s,.!:-]*)+",
    re.IGNORECASE,
)
# a request put politely: "could you please log that I spent ..." is "I spent ..."
POLITE_LEAD = re.compile(
    r"^(?:(?:can|could|would|will)\s+you\s+)?(?:please\s+|pls\s+|kindly\s+)?"
    r"(?:(?:log|record|note|add|put\s+down|write\s+down|track)\s+that\s+)?(?=\S)",
    re.IGNORECASE,
)
POLITE_TAIL = re.compile(r"[\s,.!]+(?:thx|thanks|thank\s+you|ty|pls|plz|please|cheers)[\s.!]*$", re.IGNORECASE)


def _without_fillers(text: str) -> str:
    """``text`` without leading fillers and a trailing "thx", when a request of two words or more remains."""
    out = POLITE_TAIL.sub("", POLITE_LEAD.sub("", FILLER_LEAD.sub("", text), count=1))
    return out if len(out.split()) >= 2 else text


MAX_CHARS = 1000
# a comma between two digits is inside a number ("2,50 €", "NZ$1,104.30"), not between two entries
# "tix 85 + parking 20": a plus between words joins two entries (a "+44" number keeps its sign)
SPLIT = re.compile(r"\s*(?:(?<!\d),|,(?!\d)|;|\band\b|\bplus\b|\balso\b|\bthen\b|(?<=\S)\s+\+\s+(?=\S))\s*")
_POLITE_WRITE = re.compile(
    r"\b(?:can|could|would|will)\s+you\s+(?:please\s+|kindly\s+|just\s+)?(?:log|add|record|put|set|create|make|"
    r"note|track|delete|remove|cancel|change|update|move|fix|correct|save|enter|mark|jot|take|shift|remind|analy[sz]e|"
    r"write\s+(?:it|that|this)\s+down)\b"
)
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_WORDS = re.compile(r"[^\W\d_][\w']*")


def _is_polite_write(low: str) -> bool:
    """ "could you please log 20 for lunch?", "... can you track it?": the question mark is manners, not a question."""
    return _POLITE_WRITE.search(low) is not None


def _bad_input(text: str) -> Understanding | None:
    """Empty, far too long, or no words at all: a clear answer and nothing else."""
    if not text:
        return _reply("empty", 0.1)
    if len(text) > MAX_CHARS:
        return _reply("too_long", 0.1)
    if not _LETTER.search(text) and not _DIGIT.search(text):
        return _reply("no_words", 0.1)  # emoji, punctuation
    letters = [] if text.isascii() else _LETTER.findall(text)  # all ASCII: every letter is
    if letters and sum(1 for c in letters if c.isascii()) < 0.5 * len(letters):
        return _reply("other_language", 0.1)  # another script; another Latin-script language: ``languages``
    return None


_RUN_JOINER = re.compile(r"^\s*(?:n|&|\+|w|with)\s+|\s+(?:n|&|\+)\s*$")
_RUN_ITEM = re.compile(r"\s*[a-z][a-z' -]*?\s*")  # only an item's words between two amounts
_RUN_PRICE_WORDS = re.compile(r"\b(?:for|at|on|each|per|x|a\s+piece)\b")
_RUN_SPENT_ON = re.compile(r"\s*(?:on|for|at)\s+[a-z]")  # "20 on uber n 35 ...": each amount says what it bought
_RUN_VERB_END = re.compile(r"(?:^|\b)(?:spent|paid|bought|on|for|of)\s*$")


def _split_run(piece: str) -> list[str]:
    """A run of expenses with no "and" between them: "gas 40 groceries 62.30", "20 on uber n 35 on dinner".

    Item-then-amount runs ("lunch 14 parking 6") are cut after each amount; amount-then-item runs
    ("spent 20 on uber n 35 on dinner") before each later amount. Only written digits are cut, so a
    spoken number's span never has to be mapped back.
    """
    low = piece.lower()
    found = find_amounts(low, date_spans(low))
    if len(found) < 2 or not all(any(c.isdigit() for c in low[a.start : a.end]) for a in found):
        return [piece]
    head = low[: found[0].start]
    between = [low[a.end : b.start] for a, b in pairwise(found)]
    if re.search(r"[a-z]", head) and not _RUN_VERB_END.search(head):
        if not all(_RUN_ITEM.fullmatch(b) and not _RUN_PRICE_WORDS.search(b) for b in between):
            return [piece]  # "tickets 2 for 140", "got 2 games for 24.98": a count and its price
        cuts = [a.end for a in found[:-1]]
    else:
        if not all(_RUN_SPENT_ON.match(b) for b in between):
            return [piece]
        cuts = [a.start for a in found[1:]]
    out: list[str] = []
    prev = 0
    for cut in [*cuts, len(piece)]:
        part = _RUN_JOINER.sub(" ", piece[prev:cut]).strip()
        if part:
            out.append(part)
        prev = cut
    return out


def _and(last: Msg, piece: str) -> Msg:
    text = f"{last.text} and {piece}"
    return Msg(text, text.lower(), last.ctx, last.amounts, last.amount, lexicon.keyword_hits(text.lower()))


# a piece of a list that says money came in ("my pension came in today, 1,104.30, and I paid the power bill, 138")
PIECE_IN = re.compile(
    r"\b(?:pension|salary|paycheck|pay\s*check|wages|stipend|dividends?|allowance|benefit)\s+(?:came\s+in|arrived|landed|"
    r"hit|went\s+in|was\s+paid|paid\s+out)\b|\bgot\s+paid\b|\bpaid\s+me\b"
)


def _one_currency(parts: list[Msg]) -> list[Msg]:
    """The pieces of one list said with one foreign currency on some and none on the rest ("the shop was 54.20
    and a top-up for 20 euro", "milk tea 150 and siomai 60 pesos"): the currency said is every piece's."""
    home = parts[0].ctx.currency
    said = {p.amount.currency for p in parts if p.amount is not None and p.amount.marked}
    foreign = said - {None, home}
    if len(foreign) != 1 or len(said) != 1:
        return parts
    marked = next(p.amount for p in parts if p.amount is not None and p.amount.marked)
    out = []
    for p in parts:
        if p.amount is not None and not p.amount.marked:
            amount = p.amount.in_currency(marked.currency, marked.shared, marked.options)
            p = Msg(p.text, p.low, p.ctx, [amount if a is p.amount else a for a in p.amounts], amount, p.hits)
        out.append(p)
    return out


def _settled_in_message(piece: Amount, whole: list[Amount]) -> Amount:
    """A piece's shared word ("600 dinars") read as the whole message read it, where a local word said in another
    piece settled it ("... at Maxi and then 600 dinars at the pharmacy": Serbian dinars, Maxi is Serbia's)."""
    if not piece.shared or not piece.raw:
        return piece
    same = [a for a in whole if a.raw == piece.raw and a.value == piece.value]
    if len(same) == 1 and not same[0].shared and same[0].currency in piece.options:
        return replace(piece, currency=same[0].currency, shared=False, options=frozenset())
    return piece


def _expenses(msg: Msg) -> list[tuple[str, dict[str, Any], float]] | None:
    """Several expenses in one message ("8 on coffee and 42 on a haircut"): one call per piece with one amount;
    a piece that says money came in ("my pension came in, 1,104.30, and I paid the power bill, 138") is income."""
    money = [a for a in msg.amounts if is_money(msg.low, a)]
    if len(money) < 2:
        return None
    tail = trailing_currency(msg.low)  # "..., all ksh": said once for every piece, and no piece's words
    said = msg.text[: tail[0]] if tail is not None and tail[0] >= money[-1].end else msg.text
    if said is msg.text and (lead := leading_currency(msg.low)) is not None and lead[0] <= money[0].start:
        tail, said = lead, msg.text[lead[0] :]  # "all in vnd: pho 45k, coffee 30k": said once, before the pieces
    pieces = [run for p in SPLIT.split(said) if p.strip() for run in _split_run(p)]
    parts: list[Msg] = []
    pending = ""  # words said before their amount ("coffee, 4.50", "my pension came in today, 1,104.30")
    for piece in pieces:
        low = piece.lower()
        found = find_amounts(low, date_spans(low))
        if len(found) > 1:
            return None
        if found:
            text = f"{pending} {piece}".strip() if pending else piece
            pending = ""
            low = text.lower()
            found = find_amounts(low, date_spans(low))
            if tail is not None and said is not msg.text and not found[0].marked:
                found[0] = found[0].in_currency(tail[1], tail[2], tail[3])
            found[0] = _settled_in_message(found[0], money)
            found = settle_shared(found, msg.ctx.own_currencies, low, msg.ctx.currency)
            parts.append(Msg(text, low, msg.ctx, found, found[0], lexicon.keyword_hits(low)))
        elif parts and re.search(r"[a-z]", parts[-1].low[parts[-1].amount.end :] if parts[-1].amount else ""):
            parts[-1] = _and(parts[-1], piece)  # words after an amount belong to it ("12 for lunch and a drink")
        else:
            pending = f"{pending} {piece}".strip()  # an amount said last ("lunch, 14"): the words go with the next
    if pending and parts:
        parts[-1] = _and(parts[-1], pending)
    if len(parts) < 2:
        return None
    parts = _one_currency(parts)
    out = [
        ("log_income", *_log_income(p)) if PIECE_IN.search(p.low) else ("log_expense", *_log_expense(p)) for p in parts
    ]
    if date := find_date(msg.low, msg.ctx.today):  # "yesterday" said once applies to every piece
        for _, args, _ in out:
            args.setdefault("date", date.date.isoformat())
    return out
