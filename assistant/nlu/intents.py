"""What the engine reads by pattern before the intent model: injection refusal, small talk, slot shapes.

Why so little: intent comes from the trained model (``model.py``) and the phrasing data
(``data/intents/*.yaml``); a precise pattern stays only where it is the right tool. An injection
("ignore your instructions", "delete all my data") is refused whatever the model says; a greeting,
a thanks or a request for help gets its reply when the model leaves it to us (it has no class for
them); a transaction named by its id with a verb that edits or deletes is a slot shape (the id),
and so is a cadence ("monthly", "/yr").
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Intent:
    name: str
    confidence: float


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(parts))


INJECTION = _rx(
    r"\b(?:ignore|disregard|forget|override|bypass)\b.{0,40}\b(?:rules|instructions|prompt|guidelines|"
    r"everything|previous|above|restrictions|system)\b",
    r"\byou\s+are\s+now\b",
    # the "DAN" persona, not the word: Indonesian "dan" is "and", Turkish "-dan" is "from" ("Trendyol'dan")
    r"\b(?:you\s+are|you'?re|act\s+as|acting\s+as|be|become|called|enable|enter|switch\s+to)\s+(?:now\s+)?dan\b|"
    r"\bdan\s+(?:mode|prompt|jailbreak|persona)\b|^\s*dan\s*[,:!]",
    r"\bjailbreak",
    r"\b(?:admin|developer|god|debug)\s+mode\b",
    r"^\s*system\s*:",
    r"\bdrop\s+(?:the\s+)?(?:database|table|db)\b",
    r"\b(?:wipe|erase|nuke|purge)\b.{0,30}\b(?:data|everything|all|history|database|account|ledger)\b",
    r"\b(?:delete|remove|clear)\s+(?:all|every(?:thing)?)\b",
    r"\btransfer\b.{0,30}\b(?:money|funds|\$|\d)",
    r"\b(?:wire|transfer|send|pay)\s+(?:\$?\d[\d,.]*k?\s*(?:dollars|bucks|usd|euros)?|money|funds|cash)\b.{0,30}\bto\s+"
    r"(?:this|that|an?|my\s+friend|him|her|them|[a-z]+'s)\b",
    r"\bsend\s+(?:\$?\d+|money|funds|cash)\b.{0,30}\bto\b",
    r"\bpretend\s+(?:you|to\s+be)\b",
    r"\b(?:reveal|show|print)\s+(?:me\s+)?(?:your|the)\s+(?:system\s+)?(?:prompt|instructions)\b",
    r"\bother\s+users?'?s?\b|\bevery\s+users?'?s?\b|\ball\s+users\b",
    r"\b(?:delete|close|remove|wipe|reset|deactivate)\s+(?:my\s+|the\s+)?(?:account|profile|data|database)\b",
    r"\b(?:delete|remove|erase|wipe|clear|send|email|share|upload|post|leak)\b.{0,20}\ball\s+(?:of\s+)?(?:my|the)\s+"
    r"(?:data|records|transactions)\b",
    r"\b(?:api\s+key|password|credentials)\b",
    r"</?\s*system\s*>|\bnew\s+instructions\b|\bcall\s+(?:the\s+)?[a-z]+_[a-z_]+\b|\bevery\s+id\b",
    r"\b(?:user|customer)\s+(?:id\s+)?#?\d+\b",
)
GREETING = re.compile(
    r"^(?:hi|hello|hey|hiya|howdy|yo|sup|greetings|good\s+(?:morning|afternoon|evening|day)|"
    r"what'?s\s+up|how\s+are\s+you(?:\s+doing)?|hi\s+there|hello\s+there|hey\s+there)\b[\s\w,!.?']{0,25}$"
)
THANKS = re.compile(r"\b(?:thanks|thank\s+you|thx|ty|cheers|appreciate\s+it|much\s+appreciated)\b")
BYE = re.compile(r"^(?:bye|goodbye|good\s*night|see\s+you|see\s+ya|later|that'?s\s+all|i'?m\s+done(?!\s+with))\b")
ACK = re.compile(r"^(?:ok|okay|k|cool|great|nice|got\s+it|alright|sounds\s+good|perfect|awesome|sure|yes|no)\W*$")
HELP = re.compile(
    r"^(?:help|help\s+me|\?|menu|commands|options)\W*$|\bwhat\s+can\s+you\s+do\b|\bhow\s+do\s+i\s+use\b|"
    r"\bwhat\s+do\s+you\s+do\b|\bhow\s+does\s+this\s+work\b|\bwhat\s+are\s+you\b|\bwho\s+are\s+you\b|"
    r"\bwhat\s+(?:can|should)\s+i\s+(?:ask|say)\b|\bshow\s+me\s+what\s+you\s+can\b"
)

# a transaction by its id ("delete transaction 5", "remove #12"), said with a verb that edits or deletes
TX_REF = re.compile(
    r"\b(?:transaction|txn|tx|entry|id)\s*(?:#|no\.?\s*|number\s+|id\s+)?(\d{1,9})\b(?![./,:]\d)"
    r"|(?<![\w&])#\s?(\d{1,9})\b"
)
TX_EDIT = re.compile(
    r"\b(?:delete|remove|erase|undo|scrap|drop|void|cancel|get\s+rid\s+of|kill|trash|ditch|change|update|edit|fix|"
    r"correct|amend|set|make|move|modify|recategori[sz]e|put|switch|should\s+be|was)\b"
)
TX_DELETE = re.compile(r"\b(?:delete|remove|erase|undo|scrap|drop|void|cancel|get\s+rid\s+of|kill|trash|ditch)\b")
CADENCE = re.compile(
    r"\b(?:monthly|yearly|annually|annual|weekly(?!\s+(?:shop|shopping|grocery|groceries|food\s+shop|run|trip|big\s+shop))|quarterly|bi-?weekly|every\s+(?:month|year|week|quarter)|"
    r"every\s+(?:\d+|two|three|four|six|twelve)\s+(?:months|weeks)|"
    r"(?:a|per|each|/)\s*(?:month|year|week|quarter|mo|yr|wk)|/mo|/yr|/wk|a\s+mo)\b"
)

# "spent a bit at Tesco": a record said without its amount slot (the labelled rounds file it under no
# tool, so the model reads it as outside the app): ask for the amount
RECORD_WITHOUT_AMOUNT = re.compile(
    r"^(?:i\s+)?(?:just\s+|also\s+)?(?:spent|paid|bought|got)\b(?!.*\?)(?!.*\bhow\s+(?:much|many)\b)"
)  # "spent how much on utilities": a question, not a record without its amount


def classify(low: str, has_amount: bool, *, tx_ref: bool = False) -> Intent | None:
    """What the patterns settle in one normalised, lowercased message, or None: the model decides.

    ``tx_ref``: a transaction is named by its id, with a verb that edits or deletes.
    """
    if INJECTION.search(low):
        return Intent("refuse", 0.95)
    if tx_ref:
        if TX_DELETE.search(low) and not has_amount:
            return Intent("delete_transaction", 0.9)
        return Intent("update_transaction", 0.9)
    if has_amount:
        return None
    if GREETING.search(low) and len(low) < 40:
        return Intent("greeting", 0.95)
    if HELP.search(low):
        return Intent("help", 0.95)
    if BYE.search(low) or (THANKS.search(low) and len(low.split()) <= 6):
        return Intent("thanks", 0.95)
    if ACK.search(low):
        return Intent("thanks", 0.85)
    if RECORD_WITHOUT_AMOUNT.match(low):
        return Intent("need_amount", 0.5)
    return None
