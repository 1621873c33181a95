"""The recognisers' shared helpers for arguments: category, merchant, money, dates, expense and income.

Why: every tool's arguments start from the same readings of one message (the user's merchant
memory, then the lexicon, then a category named outright; the amount in the contract's form).
"""

import re
from typing import Any

from . import lexicon, slots
from .amounts import format_amount, resolve_currency
from .dates import find_date, find_period
from .intents import CADENCE
from .understanding import Msg, NLUContext

# lexicon words too vague to name the category of a question ("show my ..." is not Entertainment)
VAGUE = {
    "show", "match", "game", "games", "stuff", "bill", "fee", "fees", "class", "booking", "market", "fine",
    "tax", "ride", "club", "water", "bag", "watch", "sub", "cable", "mouse", "hat", "pet", "bar", "ticket",
    "tickets", "trip", "household", "delivery", "tea", "max", "via", "giant", "bird", "lime", "hair",
    "present", "travel", "domain", "insurance", "phone", "charger", "interest",
}  # fmt: skip
# of those, the ones that do name what a purchase question is about ("a 900 trip", "a new phone")
PURCHASE_VAGUE = VAGUE - {
    "game", "games", "show", "ticket", "tickets", "trip", "phone", "watch", "bag", "hat", "mouse", "charger",
    "present", "travel", "booking", "delivery", "tea", "club", "bar", "ride", "match", "class", "pet",
}  # fmt: skip


def _user_cat(name: str | None, ctx: NLUContext) -> str | None:
    if not name:
        return None
    for n in ctx.categories:
        if n.lower() == name.lower():
            return n
    return lexicon.to_user_category(name, ctx.categories) or name


def _memory_category(msg: Msg) -> str | None:
    """The user's own merchant memory: known merchants named, then capitalised names after at/from."""
    if msg.ctx.merchant_category is None:
        return None
    cands = [lexicon.MERCHANT_DISPLAYS[h.phrase] for h in msg.hits if h.phrase in lexicon.MERCHANT_DISPLAYS]
    cands += re.findall(r"\b(?:at|from|@)\s+([A-Z][\w'&.-]*(?:\s+[A-Z][\w'&.-]*)*)", msg.text)
    cands += re.findall(r"\b([A-Z][\w'&.-]+(?:\s+[A-Z][\w'&.-]+)*)", msg.text)
    for cand in cands:
        if cand.lower() in {"i", "i'm", "i've"}:
            continue
        got = msg.ctx.merchant_category(cand)
        if got:
            return _user_cat(got, msg.ctx)
    return None


def _lexicon_category(msg: Msg, vague_ok: bool, vague: set[str] = VAGUE) -> str | None:
    hits = [h for h in msg.hits if vague_ok or h.phrase not in vague]
    if own := lexicon.own_category((h.phrase for h in hits), msg.ctx.categories):
        return own  # "vet visit 185" for a user with a Pets category
    canonical = lexicon.best_category(hits, VAGUE)
    return lexicon.to_user_category(canonical, msg.ctx.categories) if canonical else None


def _named_category(low: str, ctx: NLUContext) -> str | None:
    """A category the user named outright ("dining", "Gifts"), ignoring "not X" / "instead of X"."""
    cleaned = re.sub(r"\b(?:not|instead\s+of|rather\s+than|from)\s+(?:the\s+|my\s+)?[\w&]+(?:\s+care)?", " ", low)
    found = lexicon.mentioned_categories(cleaned, ctx.categories)
    return found[0][1] if found else None


# where the user says to file it: "put it under Education like always", "file it as Health", "goes in Dining"
_FILED = re.compile(
    r"\b(?:(?:put|file|log|record|book|goes|go|add)\s+(?:it\s+|this\s+|that\s+)?(?:under|in|into|as|to)|under)\s+"
    r"(?:the\s+|my\s+)?(?=[a-z])"
)


def _filed_category(msg: Msg) -> str | None:
    """A category the user says to file the entry under: it wins over what the lexicon would guess."""
    for m in _FILED.finditer(msg.low):
        found = lexicon.mentioned_categories(msg.low[m.end() :], msg.ctx.categories)
        if found and found[0][0] == 0:
            return found[0][1]
    return None


# a shop said by its name, lowercase and unknown to the lexicon, where the sentence's shape says it is one:
# "groceries at jewel osco 84.37", "pan dulce at panaderia rosa 6" (after "at", right before the price, a word
# no English dictionary has among its words)
AT_SHOP = re.compile(r"\b(?:at|@)\s+([a-z][\w'&.-]*(?:\s+[a-z][\w'&.-]*)?)\s+(?=[$€£¥₹]?\d)")
# "seoudi market 890", "Highlands Coffee yesterday 59k": a name and the kind of shop it is, heading the message
SHOP_KIND = (
    r"market|supermarket|mart|minimart|hypermarket|grocer[sy]?|bakery|coffee|cafe|café|kitchen|grill|pharmacy|"
    r"drugstore|deli|bistro|diner|tea|boba|pizza|burger|burgers|books|hardware"
)
SHOP_HEAD = re.compile(
    rf"^([a-z][\w'&.-]*(?:\s+[a-z][\w'&.-]*)?\s+(?:{SHOP_KIND}))\s+(?=[$€£¥₹]?\d|(?:yesterday|today|last|this)\b)",
    re.IGNORECASE,
)
#: first words that say what or when, not whose shop ("morning coffee 4", "the market 20", "cheap pizza 9")
_NOT_NAME = re.compile(
    r"(?:the|a|an|my|our|some|this|that|morning|afternoon|evening|night|late|early|daily|weekly|usual|quick|cheap|"
    r"big|small|iced|hot|cold|black|decaf|fresh|local|corner|farmers?|night|street|fish|flea|super|mini|online|"
    r"home|office|work|school|campus|airport|hospital|station|gas|frozen|whole|more|extra|two|three|four)",
    re.IGNORECASE,
)


# "crate & barrel 89", "dean & deluca 12": two words joined by "&" heading the entry before its price name a shop
AMP_HEAD = re.compile(r"^([a-z][\w'.-]*\s*&\s*[a-z][\w'.-]*)\s+(?=[$€£¥₹]?\d)", re.IGNORECASE)
# "Din Tai Fung dinner 68", "Plaza Vea S/ 1,250 tele": two or more capitalised words heading the entry, one of them
# a word no English dictionary has, then what was bought or the price, are the shop's name
CAPS_HEAD = re.compile(r"^([A-Z][\w'.-]*(?:\s+(?:&\s+)?[A-Z][\w'.-]*){1,3})\s+(?=[a-z]|\S{0,3}\s?\d)")
# "Auchan 2 310,40 грн groceries", "Foodland groceries 54": one capitalised word no dictionary has heading the entry,
# then (after the price, if it comes first) goods a shop sells ("Chipsi mayai 4,000", "Bajaji to town" are no shop)
ONE_HEAD = re.compile(r"^([A-Z][\w'.-]{2,})\s+(?:\S{0,3}\s?\d[\d\s.,]*(?:[^\W\d]{1,4}\.?|[^\w\s]{1,2})?\s+)?(?=[a-z])")
# "vitamins 30 on iherb", "paid the water bill, NWC 4,200": a name no dictionary has said last after "on" or "from",
# or in capitals after a comma before the price
TAIL_SHOP = re.compile(r"\d\s+(?:on|from)\s+([a-z][\w'.-]{2,})\W*$|,\s*([A-Z]{2,5})\s+(?=\S{0,3}\d)", re.IGNORECASE)
_SHOP_GOODS = frozenset({"Groceries", "Shopping"})
# "electric bill 64.20 tacoma city light", "gas bill 80 metro energy": a power or water company said after the price
UTILITY_TAIL = re.compile(
    r"\d\s+([a-z][\w'&.-]*(?:\s+[a-z][\w'&.-]*){0,2}\s+(?:light|power|energy|electric|electricity|water|utilities|"
    r"gas\s+(?:&|and)\s+electric))\W*$",
    re.IGNORECASE,
)
# "sent 300 to my mum through Remitly", "paid the tutor via Wise": the service the money went through
VIA_SHOP = re.compile(r"\b(?:through|via|thru)\s+([A-Z][\w'&.-]*(?:\s+[A-Z][\w'&.-]*)?)")


def _named_shop(msg: Msg) -> str | None:
    """A shop named by the build of the entry (see above): an "&" name or capitalised words heading it, a power
    company after the price, the service money was sent through."""
    from .spelling import is_english

    for rx in (AMP_HEAD, CAPS_HEAD, UTILITY_TAIL, VIA_SHOP):
        m = rx.search(msg.text)
        if m is None:
            continue
        words = [w for w in m.group(1).split() if w != "&"]
        if _NOT_NAME.fullmatch(words[0]) or NOT_A_SHOP.fullmatch(words[0]):
            continue
        if _named_category(m.group(1).lower(), msg.ctx) or any(
            h.start <= m.start(1) and h.end >= m.start(1) + len(words[0]) and h.phrase not in lexicon.MERCHANT_DISPLAYS
            for h in msg.hits
        ):
            continue  # "Coffee & cake 9", "Groceries Today 40": things and categories, not a shop
        if rx is CAPS_HEAD and all(is_english(w.lower()) for w in words):
            continue  # "New York trip 300": plain words capitalised are a place or a habit of writing
        return " ".join(w[:1].upper() + w[1:] for w in m.group(1).split())
    return _one_word_shop(msg)


def _one_word_shop(msg: Msg) -> str | None:
    """A shop named by one word no dictionary has (see ``ONE_HEAD`` and ``TAIL_SHOP``)."""
    from .currencies import CODES
    from .spelling import is_english

    if (m := ONE_HEAD.match(msg.text)) is not None:
        word = m.group(1)
        goods = [h for h in msg.hits if h.start == m.end()]
        if (
            not is_english(word.lower())
            and not NOT_A_SHOP.fullmatch(word)
            and not any(h.start <= m.start(1) < h.end for h in msg.hits)
            and goods
            and goods[0].category in _SHOP_GOODS
        ):
            return word
    if (m := TAIL_SHOP.search(msg.text)) is not None:
        word = m.group(1) or m.group(2)
        if m.group(2) and not m.group(2).isupper():
            return None
        at = m.start(1 if m.group(1) else 2)
        if (
            not is_english(word.lower())
            and word.lower() not in CODES
            and not any(h.start <= at < h.end for h in msg.hits)
        ):
            return word if m.group(2) else word[:1].upper() + word[1:]
    return None


def _unknown_shop(msg: Msg) -> str | None:
    """A shop the lexicon does not know, named where the shape of the entry says a shop goes (see above)."""
    from .spelling import is_english

    for rx in (AT_SHOP, SHOP_HEAD):
        m = rx.search(msg.text)
        if m is None:
            continue
        words = m.group(1).split()
        # "iced coffee" is a thing, "fruit market" a kind of shop: a name's first word is not a thing the lexicon knows
        covered = any(
            h.start <= m.start(1) and (h.end >= m.end(1) or h.end == m.start(1) + len(words[0])) for h in msg.hits
        )
        if covered or _NOT_NAME.fullmatch(words[0]) or NOT_A_SHOP.fullmatch(words[0]):
            continue
        plain_words = all(is_english(w.lower()) for w in words)
        if rx is AT_SHOP and (_named_category(m.group(1).lower(), msg.ctx) or plain_words):
            continue  # "lunch at work 12", "at mile marker 211": plain words are a place; a shop has a name
        return " ".join(w[:1].upper() + w[1:] for w in words)
    return None


# "went to Sam's Taphouse", "went to Ma's Kitchen": a named place whose owner's name is said ("went to Mum's" is a home)
WENT_TO_SHOP = re.compile(r"\b(?:went|go|going|been)\s+to\s+([A-Z][a-z]+'s\s+[A-Z][\w&-]*)")


def _merchant(msg: Msg) -> str | None:
    named = lexicon.merchant_in(msg.hits)
    if named:
        return named
    # (a capital glued to a dollar sign is the dollar's country, no part of a name: "at Maerua Mall N$ 420")
    m = re.search(r"(?:\b[Aa]t|@)\s+([A-Z][\w'&.-]*(?![\w'&.-]*\$)(?:\s+[A-Z][\w'&.-]*(?![\w'&.-]*\$)){0,2})", msg.text)
    if m and m.group(1) not in {"I", "Home", "Work"} and not NOT_A_SHOP.fullmatch(m.group(1).split()[0]):
        return m.group(1)  # "At Imtiaz today": a sentence may begin with the shop
    m = WENT_TO_SHOP.search(msg.text)
    if m:
        return m.group(1)  # "we went to Sam's Taphouse for dinner": someone's place with a name of its own
    return _unknown_shop(msg) or _named_shop(msg)


def _money(args: dict[str, Any], msg: Msg, key: str = "amount") -> None:
    if msg.amount is None:
        return
    args[key] = format_amount(msg.amount.value)
    cur = resolve_currency(msg.amount.currency, msg.ctx.currency)
    code = msg.amount.currency or ""
    if not cur and len(code) == 3 and re.search(rf"\b{code}\b", msg.low[msg.amount.start : msg.amount.end], re.I):
        cur = code  # "18 USD" said outright: the code as said, even when it is the user's own
    if cur and key == "amount":
        args["currency"] = cur


# "ang bao for my 3 nephews, S$20 each", "4 coffees, 3.50 each": the price of one, times the count said before
EACH = re.compile(
    r"\s*(?:each(?!\s+(?:month|week|year|day|time|renewal|of|quarter))|apiece|a\s+piece|"
    r"per\s+(?:person|head|kid|child)|a\s+head)\b"
)
COUNT_BEFORE = re.compile(r"\b(\d{1,2})\s+(?:[a-z'-]+\s+)?[a-z'-]+[^\d]*$")


def _times_count(args: dict[str, Any], msg: Msg) -> None:
    if msg.amount is None or not EACH.match(msg.low, msg.amount.end):
        return
    count = COUNT_BEFORE.search(msg.low[: msg.amount.start])
    if count and 2 <= int(count.group(1)) <= 50:
        args["amount"] = format_amount(msg.amount.value * int(count.group(1)))


# a ride to an everyday place ("to work", "for my shift", "to the salon"): getting around town, whatever the
# user once filed one trip with that company under (the memory may come from a ride to the airport)
EVERYDAY_RIDE = re.compile(
    r"\b(?:to|from)\s+(?:the\s+|my\s+)?(?:work|office|job|shift|school|class|campus|uni|salon|gym|clinic|doctor'?s?|"
    r"dentist|store|shop|mall|market|station|home|church|mosque|temple)\b|\bfor\s+(?:my|the)\s+(?:shift|class|job)\b|"
    r"\bcommut(?:e|ing)\b"
)
# a card or pass topped up and nothing else named: a fare card (a phone's top-up says "airtime", "data", "recharge")
TRANSIT_CARD = re.compile(
    r"\b(?:card|pass)\s+(?:reload|top[\s-]?up|recharge|refill)s?\b|"
    r"\b(?:reloaded|topped\s+up|recharged|refilled)\s+(?:my|the|our)\s+(?:[\w'-]+\s+){0,2}?(?:card|pass)\b"
)

# dishes the lexicon does not know, eaten with company at a place ("injera and wat with friends at a spot on
# Georgia Ave, 58"): a meal out; a place named as "a place"/"a spot"/"a joint" is where people eat or drink
MEAL_WITH_COMPANY = re.compile(
    r"\bwith\s+(?:my\s+|some\s+|a\s+few\s+|the\s+)?(?:friends|mates|buddies|pals|coworkers|co-workers|colleagues|"
    r"girls|guys|boys|gang|crew|family|cousins|roommates)\s+at\s+(?:a|an|this|that|the|our|some)\s+"
    r"(?:[\w'-]+\s+){0,2}?(?:place|spot|joint|restaurant)\b"
)


def _log_expense(msg: Msg) -> tuple[dict[str, Any], float]:
    args: dict[str, Any] = {}
    _money(args, msg)
    _times_count(args, msg)
    hit = find_date(msg.low, msg.ctx.today)
    spans = [(a.start, a.end) for a in msg.amounts] + ([(hit.start, hit.end)] if hit else [])
    description = slots.tidy(slots.cut(msg.text, spans))
    category = _filed_category(msg) or _memory_category(msg) or _lexicon_category(msg, True)
    category = category or _named_category(msg.low, msg.ctx)
    local = _user_cat("Transport", msg.ctx)
    ride = category != local and EVERYDAY_RIDE.search(msg.low) is not None and not _filed_category(msg)
    if ride and _lexicon_category(msg, True) == local:
        # "lyft to the salon for my shift": a ride in town, though one to the airport went to Travel
        category = local
    if not category and TRANSIT_CARD.search(msg.low):
        category = _user_cat("Transport", msg.ctx)  # "marta card reload 20": a fare card topped up is travel
    if not category and MEAL_WITH_COMPANY.search(msg.low):
        category = _user_cat("Dining", msg.ctx)
    confidence = 0.9 if category else 0.7
    category = category or _user_cat("Other", msg.ctx)
    merchant = _merchant(msg)
    args["description"] = description or merchant or category or "expense"
    if category:
        args["category"] = category
    if hit:
        args["date"] = hit.date.isoformat()
    if merchant:
        args["merchant"] = merchant
    return args, confidence


def _log_income(msg: Msg) -> tuple[dict[str, Any], float]:
    args: dict[str, Any] = {}
    _money(args, msg)
    hit = find_date(msg.low, msg.ctx.today)
    spans = [(a.start, a.end) for a in msg.amounts] + ([(hit.start, hit.end)] if hit else [])
    args["source"] = slots.income_source(slots.cut(msg.text, spans))
    if hit:
        args["date"] = hit.date.isoformat()
    return args, 0.9


def _question_category(msg: Msg) -> str | None:
    return _named_category(msg.low, msg.ctx) or _lexicon_category(msg, False)


def _period_args(msg: Msg, args: dict[str, Any], default_month: bool) -> None:
    period = find_period(msg.low, msg.ctx.today)
    if period is None and default_month:
        today = msg.ctx.today
        args["start"], args["end"] = today.replace(day=1).isoformat(), today.isoformat()
    elif period is not None:
        args["start"], args["end"] = period.start.isoformat(), period.end.isoformat()


def _month_arg(msg: Msg, args: dict[str, Any]) -> None:
    period = find_period(msg.low, msg.ctx.today)
    if period is not None and period.month:
        args["month"] = period.month


def _is_service(hit: lexicon.Hit) -> bool:
    """A named service people pay for on a schedule (Netflix, but also Peloton or Duolingo)."""
    named = hit.phrase in lexicon.MERCHANT_DISPLAYS
    return (hit.category == "Subscriptions" and named) or hit.phrase in lexicon.SERVICES


def _cadence(low: str) -> str:
    if re.search(r"\b(?:yearly|annual(?:ly)?|every\s+year|(?:a|per|each|/)\s*(?:year|yr))\b|/yr", low):
        return "yearly"
    if re.search(r"\b(?:quarterly|every\s+quarter|(?:a|per|each)\s+quarter|every\s+3\s+months)\b", low):
        return "quarterly"
    if re.search(r"\b(?:weekly|every\s+week|(?:a|per|each|/)\s*(?:week|wk))\b", low):
        return "weekly"
    return "monthly"


def _subscription(msg: Msg) -> tuple[dict[str, Any], float]:
    args: dict[str, Any] = {}
    subs = [h for h in msg.hits if _is_service(h)]
    remind = re.search(
        r"\b(?:remind(?:\s+(?:me|us))?|(?:ping|nudge|alert|notify|warn|tell)\s+(?:me|us)|(?:with\s+)?an?\s+reminder|"
        r"(?:give\s+me\s+)?an?\s+(?:heads[\s-]?up|notice|warning))\s+"
        r"(?:(\d+)|a|one|the)\s*(day|week)s?\b",
        msg.low,
    )
    renewal = find_date(re.sub(r"\bremind\s+(?:me|us)\b.*$", "", msg.low), msg.ctx.today, future=True)
    # "renews 12th", "due 3rd": the day of the month said as a note, with no "on the"
    if (
        renewal is None
        and (day := RENEWS_NTH.search(msg.low))
        and (hit := find_date(f"on the {day.group(1)}", msg.ctx.today, future=True))
    ):
        renewal = type(hit)(hit.date, day.start(1), day.end(1))
    spans = [(a.start, a.end) for a in msg.amounts] + ([(renewal.start, renewal.end)] if renewal else [])
    args["name"] = subs[0].display if subs else slots.subscription_name(slots.cut(msg.text, spans))
    if subs and (more := re.match(r"\s+([A-Z][\w+]*(?:\s+[A-Z][\w+]*)?)", msg.text[subs[0].end :])):
        args["name"] = f"{subs[0].display} {more.group(1)}"  # "Adobe Acrobat", "Duolingo Super": the product named
    _money(args, msg)
    args["cadence"] = _cadence(msg.low)
    if renewal:
        args["next_renewal"] = renewal.date.isoformat()
    if remind:
        args["remind_days_before"] = int(remind.group(1) or 1) * (7 if remind.group(2) == "week" else 1)
    lex = _lexicon_category(msg, False)
    sub_cat = _user_cat("Subscriptions", msg.ctx)
    category = lex if lex and lex != _user_cat("Shopping", msg.ctx) and not subs else sub_cat
    if category:
        args["category"] = category
    return args, 0.9 if CADENCE.search(msg.low) else 0.75


def _cancel(msg: Msg) -> tuple[dict[str, Any], float]:
    known = [h.display for h in msg.hits if h.phrase in lexicon.MERCHANT_DISPLAYS]
    for service in sorted(lexicon.SERVICES, key=len, reverse=True):  # "uber one" is more than Uber
        extends = bool(known) and service.startswith(known[0].lower() + " ")
        if extends and (m := re.search(rf"\b{re.escape(service)}\b", msg.low)):
            known = [msg.text[m.start() : m.end()]]
            break
    name = known[0] if known else slots.cancel_name(msg.text)
    if name and not known and len(name.split()) > 2:  # "I no longer go to the gym, cancel that": the gym
        inside = [h.display for h in msg.hits if re.search(rf"\b{re.escape(h.phrase)}\b", name.lower())]
        name = inside[-1] if inside else name
    return ({"name": name}, 0.9) if name else ({}, 0.3)


RENEWS_NTH = re.compile(r"\b(?:renews?|renewal|due|debits?|bills?|charges?)\s+(\d{1,2}(?:st|nd|rd|th))\b")


def _category_or_merchant(msg: Msg, args: dict[str, Any]) -> None:
    """A question about one merchant ("how much at Starbucks") filters by it; a category said outright still counts.

    Why not the merchant's lexicon category: the user may file Starbucks under Groceries, and the question
    is about the shop, not the category.
    """
    merchant = lexicon.merchant_in(msg.hits)
    said = re.escape(merchant.lower()) if merchant else ""
    known = merchant is not None and msg.ctx.merchant_category is not None and msg.ctx.merchant_category(merchant)
    if (merchant and known) or (
        merchant
        and re.search(
            rf"\b(?:at|from|on|with|to|in|bei)\s+(?:the\s+)?{said}|(?:^|\b(?:my|the|total|all|every|each|any)\s+){said}\s+(?:purchases?|orders?|"
            rf"charges?|transactions?|spend|spending|expenses?|payments?)\b",
            msg.low,
        )
    ):
        args["merchant"] = merchant
        named = _named_category(msg.low.replace(merchant.lower(), " "), msg.ctx)
        if cat := named or _memory_category(msg) or _lexicon_category(msg, False):
            args["category"] = cat  # where the user files this merchant (their memory first)
        return
    if cat := _question_category(msg):
        args["category"] = cat
    elif shop := _shop_said(msg):
        args["merchant"] = shop  # "how much at Naivas this year": a shop the lexicon does not know yet


# a shop named in a question by how it is said, known or not: "spent at Naivas", "every Migros purchase"
SHOP_SAID = re.compile(
    r"\b(?:at|from|bei)\s+([A-Za-z][\w'&.-]*(?:\s+[A-Z][\w'&.-]*){0,2})|"
    r"\b(?:every|all|each|any|my)\s+(?:(?:of\s+)?(?:my|the|our)\s+)?([A-Za-z][\w'&.-]*(?:\s+[A-Z][\w'&.-]*){0,2})\s+"
    r"(?:purchases?|orders?|charges?|transactions?|spending|expenses?|payments?|receipts?|runs?|trips?|visits?)\b"
)
NOT_A_SHOP = re.compile(
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|"
    r"nov(?:ember)?|dec(?:ember)?)|(?:mon|tues|wednes|thurs|fri|satur|sun)day|"
    r"christmas|xmas|easter|thanksgiving|new\s+year\w*|halloween|i|it|all|least|most|once|first|last|this|that|"
    r"home|work|school|night|lunch|dinner|breakfast|the|a|an|my|our|your|these|those|times?|once",
    re.IGNORECASE,
)


def _shop_said(msg: Msg) -> str | None:
    """A shop named after "at"/"from" or before "purchases": capitalised, or a word no dictionary knows."""
    from .spelling import is_english

    for m in SHOP_SAID.finditer(msg.text):
        name = (m.group(1) or m.group(2)).rstrip(".'")
        first = name.split()[0]
        if NOT_A_SHOP.fullmatch(first) or _named_category(name.lower(), msg.ctx):
            continue
        if first[:1].isupper() or not is_english(first.lower()):
            return name
    return None
