"""Arguments for the six tools issue 10 added (goal contributions, subscription changes, exchange
rates, budget moves, monthly income, new categories), and a category's kind and necessity.
"""

import itertools
import re
from decimal import Decimal
from typing import Any

from . import currencies, lexicon, slots
from .amounts import WORD_CURRENCY, format_amount
from .arg_common import _cadence, _is_service, _month_arg, _user_cat
from .arguments import REMIND_VERB, _reminder_name, _set_reminder
from .dates import find_date
from .shapes import RATE_VERB
from .understanding import Msg

# "per Canadian dollar": a dollar with its country is that country's currency, not the user's dollar
QUALIFIED_CODES = {
    "canadian": "CAD", "australian": "AUD", "aussie": "AUD", "new zealand": "NZD", "kiwi": "NZD", "singapore": "SGD",
    "hong kong": "HKD", "us": "USD", "american": "USD", "mexican": "MXN", "swiss": "CHF", "south african": "ZAR",
    "indian": "INR", "japanese": "JPY",
}  # fmt: skip
QUALIFIED_CURRENCY = re.compile(
    r"\b(" + "|".join(sorted(QUALIFIED_CODES, key=len, reverse=True)) + r")\s+"
    r"(?:dollars?|pesos?|francs?|rand|rupees?|yen)\b"
)
# "my gym membership", "the Guardian subscription": the thing the user pays for, by the word they use
SUB_NAME = re.compile(
    r"\b(?:my|the|our)\s+([\w+&'.-]+(?:\s+[\w+&'.-]+)?)\s+(?:subscription|membership|plan|account)\b", re.IGNORECASE
)
CHANGE_LEAD = re.compile(
    r"^(?:please\s+)?(?:change|update|edit|fix)\s+(?:(?:the|my|our)\s+)?"
    r"(?!amount\b|date\b|category\b|description\b|it\b|that\b|this\b|them\b|price\b|name\b)"
    r"([\w+&'.-]+(?:\s+(?!(?:renewal|subscription|sub|membership|plan|bill|date|payment|pay)\b)[\w+&'.-]+)?)"
    r"(?:\s+(?:renewal|subscription|sub|membership|plan|bill|date|(?:payment|pay|billing|due)\s+(?:date|day)))?\s*(?:,|\bto\b)",
    re.IGNORECASE,
)
# a subscription named by what it is, lowercase: "switch my gym to yearly", "the storage unit renews on the 3rd"
PLAIN_SUB = re.compile(
    r"^(?:\w+\s+)?(?:my\s+|the\s+|our\s+)?(gym|yoga\s+studio|storage\s+unit|phone\s+plan|car\s+wash|rent|car\s+insurance|insurance)\b"
)
# "crunchyroll is yearly now, 79.99", "the paper's monthly now": a subscription's new cadence, said after its name
TERMS_NOW = re.compile(
    r"^(?:my\s+|the\s+|our\s+)?([a-z][\w+&'-]*(?:\s+[a-z][\w+&'-]*)?)\s+(?:is|'s)\s+(?:now\s+)?"
    r"(?:yearly|annual|annually|monthly|weekly|quarterly)\b"
)
PRICED_GOODS = frozenset({"Transport", "Groceries", "Dining", "Shopping", "Personal care"})
WENT_UP = re.compile(
    r"^(?:my\s+|the\s+|our\s+)?([a-z][\w+&'-]*(?:\s+[a-z][\w+&'-]*)?)\s+(?:just\s+)?(?:went|has\s+gone|goes|jumped|"
    r"rose|increased|dropped|fell)\s+(?:up\s+|down\s+)?to\b"
)
# "change the category of my X subscription to Education", "file my X plan under Education"
GOING_UP = re.compile(
    r"(?:^|\b(?:my|our|says|said)\s+)(?<!in my )(?<!in our )([a-z][\w+&'-]*)\s+(?:is|'s)\s+going\s+up\s+to\b|"
    # "landlord's raising the rent to 1,575": someone else puts the bill's price up
    r"\b(?:raising|increasing|upping|bumping\s+up|putting\s+up)\s+(?:the\s+|my\s+|our\s+)?"
    r"(rent|insurance|premium|rates|membership|subscription|plan|gym)\s+(?:up\s+)?to\b|"
    # "landlord put the rent up, it's 1650 from now on": the new price said after
    r"\b(?:put|puts|putting|raised|bumped|jacked|hiked|pushed)\s+(?:the\s+|my\s+|our\s+)?"
    r"(rent|insurance|premium|rates|membership|subscription|plan|gym)\s+up\b"
)
SUB_CATEGORY = re.compile(
    r"\bcategory\b.*?\b(?:to|as|into)\s+([A-Za-z][\w&' ]{1,30}?)\W*$|\b(?:under|into)\s+([A-Za-z][\w&' ]{1,30}?)"
    r"(?:\s+(?:instead|rather)\s+(?:of|than)\b.*)?\W*$",
    re.IGNORECASE,
)


# the goal a contribution goes to, said last: "to my car fund", "in laptop goal", "at the roof reserve",
# "add 50 to vacation" (with no "my" the name is one or two words)
GOAL_AT_END = re.compile(
    r"\b(?:toward|towards|to|into|for|in|on|at|sa)\s+(?:(?:my|the|our)\s+([\w' -]+?)|([\w'-]+(?:\s+[\w'-]+)??))"
    r"(?:\s+(?:goal|reserve|pot|jar))?\W*$",
    re.IGNORECASE,
)
NOT_A_GOAL = {"it", "that", "this", "them", "there", "savings", "saving", "goal", "goals", "today", "tonight", "now"}
GENERIC_GOAL = {"goal", "goals", "fund", "savings", "savings goal", "pot"}
# a goal named in one clause of the message: "for the car," / "towards my laptop and"
GOAL_CLAUSE = re.compile(
    r"\b(?:for|toward|towards|to|into)\s+(?:my|the|our)\s+([\w' -]+?)(?:\s+(?:goal|fund))?\s*(?:[,.;!]|\band\b|$)",
    re.IGNORECASE,
)


# "130 to the dollar", "per USD", "for a buck": a count of foreign units that one of the user's buys
PER_HOME = re.compile(r"\b(?:to|per|for|a|each)\s+(?:the\s+|a\s+|one\s+|1\s+)?(?:us\s+)?(?:dollar|usd|buck)\b")


# an account, not a budget line: money between these is a bank's job
ACCOUNT_WORD = re.compile(
    r"\b(?:checking|chequing|savings?\s+account|account|ira|roth|401\s*\(?k\)?|hsa|brokerage|wallet|card|bank|cash\s+app|"
    r"paypal|venmo|revolut|wise|isa|tfsa|rrsp|super(?:annuation)?)\b"
)


# "usd to egp is 50.2", "dollar/lira at 41", "the dollar against the peso is 17.5": a pair said home first, so the
# number is what one dollar buys (the contract's rate is its inverse)
_FOREIGN_NAMES = sorted(
    {w for w, code in WORD_CURRENCY.items() if code not in ("$", "USD")} | set(currencies.WORD_CODES), key=len
)[::-1]
HOME_TO_FOREIGN = re.compile(
    r"\b(?:usd|us\s+dollars?|dollars?|bucks?)\s*(?:to|/|into|->|→|vs\.?|versus|against)\s*(?:the\s+)?"
    r"(?:" + "|".join(re.escape(w) for w in _FOREIGN_NAMES) + r")\b"
)
# ... and said foreign first, "euro to usd is 1.08", "gbp/usd 1.27": the number is already dollars per unit
FOREIGN_TO_HOME = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for w in _FOREIGN_NAMES) + r")\s*(?:to|/|into|->|→|vs\.?|versus|against)\s*"
    r"(?:the\s+)?(?:usd|us\s+dollars?|dollars?|bucks?)\b"
)
RATE_FOR = re.compile(r"\s+(?:for|per|on)\s+(?:the\s+|a\s+|one\s+|1\s+)?")  # "use 0.0067 for yen"


def _word_at(word: str, low: str) -> list[re.Match[str]]:
    return list(re.finditer(rf"\b{re.escape(word)}\b", low)) if word in low else []


def _home_said(msg: Msg, home: tuple[str | None, ...]) -> bool:
    """The user's own currency named with no number of its own ("dollar iko at 130 bob", "the dollar
    buys 36 baht"): the foreign amount said is what one unit of it buys."""
    words = [w for w, code in WORD_CURRENCY.items() if code in home and len(w) > 2]
    if not words:
        return False
    spans = [(a.start, a.end) for a in msg.amounts]
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b")
    return any(not any(a <= m.start() < b for a, b in spans) for m in pattern.finditer(msg.low))


def _rate_text(value: Decimal) -> str:
    """A rate with the digits it needs: "1.08", "0.0067", 1/83 as "0.012048" (cents would round it to 0.01),
    and the digits said of a rate above one: "1.0850" is 1.085, not 1.08 (at most six places)."""
    if value >= 1:
        said = value.quantize(Decimal("0.000001")).normalize()
        return format_amount(value) if -said.as_tuple().exponent <= 2 else f"{said:f}"  # type: ignore[operator]
    # a rate below a hundredth of a cent's worth (1 VND is 0.0000393701 USD, 1 COP 0.000243902) keeps six
    # significant digits: six places would cut 1/25,400 to 0.000039, a cent wrong in every forty dollars converted
    places = 6 if value.adjusted() >= -3 else 5 - value.adjusted()
    return f"{value.quantize(Decimal(1).scaleb(-places)).normalize():f}"


def _settled_word(word: str, code: str, msg: Msg) -> tuple[str, float]:
    """The currency a rate's word means and how sure: a word several countries share ("dirham", "peso") is
    the one whose country the message says ("Uruguay's peso": UYU), else the one the user keeps; a word
    whose countries are all in wide use ("dirham": the Emirates' or Morocco's, data) and neither is asked (0.6)."""
    options = currencies.options(word)
    if len(options) < 2:
        return code, 0.9
    if len(lands := currencies.local_codes(word, msg.low)) == 1:
        return next(iter(lands)), 0.9
    own = msg.ctx.own_currencies() if msg.ctx.own_currencies is not None else frozenset()
    if len(mine := options & own) == 1:
        return next(iter(mine)), 0.9
    return code, 0.6 if (word in currencies.RATE_ASKED or lands) else 0.9


def _new_tool_args(intent: str, msg: Msg) -> tuple[dict[str, Any], float]:
    """Arguments for the tools only the model routes to; confidence 0.3 when a required slot is missing."""
    ctx = msg.ctx
    amount = format_amount(msg.amount.value) if msg.amount is not None else None
    args: dict[str, Any] = {}
    if intent == "contribute_to_goal":
        spans = [(a.start, a.end) for a in msg.amounts]
        # "put 250 for the laptop from my scholarship": where the money came from is not the goal
        said = GOAL_AT_END.search(re.sub(r"\s+from\s+(?:my|the|our)\s+[\w' -]+?\W*$", "", msg.text, flags=re.I))
        name = slots.tidy(said.group(1) or said.group(2), max_words=4) if said else None
        if not name or name.lower() in NOT_A_GOAL:
            name = slots.goal_name(slots.cut(msg.text, spans))
        if name and name.lower() in GENERIC_GOAL:  # "saved 100 for the car, add it to the goal": the car
            clauses = (m.group(1) for m in GOAL_CLAUSE.finditer(msg.text) if m.group(1).lower() not in GENERIC_GOAL)
            name = slots.tidy(next(clauses, name), max_words=4)
        args = {"name": name or "Savings", "amount": amount}
        return args, (0.9 if name else 0.6) if amount else 0.3
    if intent == "update_subscription":
        known = [h.display for h in msg.hits if _is_service(h) or h.phrase in lexicon.MERCHANT_DISPLAYS]
        owned = SUB_NAME.search(msg.text)
        # "Update rent to 1550": the verb that leads the request is no name
        m = re.search(
            r"^(?:(?i:my|the|our)\s+)?(?!(?i:my|the|our|update|change|edit|fix|set|make|move|switch|bump|raise|"
            r"increase|lower|reduce|put|adjust|please)\b)([A-Z][\w+&'.]*(?:\s+[A-Z][\w+&'.]*)?)",
            msg.text,
        )
        # "change the gym renewal, it's on the 12th now": the subscription the change leads with
        changed = CHANGE_LEAD.search(msg.text)
        name = known[0] if known else (changed.group(1) if changed else None) or (owned.group(1) if owned else None)
        name = name or (m.group(1) if m else None)
        if not name and (plain := PLAIN_SUB.search(msg.low)):  # "gym now renews on the 5th"
            name = plain.group(1)
        if not name and (terms := TERMS_NOW.search(msg.low) or WENT_UP.search(msg.low)):
            # "funimation is yearly now", "the paper went up to 14.99": the name comes first; a thing bought
            # by the item ("gas went up to 4.50", "eggs went up to 6") is a price, not a bill's terms
            bought = {h.category for h in lexicon.keyword_hits(terms.group(1))} & PRICED_GOODS
            name = None if bought else terms.group(1)
        if not name and (up := GOING_UP.search(msg.low)):  # "rent is going up to 1,575": that bill's new price
            name = up.group(1) or up.group(2) or up.group(3)
        if not name:
            return {}, 0.3
        args = {"name": name}
        if amount:
            args["amount"] = amount
        lead, _ = _set_reminder(msg) if REMIND_VERB.search(msg.low) else ({}, 0.0)
        if "days_before" in lead:  # "remind me 2 days before Disney renews", read by the model as an update
            args = {"name": _reminder_name(msg) or name, "remind_days_before": lead["days_before"]}
        if said := SUB_CATEGORY.search(msg.text):
            args["category"] = _user_cat((said.group(1) or said.group(2)).strip(), ctx)
        if re.search(r"\b(?:yearly|annual|monthly|weekly|quarterly)\b", msg.low):
            args["cadence"] = _cadence(msg.low)
        renewal = find_date(msg.low, ctx.today, future=True)
        if renewal and re.search(
            r"\b(?:renews?|renewal|charges?|bills?|billing|due|(?:payment|pay)\s+(?:date|day))\b", msg.low
        ):
            args["next_renewal"] = renewal.date.isoformat()
        return args, 0.9 if len(args) > 1 else 0.3
    if intent == "set_exchange_rate":
        home = (None, "$", ctx.currency)
        cur = next((a.currency for a in msg.amounts if a.currency not in home), None)
        nums = [a for a in msg.amounts if a.currency in home and a.value != 1]
        # "1 KRW = 0.00075 USD (so 1000 won is 75 cents)": the rate is the number the "1 X = N" statement gives,
        # not an example worked out after it
        stated = [
            b
            for a, b in itertools.pairwise(msg.amounts)
            if a.value == 1 and a.currency not in home and b in nums and RATE_VERB.fullmatch(msg.low[a.end : b.start])
        ]
        nums = stated[:1] or nums
        # "pioneer cdj-3000 is like 2300 eur": a bare number is a rate only after the currency it prices
        # ("set MXN to 0.055", "the shilling is at 130") or said for it ("use 0.0067 for yen"), and never a
        # model number glued to letters
        first_foreign = min(
            [a.start for a in msg.amounts if a.currency not in home]
            + [m.start() for w, code in WORD_CURRENCY.items() if code not in home for m in _word_at(w, msg.low)]
            + [m.start() for m in QUALIFIED_CURRENCY.finditer(msg.low) if QUALIFIED_CODES[m.group(1)] not in home],
            default=len(msg.low),
        )
        nums = [
            a
            for a in nums
            if a.marked
            or (
                (a.start > first_foreign or RATE_FOR.fullmatch(msg.low[a.end : first_foreign]))
                and not re.search(r"[a-z]-$", msg.low[: a.start])
            )
        ]
        value = nums[-1].value if nums else None
        cents = r"\s*(?:(?:us|u\.s\.|american|canadian|aussie)\s+)?(?:cents?|c)\b"  # "66 US cents"
        if value is not None and re.match(cents, msg.low[nums[-1].end :]):
            value = value / 100  # "worth about seventy three cents": 0.73 of the user's currency
        one_home = any(a.currency in home and a.value == 1 for a in msg.amounts) or bool(
            re.search(r"\b(?:one|a|1)\s+(?:dollar|buck|usd)\s+(?:buys|gets|is\s+worth|=|equals|is)\b", msg.low)
        )  # "a dollar gets me 36 baht": "one dollar" is not read as an amount
        foreign = [a for a in msg.amounts if a.currency not in home and a.value != 1]
        said_home = _home_said(msg, home)  # "the dollar is at 130 bob", "130 shillings to the dollar"
        if value is None and (one_home or said_home) and len(foreign) == 1:
            value = 1 / foreign[0].value  # "1 USD = 83 INR": the contract's rate is home units per foreign unit
        elif (
            value is not None
            and value > 1
            and nums
            and not nums[-1].marked
            and PER_HOME.search(msg.low)
            and not FOREIGN_TO_HOME.search(msg.low)
        ):
            value = 1 / value  # "the shilling is 130 to the dollar": foreign units per dollar, turned round
        elif value is not None and value > 1 and nums and not nums[-1].marked and HOME_TO_FOREIGN.search(msg.low):
            value = 1 / value  # "usd to egp is 50.2": what one dollar buys, turned round
        named_at = [
            (m.start(), code)
            for name, code in currencies.QUALIFIED.items()
            if cur is None and code not in home and name in msg.low
            for m in re.finditer(rf"\b{re.escape(name)}\b", msg.low)
        ]
        cur = min(named_at)[1] if named_at else cur  # "the egyptian pound is 49.5 to the dollar": not the British
        for named in QUALIFIED_CURRENCY.finditer(msg.low) if cur is None else ():
            if QUALIFIED_CODES[named.group(1)] not in home:  # "set the NZD rate to 0.59 US dollars": USD is home
                cur = QUALIFIED_CODES[named.group(1)]
                break
        sure = 0.9
        if cur is None:
            for word, code in WORD_CURRENCY.items():
                if code not in home and re.search(rf"\b{re.escape(word)}\b", msg.low):
                    cur, sure = _settled_word(word, code, msg)
                    break
        if not cur or value is None or value <= 0 or cur == ctx.currency:
            return {}, 0.3
        return {"currency": cur, "rate": _rate_text(value)}, sure
    if intent == "move_budget":
        found = lexicon.mentioned_categories(msg.low, ctx.categories)
        own = r"(?:(?:my|our|the)\s+)?"  # "from our gifts budget": "our" is not part of the name
        m = re.search(rf"\b(?:from|out\s+of)\s+{own}([\w&' ]+?)\s+(?:budget\s+)?(?:to|into|and)\b", msg.low)
        cover = r"(?:(?:cover|fund|top\s+up|boost|help(?:\s+with)?)\s+)?"  # "to cover dining": the budget is dining
        n = re.search(rf"\b(?:to|into|in)\s+{cover}{own}([\w&' ]+?)(?:\s+budget)?\W*$", msg.low)
        src = _user_cat(lexicon.to_user_category(m.group(1), ctx.categories) or m.group(1), ctx) if m else None
        dst = _user_cat(lexicon.to_user_category(n.group(1), ctx.categories) or n.group(1), ctx) if n else None
        if (not src or not dst) and len(found) >= 2:
            src, dst = found[0][1], found[1][1]
            # "we need 75 more in groceries, take it from dining": the one said after from/out of is the source
            source = re.compile(r"\b(?:from|out\s+of|off)\s+(?:my\s+|the\s+)?$")
            said_from = [c for at, c in found if source.search(msg.low[:at])]
            if len(said_from) == 1 and said_from[0] != src:
                src, dst = said_from[0], next(c for _, c in found if c != said_from[0])
        if not (src and dst and amount) or src == dst or ACCOUNT_WORD.search(f"{src} {dst}"):
            return {}, 0.3  # "take 500 out of my IRA and put it in checking": accounts, not budgets
        args = {"from_category": src, "to_category": dst, "amount": amount}
        _month_arg(msg, args)
        unknown = [c for c in (src, dst) if lexicon.to_user_category(c, ctx.categories) is None]
        return args, 0.6 if unknown else 0.9  # a budget line the user does not have: asked, not guessed
    if intent == "set_monthly_income":
        if not amount or msg.amount is None:
            return {}, 0.3
        value = msg.amount.value
        if re.search(r"\b(?:a|per|each|every|/)\s*(?:year|yr)\b|\byearly\b|\bannual(?:ly)?\b", msg.low):
            value = (value / 12).quantize(Decimal("0.01"))
        # "my income tax is 400 a month", "my rent is 1200 a month": what goes out of the income, not the
        # income; asked, never set unasked (either would overwrite the user's real monthly income)
        outgoing = PAID_OUT_OF_INCOME.search(AFTER_OUTGOINGS.sub(" ", msg.low))
        return {"amount": format_amount(value)}, 0.5 if outgoing else 0.9
    if intent == "create_category":
        return _create_category(msg)
    return {}, 0.2


# "4200 after taxes", "net of deductions": the income said net, which is still the income
AFTER_OUTGOINGS = re.compile(
    r"\b(?:after|net\s+of|minus|less|before|excluding|not\s+counting)\s+(?:the\s+|my\s+)?[a-z]+"
)
#: what is paid out of an income, never the income itself (also ``terse.MONTHLY_SUM_AFTER``'s guard)
OUTGOINGS = r"tax|taxes|deductions?|contributions?|premiums?|costs?|bills?|payments?|rent|loans?|fees?"
PAID_OUT_OF_INCOME = re.compile(r"\b(?:" + OUTGOINGS + r"|mortgage|insurance|spending|expenses?|budget)\b")


# "necessity 8", "importance: 3", "with a necessity score of 9" (the contract's 1-10 scale)
NECESSITY = re.compile(
    r"[,;]?\s*\b(?:(?:necessity|importance|priority)(?:\s+score)?(?:\s+of|\s*[:=]|\s+at|\s+is)?|"
    r"(?:it'?s\s+|it\s+is\s+)?(?:really\s+|very\s+|super\s+|pretty\s+|quite\s+)?(?:important|essential|necessary)"
    r"(?:\s+(?:for|to)\s+[a-z ]{1,20}?)?)"
    r"[\s,]*(?:(?:like|about|around|maybe|say|roughly)\s+)?(?:an?\s+)?(\d{1,2})\b(?:\s*(?:/|out\s+of)\s*10)?",
    re.IGNORECASE,
)
# the score said before the scale: "its like a 2 on necessity", "an 8 for importance", "7/10 on the priority scale"
NECESSITY_FIRST = re.compile(
    r"[,;]?\s*(?:\b(?:it'?s|its|it\s+is)\s+)?(?:\b(?:like|about|around|maybe|say|roughly)\s+)?(?:\ban?\s+)?"
    r"\b(\d{1,2})(?:\s*(?:/|out\s+of)\s*10)?\s+(?:on|for|in)\s+(?:the\s+)?(?:necessity|importance|priority)"
    r"(?:\s+(?:scale|score|meter))?\b",
    re.IGNORECASE,
)
# the score on its scale alone, said or asked for: "call it a 3 out of 10", "rate it 9/10", "it's a 6 out of 10"
NECESSITY_SCALE = re.compile(
    r"[,;]?\s*(?:\b(?:call|make|rate|score|put|give|mark)\s+it\s+(?:at\s+|as\s+)?|\b(?:it'?s|its|it\s+is)\s+)?"
    r"(?:\ban?\s+)?\b(\d{1,2})\s*(?:/|out\s+of)\s*10\b",
    re.IGNORECASE,
)
# "so I'd give it an 8", "rate it a 6": a score given to the category, out of ten understood
NECESSITY_GIVEN = re.compile(
    r"\b(?:give|rate|score|mark)\s+it\s+(?:an?\s+)?(\d{1,2})\b(?!\s*(?:dollars|bucks|%|[$€£]))", re.IGNORECASE
)
CATEGORY_KIND = re.compile(r"\b(income|earnings|expense|spending)\s+category\b|\bcategory\s+for\s+(income|earnings)\b")


def _create_category(msg: Msg) -> tuple[dict[str, Any], float]:
    """A new category's name, and its kind and necessity when said ("an income category for Freelance")."""
    said = NECESSITY_SCALE.sub(" ", NECESSITY.sub(" ", NECESSITY_FIRST.sub(" ", msg.text)))
    text = re.sub(r"[\s,;]+(?:with|at|and)?\s*$", "", said)
    m = (
        re.search(r"\bcategory\s+(?:called\s+|named\s+)?['\"“‘]([^'\"”’]{2,30})['\"”’]", text, re.I)
        # "a category for my pottery things? call it Pottery": the name given last
        or re.search(r"\bcategory\b.*?\b(?:call|name)\s+it\s+['\"“‘]?([\w&' -]{2,30}?)['\"”’]?\W*$", text, re.I)
        # "a category called Tithe for what I give at church", "a new category Pets for the dog and cat": the name
        # comes before what it is for
        or re.search(
            r"\bcategory\s+(?:called\s+|named\s+)((?-i:[A-Z])[\w&'-]*(?:\s+(?-i:[A-Z])[\w&'-]*)?)\s+(?:for|to|so|as)\b",
            text,
            re.I,
        )
        or re.search(r"\bnew\s+category\s+((?-i:[A-Z])[\w&'-]*(?:\s+(?-i:[A-Z])[\w&'-]*)?)\s+for\b", text, re.I)
        # "a category called snacks for my desk drawer": lowercase, the name still ends where what it is for begins
        or re.search(
            r"\bcategory\s+(?:called|named)\s+([\w&'-]+(?:\s+[\w&'-]+)??)\s+for\s+(?:my|the|our|all|his|her|their|"
            r"when|whatever|any)\b",
            text,
            re.I,
        )
        # "add Pets as a category", "make Side Hustle an income category"
        or re.search(
            r"^(?:please\s+)?(?:add|create|make|set\s+up)\s+([\w&'-]+(?:\s+(?!as\b)[\w&'-]+)?)\s+(?:as\s+)?an?\s+(?:new\s+)?"
            r"(?:expense\s+|spending\s+|income\s+)?category\b",
            text,
            re.I,
        )
        or re.search(
            r"\bcategory\s+for\s+((?-i:[A-Z])[\w&'-]*(?:\s+(?-i:[A-Z])[\w&'-]*)?)\s+(?:so|because|as)\b", text, re.I
        )
        or re.search(r"\bcategory\s*[:\-]\s*([\w&' -]{2,30}?)\s*[,;.!]", text, re.IGNORECASE)
        or re.search(r"\bcategory\s*[:\-]\s*([\w&' -]{2,30}?)\W*$", text, re.IGNORECASE)
        # "can you make a Pets category? it's a must": the name said before the word, a clause ending there
        or re.search(
            r"\b(?:add|create|make|start|set\s+up)\s+(?:me\s+|us\s+)?an?\s+(?:new\s+)?"
            r"(?!(?:new|expense|spending|income|separate|different|other)\b)([\w&'-]+(?:\s+[\w&'-]+)?)\s+category\s*[?.!,;]",
            text,
            re.I,
        )
        or re.search(
            r"\b(?:called|named|for)\s+(?:my\s+|the\s+)?([\w&' -]{2,30}?)(?:\s*[,;.!?]|\W*$)", text, re.IGNORECASE
        )
        or re.search(
            r"^(?:please\s+)?(?:create|add|make|new)\s+(?:a\s+)?(?:new\s+)?category\s+([\w&' -]{2,30}?)\W*$", text, re.I
        )
        or re.search(
            r"\b(?:add|create|make|start|new|need|want|have|like|get)\s+(?:a\s+|an\s+)?(?:new\s+)?"
            r"([\w&' -]{2,30}?)\s+category\b",
            text,
            re.IGNORECASE,
        )
    )
    if not m:
        return {}, 0.3
    name = slots.tidy(m.group(1).strip(" '\"“”‘’"), max_words=3)  # "a 'Flat stuff' category": the words only
    if not name or name.lower() in {"a", "an", "new", "category", "income", "expense", "spending"}:
        return {}, 0.3
    args: dict[str, Any] = {"name": name[:1].upper() + name[1:]}
    if (kind := CATEGORY_KIND.search(msg.low)) and (kind.group(1) or kind.group(2)) in ("income", "earnings"):
        args["kind"] = "income"
    elif kind:  # "an expense category named Childcare": said outright, so sent outright
        args["kind"] = "expense"
    need = (
        NECESSITY.search(msg.low)
        or NECESSITY_FIRST.search(msg.low)
        or NECESSITY_SCALE.search(msg.low)
        or NECESSITY_GIVEN.search(msg.low)
    )
    if need and 1 <= int(need.group(1)) <= 10:
        args["necessity_score"] = int(need.group(1))
    return args, 0.9
