"""Merchants and keywords -> category, and mapping to the user's own category names.

Why a built-in lexicon: the offline engine has no model, so "Chevron 41" can only become
Transport through a list of what people buy and where. The user's merchant memory comes
first (it is what they taught us), then this lexicon, then "Other".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

# canonical category -> phrases ("|" separated); merchants in their display spelling
KEYWORDS: dict[str, str] = {
    "Dining": """Swiggy|Zomato|Mr D|Supermac's|Harvey's|A&W|
        lunch|dinner|breakfast|brunch|supper|coffee|latte|cappuccino|espresso|tea|boba|
        restaurant|restaurants|cafe|café|diner|bistro|takeout|take-out|take out|takeaway|takeaways|
        chipper|chipper run|delivery|
        pizza|burger|burgers|burrito|tacos|taco|sushi|ramen|pho|sandwich|sub|bagel|donut|donuts|
        doughnuts|pastry|bakery|ice cream|dessert|smoothie|snack|snacks|drinks|beer|beers|wine bar|
        bar|pub|cocktails|happy hour|food truck|eating out|ate out|eat out|dining out|dining|meal out|
        fast food|wings|noodles|dim sum|bbq|steakhouse|
        going out to eat|go out to eat|out to eat|coffee shop|coffee shops|food court|doordash|
        grubhub|uber eats|ubereats|postmates|deliveroo|seamless|just eat|Chipotle|Starbucks|
        McDonald's|McDonalds|Mcdonald|Burger King|Wendy's|Wendys|Taco Bell|KFC|Subway|Panera|
        Dunkin|Dunkin' Donuts|Chick-fil-A|Chick fil a|Domino's|Dominos|Pizza Hut|Papa John's|
        Five Guys|Shake Shack|In-N-Out|Popeyes|Arby's|Sonic|Dairy Queen|Jack in the Box|Panda Express|
        Olive Garden|Applebee's|Chili's|IHOP|Denny's|Red Robin|Buffalo Wild Wings|Sweetgreen|
        Cava|Qdoba|Jimmy John's|Jersey Mike's|Wingstop|Little Caesars|Tim Hortons|Peet's|Costa|
        Pret|Pret a Manger|Nando's|Greggs|Blue Bottle|Dutch Bros|Krispy Kreme|Cheesecake Factory|
        takeout food|order food|sushi dinner|ordering food|brekkie|brekky|chippy|chippie|
        fish and chips|kebab|curry house|Macca's|Maccas|Hungry Jack's|Wagamama|Itsu|Caffe Nero|Menulog|
        Grill'd|Guzman y Gomez|Oporto|Tim Ho Wan""",
    "Groceries": """Pick n Pay|Dunnes|Dunnes Stores|Big Bazaar|DMart|D-Mart|Reliance Fresh|BigBasket|Sobeys|FreshCo|
        groceries|grocery|supermarket|food shopping|produce|ingredients|milk|eggs|bread|vegetables|
        fruit|meat|market|farmers market|butcher|household stuff|household items|toiletries|
        Aldi|Lidl|Kroger|Safeway|Whole Foods|Trader Joe's|Trader Joes|Publix|Wegmans|Costco|
        Sam's Club|Albertsons|H-E-B|HEB|Food Lion|Giant|Stop & Shop|Sprouts|Meijer|Hy-Vee|
        WinCo|Tesco|Sainsbury's|Sainsburys|Asda|Morrisons|Waitrose|Carrefour|Instacart|FreshDirect|
        Ralphs|Vons|Harris Teeter|Piggly Wiggly|ShopRite|Food 4 Less|Save A Lot|Grocery Outlet|
        Woolworths|Woolies|Coles|IGA|Countdown|Pak'nSave|Co-op|M&S Food|Ocado|Loblaws|No Frills|
        big shop|food shop|weekly shop|grocery run""",
    "Transport": """Engen|Sasol|Caltex|Ampol|Petro-Canada|Esso|Ola|Gautrain|Luas|Irish Rail|Bus Eireann|Leap card|
        gas|gasoline|petrol|diesel|fuel|fill up|filled up|taxi|cab|uber|lyft|ride|rideshare|
        bus|bus pass|train|metro|subway fare|subway|tram|transit|metrocard|oyster|commute|parking|
        toll|tolls|toll fees|car wash|oil change|tires|tyres|car repair|car repairs|auto repair|auto repairs|
        brakes|mechanic|car service|
        registration|dmv|car payment|bike repair|scooter|bird|lime|ferry|fare|car insurance|auto insurance|
        Shell|Chevron|Exxon|ExxonMobil|Mobil|BP|Texaco|Citgo|Sunoco|Valero|Marathon|Speedway|
        Circle K|Wawa|QuikTrip|Sheetz|Arco|76|Uber|Lyft|Amtrak|Greyhound|Bolt|Via|Zipcar|
        EV charging|charging station|Tesla supercharger|jiffy lube|servo|rego|car rego|
        Opal card|Myki|Oyster card|the tube|Trainline|National Rail|TfL|Translink""",
    "Utilities": """airtime|data bundle|prepaid data|Eskom|Vodacom|MTN|Jio|Airtel|Eir|Telus|
        electric|electricity|power bill|electric bill|gas and electric|gas bill|heating|
        heating bill|water bill|water|sewer|trash|garbage|internet|wifi|wi-fi|broadband|cable|
        phone bill|cell phone bill|mobile bill|phone plan|cell plan|utilities|utility|utility bill|
        Comcast|Xfinity|Verizon|AT&T|ATT|T-Mobile|TMobile|Sprint|Spectrum|Cox|PG&E|ConEd|
        Con Edison|Duke Energy|National Grid|Mint Mobile|Google Fi|Vodafone|EE|O2|Optimum|
        Frontier|CenturyLink|bill|mobile top up|mobile top-up|phone top up|phone top-up|phone credit|
        mobile credit|energy bill|tv licence|tv license|British Gas|Octopus Energy|EDF|AGL|Origin Energy|
        Telstra|Optus|Virgin Media|Sky broadband""",
    "Housing": """rent|mortgage|landlord|hoa|condo fee|property tax|home insurance|renters insurance|
        renter's insurance|insurance|plumber|plumbing|electrician|repairs|home repair|furniture|
        handyman|locksmith|pest control|cleaning service|cleaner|maid|lawn|gardener|moving|movers|
        storage unit|couch|sofa|mattress|bed frame|desk|dining table|chair|chairs|lamp|rug|curtains|paint|
        home improvement|Home Depot|Lowe's|Lowes|IKEA|Wayfair|Ace Hardware|hardware store|
        council tax|Bunnings|B&Q|Homebase|Screwfix""",
    "Health": """Dis-Chem|Shoppers Drug Mart|Apollo Pharmacy|rx|refill|prescription refill|
        pharmacy|prescription|prescriptions|medicine|meds|medication|doctor|doctor's|copay|
        co-pay|dentist|dental|orthodontist|optometrist|glasses|contacts|contact lenses|hospital|clinic|
        therapy|therapist|physio|physiotherapy|chiropractor|urgent care|vitamins|supplements|
        health insurance|lab tests|checkup|check-up|vaccine|flu shot|gym|gym membership|fitness|
        yoga|pilates|crossfit|CVS|Walgreens|Rite Aid|GoodRx|Planet Fitness|Equinox|
        LA Fitness|24 Hour Fitness|Peloton|ibuprofen|advil|tylenol|bandages|first aid|eye exam|eye doctor|
        optician|physical|blood test|blood work|x-ray|xray|mri|scan|er visit|emergency room|ambulance|
        dermatologist|pediatrician|specialist|surgery|doctor visit|doctors|medical|pills|antibiotics|
        cough syrup|cold medicine|allergy meds|inhaler|insulin|hearing aid|braces|filling|root canal|
        counseling|counselling|psychiatrist|drugstore|chemist|Duane Reade|paracetamol|panadol|
        nurofen|aspirin|calpol|lemsip|antihistamines|Specsavers|Chemist Warehouse|Priceline Pharmacy|
        Superdrug|Lloyds Pharmacy""",
    "Debt": """loan|student loan|car loan|personal loan|credit card|credit card payment|card payment|
        debt|debt payment|minimum payment|paid off|pay off|my visa|visa card|visa bill|mastercard|
        amex|american express|discover card|card balance|interest charge|payday loan|loan payment|repayment|
        Sallie Mae|Navient|Nelnet|SoFi|Affirm|Klarna|Afterpay""",
    "Education": """tuition|course|online course|class|classes|lesson|lessons|textbook|textbooks|
        book|books|school|college|university|workshop|seminar|tutor|tutoring|certification|exam fee|
        school supplies|kindle book|ebook|audiobook|Udemy|Coursera|Skillshare|MasterClass|edX|
        Duolingo|Khan|Chegg|Audible""",
    "Personal care": """haircut|haircuts|hair cut|eyebrow|eyebrows|threading|waxing|brow|brows|
        hair|barber|barbershop|salon|hair salon|nail salon|nails|
        manicure|pedicure|mani pedi|spa|massage|facial|waxing|skincare|skin care|makeup|cosmetics|
        shampoo|toothpaste|deodorant|razor|razors|perfume|cologne|grooming|Sephora|Ulta|Great Clips|
        Supercuts|Bath & Body Works""",
    "Gifts & Donations": """gift|gifts|present|presents|pressie|pressies|prezzie|prezzies|
        birthday present|birthday gift|wedding gift|
        donation|donate|donated|charity|tithe|church|fundraiser|gofundme|flowers|bouquet|
        red cross|unicef|salvation army|nonprofit|baby shower|gift card|homeless shelter|animal shelter|
        food bank|fundraising|sponsorship|sponsored|offering|zakat|wedding present|housewarming|
        christmas presents|christmas gifts|secret santa|anniversary gift""",
    "Shopping": """Flipkart|Myntra|Takealot|Canadian Tire|Penneys|Mr Price|
        clothes|clothing|shirt|shirts|t-shirt|jeans|pants|dress|shoes|sneakers|boots|
        jacket|coat|sweater|hoodie|socks|underwear|hat|bag|handbag|backpack|watch|jewelry|
        electronics|laptop|computer|monitor|keyboard|mouse|phone case|charger|cable|headphones|
        earbuds|airpods|tv|television|camera|tablet|ipad|iphone|phone|new phone|gadget|console|
        appliance|blender|vacuum|kitchen|decor|household|home goods|sunglasses|accessories|stuff|
        Amazon|Target|Walmart|Best Buy|Apple Store|Nike|Adidas|Zara|H&M|Uniqlo|Gap|Old Navy|
        Macy's|Nordstrom|Kohl's|TJ Maxx|TJMaxx|Marshalls|Ross|Etsy|eBay|Shein|Temu|Forever 21|
        Urban Outfitters|Lululemon|Foot Locker|Dick's|REI|Primark|Argos|Currys|Costco online|
        Bed Bath|HomeGoods|Dollar Tree|Dollar General|Five Below|Michaels|Staples|trainers|jumper|
        JD Sports|Kmart|Big W|JB Hi-Fi|Myer|David Jones|Harvey Norman|Officeworks|TK Maxx|Matalan|
        John Lewis|Marks & Spencer|Sports Direct""",
    "Subscriptions": """subscription|subscriptions|membership fee|streaming|Netflix|Hulu|Disney+|
        Disney Plus|HBO|HBO Max|Max|Spotify|Apple Music|YouTube Premium|YouTube TV|Paramount+|
        Peacock|Prime Video|Amazon Prime|Audible subscription|iCloud|Google One|Dropbox|
        ChatGPT Plus|ChatGPT|Adobe|Creative Cloud|Microsoft 365|Office 365|Patreon|Substack|
        Xbox Game Pass|Game Pass|PlayStation Plus|PS Plus|Nintendo Online|Crunchyroll|Tidal|
        Pandora|SiriusXM|New York Times|NYT|Washington Post|Medium|Notion|Canva|1Password|
        LastPass|NordVPN|ExpressVPN|Grammarly|LinkedIn Premium|Tinder|Bumble|Hinge|Headspace|Calm|
        meal kit|HelloFresh|Blue Apron|app subscription|domain renewal|domain|web hosting""",
    "Travel": """flight|flights|plane ticket|airfare|airline|airport|hotel|hotels|motel|hostel|
        airbnb|vrbo|booking|vacation|holiday|holidays|trip|resort|cruise|luggage|baggage fee|visa|passport|
        car rental|rental car|travel|tour|excursion|weekend trip|road trip|Delta|United|
        American Airlines|Southwest|JetBlue|Ryanair|easyJet|Lufthansa|British Airways|Air Canada|
        Expedia|Booking.com|Hotels.com|Marriott|Hilton|Hyatt|Holiday Inn|Kayak|Hertz|Avis|
        Enterprise|Frontier Airlines|Spirit|Alaska Airlines""",
    "Entertainment": """movie|movies|cinema|film|flick|flicks|movie rental|movie tickets|movie ticket|theater|
        theatre|concert|concert ticket|concert tickets|show|tickets|ticket|festival|museum|zoo|
        amusement park|theme park|bowling|arcade|karaoke|game|games|video game|board game|
        nightclub|club|golf|mini golf|sports game|match|comedy|escape room|hobby|hobbies|lottery|
        books and games|Steam|PlayStation|Xbox|Nintendo|AMC|Regal|Cinemark|Ticketmaster|
        StubHub|Eventbrite|Fandango|Live Nation|Topgolf|Dave & Buster's|Six Flags|Disneyland|casino|
        gambling|poker|betting|bet|slots|bingo|lotto|scratch cards|scratchers|paintball|laser tag|
        trampoline park|water park|aquarium|ballet|opera|musical|broadway|gig|standup|stand-up|
        streaming rental|rented a movie|pool hall|billiards|darts|skiing|ski pass|lift ticket|
        go karts|go-karts|ice skating|climbing gym|bouldering|LEGO|toys|toy|puzzle|hobby shop|
        DraftKings|FanDuel|Epic Games|Roblox|Twitch""",
    "Other": """vet|veterinarian|pet food|pet|dog|cat|dog food|cat food|pet supplies|grooming for|
        laundry|dry cleaning|postage|shipping|stamps|bank fee|atm fee|fee|fees|fine|ticket fine|
        parking ticket|speeding ticket|tax|taxes|accountant|lawyer|legal|childcare|daycare|
        babysitter|nanny|allowance|Chewy|Petco|PetSmart|USPS|FedEx|UPS""",
}

# phrases whose meaning wins over the words they contain ("car loan" is Debt, not Transport)
STRONG = {
    "paracetamol",
    "panadol",
    "nurofen",
    "aspirin",
    "calpol",
    "prescription",
    "prescriptions",
    "paid off",
    "pay off",
    "my visa",
    "visa card",
    "mastercard",
    "amex",
    "loan",
    "student loan",
    "car loan",
    "credit card",
    "credit card payment",
    "insurance",
    "car insurance",
    "gift",
    "present",
    "donation",
    "charity",
    "rent",
    "mortgage",
    "bill",
    "tuition",
    "subscription",
    "phone bill",
    "gas bill",
    "electric bill",
    "water bill",
    "vet",
    "parking ticket",
    "speeding ticket",
    "movie tickets",
    "concert ticket",
    "concert tickets",
    "phone case",
    "gas and electric",
    "car repairs",
    "car repair",
    "auto repair",
}

# services usually paid as a subscription although their spending category is another one
SERVICES = {
    "peloton", "duolingo", "audible", "planet fitness", "equinox", "la fitness", "24 hour fitness", "gym membership",
    "comcast", "xfinity", "verizon", "at&t", "t-mobile", "spectrum", "mint mobile", "google fi", "udemy",
    "coursera", "skillshare", "masterclass", "chegg", "khan", "ps plus", "playstation plus", "instacart",
    "hellofresh", "blue apron", "uber one", "dashpass",
}  # fmt: skip

# category names people say for the canonical ones
ALIASES: dict[str, tuple[str, ...]] = {
    "Dining": ("dining", "dining out", "eating out", "restaurants", "food", "food and drink", "eat out"),
    "Groceries": ("groceries", "grocery"),
    "Transport": ("transport", "transportation", "travel to work", "car", "auto", "gas"),
    "Utilities": ("utilities", "utility", "bills"),
    "Housing": ("housing", "rent", "home"),
    "Health": ("health", "healthcare", "medical", "fitness"),
    "Debt": ("debt", "debts", "loans"),
    "Education": ("education", "school", "learning"),
    "Personal care": ("personal care", "self care", "self-care", "beauty"),
    "Gifts & Donations": ("gifts & donations", "gifts and donations", "gifts", "donations", "gift", "charity"),
    "Shopping": ("shopping", "clothes", "clothing"),
    "Subscriptions": ("subscriptions", "subscription", "streaming"),
    "Travel": ("travel", "vacation", "trips", "holidays"),
    "Entertainment": ("entertainment", "fun", "leisure", "hobbies"),
    "Other": ("other", "misc", "miscellaneous"),
    "Salary": ("salary", "wages"),
    "Other income": ("other income",),
}


@dataclass(frozen=True)
class Hit:
    category: str  # canonical
    phrase: str
    display: str  # as written in the lexicon (merchant display name)
    start: int
    end: int
    strong: bool


def _phrases() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for cat, blob in KEYWORDS.items():
        for raw in blob.split("|"):
            display = " ".join(raw.split())
            if display:
                table.setdefault(display.lower(), (cat, display))
    for key, (cat, display) in list(table.items()):
        plural_ok = display[:1].islower() and key not in {"lime", "bird", "giant", "max", "via"}  # scooters, not fruit
        if plural_ok and key.isalpha() and len(key) >= 4 and not re.search(r"(?:s|x|z|ch|sh|y)$", key):
            table.setdefault(key + "s", (cat, display))  # "takeouts", "haircuts", "lattes"
        joined = re.sub(r"[\s'-]", "", key)
        if (display[:1].isupper()) and joined != key and len(joined) >= 5:
            table.setdefault(joined, (cat, display))  # "wholefoods", "traderjoes", "tacobell"
    return table


PHRASES = _phrases()
PHRASE_RE = re.compile(
    r"(?<![\w&+'])(" + "|".join(re.escape(p) for p in sorted(PHRASES, key=len, reverse=True)) + r")(?![\w&+])"
)
MERCHANT_DISPLAYS = {d.lower(): d for _, d in PHRASES.values() if d[:1].isupper() or d[:1].isdigit()}


# nouns that are also verbs: "book a flight" is Travel, not Education
VERBS = {"book", "ride", "fine", "match", "show", "watch", "present", "pet", "fill up", "rent"}
VERB_AFTER = re.compile(r"\s+(?:a|an|the|my|our|me|us|it|them|\d|flight|hotel|room|trip|tickets?|\$)")


# "95 after insurance" is what the dentist cost, not an insurance payment
NOT_THE_THING = {"insurance": re.compile(r"\b(?:after|with|through|by|minus|less|via|from|covered\s+by)\s+$")}


def keyword_hits(low: str) -> list[Hit]:
    """Lexicon phrases in lowercased text, longest first at each place."""
    return [
        Hit(PHRASES[m.group(1)][0], m.group(1), PHRASES[m.group(1)][1], m.start(), m.end(), m.group(1) in STRONG)
        for m in PHRASE_RE.finditer(low)
        if not (m.group(1) in VERBS and VERB_AFTER.match(low, m.end()))
        and not ((rx := NOT_THE_THING.get(m.group(1))) and rx.search(low[: m.start()]))
    ]


def best_category(hits: Iterable[Hit], generic: frozenset[str] | set[str] = frozenset()) -> str | None:
    """Strong phrases first, then longer (more specific) phrases, then the earliest.

    In two words side by side the second names the thing ("school fundraiser" is a fundraiser,
    "hotel parking" is parking), so a plain word directly before another hit gives way to it,
    unless that hit is ``generic`` (a "train ticket" is about the train).
    """
    listed = list(hits)
    heads = [
        h
        for i, h in enumerate(listed)
        if not (
            i + 1 < len(listed)
            and listed[i + 1].start == h.end + 1
            and not h.strong
            and h.phrase not in MERCHANT_DISPLAYS
            and listed[i + 1].phrase not in MERCHANT_DISPLAYS
            and listed[i + 1].phrase not in generic
        )
    ]
    ranked = sorted(heads, key=lambda h: (not h.strong, -len(h.phrase.split()), h.start))
    return ranked[0].category if ranked else None


def merchant_in(hits: Iterable[Hit]) -> str | None:
    """The first known merchant named (display spelling), e.g. "Chipotle"."""
    for h in hits:
        if h.phrase in MERCHANT_DISPLAYS and h.phrase not in {"bird", "lime", "max", "via", "giant", "76"}:
            return MERCHANT_DISPLAYS[h.phrase]
    return None


def to_user_category(canonical: str, categories: Iterable[str]) -> str | None:
    """The user's own name for a canonical category (case-insensitive; "Gifts" for Gifts & Donations)."""
    names = list(categories)
    lowered = {n.lower(): n for n in names}
    if canonical.lower() in lowered:
        return lowered[canonical.lower()]
    for alias in ALIASES.get(canonical, ()):
        if alias in lowered:
            return lowered[alias]
    head = canonical.lower().split()[0]
    for n in names:
        if n.lower().startswith(head) or head.startswith(n.lower()):
            return n
    return None


@lru_cache(maxsize=64)
def _category_matcher(categories: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One compiled alternation of every way to say each of the user's categories."""
    names = list(categories)
    table: dict[str, str] = {}
    for canonical, aliases in ALIASES.items():
        user = to_user_category(canonical, names)
        if user:
            for alias in aliases:
                table.setdefault(alias, user)
    for n in names:
        table[n.lower()] = n
    alternation = "|".join(re.escape(p) for p in sorted(table, key=len, reverse=True))
    return re.compile(rf"(?<![\w&])({alternation})(?:s)?(?![\w&])"), table


def mentioned_categories(low: str, categories: Iterable[str]) -> list[tuple[int, str]]:
    """User category names said in the text (by name or alias), with their positions."""
    rx, table = _category_matcher(tuple(categories))
    return [(m.start(), table[m.group(1)]) for m in rx.finditer(low)]
