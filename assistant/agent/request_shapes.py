"""The shapes of a request that the write-safety policy reads before any write: a question, a
polite request, a purchase question, a bank chore we cannot do, another service's "it", income said
as a subscription. Kept apart from ``safety`` (the policy's decisions) so each stays small."""

from __future__ import annotations

import re

# ---------------------------------------------------------------- questions, refusals, yes/no

POLITE = re.compile(
    r"^(?:please\s+)?(?:can|could|would|will)\s+(?:you|u)\b|^please\b|^do\s+(?:it|that|this)\b|"
    r"^(?:can|could|may)\s+i\s+(?:log|add|record|put|note|enter|track|save)\b|"
    r"^(?:can|could|may)\s+(?:we|i)\s+(?:get|have)\s+(?:a|an|another|one|new)\b[^?]{0,40}?\b(?:category|goal|budget)\b|"
    r"\b(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+|kindly\s+|just\s+)?(?:record|log|add|track|note|put|"
    r"enter|save|use|remove|delete|cancel|set|create|update|change|make|file|mark|undo|fix|correct|take|move|shift|"
    r"write\s+(?:it|that|this)\s+down)\b"
)
QUESTION_START = re.compile(
    r"^(?:so\s+|and\s+|but\s+|ok(?:ay)?\s+|hey\s+|hi\s+)?(?:what|what's|whats|how|how's|hows|when|where|which|"
    r"who|whom|why|(?:is|are|am|was|were|do|does|did|has|have|had|should|shall|can|could|may|would|will|isn't|"
    r"aren't|didn't|don't|doesn't|wasn't)\s+(?:i|we|you|it|there|my|our|that|this|he|she|they))\b"
)
PURCHASE_QUESTION = re.compile(
    r"\b(?:what|how)\s+about\b|\bshould\s+i\b|\bcan\s+i\s+(?:afford|buy|get)\b|\bcould\s+i\s+(?:afford|buy|get)\b|"
    r"\bafford\b|\bworth\s+(?:it|buying)\b|\bis\s+it\s+ok(?:ay)?\s+to\s+(?:buy|get|spend)\b"
)
BANK_CHORE = re.compile(
    r"^(?:(?:please|pls|hey|ok(?:ay)?|um+|uh+|erm|so|well|alright)\W+)*(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?|i\s+(?:want|need)\s+"
    r"(?:you\s+)?to\s+|i'?d\s+like\s+(?:you\s+)?to\s+|help\s+me\s+|go\s+ahead\s+and\s+|let'?s\s+)?"
    r"(?:pay|remit|transfer|send|wire|top\s+up|recharge|reload|move(?!\s+(?:(?:my|the)\s+)?(?:[\w+&'-]+\s+){0,2}(?:reminder|renewal|(?:renewal|due|billing)\s+(?:date|day))\b)|book|reserve|deposit|withdraw|schedule|invest|cancel\s+my\s+"
    r"(?:reservation|booking|appointment|flight|table|order)|make\s+a\s+(?:payment|transfer|reservation|booking))\b"
)
CHORE_ANYWHERE = re.compile(
    # "can you knock out the toll bill, 36.75", "please take care of the water invoice": a bill to pay for me
    r"(?:^(?:please\s+)?|\b(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+|just\s+)?)(?:knock\s+out|take\s+care\s+of|"
    r"handle|settle|sort\s+out|cover|clear)\s+(?:the|my|our|this|that)\b.{0,40}?\b(?:bill|invoice|toll|fine|"
    r"ticket|balance|payment)s?\b|"
    r"\b(?:make|making)\s+(?:a|the|my|our)\s+(?:[a-z]+\s+){0,2}(?:reservation|booking|transfer|payment)\b|"
    r"\bdispute\s+(?:it|that|this|the)\b|\b(?:double|twice)[\s-]+(?:charged|billed)\b|\bbook\s+(?:a|me|us)\b|"
    r"\breserve\s+(?:a|me|us)\b|\b(?:need|want|get)\s+(?:an?\s+)?(?:uber|lyft|taxi|cab)\b"
)
# a "last" transaction named only by "it"/"that" amid another service's words is not our ledger's
# ("wrong card, I'll log it later" says why the entry goes, not where it is)
ELSEWHERE = re.compile(
    r"\b(?<!wrong )(?<!other )(?<!different )"
    r"(?:card|declined|pending|atm|bank|withdraw(?:al)?|dispute|fraud|chargeback|appointment|reservation|"
    r"calendar|meeting|event|booking|flight|alarm|playlist|email|order|shipment|delivery)\b"
)
#: "ugh delete it, they refunded the whole order", "remove that one - the store cancelled the booking": the entry
#: taken back by a pronoun, then, after a break, why (someone's doing, said in the past): the words of the reason
#: name no other place to act; only the order's own words are checked against ELSEWHERE
DELETE_IT_BECAUSE = re.compile(
    r"^(?:(?:ugh|oh|ok(?:ay)?|so|actually|wait|sorry|oops|no|nvm|hmm|and|please|pls)[\s,.!]+)*"
    r"(?P<order>(?:delete|remove|undo|scratch|nix|drop|erase)\s+(?:it|that|this|that\s+one|this\s+one|the\s+last\s+one))"
    r"\s*[,;:.!\u2014\u2013-]+\s*(?:because\s+|since\s+|as\s+)?(?:they|he|she|it|we|i|the\s+\w+)\s+"
    r"(?:\w+\s+)?(?:refunded|returned|cancell?ed|reversed|credited|voided|gave|sent|took|paid|never|didn'?t|did\s+not)\b"
)
INCOME_WORDS = re.compile(
    r"\bi\s+(?:make|earn|get\s+paid|take\s+home|bring\s+in)\b|\b(?:salary|income|paycheck|wage)\b"
)


#: "... Let's aim for $2,000, shall we?": a proposal to write with a tag after it asks nothing
PROPOSAL = re.compile(
    r"(?:^|[.!]\s+)let'?s\s+(?:aim|set|make|put|target|go\s+with|call\s+it)\b[^?.!]*?,?\s*"
    r"(?:shall\s+we|ok(?:ay)?|alright|right|yeah|deal)\s*\?+$"
)
STATEMENT = re.compile(
    r"^(?:(?:so|ok(?:ay)?|well|hey|um|uh)\W+)*(?:just\s+)?(?:spent|paid|bought|got\s+paid|earned|received)\b|"
    r"\b(?:i|we)\s+(?:just\s+|already\s+)?(?:spent|paid|bought|got\s+paid|earned|received)\b"
)


def is_question(text: str) -> bool:
    """A question asks; it never writes ("what about a $35 board game?", "did I pay rent?").

    A plain statement of money spent or earned stays one even with a question after it ("I spent
    5 on coffee, is that ok?"), and so does a polite request ("could you log 12 for lunch?").
    """
    low = " ".join(text.lower().split())
    if not low or POLITE.search(low) or STATEMENT.search(low) or PROPOSAL.search(low):
        return False
    return low.endswith("?") or bool(QUESTION_START.search(low))
