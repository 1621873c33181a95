"""Which tool a message asks for: ordered, weighted phrase rules over normalised text.

Why ordered rules: the intents overlap in wording ("cancel the last expense" is a delete, not
a subscription cancel; "limit dining to 250 a month" is a budget, not a subscription), so the
more specific readings are tried first and each rule says how sure it is.
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
    r"\bdan\b",
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

# reminders by chat: a lead time ("remind me 3 days before"), a snooze, a dismissal
REMIND_LEAD = _rx(
    r"\b(?:remind|nudge|warn|notify|ping|alert|tell)\s+me\b.{0,40}?\b(?:\d+|an?|one|the)\s*(?:days?|weeks?)\s+"
    r"(?:before|ahead|early|earlier|in\s+advance|prior|beforehand|out)\b",
    r"\b(?:give\s+me|i\s+want|i'?d\s+like)\s+(?:\d+|an?|one)\s*(?:days?|weeks?)(?:'s?)?\s+(?:notice|warning|heads[\s-]up)\b",
    r"\breminders?\s+(?:\d+|an?|one)\s*(?:days?|weeks?)\s+(?:before|ahead|early|in\s+advance)\b",
    r"\bremind\s+me\s+on\s+the\s+(?:same\s+)?day\b",
)
SNOOZE = _rx(
    r"\bsnooze\b",
    r"\bremind\s+me\s+(?:about\s+(?:it|that|this)\s+)?(?:again|later)\b",
    r"\b(?:postpone|delay|push\s+back|defer)\s+(?:the\s+|that\s+|this\s+|my\s+)?(?:[\w+]+\s+)?reminder\b",
)
DISMISS = _rx(
    r"\bdismiss\b",
    r"\b(?:clear|close|silence|mute)\s+(?:the\s+|that\s+|this\s+|my\s+)?(?:[\w+]+\s+)?reminder\b",
    r"\bmark\s+(?:that|the|this|it)\b.{0,25}\b(?:done|handled|paid|dealt\s+with|complete|completed)\b",
    r"\breminder\b.{0,20}\b(?:done|handled|dealt\s+with)\b",
)
# "I already paid it": only without an amount (with one it is an expense)
PAID_IT = re.compile(
    r"\b(?:already|just)\s+paid\s+(?:it|that|this|the\s+[\w+ ]{1,25}?\s+(?:one|bill|reminder))\b"
    r"|^(?:i\s+)?paid\s+it\W*$"
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

UPDATE = _rx(
    r"^(?:(?:no|nope|nah|sorry|oops|wait|oh|ah|ugh|typo)[,.!]?\s+)*(?:actually|should\s+(?:be|have\s+been)|"
    r"make\s+(?:that|it)|"
    r"change\s+(?:that|it|the\s+last(?:\s+one|\s+expense|\s+transaction|\s+entry)?)|correct\s+(?:that|it|the)|"
    r"fix\s+(?:that|it|the\s+last)|update\s+(?:that|it|the\s+last)|(?:that|it)\s+(?:was|is|should\s+be|"
    r"should\s+have\s+been|were)|(?:that|it)'s\s+(?!all\b)|wrong\s+(?:category|amount|date)|"
    r"set\s+(?:that|it)\s+to|move\s+(?:that|it)\s+to|recategori[sz]e|edit\s+(?:that|it|the\s+last)|"
    r"(?:put|move|file|switch|categori[sz]e|mark|list|log|record)\s+(?:that|it|this|(?:the|my)\s+last(?:\s+one|"
    r"\s+expense|\s+transaction|\s+entry|\s+purchase)?)\s+(?:under|in|into|to|as)\b|"
    r"change\s+the\s+(?:amount|category|date|price|total|description)\b|"
    r"(?:the\s+)?(?:amount|price|total|category|date)\s+(?:was|should\s+be|is\s+wrong|is\s+actually))",
    r"\b(?:that|it|this)\s+(?:should'?ve|shoulda|must\s+have)\s+been\b",
    r"\b(?:entered|typed|put|logged|recorded)\s+(?:the\s+|that\s+|it\s+)?(?:amount|category|date|price)?\s*"
    r"(?:in\s+)?(?:incorrectly|wrong|wrongly|by\s+mistake)\b",
    r"\bthe\s+correct\s+(?:amount|figure|total|category|date|price)\s+(?:is|was|should\s+be)\b",
    r"\b(?:amount|price|total|category|date)\s+(?:should\s+have\s+been|should'?ve\s+been)\b",
    r"\bi\s+made\s+(?:an?\s+)?(?:error|mistake|typo)\b",
    r"\b(?:that|the|my)\s+last\s+(?:one|expense|transaction|entry|purchase)\s+(?:shouldn'?t|should\s+not)\s+be\b",
    r"^not\s+[\w&' ]{2,25},\s*(?:the\s+last\s+one|that|it|this)\s+(?:was|is|should\s+be)\b",
    r"\bmis-?categori[sz]ed\b|\bmis-?(?:filed|labell?ed)\b",
    r"\b(?:it|that|this)\s+should\s+be\s+(?:filed|put|listed|logged|categori[sz]ed|recorded)\s+(?:under|in|as)\b",
    r"^(?:fix|correct|change|update|edit)\s+(?:the\s+)?(?:amount|category|date|price|total)\b",
    r"\b(?:that|the|my)\s+last\s+(?:one|expense|transaction|entry|purchase|payment)\s+(?:was|is)\b.{1,40}"
    r"\b(?:not|instead\s+of|rather\s+than)\b",
    r"\b(?:the|my)\s+last\s+(?:one|expense|transaction|entry|purchase|payment)\s+(?:was\s+actually|"
    r"should\s+(?:be|have\s+been)|should'?ve\s+been|was\s+really|is\s+wrong)\b",
    r"^(?:no[,.!]?\s+|nope[,.!]?\s+|sorry[,.!]?\s+|oops[,.!]?\s+|wait[,.!]?\s+)*i\s+meant\b",
    r"\bmeant\s+to\s+(?:say|type|put|write|enter)\b",
    r"^(?:no[,.!]?\s+|oops[,.!]?\s+|sorry[,.!]?\s+)*(?:it\s+)?should\s+(?:be|have\s+been|'?ve\s+been)\b",
)
DELETE = _rx(
    r"\b(?:delete|remove|undo|erase|scratch|scrap|bin|drop|cancel|void|get\s+rid\s+of|clear|kill|toss|ditch)\s+"
    r"(?:that|it|this|my\s+last|the\s+last|last|my\s+(?:latest|previous|most\s+recent)|the\s+(?:latest|previous|most\s+recent))\b",
    r"\b(?:delete|remove|erase|get\s+rid\s+of)\s+(?:that|the|this|my)\s+(?:\w+\s+)?(?:expense|transaction|entry|purchase|"
    r"income|record|payment)\b",
    r"\b(?:delete|remove|erase|get\s+rid\s+of|scrap|ditch|toss)\s+(?:the|that|this|my)\s+(?:[\w'-]+\s+){1,2}"
    r"(?:one|charge|purchase|expense|entry|transaction|item)\b",
    r"\b(?:delete|remove|erase|get\s+rid\s+of|scrap|ditch)\s+(?:yesterday|today|this\s+morning|last\s+night)'?s\b",
    r"^(?:undo|scratch\s+that|never\s*mind\s+(?:that|the\s+last)|delete\s+it|remove\s+it)\b",
    r"\b(?:delete|remove)\s+it\b",
    r"\bundo\b",
    r"\btake\s+(?:that|it)\s+back\b",
    r"^(?:never\s*mind|forget\s+(?:that|it))\W*$",
)
CANCEL_SUB = _rx(
    r"\b(?:cancel(?:led|ed)?|unsubscribe|stop\s+tracking|stop\s+paying\s+for|stop(?!\s+\w+ing\b)|drop(?:ped)?(?!\s+(?:on|for)\b)|ditched|end(?=\s+(?:my|the|it|that|this|our)\b)(?!\s+the\s+(?:end|month|year|week))|terminate|"
    r"remove|delete|get\s+rid\s+of|ditch|scrap|axe|dump|kill)\b",
    r"\bno\s+longer\s+(?:pay|subscribe|use|have)\b",
    r"\btake\s+(?:it|that|them)\s+off\s+(?:the|my)\s+list\b",
    r"\b(?:i'?m|i\s+am)\s+done\s+with\b",
    r"\bdon'?t\s+(?:pay\s+for|have|use)\b.{0,30}\banymore\b",
)
LIST_SUBS = _rx(
    r"\bsubscriptions\b",
    r"\brenew(?:s|ing|al|als)?\b",
    r"\b(?:upcoming|next|coming|due)\s+(?:bills?|payments?|charges?)\b",
    r"\bbills?\s+(?:are\s+)?(?:coming|due)\b",
    r"\brecurring\b",
    r"\b(?:paying|pay)\s+for\s+(?:on\s+a\s+regular\s+basis|regularly|every\s+month|monthly)\b",
    r"\bwhich\s+services\b",
    r"\bwhat'?s\s+(?:coming\s+up|due)\b",
    r"\bsubscribed\s+to\b",
    r"\bwhat\s+(?:am\s+i\s+paying|do\s+i\s+pay)\s+(?:for\s+)?(?:every|each|monthly)\b",
    r"\bdue\s+(?:soon|in\s+the\s+next|this|next|within)\b",
    r"\bupcoming\b",
    r"\bsubscription\s+(?:charges|payments|list|renewals|costs|bills)\b",
)
CADENCE = re.compile(
    r"\b(?:monthly|yearly|annually|annual|weekly(?!\s+(?:shop|shopping|grocery|groceries|food\s+shop|run|trip|big\s+shop))|quarterly|bi-?weekly|every\s+(?:month|year|week|quarter)|"
    r"(?:a|per|each|/)\s*(?:month|year|week|quarter|mo|yr|wk)|/mo|/yr|/wk|a\s+mo)\b"
)
SUBSCRIPTION_VERB = _rx(
    r"\b(?:subscri(?:be|bed|ption)|membership|recurring|renews?|renewing|renewal|streaming)\b",
    r"^(?:add|track|new|register|set\s+up|create|log)\b",
    r"\bi\s+(?:pay|am\s+paying|'m\s+paying)\b",
    r"\btrack\b",
    r"\bsign(?:ed)?\s+(?:me\s+)?up\b",
)
GOAL_SET = _rx(
    r"\bgoal\b",
    r"\b(?:stash|sock\s+away|squirrel\s+away|tuck\s+away|stockpile)\b",
    r"\bsave\s+(?:up\s+)?(?:\$?\d|for)",
    r"\bsaving\s+(?:up\s+)?(?:\$?\d|for)",
    r"\bput(?:ting)?\s+(?:away|aside)\b",
    r"\bemergency\s+fund\b",
    r"\bset(?:ting)?\s+aside\b",
)
GOAL_PROGRESS = _rx(
    r"\bgoals?\b",
    r"\bsaved\s+(?:up\s+)?(?:so\s+far\s+)?for\b",
    r"\bhow\s+(?:much\s+)?(?:close|far|near)\b.{0,20}\b(?:to|from|on|with)\b",
    r"\b(?:fund|savings)\s+(?:coming|going|doing)\b",
    r"\bhow'?s\s+(?:my|the)\s+[\w ]{1,25}(?:fund|savings)\b",
    r"\bprogress\b",
    r"\bmy\s+[\w ]{1,25}\s+(?:savings|fund)\b",
    r"\bhow\s+much\s+(?:more\s+)?(?:do|will|would)\s+i\s+(?:still\s+)?need\b",
    r"\b(?:still\s+need\s+to\s+save|left\s+to\s+save|saved\s+so\s+far)\b",
)
CHECK = _rx(
    r"\b(?:should|can|could|may|shall)\s+(?:i|we)\s+(?:really\s+)?(?:buy|get|order|book|purchase|grab|afford|"
    r"splurge|treat|spend|go\s+for|pick\s+up|rent|upgrade)\b",
    r"\bafford\b",
    r"\b(?:is|would)\s+(?:it|that|this)\s+(?:be\s+)?(?:ok|okay|fine|wise|smart|alright|all\s+right|reasonable|"
    r"sensible|a\s+good\s+idea|a\s+bad\s+idea|too\s+much|responsible)\b",
    r"\bwithin\s+(?:my\s+)?budget\b",
    r"\broom\s+in\s+(?:my\s+)?budget\b",
    r"\b(?:would|will)\s+(?:buying|getting|ordering|spending)\b",
    r"\b(?:thinking\s+(?:about|of)|considering|planning\s+(?:on|to))\s+(?:buying|getting|ordering|booking|"
    r"spending|purchasing)\b",
    r"\bworth\s+(?:it|buying)\b",
    r"\bcan\s+i\s+justify\b",
    r"\bis\s+\$?\d+.{0,30}\btoo\s+much\b",
    r"\bis\s+(?:a\s+|an\s+)?\$?\d.{0,40}\b(?:reasonable|ok|okay|fine|worth\s+it|a\s+good\s+deal|affordable|smart)\b",
    r"\b(?:can|could)\s+i\s+(?:swing|manage|handle|justify|squeeze\s+in)\b",
    r"\bis\s+(?:buying|getting|ordering|spending|booking)\b.{0,40}\b(?:good|bad|wise|smart|ok|okay|fine|reasonable|"
    r"dumb|stupid|crazy|silly|worth\s+it)\b",
    r"\b(?:enough|room)\s+(?:money\s+|budget\s+|cash\s+|left\s+)?(?:in\s+(?:my|the)\s+budget\s+|left\s+)?for\b",
    r"\bfit\s+(?:in\s+|into\s+|within\s+)?(?:my|the|our)\s+(?:budget|means)\b",
    r"\b(?:blow|bust|break|wreck|hurt|ruin|kill|mess\s+up|go\s+over)\s+(?:my|the)\s+(?:\w+\s+)?budget\b",
    r"\bam\s+i\s+(?:able|allowed|ok|okay|good|fine|safe|alright|clear)\s+to\s+(?:buy|get|order|book|purchase|spend|"
    r"afford|grab|go|splurge)\b",
    r"\b(?:a\s+)?(?:good|bad|smart|dumb|terrible|wise)\s+(?:idea|move|call|purchase|buy)\b",
    r"\b(?:is|would)\s+(?:a|an)\s+\$?\d.{0,40}\b(?:too\s+much|ok|okay|fine|affordable|reasonable)\b",
    r"\bdo\s+i\s+have\s+(?:enough|the\s+money|room|space|budget)\b",
    r"\b(?:ok|okay|fine|alright|safe|smart|wise)\s+(?:for\s+me\s+)?to\s+(?:spend|drop|blow|buy|get|order|book|splurge|"
    r"grab|put|shell\s+out)\b",
    r"\b(?:should|can|could)\s+i\W*$",
    r"\byes\s+or\s+no\b",
    r"\bit\s+would\s+be\s+(?:wise|smart|ok|okay|fine|sensible|prudent|reasonable|a\s+good\s+idea)\b",
    r"\b(?:would|will|is)\s+it\s+be\s+(?:wise|smart|sensible|prudent|reasonable)\s+to\b",
    r"\b(?:any\s+)?reason\s+(?:i|we)\s+(?:shouldn'?t|should\s+not)\b|\bshouldn'?t\s+(?:i|we)\s+(?:buy|get|grab)\b",
    r"\b(?:can|could)\s+(?:i|we)\s+justify\b|\bwithin\s+(?:my|our)\s+means\b",
    r"\b(?:if|whether)\s+(?:i|we)\s+(?:can|could)\s+(?:swing|afford|manage|handle|justify|do)\b",
    r"\b(?:gonna|going\s+to|will\s+it|would\s+it)\s+(?:hurt|kill|wreck|break|ruin|blow)\b",
    r"\bcan\s+or\s+not\b|\b(?:i\s+)?(?:want|wanna|would\s+like)\s+(?:to\s+)?(?:buy|get|purchase)\b",
    r"^(?:buy|get|order|grab|book)\b.{0,60}\?\s*$",
    r"\b(?:ok|okay|alright|fine)\s+if\s+i\b",
    r"\bcan\s+i\s+(?:go|do\s+it|swing\s+it|get\s+it|have\s+it)\W*$",
    r"\bbudget\s+(?:can|could)\s+(?:accommodate|handle|cover|take|absorb|manage)\b",
    r"\bwould\s+you\s+(?:advise|recommend|suggest)\b|\bgiven\s+my\s+budget\b|\bi'?m\s+tempted\s+to\b",
    r"\b(?:can|could|will|would)\s+(?:my|the)\s+(?:\w+\s+)?budget\s+(?:handle|take|cover|absorb|survive|stretch\s+to)\b",
    r"\b(?:does|would|will|can)\s+(?:that|it|this)\s+fit\b",
    r"\binvest\s+in\s+(?:a|an|the|some)\s+(?:new\s+)?[$€£]?\d",
    r"\b(?:ok|okay|fine|good)\s*\?+\s*$",
    r"^(?:should|can|could)\s+i\b.{0,60}\bor\s+(?:hold\s+off|wait|skip\s+it|not)\W*$",
    r"\b(?:would|will|is)\s+it\s+be\s+(?:dumb|stupid|crazy|silly|bad|irresponsible|reckless|a\s+mistake)\s+to\b",
    r"\bis\s+it\s+(?:dumb|stupid|crazy|silly|irresponsible|reckless)\s+to\b",
    r"\b(?:gonna|going\s+to)\s+be\s+(?:a\s+)?(?:problem|issue|too\s+much)\b",
    r"\b(?:would|will)\s+(?:it|that|this)\s+be\s+(?:a\s+)?(?:problem|issue)\b",
)
SET_TO = re.compile(
    r"^(?:please\s+)?(?:set|change|make|update|adjust|raise|lower)\s+(?:my\s+|the\s+)?"
    r"[\w&' ]{2,30}?\s+(?:to|at)\s+\$?\d"
)
SET_BUDGET = _rx(
    r"\b(?:set|change|make|raise|lower|increase|decrease|update|adjust|bump|reduce|cut)\b.{0,40}\bbudget\b",
    r"\bbudget\b.{0,40}\b(?:should\s+be|to|=|at|is\s+now|of)\s+\$?\d",
    r"\bbudget\s+\$?\d",
    r"\bbudget\s+(?:for|of)\b.{0,30}\$?\d",
    r"\$?\d[\d,.]*k?\s+(?:dollars?\s+|bucks\s+)?(?:[a-z&']+\s+){0,2}budget\b",
    r"\b(?:limit|cap)\b",
    r"\bno\s+more\s+than\b",
    r"\ballow\s+(?:myself|me)\b",
    r"\bmax(?:imum)?\s+(?:of\s+)?\$?\d+.{0,20}\b(?:on|for)\b",
    r"\bbudget\s*[:=]\s*\$?\d",
    r"\b(?:want|plan|aim|try|going)\s+to\s+spend\b.{0,30}\b(?:a|per|each|every)\s+month\b",
    r"\b(?:only|just)\s+(?:want\s+to\s+)?spend\b.{0,30}\b(?:a|per|each|every)\s+month\b",
    r"\bspend\s+(?:at\s+most|max|up\s+to|less\s+than|under)\s+\$?\d",
    r"\b(?:allocate|assign|earmark|dedicate|budget(?:ed)?)\s+\$?\d",
    r"\bnew\s+budget\b",
    r"\bkeep\s+(?:my\s+|the\s+)?[\w&' ]{2,25}?\s+(?:spending\s+)?(?:under|below|within|to|at\s+most)\s+\$?\d",
    r"\bbudget\s*[:=-]\s*[a-z&' ]{2,25}?\s*\$?\d",
)
BUDGET_STATUS = _rx(
    r"\bbudgets?\b",
    r"\b(?:left|remaining|remain)\b",
    r"\bover\s*spen(?:d|ding|t)\b",
    r"\b(?:go|went|gone|going|been)\s+over\b",
    r"\bover\s+(?:my\s+|the\s+|their\s+|its\s+)?(?:limits?|budgets?)\b",
    r"\bon\s+track\b",
    r"\bstill\s+spend\b",
    r"\broom\s+(?:is\s+)?left\b",
    r"\bhow\s+am\s+i\s+doing\b",
    r"\bbudgets?\s+(?:performance|status|overview|report|breakdown|progress)\b",
    r"\b(?:my|the)\s+(?:[\w&]+\s+){0,2}(?:spending\s+)?limits?\b",
    r"\bhow\s+(?:are|is|do)\s+(?:my|our)\s+(?:finances|money|budgets?)\b",
)
SPENDING = _rx(
    r"\bhow\s+much\s+(?:money\s+)?(?:did|have|do|had)\s+(?:i|we)\s+(?:\w+\s+)?(?:spen[dt]|blow|blown|pa(?:y|id)|"
    r"drop(?:ped)?|put|shell(?:ed)?)\b",
    r"\bhow\s+much\s+(?:money\s+)?(?:went|goes|has\s+gone)\s+(?:to|on)\b",
    r"\bhow\s+much\s+(?:money\s+)?(?:went|has\s+gone|is\s+going|goes)\s+out\b|\bmoney\s+out\b",
    r"\bwhat\s+(?:did|have)\s+i\s+spen[dt]\b",
    r"\b(?:what|how\s+much)\s+(?:did|have|had)\s+(?:i|we)\s+(?:\w+\s+)?(?:spen[dt]|blow|blew|blown|shell(?:ed)?\s+out|"
    r"drop(?:ped)?|pa(?:y|id)|fork(?:ed)?\s+(?:over|out)|splash(?:ed)?\s+out)\b",
    r"\bhow\s+much\s+(?:i|we)\s+(?:spent|blew|paid|dropped|shelled\s+out|forked\s+(?:over|out)|splashed\s+out)\b",
    r"\b(?:my|our|the)\s+(?:[\w-]+\s+){0,2}(?:outlays?|expenditures?|outgoings)\b",
    r"\bwhat\s+(?:did|have|has)\s+(?:[\w&]+\s+){1,3}cost\s+(?:me|us)\b",
    r"\b(?:[\w&]+)\s+(?:costs|expenses|spending)\s+(?:since|from|in|during|for|over|this|last|so\s+far)\b",
    r"\btotal\s+(?:amount\s+|money\s+)?(?:spent|spending|spend|expenses|costs?|expenditures?|outgoings)\b",
    r"\b(?:amount|money)\s+(?:i\s+)?(?:spent|spend)\b",
    r"\b(?:spent|spending|expenses)\s+(?:total|in\s+total|so\s+far)\b",
    r"\bsum\s+of\b",
    r"\b(?:my\s+)?(?:spending|expenses)\s+(?:on|in|for|over|during|this|last|since)\b",
    r"^(?:\w+\s+)?spending\s*(?:summary|report|breakdown|this|last)?\b",
    r"\bspending\s+(?:summary|report|breakdown|total)\b",
    r"\bhow\s+much\s+(?:was|were)\s+(?:my|i)\b",
    r"\bhow\s+much\s+(?:did|have|has|do)\s+(?:my\s+|the\s+)?[\w' ]{1,25}?\s+cost\b",
    r"\bcost\s+me\b.{0,20}\b(?:last|this|in|so\s+far)\b",
    r"^how\s+much\s+(?:on|for|in)\b",
    r"^(?:what'?s\s+|what\s+is\s+)?(?:the\s+|my\s+)?total\b",
)
LIST_TX = _rx(
    r"\b(?:show|list|display|see|view|give|pull\s+up|print)\b.{0,40}\b(?:transactions?|expenses|purchases|"
    r"entries|payments|history|ledger|receipts|charges|incomes?|everything|records?)\b",
    r"\b(?:show|list|display|see|view|pull\s+up|print)\b.{0,40}\bspending\b",
    r"\b(?:recent|latest|last\s+\d+)\s+(?:transactions|expenses|purchases|entries|payments|charges)\b",
    r"\b(?:show|list|display|see|view)\s+(?:me\s+)?(?:every|each|all(?:\s+(?:of\s+)?(?:my|the))?)\s+(?:[\w&]+\s+){0,2}"
    r"(?:transaction|expense|purchase|charge|payment|entry)s?\b",
    r"\bwhat\s+(?:did|have)\s+i\s+(?:buy|bought|purchase|purchased)\b",
    r"\b(?:stuff|things|items|everything|entries)\s+i(?:'ve|\s+have)?\s+(?:logged|recorded|added|entered|put\s+in)\b",
    r"\bwhat\s+(?:[\w&]+\s+){0,2}(?:expenses|transactions|purchases|payments|entries)\s+(?:have|did)\s+i\s+"
    r"(?:logged|log|recorded|record|entered|enter|added|add|made)\b",
    r"\b(?:show|list|tell)\s+(?:me\s+)?what\s+i\s+(?:spent|bought|purchased|paid\s+for)\b",
    r"^(?:my\s+)?(?:transactions|expenses|purchases)\b",
    r"\btransactions\b",
    r"^(?:(?:show|see|view)\s+(?:me\s+)?)?(?:my\s+)?(?:transaction|purchase|spending|expense|payment)?\s*history\W*$",
    r"\b(?:find|search|look\s+up|lookup|look\s+for)\b.{0,40}\b(?:transactions?|expenses?|purchases?|payments?|"
    r"charges?|spending|entries|orders)\b",
    r"\bwhat\s+(?:have|did)\s+i\s+(?:logged|log|recorded|record|entered|enter|added|add|tracked|track)\b",
)
INSIGHTS = _rx(
    r"\banaly[sz](?:e|is|ze)\b",
    r"\binsights?\b",
    r"\btips?\b",
    r"\badvice\b",
    r"\bcut\s+(?:back|down)\b",
    r"\b(?:save|saving)\s+(?:more|money)\b",
    r"\bspend(?:ing)?\s+less\b",
    r"\breview\s+(?:my\s+)?(?:finances|spending|money)\b",
    r"\bspending\s+too\s+much\b",
    r"\btrim(?:ming)?\b.{0,25}\b(?:expenses|spending|costs|budget|bills)\b",
    r"\blook\s+(?:over|at|through)\s+(?:my|our)\s+(?:spending|finances|money|expenses)\b.{0,40}\b(?:observations?|thoughts|"
    r"feedback|advice|tips|suggestions?|opinion)\b|\bobservations\b",
    r"\b(?:bleeding|losing|wasting|burning\s+through|hemorrhaging)\s+(?:so\s+much\s+)?money\b",
    r"\bwhere\s+(?:is|does|did)\s+(?:all\s+)?my\s+money\s+(?:go|goes|going|gone)\b",
    r"\bcut\s+(?:costs?|spending|expenses|my\s+spending)\b",
    r"\bideas?\b.{0,30}\b(?:save|saving|cut|spend\s+less|budget)\b",
    r"\b(?:reduce|lower)\s+(?:my\s+)?(?:spending|expenses|costs|bills)\b",
    r"\bhow\s+can\s+i\s+(?:save|improve|do\s+better|reduce|budget\s+better)\b",
    r"\b(?:patterns|trends|habits)\b",
    r"\bsuggestions?\b",
    r"\bwhat\s+should\s+i\s+(?:cut|change|reduce)\b",
    r"\brecommend",
    r"\bwast(?:e|ing|ed)\b",
    r"\b(?:biggest|largest|top|main)\s+(?:expenses?|spending|categor(?:y|ies)|costs?)\b",
    r"\b(?:spend|spent)\s+(?:the\s+)?most\s+(?:money\s+)?on\b",
    r"\boverview\s+of\s+my\s+(?:finances|money)\b",
    r"\bsummar(?:y|i[sz]e)\s+(?:of\s+)?(?:my\s+)?(?:finances|money)\b|\bfinancial\s+(?:summary|overview|health|picture)\b",
    r"\bcompare\b.{0,30}\b(?:this|last|previous)\s+month\b",
)
INCOME = _rx(
    r"\bgot\s+paid\b",
    r"\bpay\s*day\b",
    r"\b(?:hit|landed\s+in|went\s+into|came\s+into)\s+my\s+(?:bank|account)\b",
    r"\bpaid\s+me\b",
    r"\bpay\s*check\b",
    r"\bsalary\b",
    r"\bwages?\b",
    r"\bearn(?:ed|ings)?\b",
    r"\b(?:received|receive|got|get|made|make)\b.{0,25}\b(?:from|bonus|refund|income|interest|tip|tips|"
    r"dividend|dividends|cashback|reimburse|payment\s+from|for\s+my)",
    r"\breceived\b",
    r"\bincome\b",
    r"\bbonus\b",
    r"\b(?:tax\s+)?refund\b",
    r"\bsold\b",
    r"\bsent\s+me\b",
    r"^(?:venmo|zelle|paypal|cash\s*app|transfer|e-?transfer)\s+from\b",
    r"\bcashed\b",
    r"\b(?:paid|pays)\s+me\s+back\b",
    r"\bgot\s+\$?\d[\d.,]*k?\s+(?:in\s+)?(?:tips|back|cash|from)\b",
    r"\b(?:got|made|earned)\s+[$€£]?\d[\d.,]*k?\s*(?:dollars|bucks|euros|pounds|quid)?\s+for\s+(?:\w+\s+)?\w+ing\b",
    r"\bgave\s+me\b",
    r"\bdeposit(?:ed)?\b",
    r"\breimburs",
    r"\bdividends?\b",
    r"\bpaycheque\b",
    r"\bside\s+(?:gig|hustle)\b",
    r"\bfreelanc",
    r"\bcame\s+through\b",
    r"\b(?:i|we)\s+(?:was|were|got|have\s+been|'ve\s+been)\s+paid\b",
    r"(?<!bill\s)(?<!bills\s)\bcame\s+in\b(?!\s+(?:at|under|over|higher|lower|around)\b)",
    r"\bcredited\b",
    r"\bcash\s*back\b",
    r"\brewards?\b",
    r"\bbrought\s+in\b",
    r"\binterest\s+(?:from|on|earned|paid|payment)\b|\b(?:earned|paid)\s+interest\b",
    r"\b(?:made|earned)\s+(?:about\s+|like\s+|around\s+)?[$€£₹]?\d[\d,.]*k?\s*"
    r"(?:dollars|bucks|euros|pounds|quid|rupees|rand)?\s+"
    r"(?:from|in|for|doing|selling|\w+ing)\b",
)
# a record asked for in so many words: the kind is said, whatever else the message holds
LOG_AS = re.compile(
    r"\b(?:log|record|enter|add|note|file|put)\s+(?:it|this|that|them)\s+(?:down\s+)?(?:as|under)\s+(?:an?\s+)?"
    r"(?:[\w&]+\s+){0,2}?(?:(income|earnings|salary)|expenses?|spending|purchases?)\b|"
    r"^(?:please\s+)?(?:log|record|enter|add|new)\s+(?:an?\s+|this\s+|the\s+following\s+)?(?:(income)|expense|purchase)\s*[:,-]"
)
GOAL_WORD = re.compile(r"\b(?:savings\s+)?goal\b")
# "invest in a 400 standing desk" is a purchase, "invest 400 in an index fund" is not ours to answer
INVEST_IN_THING = re.compile(r"\binvest\s+in\s+(?:a|an|the|some)\s+(?:new\s+)?[$€£]?\d")
# someone paying the user: income even though "paid" is in it ("a client paid my invoice")
PAID_BY_OTHERS = _rx(
    r"\b(?:client|customer|employer|boss|company|tenant)s?\s+(?:finally\s+)?(?:paid|pays|transferred|sent|wired)\b",
    r"\b(?:invoice|invoices)\s+(?:was\s+|got\s+)?paid\b|\bpaid\s+(?:my|our)\s+invoices?\b",
)
EXPENSE_HINT = _rx(
    r"\b(?:spent|spend|paid|pay|bought|buy|purchased|cost|costs|charged|grabbed|got|ordered|dropped|"
    r"blew|shelled|splurged|tipped|renewed|booked|was|were)\b",
)
# strict cadences: a price said with one of these is a recurring charge, not a one-off expense
RECURRING = re.compile(
    r"\b(?:monthly|yearly|annually|weekly(?!\s+(?:shop|shopping|grocery|groceries|food\s+shop|run|trip|big\s+shop))|quarterly|bi-?weekly|"
    r"every\s+(?:month|year|week|quarter|\d+\s+(?:months|weeks))|"
    r"(?:per|each|a|/)\s*(?:year|yr|quarter|week|month|mo)|/mo|/yr|/wk)\b"
)
PAST_SPEND = re.compile(r"\b(?:spent|paid|bought|purchased|charged|ordered|grabbed|dropped|blew|cost\s+me|was|were)\b")
# questions about investing and other money topics outside the ledger ("roth IRA or a 401k")
FINANCE_TALK = re.compile(
    r"\b(?:invest(?:ing|ment|ments)?|index\s+funds?|etfs?|stocks?|bonds|crypto\w*|bitcoin|roth|iras?|40[13]\s?\(?[kb]\)?|"
    r"mutual\s+funds?|stock\s+market|interest\s+rates?|credit\s+score|mortgage\s+rates?)\b"
)
OUT_OF_SCOPE = _rx(
    r"\bweather\b",
    r"\bjoke\b",
    r"\bpoem\b",
    r"\bstory\b",
    r"\bcapital\s+of\b",
    r"\bwho\s+(?:won|is|was|invented)\b",
    r"\b(?:stocks?|crypto|bitcoin|invest)\b",
    r"\brecipe\b",
    r"\btranslate\b",
    r"\bnews\b",
    r"\bsports?\b",
    r"\bmeaning\s+of\s+life\b",
    r"\bwhat\s+time\s+is\s+it\b",
    r"\bsing\b",
    r"\bcode\b",
    r"\d\s*[-+*/x×^]\s*\d",
    r"\b(?:how\s+tall|how\s+far|how\s+old|how\s+many\s+people|what\s+is\s+love|who\s+am\s+i)\b",
    r"\bmovie\s+recommend",
)


def _income(low: str) -> bool:
    """Money coming in, unless the message says it is a cost ("recurring cost for my freelance work")."""
    return bool(INCOME.search(low)) and not re.search(r"\b(?:costs?|charges?|bills?|fees?|expenses?)\b", low)


def classify(
    low: str,
    has_amount: bool,
    *,
    names_subscription: bool = False,
    names_category: bool = False,
    last_tool: str | None = None,
    tx_ref: bool = False,
) -> Intent:
    """The intent of one normalised, lowercased message (``names_subscription``: a known service is named;
    ``tx_ref``: a transaction is named by its id, with a verb that edits or deletes)."""
    if INJECTION.search(low):
        return Intent("refuse", 0.95)
    if tx_ref:
        if TX_DELETE.search(low) and not has_amount:
            return Intent("delete_transaction", 0.9)
        return Intent("update_transaction", 0.9)
    if SNOOZE.search(low) and (not has_amount or "remind" in low):
        return Intent("snooze_reminder", 0.9)
    if DISMISS.search(low) or (not has_amount and PAID_IT.search(low)):
        return Intent("dismiss_reminder", 0.9)
    if not has_amount and REMIND_LEAD.search(low):
        return Intent("set_reminder", 0.9)
    if re.search(
        r"\d\s*(?:[-+*/x×^]|%\s+of|percent\s+of|times|plus|minus|divided\s+by|multiplied\s+by|squared)\s*\d", low
    ) and re.search(r"^(?:what'?s|what\s+is|how\s+much\s+is|calculate|compute|solve|work\s+out)\b", low):
        return Intent("out_of_scope", 0.85)
    if not has_amount:
        if GREETING.search(low) and len(low) < 40:
            return Intent("greeting", 0.95)
        if HELP.search(low):
            return Intent("help", 0.95)
        if BYE.search(low) or (THANKS.search(low) and len(low.split()) <= 6):
            return Intent("thanks", 0.95)
        if ACK.search(low):
            return Intent("thanks", 0.85)
    if (
        has_amount
        and FINANCE_TALK.search(low)
        and not PAST_SPEND.search(low)
        and not INVEST_IN_THING.search(low)
        and re.search(r"^(?:should|what|how|is|are|which|can|do|does|would|tell|explain)\b", low)
    ):
        return Intent("out_of_scope", 0.8)
    if (
        not has_amount
        and re.search(r"^(?:what\s+is|what'?s|define|explain|what\s+does)\s+(?:a|an)\s+[\w -]+\W*$", low)
        and not re.search(r"\b(?:my|left|due|total|spent|spend)\b", low)
    ):
        return Intent("out_of_scope", 0.7)  # "what is an index fund": a definition, not the ledger
    if names_subscription and not has_amount and CANCEL_SUB.search(low) and not re.search(r"\blast\b", low):
        return Intent("cancel_subscription", 0.9)
    if not has_amount and re.search(
        r"\b(?:no\s+longer\s+(?:pay|subscribe|use|have)|don'?t\s+(?:pay\s+for|use|have)\b.{0,30}\banymore|unsubscribe)\b",
        low,
    ):
        return Intent("cancel_subscription", 0.85)
    if UPDATE.search(low) and not re.search(r"\b(?:budget|goal|subscription)\b", low):
        if DELETE.search(low) and not has_amount:
            return Intent("delete_transaction", 0.9)
        return Intent("update_transaction", 0.9)
    if DELETE.search(low) and not has_amount and not re.search(r"\bsubscription\b|\bbudget\b", low):
        return Intent("delete_transaction", 0.9)
    if CANCEL_SUB.search(low) and not has_amount and not re.search(r"\bbudget|\bgoal", low):
        return Intent("cancel_subscription", 0.85)
    if has_amount and (said := LOG_AS.search(low)):  # "please log it as a housing expense", "record this as income"
        return Intent("log_income" if said.group(1) or said.group(2) else "log_expense", 0.9)
    if has_amount and SET_BUDGET.search(low) and not CHECK.search(low) and not re.search(r"\bgoal\b", low):
        return Intent("set_budget", 0.9)
    if has_amount and names_category and SET_TO.search(low) and not CHECK.search(low):
        return Intent("set_budget", 0.85)
    goal_said = not CADENCE.search(low) or GOAL_WORD.search(low)  # "a goal ... for my quarterly taxes" is one
    if has_amount and GOAL_SET.search(low) and not CHECK.search(low) and goal_said:
        return Intent("set_goal", 0.9)
    if (
        has_amount
        and names_category
        and not names_subscription
        and re.search(r"\b(?:a|per|each|every|/)\s*month\b|\bmonthly\b", low)
        and not SUBSCRIPTION_VERB.search(low)
        and not PAST_SPEND.search(low)
        and not INCOME.search(low)
        and not CHECK.search(low)
    ):
        return Intent("set_budget", 0.8)
    if has_amount and CHECK.search(low):
        return Intent("check_purchase", 0.9)
    if has_amount and CADENCE.search(low) and SUBSCRIPTION_VERB.search(low) and not _income(low):
        return Intent("add_subscription", 0.9)
    if has_amount and names_subscription and CADENCE.search(low) and not _income(low):
        return Intent("add_subscription", 0.85)
    if has_amount and re.search(r"\bsubscri|\bmembership\b|\brenews?\b", low) and re.search(r"^(?:add|track|new)", low):
        return Intent("add_subscription", 0.85)
    if (
        has_amount
        and RECURRING.search(low)
        and not PAST_SPEND.search(low)
        and not INCOME.search(low)
        and not re.search(r"\b(?:spend|budget|limit|save|saving)\b", low)
    ):
        return Intent("add_subscription", 0.8)  # "car insurance 360 quarterly"
    if not has_amount:
        if re.search(r"^(?:set|create|make|add|start)\s+(?:up\s+)?(?:a|an|my|the)?\s*(?:new\s+)?budget\W*$", low):
            return Intent("set_budget", 0.9)  # no amount, no category: the reply asks for them
        if re.search(r"\bgoals?\b", low) or (
            GOAL_PROGRESS.search(low) and not SPENDING.search(low) and not re.search(r"\b(?:limit|budget)s?\b", low)
        ):
            return Intent("goal_progress", 0.9)
        if INSIGHTS.search(low):
            return Intent("get_insights", 0.9)
        if LIST_SUBS.search(low) and not re.search(r"\bspen[dt]\b", low):
            return Intent("list_subscriptions", 0.9)
        if LIST_TX.search(low) and not re.search(r"\bhow\s+much\b|\btotal\b|\bbudget\b|\bbreakdown\b|\bsummary\b", low):
            return Intent("list_transactions", 0.9)
        if SPENDING.search(low):
            return Intent("spending_summary", 0.9)
        if BUDGET_STATUS.search(low):
            return Intent("budget_summary", 0.9)
        if re.match(r"^(?:i\s+)?(?:just\s+|also\s+)?(?:spent|paid|bought|got)\b(?!.*\?)", low):
            return Intent("need_amount", 0.5)  # "spent a bit at Tesco": a record without its amount
        if re.search(r"\b(?:spending|spent|spend|expenses|expenditure)\b", low) and not re.search(r"\btips?\b", low):
            return Intent("spending_summary", 0.75)  # "what's my spending been like", "money I spent"
        if OUT_OF_SCOPE.search(low) or FINANCE_TALK.search(low):
            return Intent("out_of_scope", 0.85)
        if CHECK.search(low):
            return Intent("unknown", 0.4)  # a purchase question without a price: ask for it
        return Intent("unknown", 0.2)
    if PAID_BY_OTHERS.search(low) or (
        INCOME.search(low) and not re.search(r"\b(?:spent|bought|(?<!got\s)paid\s+(?!me))", low)
    ):
        return Intent("log_income", 0.9)
    return Intent("log_expense", 0.9 if EXPENSE_HINT.search(low) else 0.8)
