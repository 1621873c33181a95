"""Short names from what is left of a message: descriptions, items, sources, goal and plan names.

Why by subtraction: once the amount, the dates and the scaffolding ("should I buy", "add",
"I spent") are cut out, what remains is the thing the user named, in their own words.
"""

from __future__ import annotations

import re

LEAD = {
    "i", "i've", "ive", "we", "just", "also", "so", "oh", "oops", "um", "well", "spent", "spend", "paid",
    "pay", "bought", "buy", "got", "get", "grabbed", "took", "had", "ordered", "dropped", "blew", "purchased",
    "a", "an", "the", "my", "for", "on", "at", "of", "was", "it", "cost", "me", "us", "some", "to", "in",
    "and", "with", "total", "about", "around", "like", "another", "again", "did", "made", "received",
    "earned", "log", "add", "record", "expense", "expenses", "new", "is", "are", "this", "that",
}  # fmt: skip
TRAIL = {
    "for", "on", "at", "of", "was", "were", "is", "cost", "costs", "came", "to", "the", "a", "an", "and",
    "it", "me", "us", "total", "in", "with", "from", "by", "charged", "spent", "paid", "be", "my",
    "dollars", "dollar", "bucks", "buck", "euros", "pounds", "usd", "eur", "gbp", "each", "per", "every",
    "arrived", "deposited", "today", "please", "now", "worth", "about", "around", "just", "that", "so",
}  # fmt: skip
CURRENCY_WORDS = re.compile(
    r"(?<!\w)(?:[$€£¥₹]|dollars?|bucks|euros?|pounds?|quid|usd|eur|gbp|yen|cents?|rupees?|rs|rand|zar|inr)(?!\w)",
    re.IGNORECASE,
)
ODD = re.compile(r"[!?;:\"“”()\[\]]")


def cut(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with the given spans blanked out (same positions elsewhere)."""
    chars = list(text)
    for a, b in spans:
        for i in range(max(0, a), min(len(chars), b)):
            chars[i] = " "
    return "".join(chars)


def tidy(text: str, lead: set[str] = LEAD, trail: set[str] = TRAIL, max_words: int = 6) -> str:
    """Trim filler words and punctuation at both ends; keep the user's spelling in between."""
    text = CURRENCY_WORDS.sub(" ", ODD.sub(" ", text))
    text = re.sub(r"\s*,\s*", ", ", text)
    text = re.sub(r"\b(?:for|on|of|at|to|in)\s+(?=(?:for|on|of|at|to|in)\b)", "", text, flags=re.IGNORECASE)
    words = [w for w in text.split() if w]
    while words and (words[0].lower().strip(",.-") in lead or not words[0].strip(",.-/")):
        words.pop(0)
    while words and (words[-1].lower().strip(",.-") in trail or not words[-1].strip(",.-/")):
        words.pop()
    out = " ".join(words).strip(" ,.-/")
    if "," in out:  # "Walmart, household stuff" keeps the part with more words
        parts = [tidy(p, lead, trail, max_words) for p in out.split(",")]
        out = max(parts, key=lambda p: len(p.split())) if parts else out
    return " ".join(out.split()[:max_words])


CHECK_SCAFFOLD = re.compile(
    r"\b(?:should|can|could|may|shall|would|will)\s+(?:i|we)\b|\b(?:really|even|still)\b|"
    r"\b(?:is|would)\s+(?:it|that|this)\s+(?:be\s+)?(?:ok|okay|fine|wise|smart|alright|all\s+right|reasonable|"
    r"sensible|a\s+good\s+idea|a\s+bad\s+idea|too\s+much|responsible)\b|\bbe\s+a\s+(?:good|bad)\s+idea\b|"
    r"\bafford(?:\s+to)?\b|\bam\s+i\s+able\s+to\b|\bdo\s+i\s+have\s+(?:the\s+)?(?:room|money|budget|space)\b|"
    r"\b(?:do\s+i\s+have\s+)?enough(?:\s+(?:money|cash|budget|room|left|to|for))*\b|"
    r"\b(?:does|would|will|could|can)\s+(?:that|it|this|one)\s+fit\b.*$|\bwe'?re\b|\b(?:in|for)\s+(?:my|our|the)\s+budget\b|\bwithin\s+(?:my\s+)?budget\b|\bthinking\s+(?:about|of)\b|\bconsidering\b|"
    r"\bplanning\s+(?:on|to)\b|\bworth\s+it\b|\btreat\s+myself\s+to\b|\bgo\s+for\b|\bpick\s+up\b|"
    r"\b(?:buy|buying|get|getting|order|ordering|book|booking|purchase|purchasing|spend|spending|grab|"
    r"splurge|splurging|rent|upgrade)\b(?!,|\s*$)|\b(?:right\s+now|this\s+month|tonight|today|this\s+weekend)\b|"
    r"\b(?:is|a|an|the|some|new|to|me|for|on|myself|i|it|that|too|much|budget)\b(?=\s*$)",
    re.IGNORECASE,
)
# a verdict asked for at the end ("... a 30 dollar book ok?", "... a bad idea this month")
CHECK_VERDICT = re.compile(
    r"\b(?:ok|okay|fine|alright|all\s+right|reasonable|sensible|affordable|smart|wise|doable|"
    r"(?:a\s+)?(?:good|bad|smart|dumb|terrible)\s+(?:idea|move|call)(?:\s+or\s+(?:nah|not|no))?|yes\s+or\s+no|"
    r"or\s+(?:should\s+i\s+)?(?:wait|hold\s+off|not|skip\s+it))\b\W*(?:(?:right\s+)?now|"
    r"this\s+(?:month|week)|today|tonight)?\W*$",
    re.IGNORECASE,
)


# the verb whose object is the thing asked about: "... if i get AIRPODS", "can i afford A TV"
BUY_VERB = re.compile(
    r"\b(?:buy|buying|get|getting|order|ordering|purchase|purchasing|afford|spend|spending|splurge\s+on|"
    r"grab|book|booking|rent|upgrade\s+to|treat\s+myself\s+to|thinking\s+(?:about|of)|considering|eyeing|"
    # Taglish (round 43): "bumili ng" (buy a), "bilhin" / "bilhin ang" (buy the), "kumuha ng" (get a)
    r"bumili\s+ng|bilhin(?:\s+ang|\s+yung)?|kumuha\s+ng)\b",
    re.IGNORECASE,
)


PRONOUNS = {"it", "them", "that", "this", "one", "those", "these", "thing"}
# said after the pronoun ("... buy it yet", "I never buy am yet": Nigerian Pidgin "am" is "it")
AFTERWORDS = {"yet", "again", "now", "already", "before", "too", "still"}


def purchase_item(text: str) -> str:
    """ "Should I buy a 400 dollar bike?" -> "bike" (amount already cut)."""
    # what follows the last buying verb names the thing, whatever came before it ("... if i get
    # AIRPODS"), unless it is only a pronoun ("buying HEADPHONES for 250, can I afford them?")
    for verb in reversed(list(BUY_VERB.finditer(text))):
        if re.search(r"\bfor\s+$", text[: verb.start()], re.I) and verb.group().lower().endswith("ing"):
            continue  # "a golf cart for getting around": what it is for, not the thing bought
        said = re.split(r"[,;?]", text[verb.end() :])[0]
        said = re.split(r"\bfor\s+\w+ing\b", said, maxsplit=1, flags=re.I)[0]  # "... for getting around": its use
        tail = CHECK_SCAFFOLD.sub(" ", CHECK_VERDICT.sub(" ", said))
        # Taglish "bagong" is "new", "yung"/"ang" the article: no part of the thing's name
        item = tidy(
            tail,
            lead=LEAD | {"bagong", "yung", "ang"},
            trail=TRAIL | {"should", "i", "too", "much", "rn", "priced", "costing", "listed"},
        )
        item = re.split(r",\s*", item)[0].strip() if item else ""
        said = [w for w in item.lower().split() if w not in AFTERWORDS]
        if item and said and not all(w in PRONOUNS | {"am"} for w in said):
            return item
    # a question then a remark ("is a 45,000 naira phone okay? I never buy am yet"): the thing is in the question
    asked = re.match(r"[^?]*\?", text)
    rest = CHECK_SCAFFOLD.sub(" ", CHECK_VERDICT.sub(" ", asked.group().rstrip("?") if asked else text))
    rest = CHECK_VERDICT.sub(" ", rest)  # "phone okay for my budget": the verdict ends it once the scaffold is gone
    lead = LEAD | {"is", "new", "good", "bad", "idea", "room", "able", "am"}
    item = tidy(rest, lead=lead - {"new"}, trail=TRAIL | {"should", "i", "too", "much"})
    return item or "purchase"


SUB_SCAFFOLD = re.compile(
    r"^\s*(?:(?:can|could|would|will)\s+you\s+)?(?:please\s+)?"
    # "we would like to add our Medicare plan", "I want to start tracking": the polite lead is no part of the name
    r"(?:(?:i|we)\s*(?:would|'d|d|want|wanna|need)\s+(?:like\s+)?(?:to\s+)?(?:please\s+)?)?"
    r"(?:add|track|new|register|set\s+up|create|log|"
    r"start\s+tracking)\b|"
    r"\b(?:new\s+)?(?:recurring\s+)?(?:subscription|bill|payment)s?\s*:|\bsubscribe\s+me\s+to\b|"
    r"\bi\s+(?:just\s+)?(?:subscribe|subscribed|signed\s+up)\s+(?:to|for)\b|\bi\s+(?:pay|am\s+paying)\b|"
    r"\b(?:it\s+)?(?:renews|renewing|renewal|due|charged|billed|bills)\b.*$|\b(?:remind|ping|notify|alert|warn|nudge)\s+(?:me|us)\b.*$|"
    # "..., give me a heads up 3 days before": the reminder asked for after the name is no part of it
    r"\b(?:give\s+(?:me|us)\s+)?an?\s+heads[\s-]?up\b.*$|"
    r"\b(?:next|first)\s+(?:charge|payment|billing|bill|renewal|one)\b.*$|\bstarting\b.*$|"
    r"\b(?:monthly|yearly|annually|annual|weekly|quarterly|bi-?weekly)\b|"
    r"\b(?:a|per|each|every|/)\s*(?:month|year|week|quarter|mo|yr|wk)\b|/mo\b|/yr\b|"
    r"\bevery\s+(?:\d+|two|three|four|six|twelve)\s+(?:months|weeks|years)\b|,?\s*(?:please\s+)?(?:track|add|log|save|put)\s+(?:it|this|that)\b.*$|"
    r"\binsured\s+for\b|\bwith\s+a\s+reminder\b.*$|\breminder\s+\d+\s+days?\b.*$|"
    r"\bas\s+an?\s+(?:new\s+)?(?:recurring\s+|monthly\s+|yearly\s+|weekly\s+)?(?:subscription|bill|payment|expense|membership)s?\b|"
    r"\b(?:subscription|plan\s+subscription)\b|\bfor\s*$|\bat\s*$|\bon\s+the\s+\d+\w*\b.*$",
    re.IGNORECASE,
)


# a capitalised name said as what was signed up for or whose plan is paid: "signed the kids up for ABCmouse",
# "$27 a quarter for the Overleaf student plan"
NAMED_SUB = re.compile(
    r"\bsign(?:ed)?\s+(?:\w+\s+){0,2}up\s+(?:for|to|with)\s+([A-Z][\w+&.-]*(?:\s+[A-Z][\w+&.-]*)?)|"
    r"\bfor\s+(?:the|my|our|a|an)\s+([A-Z][\w+&.-]*(?:\s+[A-Z][\w+&.-]*)?)\s+(?:[a-z]+\s+)?(?:plan|subscription|membership)\b"
)


def subscription_name(text: str) -> str:
    """ "add domain renewal 20 dollars yearly on June 1" -> "domain renewal" (amount/date cut)."""
    if said := NAMED_SUB.search(text):
        return str(said.group(1) or said.group(2))
    if ":" in text:  # "new recurring cost for my work: Adobe Creative Cloud, 59.99/month"
        head, tail = text.rsplit(":", 1)
        named = _sub_name(tail)
        return named or _sub_name(head) or "Subscription"
    return _sub_name(text) or "Subscription"


def _sub_name(text: str) -> str:
    keep_renewal = re.sub(r"\bdomain\s+renewal\b", "domain_renewal", text, flags=re.IGNORECASE)
    rest = SUB_SCAFFOLD.sub(" ", keep_renewal).replace("domain_renewal", "domain renewal")
    name = tidy(rest, lead=LEAD | {"subscription", "recurring", "weekly", "monthly", "our"}, max_words=4)
    return name[:1].upper() + name[1:] if name else ""


CANCEL_SCAFFOLD = re.compile(
    r"\b(?:please\s+)?(?:cancel(?:led|ed)?|unsubscribe(?:\s+me)?(?:\s+from)?|stop\s+tracking|stop\s+paying\s+for|"
    r"stop|drop|end|terminate|remove|delete|get\s+rid\s+of|no\s+longer\s+(?:pay|subscribe|use|have)(?:\s+(?:for|to))?|"
    r"don'?t\s+(?:pay\s+for|have|use)|anymore|subscriptions?|membership|plan|i've|i'm|i|my|the|it|from|to|for|"
    r"please|just|now|already|and|would\s+like\s+to|i'?d\s+like\s+to|want\s+to|like\s+to|"
    # how the user left it: "I've rung Sky and cancelled", "I quit the gym", "take it off my list"
    r"i've|i'm|quit|quitting|rung|rang|called|phoned|take|off|list|left|so)\b",
    re.IGNORECASE,
)


# "the gym membership", "my Hulu subscription": the thing the user pays for, whatever follows it
OWNED_SUB = re.compile(r"\b(?:my|the|our)\s+([\w+&'.-]+(?:\s+[\w+&'.-]+)?)\s+(?:subscription|membership|sub)\b", re.I)


def cancel_name(text: str) -> str:
    """ "stop tracking my YouTube Premium subscription" -> "YouTube Premium"."""
    first = re.split(r"[,;.!]\s", text)[0]
    if (owned := OWNED_SUB.search(first)) and not OWNED_SUB.search(first, owned.end()):
        return tidy(owned.group(1), max_words=3) or owned.group(1)  # "drop the gym membership im never there"
    name = tidy(CANCEL_SCAFFOLD.sub(" ", first), max_words=4)
    if not name:
        name = tidy(CANCEL_SCAFFOLD.sub(" ", text), max_words=4)
    return name


GOAL_NAME_RES = [
    re.compile(r"\bcalled\s+['\"]?([\w' -]+?)['\"]?(?:[,.]|\s+(?:with|of|for|to|by)\b|$)", re.IGNORECASE),
    # "truck fund goal 8000", "spring break goal: 800": the goal named first, then "goal" and its amount
    re.compile(
        r"^\W*(?:(?:a|an|new|my|our|set|start|make)\s+){0,2}((?!(?:a|an|the|new|my|our|set|start|make|savings?)\b)"
        r"[a-z][\w'-]*(?:\s+(?!goal\b)[\w'-]+){0,2}?)\s+(?:fund\s+|savings\s+)?goal\b"
        r"(?=\s*(?:[:=-]\s*|of\s+|is\s+|at\s+)?(?:[^\w\s]|[a-z]{1,3}\.?)?\s*(?:\d|\W*$))",
        re.IGNORECASE,
    ),
    # "save (up) 2,500 for a trip home to see my parents by august": what is saved for, up to its purpose
    re.compile(
        r"\bsave\s+(?:up\s+)?(?:\S+\s+)?for\s+(?:a|an|the|my|our)?\s*"
        r"([\w'-]+(?:\s+(?!to\s+(?:see|visit|get|buy|pay|help|cover|be|have|go|take|do|make)\b)[\w'-]+){0,4}?)"
        r"(?=\s*(?:[,.!?]|\bby\b|\bbefore\b|\bnext\b|\bthis\b|\bwithin\b|\bin\b|\bwith\b|$|"
        r"\bto\s+(?:see|visit|get|buy|pay|help|cover|be|have|go|take|do|make)\b))",
        re.IGNORECASE,
    ),
    # the goal named outright beats what it is for: "a tax savings goal ... for my quarterly payments"
    re.compile(r"\b(?:my|our|the|a|an)\s+([\w'-]+(?:\s+[\w'-]+)?)\s+(?:goal|fund|savings)\b", re.IGNORECASE),
    re.compile(
        r"\b(?:for|towards?)\s+(?:a|an|the|my|our|some)?\s*(?:new\s+|brand\s+new\s+|dream\s+|future\s+)?"
        r"([\w'-]+(?:\s+[\w'-]+){0,2}?)"
        r"(?=\s*(?:[,.!?]|\bby\b|\bbefore\b|\bin\b|\bwithin\b|\buntil\b|\bnext\b|\bthis\b|\bgoal\b|\bfund\b|\bwith\b|"
        r"\bdown\s+payment\b|\bat\b|\bso\s+(?:please|pls|can|could|would|make|set|let'?s)\b|$))",
        re.IGNORECASE,
    ),
    re.compile(r"\b(emergency\s+fund|rainy\s+day\s+fund|retirement|down\s*payment)\b", re.IGNORECASE),
    re.compile(r"\bgoal\b\s*:?\s*(?:\$?\d[\d,.]*k?\s+)?(?:for\s+)?(?:a|an|the)?\s*([a-z][\w' -]*)", re.IGNORECASE),
]
# "new goal!! Japan trip, 6000": the name said right after the label (tried before the "goal ..." catch-all)
GOAL_NAME_RES.insert(-1, re.compile(r"\bgoal\s*[!:.-]+\s*([a-z][\w' -]*?)\s*(?:,|$)", re.IGNORECASE))
# "chucked another 80 at japan savings": the goal named before goal/fund/savings, without an article
GOAL_NAME_RES.append(
    re.compile(r"\b(?:at|into|in|to|toward|towards)\s+([\w'-]+(?:\s+[\w'-]+)?)\s+(?:goal|fund|savings)\b", re.I)
)
# "we threw 600 at the deposit this month": the goal named after at/into with an article, last of all
GOAL_NAME_RES.append(
    re.compile(
        r"\b(?:at|into|toward|towards)\s+(?:the|our|my)\s+([\w'-]+(?:\s+[\w'-]+)?)"
        r"(?=\s*(?:[,.!?]|\b(?:this|today|now|again|yesterday|last)\b|$))",
        re.I,
    )
)


# a progress question that starts with the goal: "car fund progress?", "vacation goal status"
GOAL_FIRST = re.compile(r"^\s*([\w'-]+(?:\s+[\w'-]+)?)\s+(?:goal|fund|savings)\b", re.IGNORECASE)


DOWN_PAYMENT_ON = re.compile(
    r"\bdown\s*payment\s+(?:on|for)\s+(?:a|an|the|my|our)?\s*(?:new\s+|first\s+)?([\w'-]+(?:\s+[\w'-]+)?)", re.I
)


# "a trip home to Chicago", "a trip to see the grandkids in Phoenix": a trip is named by where it goes
TRIP_TO = re.compile(
    r"\b(trip|vacation|holiday|getaway|visit|flight)\s+(?:back\s+|home\s+|out\s+)?(?:to|in)\s+"
    r"(?:(?:see|visit)\s+(?:[\w'-]+\s+){1,3}?(?:in|at)\s+)?"
    r"((?!(?:see|visit|the|my|our|a|an|family|friends|home)\b)[a-z][\w'-]+(?:\s+(?!(?:next|this|by|in|before|for|with|"
    r"and|so|to|during|over)\b)[A-Z][\w'-]+)?)",
    re.IGNORECASE,
)


def trip_name(text: str) -> str | None:
    """ "save 4000 for a trip home to Chicago next summer" -> "Chicago trip"."""
    if (m := TRIP_TO.search(text)) is None:
        return None
    place = tidy(m.group(2), max_words=2)
    return f"{place} {m.group(1).lower()}" if place else None


def goal_name(text: str) -> str | None:
    """ "save 2000 for a new car by the end of the year" -> "car"."""
    if (trip := trip_name(text)) is not None and not GOAL_NAME_RES[0].search(text):
        return trip
    for rx in GOAL_NAME_RES:
        if m := rx.search(text):
            name = tidy(m.group(1), lead=LEAD | {"new", "saving", "savings", "goal"}, max_words=3)
            name = re.sub(r"\s+(?:goal|fund)$", "", name) if "emergency" not in name.lower() else name
            if name and re.match(r"\s+down\s*payment\b", text[m.end(1) :], re.I) and "down" not in name.lower():
                name += " down payment"  # "for a house down payment" is the house's down payment
            if name and name.lower() not in {"me", "it", "that", "this", "my", "savings", "goal", "goals"}:
                # "a down payment on a car": the name cut after "on" is the car's down payment
                of = DOWN_PAYMENT_ON.search(text) if re.match(r"down\s*payment\b", name, re.I) else None
                return f"{tidy(of.group(1), max_words=2)} down payment" if of else name
    return None


INCOME_SOURCES = [
    (r"\bsalary\b|\bpay\s*check\b|\bpaycheque\b|\bwages?\b", "Salary"),
    (r"\btax\s+refund\b", "Tax refund"),
    (r"\binsur(?:ance|er)\b", "Insurance"),  # "a refund check from the insurance company": who paid it
    (r"\brefund\b", "Refund"),
    (r"\breimburs", "Reimbursement"),
    (r"\binterest\b", "Interest"),
    (r"\bdividends?\b", "Dividends"),
    (r"\bstipend\b", "Stipend"),
    (r"\bfreelanc", "Freelance work"),
    (r"\bside\s+(?:gig|hustle)\b", "Side gig"),
    (r"\bconsult", "Consulting"),
    # round 43: pay said by its kind ("overtime pay was 612", "tips from the lessons came to 900")
    (r"\bover\s*time\b|\bot\s+pay\b", "Overtime"),
    (r"\broyalt(?:y|ies)\b", "Royalties"),
    (r"\b(?:rsus?|stocks?|shares|espp)\b.{0,20}\bproceeds\b", "Stock sale"),
    (r"\brent\b", "Rent"),  # rent that came in: a landlord's income
]
# generic words for being paid: they name the source only when nobody is named ("got paid 412 from amazon flex")
GENERIC_SOURCES = [(r"\bgot\s+paid\b|\bpay\s+came\b", "Salary"), (r"\bbonus\b", "Bonus")]
# work that paid the user, named before "paid" ("locum shift paid 480", "lessons this weekend paid 3 200")
WORK_PAID = re.compile(
    r"^\W*((?:[\w']+\s+){0,2}?(?:lessons|shifts?|locums?|gigs?|tutoring|hagwon|job))\b(?:\s+[\w']+){0,3}?\s+paid\b",
    re.IGNORECASE,
)
# the platforms and apps that pay gig workers ("lyft bonus", "uber paid out 388"): the payer is the source
GIG_PAYERS = re.compile(
    r"\b(uber\s+eats|uber|lyft|door\s*dash|instacart|grubhub|shipt|postmates|amazon\s+flex|fiverr|upwork|"
    r"task\s*rabbit|rover|etsy|ebay|deliveroo|spark|roadie|airbnb|vrbo|turo|patreon|youtube|twitch|substack|"
    r"wyzant|preply|italki|varsity\s+tutors|outschool|cambly|superprof|thumbtack|care\.com|wag|upwork)\b",
    re.IGNORECASE,
)
# "logo job paid out on Upwork", "the commission came in via Fiverr": the platform that paid is the source (a
# platform people name with a capital, or one the gig payers know; never a day, a month or the money's channel:
# PayPal, Zelle or a bank transfer only carried it)
PAID_VIA = re.compile(
    r"\b(?:paid(?:\s+out)?|came\s+(?:in|through)|landed|arrived)\s+(?:on|via|through|thru|from)\s+"
    r"(?!(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|"
    r"august|september|october|november|december|cash|check|cheque|card|bank|transfer|direct|deposit|wire|time|"
    r"paypal|venmo|zelle|cash\s*app|wise|revolut|e-?transfer|interac|gcash|maya|m-?pesa|payoneer|stripe|ach)\b)"
    r"([A-Za-z][\w&'.-]*(?:\s+[A-Z][\w&'.-]*)?)",
    re.IGNORECASE,
)
# "got 150 from a tutoring session on Wyzant", "120 for two lessons via Preply": the platform the work was done on,
# said last, is who paid (a name written with a capital or a platform the gig payers know; never a day or a month)
ON_PLATFORM = re.compile(
    r"\b(?:on|via|through|thru)\s+"
    r"(?!(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|"
    r"august|september|october|november|december|time|paypal|venmo|zelle|cash\s*app|wise|revolut|gcash|m-?pesa|"
    r"payoneer|stripe|the|my|a|an|it)\b)([A-Za-z][\w&'.-]*(?:\s+[A-Z][\w&'.-]*)?)\s*[.!]*\s*$",
    re.IGNORECASE,
)
# an invoice paid names the client: "invoice #58 to Northwind Studio finally got paid"
INVOICED = re.compile(r"\binvoice\s+(?:#?\d+\s+)?(?:to|for)\s+([A-Z][\w&'-]*(?:\s+[A-Z][\w&'-]*){0,2})")
# "design gig for Lark & Sons paid 900", "contract work for Brightline came in": the client named (with a capital)
# after the work is who paid
CLIENT_FOR = re.compile(
    r"\b(?:gig|job|work|project|contract|commission|shoot|session|shift)\s+for\s+(?:the\s+)?"
    r"((?-i:[A-Z])[\w'.-]*(?:\s+(?:&\s+|and\s+)?(?-i:[A-Z])[\w'.-]*){0,3})",
    re.IGNORECASE,
)
# "the rebate from the HMRC finally landed", "reimbursement from Acme came in": the payer named (with a capital)
# after the kind of money is who paid, more than the kind
PAYER_FROM = re.compile(
    r"\b(?:refund|rebate|reimbursement|payment|cheque|check|deposit|payout|settlement)\s+from\s+(?:the\s+)?"
    r"((?-i:[A-Z])[\w'.-]*(?:\s+(?:&\s+)?(?-i:[A-Z])[\w'.-]*){0,3})",
    re.IGNORECASE,
)
FROM_SOURCE = re.compile(
    r"\bfrom\s+(?:my\s+|the\s+|a\s+)?([\w' &-]+?)(?:[,.!]|\s+(?:on|for|today|yesterday|this|last)\b|$)", re.I
)


def income_source(text: str) -> str:
    """Where money came from: a known kind, the app or client that paid, "from X", or the rest of the sentence."""
    if (
        re.search(r"\b(?:pay\s*check|paycheque|salary|wages?)\s+from\s", text, re.IGNORECASE)
        and (m := FROM_SOURCE.search(text))
        and (named := tidy(m.group(1)))
    ):
        return named  # "paycheck from church": who paid says more than the kind of pay
    if (via := PAID_VIA.search(text)) and (via.group(1)[0].isupper() or GIG_PAYERS.fullmatch(via.group(1))):
        named = via.group(1)  # "logo job paid out on Upwork": who paid, not the work
        return named if named[0].isupper() else " ".join(w.capitalize() for w in named.split())
    if (
        (on := ON_PLATFORM.search(text))
        and re.search(r"\bfrom\b", text[: on.start()], re.IGNORECASE)
        and (on.group(1)[0].isupper() or GIG_PAYERS.fullmatch(on.group(1)))
    ):
        named = on.group(1)  # "from a tutoring session on Wyzant": the platform paid, the work is what for
        return named if named[0].isupper() else " ".join(w.capitalize() for w in named.split())
    if m := WORK_PAID.search(text):  # "locum shift paid 480": the work that paid
        return tidy(m.group(1), lead=LEAD | {"shift", "this", "last"}, max_words=2) or "Income"
    if m := CLIENT_FOR.search(text) or PAYER_FROM.search(text):
        return m.group(1)  # "freelance gig for Lark & Sons", "refund from the HMRC": who paid, not the kind of pay
    for rx, label in INCOME_SOURCES:
        if re.search(rx, text, re.IGNORECASE):
            return label
    if m := GIG_PAYERS.search(text):
        return " ".join(w.capitalize() for w in m.group(1).split())
    if m := INVOICED.search(text):
        return m.group(1)
    if re.search(r"\btips?\b", text, re.IGNORECASE):  # "tips from the lessons": the kind, when no app paid them
        return "Tips"
    if (m := FROM_SOURCE.search(text)) and (named := tidy(m.group(1))):
        return named
    for rx, label in GENERIC_SOURCES:
        if re.search(rx, text, re.IGNORECASE):
            return label
    rest = re.sub(r"\b(?:income|sold|sent\s+me|gave\s+me|paid\s+me)\b", lambda m: m.group(0), text)
    lead = LEAD | {"got", "received", "earned", "made", "income", "deposit", "deposited", "came", "in"}
    return tidy(rest, lead=lead, trail=TRAIL | {"came", "in", "income"}) or "Income"
