"""Request shapes said tersely, idiomatically or with a correction (blind round 43), read on the lowercased text.

Why a module of its own: each shape here names its tool outright, so it stands whatever the intent model
leans to ("japan +400" is a contribution, "rm last" a delete, "the church offering was 25, not 20" a fix of
the entry, never two new rows). Each returns the tool and a confidence at the policy's bar or above it,
and the engine then builds the arguments as for any other read; ``fix_args`` mends the argument the
general builders miss in these shapes (the goal before "+N", the amount before "not M").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from . import currencies, lexicon
from .amounts import CUR_WORD, LETTERS, Amount, format_amount, in_entry_grouping
from .new_tools import NECESSITY, OUTGOINGS
from .numbers import as_decimal

SURE = 0.85
QUESTION_MARK = re.compile(r"\?\W*$")

# a sum as written anywhere: a sign or a currency's letters before it ("$", "nt$", "rs.", "kč"), thousands grouped
# with a comma, a dot, an apostrophe or a space ("12 099"), a currency's word or mark after it ("ft", "lei", "dh")
_MONEY_WORD = "|".join(sorted({*CUR_WORD.split("|"), *(re.escape(w) for w in currencies.GUARDED_MARKS)}, key=len)[::-1])
_N = (
    rf"(?:[$€£¥₹₩]|[a-z]{{1,3}}\$|\$[a-z]|r|q|rs\.?|(?:{LETTERS})\.?)?\s?\d(?:[\d,.']|[ \u00a0\u202f](?=\d{{3}}\b))*"
    rf"\s*(?:k\b|(?:{_MONEY_WORD})\b\.?)?"
)
_LEAD = r"^(?:(?:oh|ok(?:ay)?|so|please|pls|hey|and|also|just|um+|uh+)[\s,]+)*"

# "japan +400", "laptop: +150": a name and a plus-signed sum, nothing else, adds to the pot of that name
GOAL_PLUS = re.compile(r"^(?:my\s+|the\s+)?([a-z][\w' -]{1,30}?)(?:\s+(?:goal|fund|pot))?\s*:?\s*\+\s*" + _N + r"\W*$")
# "another 100 into Lisbon", "I would like to place 100 into my emergency fund", "popped 40 in the car pot"
GOAL_INTO = re.compile(
    r"^(?:(?:i\s+)?(?:would\s+like\s+to|want\s+to|wanna|'?d\s+like\s+to)\s+|i\s+)?(?:another|(?:place|placed|pop|"
    r"popped|stick|stuck|drop|dropped|add|added|put|threw|throw|chuck(?:ed)?|toss(?:ed)?|lob(?:bed)?)\s+"
    r"(?:(?:in\s+)?another\s+)?)" + _N + r"\s+(?:more\s+)?(?:in|into|to|toward|towards|onto)\s+(?:the\s+|my\s+|our\s+)?"
    r"([a-z][\w' -]{1,30}?)(?:\s+(?:goal|fund|pot|jar|savings))?(?=\s*(?:[,.;!]|\btoday\b|\bgo\s+on\b|$))"
)
# "how am I doing for Lisbon", "how are we getting on with the boat": a goal asked after by its name
GOAL_HOW = re.compile(
    r"^(?:so\s+)?how\s+(?:am\s+i|are\s+we|'?m\s+i)\s+(?:doing|going|getting\s+on|tracking|looking)\s+"
    r"(?:for|on|with|toward|towards)\s+(?:the\s+|my\s+|our\s+)?([a-z][\w' -]{1,30}?)"
    r"(?:\s+(?:goal|fund|pot|trip))?(?=\s*(?:[,.;!?]|$))"
)
# names that are the user's money in general, not a goal ("how am I doing for money")
_NOT_GOAL = re.compile(
    r"\b(?:money|cash|budgets?|spending|month|week|year|savings|bills?|expenses|income|it|that|now|today|"
    r"groceries|dining|transport|shopping|entertainment|utilities|rent|health|gifts?|subscriptions?|food|gas|"
    r"everything|overall|all|categor(?:y|ies)|debt|loans?|credit)\b"
)
# "new cat: Coffee, necessity 3": "cat" short for category
NEW_CAT = re.compile(
    r"^(?:new|add|create|make)\s+(?:a\s+)?(?:new\s+)?cat\s*[:\-,]\s*([a-z][\w&' -]{1,30}?)\s*(?:[,;.]|$)"
)
# "rm last", "del last one", "undo last entry": the newest entry removed
RM_LAST = re.compile(
    r"^(?:rm|del|delete|remove|undo|drop|nix)\s+(?:the\s+)?(?:last|latest|prev(?:ious)?|newest)"
    r"(?:\s+(?:one|entry|txn|tx|transaction|expense|item|thing))?\W*$"
)
# "fix: amt 6.85", "edit amount -> 12", "correct amt to 40": the entry's amount put right
FIX_AMOUNT = re.compile(
    r"^(?:fix|edit|correct|change|update)\s*[:,-]?\s*(?:the\s+)?(?:amt|amount)\s*(?:to|=|:|->)?\s*" + _N
)
# "wait sorry no it was 8.70", "my mistake, that was 12", "ay mali, 52 pala": the last entry's sum said again
SAID_WRONG = re.compile(
    r"^(?:(?:wait|sorry|no|nope|oops|whoops|actually|ah|oh|ugh|hang\s+on|my\s+(?:bad|mistake)|i\s+(?:made|make)\s+an?\s+"
    r"(?:error|mistake|typo)|i\s+got\s+(?:it|that)\s+wrong|correction|mali)[\s,.!:;-]+){2,}"
    r"(?:it|that|the\s+last\s+one|that\s+one)\s+(?:was|is|should\s+(?:be|have\s+been))\s+(?:actually\s+)?" + _N
)
# "oops, I meant 14.30. Long day.", "sorry I meant to type 62": right after an entry, its sum said again
MEANT_SUM = re.compile(
    r"^(?:(?:oh|dear|oh\s+dear|oh\s+no|sorry|oops|whoops|wait|no|ah|ugh|hmm|my\s+bad|actually)[\s,.!:;-]+)*"
    r"i\s+meant\s+(?:to\s+(?:say|type|write|put)\s+)?" + _N + r"(?:\s*[.!;,\u2014\u2013-]+(?:\s+[^\d]*)?)?$"
)
# "the church offering was 25 dollars, not 20", "that was R1 350 not R1 450": said against the wrong sum
NOT_THAT = re.compile(r"\b(?:was|were|is|cost|came\s+to)\s+(?:actually\s+)?(" + _N + r")\s*,?\s+not\s+" + _N + r"\W*$")
# "clear that reminder about Netflix", "dismiss the gym renewal reminder", "kill the hulu reminder"
DISMISS = re.compile(
    r"^(?:(?:please|pls|can\s+you|could\s+you)\s+)?(?:clear|dismiss|close|kill|ditch|silence|mute|acknowledge|ack|"
    r"get\s+rid\s+of|turn\s+off)\s+(?:that|the|my|this)\s+(?:[\w+&'-]+\s+){0,3}?reminder\b"
)
# "the Spotify reminder can be snoozed for a few days", "snooze that netflix reminder"
SNOOZE = re.compile(
    r"\breminder\s+(?:can|could|should|may)\s+(?:be\s+)?(?:snoozed|pushed\s+back|put\s+off|wait)\b|"
    r"^(?:please\s+|pls\s+)?(?:snooze|push\s+back|put\s+off)\s+(?:that|the|my|this)\s+(?:[\w+&'-]+\s+){0,3}?reminder\b"
)
# "spotify -> 16.99", "netflix => 17.99 now": a service's new price written as an arrow
ARROW = re.compile(r"^(?:my\s+|the\s+)?[a-z][\w+&' -]{1,30}?\s*(?:->|→|=>|-->)\s*" + _N)
# "change amazon prime to monthly, 14.99", "switch my gym to yearly": a subscription's new cadence ordered
TO_CADENCE = re.compile(
    r"^(?:please\s+)?(?:change|switch|move|put|make)\s+(?:my\s+|the\s+|our\s+)?[a-z][\w+&' -]{1,30}?\s+"
    r"(?:to|over\s+to|onto)\s+(?:a\s+)?(?:yearly|annual|monthly|weekly|quarterly)\b"
)
# "I would like my budget for Gifts to be 75", "make my dining budget 200": the budget's amount said as a wish
BUDGET_BE = re.compile(
    r"\bbudget\s+for\s+[a-z&' ]{3,30}?\s+(?:to\s+be|be|set\s+(?:at|to))\s+" + _N + r"|"
    r"\bmy\s+[a-z&' ]{3,30}?\s+budget\s+to\s+be\s+" + _N
)
# "I need a budget for Pet Care of $80 a month, the vet bills keep coming": a budget asked for outright, with its
# sum and period, whatever is said after it (the reasons that follow must not turn it into a spend)
BUDGET_ASKED = re.compile(
    r"\b(?:i\s+)?(?:need|want|would\s+like|'d\s+like|like)\s+(?:to\s+(?:set|have|make)\s+)?an?\s+(?:monthly\s+)?"
    r"budget\s+(?:for|on)\s+[a-z&' ]{3,30}?\s+(?:of|at|for)\s+" + _N + r"\s*(?:a|per|each|every|/)\s*month\b"
)
# "just so you have it on file: ...", "for your records, ...": a preamble that says why, before the sum is said
_LEAD_IN = (
    r"(?:(?:just\s+)?(?:so\s+you\s+(?:know|have\s+it(?:\s+on\s+file)?)|for\s+your\s+(?:records|info)|fyi)"
    r"\s*[:,\u2014-]\s*)?"
)
# "my monthly pension and Social Security together come to 3,100": the monthly income, said as a sum
MONTHLY_SUM = re.compile(
    r"^"
    + _LEAD_IN
    + r"(?:so\s+|well\s+)?(?:my|our)\s+monthly\s+[a-z&' ]{3,60}?\s+(?:together\s+|altogether\s+|combined\s+)?"
    r"(?:come|comes|add\s+up|adds\s+up|total|totals|amount)\s+to\s+(?:about\s+|around\s+)?" + _N
)
# "my salary and the disability check come to around 3,400 a month": what the user is paid, named, then its sum a month
MONTHLY_SUM_AFTER = re.compile(
    r"^" + _LEAD_IN + r"(?:so\s+|well\s+|ok(?:ay)?\s+|fyi\s+)?(?:my|our)\s+"
    # never what is paid out of it ("my income tax is 400 a month", "our pension contributions are 300 a month")
    r"(?![a-z&' ]*\b(?:" + OUTGOINGS + r")\b)"
    r"(?:[a-z&' ]{0,40}?\b)?"
    r"(?:pensions?|social\s+security|salary|salaries|wages|income|benefits?|disability|ssi|paychecks?|annuity|"
    r"allowance|stipend|earnings)\b[a-z&' ]{0,40}?\s+"
    r"(?:together\s+|altogether\s+|combined\s+)?(?:come|comes|add\s+up|adds\s+up|total|totals|amount|is|are)\s+"
    r"(?:to\s+)?(?:about\s+|around\s+|roughly\s+|approximately\s+)?" + _N + r"\s*(?:a|per|each|every|/)\s*month\b"
)
# "make that 36, forgot the popcorn", "change it to 12.40 - the tip was extra": the last entry's sum said again,
# with the reason after it (the model already reads a correction; the remark only made it unsure)
MAKE_THAT = re.compile(
    _LEAD
    # "hapana, make it 25", "nah, make it 12": one word of any language set off by a comma leads the fix
    + r"(?:[^\W\d_]+\s*,\s*)?"
    + r"(?:(?:no|nah|nope|wait|sorry|actually|oops)[\s,]+)*(?:make|change)\s+(?:that|it|this)\s+(?:one\s+)?(?:to\s+)?"
    + _N
    + r"(?!\s*(?:a|per|/|each|every)\s*(?:month|week|year)|\s*(?:monthly|weekly|yearly))"
    + r"\s*(?:$|[,;.!:\u2014\u2013-]|(?:with|w/?|incl(?:uding)?|plus)\s+(?:the\s+)?(?:tip|tips|tax|gratuity|service)\b|"
    # "nah make it 40 forgot the wine": the reason said straight after, no comma
    + r"(?:i\s+)?forgot\s+(?:the|my|to|about|a|an)\b)"
)
# "oh add 2 for the tip to that", "plus 4 tip on it", "tack 1.50 on to that for the bag": a sum added to the entry just
# logged (the new amount is the old one plus this; never the tip alone)
ADD_TO_THAT = re.compile(
    r"^(?:(?:oh|ok(?:ay)?|so|please|pls|and|also|oops|whoops|wait|sorry|actually|ah|forgot)[\s,.!]+)*"
    r"(?:(?:can\s+you|could\s+you|pls|please)\s+)?(?:add|plus|tack|put|throw|stick)\s+(?:on\s+|in\s+)?(?:another\s+|an?\s+extra\s+)?"
    + _N
    + r"\s+(?:(?:for\s+(?:the\s+|a\s+)?)?(?:tip|tips|gratuity|tax|delivery|service|fee|bag|extra)\s+)?"
    r"(?:on\s*to|onto|on|to|in)\s+(?:that|it|this|the\s+last\s+one|that\s+one)"
    r"(?:\s+(?:for\s+(?:the\s+|a\s+)?)?(?:tip|tips|gratuity|tax|delivery|service|fee|bag))?(?:\s+(?:please|too|as\s+well))?\W*$"
)
# "my mistake, it was the day before yesterday", "sorry, I got that wrong - that was last Thursday": an apology, then
# only the day it happened: the entry just logged moves to that day (it is not taken back)
_DAY_SAID = (
    r"(?:(?:the\s+)?day\s+before\s+yesterday|yesterday|last\s+night|\d{1,2}\s+days\s+ago|"
    r"(?:(?:last|this\s+past|on)\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day|"
    r"(?:on\s+)?(?:the\s+)?\d{1,2}(?:st|nd|rd|th)|"
    r"(?:on\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?)"
)
DATE_WAS = re.compile(
    r"^(?:(?:sorry|oops|whoops|my\s+(?:bad|mistake|error)|correction|wait|actually|no|oh|ah|hmm|ugh|"
    r"i\s+(?:made\s+a\s+(?:mistake|typo|error)|messed\s+(?:that\s+|it\s+)?up|got\s+(?:it|that|the\s+(?:day|date))\s+wrong|"
    r"was\s+wrong|mixed\s+up\s+the\s+(?:days|dates)))[\s,.!:;\u2014\u2013-]*)+"
    r"(?:it|that|this)(?:'?s|\s+was|\s+happened|\s+should\s+(?:be|have\s+been))\s+(?:actually\s+|really\s+)?"
    + _DAY_SAID
    + r"(?:[\s,]+not\s+(?:today|yesterday))?\W*$"
)
ADDED_KIND = re.compile(r"\b(?:tip|tips|gratuity|tax|delivery|service|fee|bag)\b")


def _added_to_entry(low: str) -> bool:
    """A sum added to the entry just logged, what it was for said ("add 3 tip to that"); a bare "put a hundred in
    it" may mean a goal or the entry, so it is not read as one."""
    return ADD_TO_THAT.search(low) is not None and ADDED_KIND.search(low) is not None


# "scratch that, wrong card", "forget that one, I logged it twice", "nix the last one - my sister paid": the entry just
# logged taken back, with the reason after it ("forget it" alone is "never mind", not a delete)
DELETE_THAT = re.compile(
    _LEAD
    + r"(?:(?:no|wait|sorry|actually|oops|nvm|never\s*mind)[\s,]+)*(?:(?:scratch|delete|remove|undo|nix|ditch|bin|"
    r"drop|erase|wipe|kill)\s+(?:that|this|it|the\s+last\s+one|(?:that|this|the\s+last)\s+(?:one|entry|expense|purchase))|"
    r"forget\s+(?:that|this|the\s+last)\s+(?:one|entry|expense|purchase))\s*(?:$|[,;.!:\u2014\u2013-])"
)
# "wrong, 49.99", "typo - 18.40", "incorrect: it's 7.25": the last entry called wrong and its sum said again
WRONG_SUM = re.compile(
    r"^(?:(?:that(?:'?s|\s+is|\s+was)\s+|it(?:'?s|\s+is|\s+was)\s+)?(?:wrong|incorrect|not\s+right)|typo|correction|"
    r"my\s+(?:bad|mistake))(?:\s+(?:amount|sum|price|number))?\s*[,:;.!\u2014\u2013-]+\s*(?:it(?:'?s|\s+is|\s+was|\s+should\s+be)\s+|"
    r"should\s+(?:be|have\s+been)\s+|make\s+it\s+)?" + _N + r"\W*$"
)
# a sum said again as the user writes it: a mark before or a code, a word or a short mark after ("12 099 Ft",
# "Rs. 6,480", "2,807.55 usd"), groups of three after a space
_N_SAID = (
    r"(?:[a-z]{1,3}\$|[$€£¥₹₵]|rs\.?\s?|r)?\s?\d[\d,.]*(?:\s\d{3})*"
    r"(?:\s*(?:k|dollars?|bucks|euros?|rand|pesos?|[a-z]{2,3}\.?|[$€£¥₹₵]))?"
)
# ... or with any currency's name after it ("215 lempiras", "3 400 birr")
_N_SAID = rf"(?:{_N_SAID}|\d[\d,.]*(?:\s\d{{3}})*\s*(?:{CUR_WORD})\b)"
# what people add after a corrected sum: the reason it was wrong ("typo", "my bad", "fat fingers", "misread it")
_SLIP = (
    r"(?:typo|my\s+(?:bad|mistake|error)|sorry|oops|whoops|fat[\s-]?fingere?d?(?:\s+it)?|fat\s+fingers|"
    r"mis-?typed(?:\s+it)?|misread(?:\s+it)?|wrong\s+(?:number|amount|sum)|i\s+mis-?typed(?:\s+it)?|"
    # "I mixed up the numbers", "swapped the digits": the slip said in a clause
    r"i\s+(?:mix(?:ed)?|swap(?:ped)?|switch(?:ed)?|flip(?:ped)?)\s+(?:up\s+)?(?:the|my|two)\s+(?:numbers|digits)(?:\s+up)?|"
    # "they did an x-ray too", "he added the tip as well": what made the sum bigger or smaller, said after it
    r"(?:they|he|she|it|there|we)\s+(?:[\w'-]+\s+){1,6}(?:too|also|as\s+well|extra)|"
    # "I forgot the cheese", "forgot to add the bag": what the first sum left out
    r"(?:i\s+)?forgot\s+(?:to\s+(?:add|count|include)\s+)?(?:the|my|a|an|about\s+the)\s+[\w'-]+(?:\s+[\w'-]+){0,3}|"
    # "31.80 with tax", "58 incl. the tip": what the corrected sum takes in
    r"(?:with|w/|incl(?:uding|\.)?|plus|after)\s+(?:the\s+)?(?:tax(?:es)?|tips?|shipping|delivery|fees?|gratuity|vat|gst))"
)
# "sorry, 32.10. typo.", "oops it's 2,807.55", "correction: 12 099 ft.", "my bad, should be 41 - fat fingers": an
# apology or the word correction, then the sum alone (the reason after it, if any, a slip and nothing more)
SORRY_SUM = re.compile(
    r"^(?:(?:sorry|oops|whoops|oh\s+no|argh|ugh|my\s+(?:bad|mistake|error)|correction|typo|wrong|incorrect|"
    r"pardon(?:\s+me)?|excuse\s+me|(?:my\s+)?apologies|"
    r"hold\s+on|hol\s+on|hang\s+on|wait|actually)[\s,.!:;\u2014\u2013-]*)+"
    r"(?:(?:it|that|the\s+(?:amount|sum|total|price))(?:'?s|\s+is|\s+was|\s+should\s+(?:be|have\s+been))\s+|"
    r"should\s+(?:be|have\s+been)\s+|make\s+it\s+|(?:it\s+)?was\s+)?"
    + _N_SAID
    + r"(?:[\s,.!;:\u2014\u2013-]+"
    + _SLIP
    + r")*\W*$"
)
# "we split it, my share was 21", "actually my half came to 40": the user's part of a shared bill, said right after
# the entry of the whole bill, is what the entry should be
MY_SHARE = re.compile(
    r"^(?:(?:actually|oh|ah|wait|so|ok(?:ay)?|and|but)[\s,]+)*(?:(?:we|they)\s+(?:split|shared|divided)\s+"
    r"(?:it|that|the\s+(?:bill|check|cheque|tab|cost))(?:\s+\w+){0,3}\s*[,;.:\u2014\u2013-]*\s*(?:and\s+|so\s+)?)?"
    r"(?:my|mine)\s+(?:part|share|half|portion|cut|bit|end)\s+(?:was|is|came\s+(?:to|out\s+to)|=|:|\u2014|-)?\s*"
    + _N_SAID
    + r"\W*$"
)
# "we went halves with my brother so only 30 is mine", "split it w/ my flatmate, 45 is my part": the bill shared
# right after its entry, the user's own part said
SPLIT_MINE = re.compile(
    r"^(?:(?:actually|oh|ah|wait|so|ok(?:ay)?|and|but)[\s,]+)*(?:i\s+|we\s+)?(?:split|shared|went\s+halves\s+on|"
    r"went\s+halves|divided)(?:\s+(?:it|that|the\s+(?:bill|check|cheque|tab|cost)))?\s+(?:with|w/?)\s+(?:my\s+|the\s+|a\s+)?"
    r"[a-z][\w' -]{0,30}?\s*[,;.:\u2014\u2013-]*\s*(?:so|and)?\s*(?:only\s+|just\s+)?"
    r"(?:" + _N_SAID + r"\s+(?:is|was)\s+(?:mine|my\s+(?:part|share|half|portion|cut|bit))|"
    r"(?:my|mine)\s+(?:part|share|half|portion|cut|bit)\s+(?:is|was|came\s+to)\s+" + _N_SAID + r")\W*$"
)
# "oh it was on sale so the shop knocked it down to 40", "they brought the price down to 12": the entry's sum lowered
PRICE_DOWN = re.compile(
    r"\b(?:knocked|brought|marked|dropped|cut|got|talked|took)\s+(?:it|that|this|them|the\s+(?:price|cost|total|bill))"
    r"\s+down\s+to\s+" + _N + r"\W*$"
)
# "sorry, please change the date to last friday", "move its date to the 3rd": the entry's date put right
DATE_TO = re.compile(
    r"^(?:(?:sorry|oops|whoops|actually|wait|no|oh|and|also|ok(?:ay)?|so|please|pls|can\s+you|could\s+you)[\s,.!]+)*"
    r"(?:change|set|move|make|update|fix|put)\s+(?:the|its|that|this)\s+(?:entry'?s\s+|expense'?s\s+)?date\s+"
    r"(?:to|as|for|back\s+to)\s+\S"
)
# "how was my month, what should I cut back on?", "where could I do better": advice asked for about the spending read
ADVICE_ASKED = re.compile(
    r"\bwhat\s+(?:should|could|can)\s+(?:i|we)\s+(?:change|cut(?:\s+(?:back|down))?(?:\s+on)?|do\s+(?:differently|better)|"
    r"improve|work\s+on|fix)\b|\bwhere\s+(?:should|could|can)\s+(?:i|we)\s+(?:cut(?:\s+back)?|save|do\s+better|improve)\b|"
    r"\bany\s+(?:tips|advice|suggestions|pointers)\b"
)
# "it should be under Gifts, these were for my sister", "that belongs in Health": the entry refiled, a reason after
FILE_UNDER = re.compile(
    r"\b(?:it|that|this|these|those|this\s+one|that\s+one|the\s+last\s+one)\s+(?:should\s+(?:be|go|have\s+(?:gone|been))|"
    r"belongs?|goes|go)\s+(?:under|in|into|to)\s+(?:the\s+|my\s+)?([a-z][\w&'-]*(?:\s+(?:&\s+)?[a-z][\w&'-]*){0,2}?)"
    r"(?:\s+categor(?:y|ies))?\s*(?:[,;.!\u2014\u2013-]|$)"
)
# "change the description to 'skin doctor'", "rename it to "team lunch"": a new description given in quotes
DESCRIBED = re.compile(
    _LEAD + r"(?:please\s+)?(?:change|set|update|edit|make|rename)\s+(?:the\s+|its\s+|that\s+|this\s+|it\s+)?"
    r"(?:(?:last\s+)?(?:entry'?s?|one'?s?|expense'?s?)\s+)?(?:description|desc|note|label|memo|name|it)?\s*"
    r"(?:to|as|:|=)\s*[\"'\u2018\u201c](?=[^\"\u201d\u2019]*[a-z])([^\"\u201d\u2019]{1,60}?)[\"'\u2019\u201d]\s*(?:please\s*)?\W*$"
)
# "transfer 300 to the boat goal", "move 50 toward the car fund": money put into a goal said with a mover's verb (a
# transfer to "savings" or to "my fund" alone stays a bank's chore)
GOAL_MOVE = re.compile(
    r"^(?:(?:please|pls|ok(?:ay)?|so)[\s,]+)*(?:transfer|move|send|shift|allocate)\s+" + _N + r"\s+(?:more\s+)?"
    r"(?:(?:in)?to\s+(?:the\s+|my\s+|our\s+)?([a-z][\w' -]{1,30}?)\s+(?:goal|pot|jar)|"
    r"towards?\s+(?:the\s+|my\s+|our\s+)?([a-z][\w' -]{1,30}?)(?:\s+(?:goal|fund|pot|jar)))"
    r"(?=\s*(?:[,.;!]|\btoday\b|$))"
)


# "add a category Pets, the cat costs a fortune", "create a new category called Kids please": a category named
# at the head of the message (what follows the comma is a remark or its necessity)
CATEGORY_NAMED = re.compile(
    _LEAD + r"(?:(?:can|could|would)\s+you\s+(?:please\s+)?)?(?:add|create|make|start|open|set\s+up)\s+(?:me\s+|us\s+)?"
    r"(?:a\s+|an\s+)?(?:new\s+)?(?:expense\s+|spending\s+)?category\s*(?:called\s+|named\s+|[:-]\s*)?[\"'\u2018\u201c]?"
    r"(?!(?:called|named|for|to|the|my|this|that|with|of|and)\b)([a-z][\w&'-]*(?:\s+(?!please\b|pls\b|thanks\b)[a-z][\w&'-]*){0,2})"
    r"[\"'\u2019\u201d]?(?:\s+(?:please|pls|thanks))?\s*(?:[,;.!]|$)"
)
# "set a budget of 200 for the Kids category", "give me a budget of 80 a month on pets": a budget's sum said
# before its category (the word "category" after the name is not part of it)
BUDGET_OF_FOR = re.compile(
    r"\b(?:set|make|create|give|put|start|add)\s+(?:me\s+|us\s+)?(?:up\s+)?(?:a|the|my|our)\s+(?:new\s+)?"
    r"(?:monthly\s+|weekly\s+)?budget\s+(?:of|at|to)\s+" + _N + r"(?:\s*(?:a|per|each|every|/)\s*month)?\s+"
    r"(?:for|on|to)\s+(?:the\s+|my\s+|our\s+)?([a-z][\w&'-]*(?:\s+[a-z][\w&'-]*)?)(?:\s+categor(?:y|ies))?(?:\s*[,;.!]|\s+please\b|$)"
)
# "budget 200 for the Kids category", "a 90 budget on the Pets category please": the word "category" after the name
# says the sum is that category's budget (never a new category named "Kids category")
BUDGET_FOR_CATEGORY = re.compile(
    r"\bbudget\s+(?:of\s+|at\s+)?" + _N + r"(?:\s*(?:a|per|/)\s*month)?\s+(?:for|on|to)\s+(?:the\s+|my\s+|our\s+)?"
    r"([a-z][\w&'-]*(?:\s+[a-z][\w&'-]*)?)\s+categor(?:y|ies)\b|"
    r"\b"
    + _N
    + r"\s+budget\s+(?:for|on|to)\s+(?:the\s+|my\s+|our\s+)?([a-z][\w&'-]*(?:\s+[a-z][\w&'-]*)?)\s+categor(?:y|ies)\b"
)
# "set a utilities budget of 250 please, the bills are mad": a budget ordered outright, its category before it
BUDGET_SET = re.compile(
    _LEAD + r"(?:please\s+)?(?:set|make|create|give\s+me)\s+(?:up\s+)?(?:a|the|my|our)\s+(?:new\s+)?(?:monthly\s+)?"
    r"([a-z][\w&'-]*(?:\s+[a-z][\w&'-]*)?)\s+budget\s+(?:of|at|to)\s+" + _N + r"(?:\s*(?:a|per|/)\s*month)?"
    r"(?:\s+please)?\s*(?:$|[,;.!\u2014\u2013-])"
)
# "gym renews on the 10th, warn me a day before", "add a reminder 4 days before disney plus renews": a lead time
# before a renewal asked for, however the ask is worded
REMIND_LEAD = re.compile(
    r"\b(?:remind(?:er)?|warn(?:ing)?|heads[\s-]?up|notif(?:y|ication)|alert|ping|nudge|notice)\b.{0,40}?"
    r"\b(?:\d+|an?|one|two|three)\s*(?:days?|weeks?)\s+(?:before|ahead|early|prior|in\s+advance)\b|"
    r"\b(?:\d+|an?|one)\s*(?:days?|weeks?)\s+(?:before|ahead|early|prior)\b.{0,30}?"
    r"\b(?:remind(?:er)?|warn(?:ing)?|heads[\s-]?up|notif(?:y|ication)|alert|ping|nudge|notice)\b"
)
# a subscription's price and period said ("20/month", "$9.99", "yearly"): a new subscription, its reminder a detail
_PRICED = re.compile(
    r"\d\s*(?:/|per\s+|an?\s+|each\s+)(?:m|mo|mth|month|y|yr|year|w|wk|week)\b|\b(?:monthly|yearly|weekly|annual(?:ly)?)\b|"
    r"[$€£¥₹]\s?\d|\d\s*(?:dollars|bucks|usd|eur|gbp)\b"
)
_RENEWS = re.compile(r"\b(?:renews|renewal|auto-?renews|is\s+due|comes\s+out|charges|bills|gets\s+charged)\b")

# the correction that picks another subscription: "X... no wait, the Amazon one", "add A? actually, B 3.99"
SELF_CORRECTED = re.compile(
    r"(?:\.\.\.|[,.?!])?\s*\b(?:no\s+wait|wait\s+no|no\s+sorry|sorry\s+no|i\s+mean|scratch\s+that)\b[,.]?\s*"
)


def _pot_said(low: str) -> re.Match[str] | None:
    """Money put into a pot said as one ("into the Lisbon pot", "my emergency fund") or topped up again
    ("another 100 into Lisbon"); "put 15 in the offering" is spending, "put 100 into dogecoin" investing."""
    if (plus := GOAL_PLUS.fullmatch(low)) is not None:
        return plus
    into = GOAL_INTO.search(low)
    if into is None or into.group(1).strip() in ("it", "that", "this", "there", "them"):
        return None
    pot = re.search(r"\b(?:goal|fund|pot|jar|savings)\b", low[into.start(1) :]) or low.startswith("another ")
    return into if pot else None


#: the turns after which "wrong, 12" or "make that 12, <reason>" can only mean the entry (after a budget, a goal or
#: a subscription was set, the same words may mean that instead: left to the model and the policy)
ENTRY_TURNS = frozenset({None, "log_expense", "log_income", "update_transaction", "list_transactions"})


# "can you list what we pay for each month", "tell me everything I'm paying monthly": what recurs (the subscriptions)
PAID_EVERY_MONTH = re.compile(
    r"\b(?:what|everything|all\s+(?:the\s+)?(?:stuff|things)|things)\s+(?:that\s+)?(?:do\s+)?(?:i|we)(?:'m|'re|\s+am|\s+are)?\s+"
    r"(?:pay|paying|get\s+charged|am\s+charged|'m\s+charged)(?:\s+for)?\s+(?:every|each|a|per)\s+month\b|"
    r"\b(?:what|everything)\s+(?:that\s+)?(?:do\s+)?(?:i|we)(?:'m|'re|\s+am|\s+are)?\s+(?:pay|paying)(?:\s+for)?\s+monthly\b"
)
# "show me what I spent on dining last month": the total asked for, not the entries one by one
WHAT_I_SPENT = re.compile(r"^(?:please\s+)?(?:show|tell)\s+(?:me\s+|us\s+)?what\s+(?:i|we)\s+(?:spent|spend)\s+on\b")


# "budget transport 250", "budget: groceries 400/month": a note-taker's budget, the word first, then what and how much
BUDGET_NOTE = re.compile(
    _LEAD
    + r"(?:set\s+)?budget\s*:?\s+(?:for\s+)?([a-z][\w&'-]*(?:\s+[a-z][\w&'-]*)?)\s*[:=-]?\s*"
    + _N
    + r"(?:\s*(?:a|per|/)\s*(?:month|mo))?\s*[.!]*$"
)


# "the gym has raised its fee to 45 a month ... would you update that?": a new price announced, then the change
# asked for in as many words
PRICE_RAISED = re.compile(
    r"\b(?:raised|put\s+up|increased|upped|hiked|bumped(?:\s+up)?|(?:is|are)\s+going\s+up|went\s+up|"
    r"(?:has|have)\s+gone\s+up|lowered|reduced|dropped|cut)\b.{0,25}?\bto\s+"
    + _N
    + r".*\b(?:update|change|adjust|amend)\s+(?:it|that|this|them)\b"
)


# "... 5000 for the school fees, so please make that a savings goal": the sum said, then made a goal outright
MADE_A_GOAL = re.compile(
    r"\b(?:make|turn|set)\s+(?:that|this|it)\s+(?:up\s+)?(?:into\s+|as\s+)?(?:a|my|our)\s+(?:new\s+)?(?:savings?\s+)?goal\W*$"
)


def request_shape(
    low: str, name: str, last_tool: str | None = None, categories: tuple[str, ...] | None = None
) -> tuple[str, float] | None:
    """The tool a terse or idiomatic request names outright, with the policy's confidence, or None."""
    entry_turn = last_tool in ENTRY_TURNS
    reads = ("list_transactions", "spending_summary", "budget_summary", "unknown", "none")
    if name in reads and PAID_EVERY_MONTH.search(low):
        return "list_subscriptions", SURE
    if name == "list_transactions" and WHAT_I_SPENT.search(low):
        return "spending_summary", SURE
    if GOAL_MOVE.search(low):
        return "contribute_to_goal", SURE
    if name in ("spending_summary", "budget_summary", "list_transactions", "unknown", "none") and ADVICE_ASKED.search(
        low
    ):
        return "get_insights", SURE
    if entry_turn and (SORRY_SUM.search(low) or DESCRIBED.search(low)):
        return "update_transaction", SURE
    if last_tool == "log_expense" and (MY_SHARE.search(low) or SPLIT_MINE.search(low)):
        return "update_transaction", SURE
    if last_tool in ("log_expense", "update_transaction") and PRICE_DOWN.search(low):
        return "update_transaction", SURE
    if last_tool in ("log_expense", "log_income", "update_transaction") and DATE_WAS.search(low):
        return "update_transaction", SURE
    if entry_turn and name in ("update_transaction", "unknown", "none", "log_expense") and DATE_TO.search(low):
        return "update_transaction", SURE
    if (
        entry_turn
        and categories is not None
        and (under := FILE_UNDER.search(low))
        and lexicon.to_user_category(under.group(1), categories)
    ):
        return "update_transaction", SURE
    if GOAL_PLUS.fullmatch(low):
        return "contribute_to_goal", SURE
    if _pot_said(low) and name in ("contribute_to_goal", "set_goal", "unknown", "log_expense", "none"):
        return "contribute_to_goal", SURE
    if (how := GOAL_HOW.search(low)) and not _NOT_GOAL.search(how.group(1)):
        return "goal_progress", SURE
    if NEW_CAT.search(low) or (name in ("create_category", "unknown", "none") and CATEGORY_NAMED.search(low)):
        return "create_category", SURE
    if last_tool in ("log_expense", "update_transaction") and _added_to_entry(low):
        return "update_transaction", SURE
    if entry_turn and name in ("update_transaction", "log_expense", "log_income", "unknown") and MAKE_THAT.search(low):
        return "update_transaction", SURE
    if name in ("set_budget", "create_category", "log_expense", "unknown") and (
        BUDGET_OF_FOR.search(low) or BUDGET_FOR_CATEGORY.search(low)
    ):
        return "set_budget", SURE
    if name == "set_budget" and BUDGET_SET.search(low):
        return "set_budget", SURE
    if (
        name in ("set_budget", "budget_summary", "unknown")
        and categories is not None
        and (note := BUDGET_NOTE.match(low))
        and lexicon.to_user_category(note.group(1), categories)
    ):
        return "set_budget", SURE
    if (
        (
            name in ("set_reminder", "update_subscription", "log_expense", "unknown")
            or (name == "add_subscription" and not _PRICED.search(low))
        )
        and REMIND_LEAD.search(low)
        and _RENEWS.search(low)
        and not QUESTION_MARK.search(low)
    ):
        return "set_reminder", SURE
    if RM_LAST.fullmatch(low):
        return "delete_transaction", SURE
    if entry_turn and name in ("delete_transaction", "unknown", "none") and DELETE_THAT.search(low):
        return "delete_transaction", SURE
    if (
        FIX_AMOUNT.search(low)
        or SAID_WRONG.search(low)
        or (entry_turn and (WRONG_SUM.search(low) or MEANT_SUM.search(low)))
    ):
        return "update_transaction", SURE
    if NOT_THAT.search(low):  # "X was 25, not 20" puts an entry right; it never logs a new one
        return "update_transaction", SURE
    if name in ("set_goal", "none", "unknown", "log_expense") and MADE_A_GOAL.search(low) and re.search(r"\d", low):
        return "set_goal", SURE
    if name in ("update_subscription", "update_transaction", "unknown") and PRICE_RAISED.search(low):
        return "update_subscription", SURE
    if DISMISS.search(low):
        return "dismiss_reminder", SURE
    if SNOOZE.search(low):
        return "snooze_reminder", SURE
    if name in ("update_subscription", "log_expense", "unknown") and (ARROW.search(low) or TO_CADENCE.search(low)):
        return "update_subscription", SURE
    if name in ("set_budget", "log_expense", "add_subscription", "unknown") and BUDGET_ASKED.search(low):
        return "set_budget", SURE
    if name == "set_budget" and BUDGET_BE.search(low):
        return "set_budget", SURE
    if name == "set_monthly_income" and (MONTHLY_SUM.search(low) or MONTHLY_SUM_AFTER.search(low)):
        return "set_monthly_income", SURE
    return None


def corrected_text(text: str) -> str:
    """The part after a spoken self-correction ("Netflix? no wait, YouTube Premium 3.99") when it says a name."""
    parts = SELF_CORRECTED.split(text, maxsplit=1)
    return parts[1] if len(parts) == 2 and re.search(r"[A-Za-z]", parts[1]) else text


def fix_args(
    name: str,
    norm: str,
    args: dict[str, Any],
    amounts: list[Amount],
    confidence: float,
    entry: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], float]:
    """Mend what the general builders read wrongly in these shapes; the confidence once they are whole.
    ``entry``: the arguments of the entry a correction corrects, when the last turn wrote one."""
    low = norm.lower()
    if name == "contribute_to_goal" and (said := _pot_said(low)):
        if confidence < 0.9 or args.get("name") == "Savings":  # the builder found no name: the one said here
            args["name"] = norm[said.start(1) : said.end(1)].strip()
        if args.get("amount"):
            confidence = max(confidence, SURE)
    if name == "goal_progress" and (how := GOAL_HOW.search(low)):
        args = {"name": norm[how.start(1) : how.end(1)].strip()}
    if name == "create_category" and (cat := NEW_CAT.search(low) or CATEGORY_NAMED.search(low)):
        args = {**args, "name": norm[cat.start(1) : cat.end(1)].strip(" '\"\u2018\u2019\u201c\u201d")}
        args["name"] = args["name"][:1].upper() + args["name"][1:]
        if (need := NECESSITY.search(low)) and 1 <= int(need.group(1)) <= 10:
            args["necessity_score"] = int(need.group(1))
        confidence = max(confidence, SURE)
    if name == "contribute_to_goal" and (moved := GOAL_MOVE.search(low)):
        group = 1 if moved.group(1) else 2
        args["name"] = norm[moved.start(group) : moved.end(group)].strip()
        if args.get("amount"):
            confidence = max(confidence, SURE)
    if (
        name == "update_transaction"
        and (SORRY_SUM.search(low) or MY_SHARE.search(low) or SPLIT_MINE.search(low) or PRICE_DOWN.search(low))
        and len(amounts) != 1
    ):
        confidence = min(confidence, 0.45)  # "correction: 12 099 ft." read as two sums: ask, never a wrong one
    if name == "update_transaction" and (quoted := DESCRIBED.search(low)):
        args = {"transaction_id": "last", "description": norm[quoted.start(1) : quoted.end(1)].strip()}
        confidence = max(confidence, SURE)
    if name == "update_transaction" and (wrong := NOT_THAT.search(low)):
        right = [a for a in amounts if a.start <= wrong.start(1) + 1 and a.end >= wrong.end(1) - 1]
        if right:
            args["amount"] = format_amount(in_entry_grouping(right[0], entry))  # "2.200 not 2.400" dinars
        args.setdefault("transaction_id", "last")
    if name == "update_transaction" and _added_to_entry(low):
        was = as_decimal((entry or {}).get("amount"))
        if was is None or len(amounts) != 1:
            return {"transaction_id": "last"}, min(confidence, 0.45)  # what it was is unknown here: ask
        args = {"transaction_id": "last", "amount": format_amount(was + amounts[0].value)}
        confidence = max(confidence, SURE)
    if name == "delete_transaction" and RM_LAST.fullmatch(low):
        args, confidence = {"transaction_id": "last"}, max(confidence, SURE)
    return args, confidence
