"""understand(text, ctx) -> the tool calls a message asks for, with arguments in the contract's form.

Why one entry point: the chat model wrapper, the hybrid router and the eval all need the same
decision, pure and fast (no database, no network, no model weights).
"""

from __future__ import annotations

import re

from . import currencies, languages, lexicon, terse
from .amounts import (
    find_amounts,
    format_amount,
    pick_amount,
    resolve_currency,
    settle_shared,
    words_to_digits,
)
from .arg_common import _question_category, _user_cat
from .arguments import ASK, ENTRY_TOOLS, _sub_before, _tool_args
from .dates import date_spans
from .decide import (
    CONVERSION_ONLY,
    ENDS_ASKING,
    HEAD_CAP,
    HEAD_OVER,
    HEAD_SURE,
    RATE_SET,
    RATE_TALK,
    RATE_TALK_SURE,
    REMARK_OVER,
    REMARK_TAIL,
    REMARK_UNDOES,
    RESAID,
    TOTAL_SAID,
    TOTAL_WORDS,
    UNPRICED,
    USE_RATE,
    _decide,
    _named_again,
    _names_a_service,
    _only_known_things,
    _request_head,
    _services_cancelled,
)
from .followup import MADE_CADENCE, bought_after_check, cadence_again, day_again, follow_up, refer_back, sub_again
from .intents import TX_EDIT, TX_REF, classify
from .messages import _bad_input, _expenses, _is_polite_write, _without_fillers
from .model import BANK, NONE, Prediction, predict
from .new_tools import _new_tool_args
from .not_yours import not_yours
from .numbers import is_money, not_money_kind
from .shapes import (
    ASKED_WRITE,
    BARE_NUMBER,
    BARE_SURE,
    BILL_IN,
    BUDGET_SHIFT,
    BUDGET_SHIFT_SURE,
    CANCEL_LEAD,
    CARD_RELOADED,
    CURRENCY_COUNTRY,
    EARNED_KIND,
    EMOJI,
    EXPLICIT,
    EXPLICIT_MODEL_FLOOR,
    EXPLICIT_SURE,
    FRAME_LEAD,
    GIVEN_TO,
    GOAL_NAMED,
    GOAL_NAMED_SURE,
    HEDGED,
    KNOWN_ITEM_SURE,
    LIST_VERB,
    LISTED_SURE,
    MEASURED,
    MODEL_SURE,
    MONEY_IN,
    MONEY_SAID,
    MOVE_IT_SURE,
    MOVE_IT_TO,
    MOVE_MONEY,
    OTHERS_THING,
    PAID_BY_ME,
    PAID_LEAD,
    PAID_SOMEONE_FOR,
    QUESTION,
    RATE_SHAPE_SURE,
    RECORD_SURE,
    SAVING_WORDS,
    SHARED_CURRENCY_SURE,
    SUB_SAID,
    UNFILED_MODEL_SURE,
    UNFILED_SURE,
    UNSAID_GOAL_SURE,
    WHAT_IF,
    WRITE_FLOOR,
    _known_item_bought,
    _names_a_thing,
    _names_something_else,
    _paid_to_a_shop,
    _priced_thing,
    _rate_stated,
    _someone_else_paid,
)
from .slots import cut
from .spelling import fix_typos
from .understanding import (
    AMOUNT_KEY,
    MODEL_ONLY,
    READS,
    REQUIRED,
    WRITES,
    Msg,
    NLUContext,
    ToolCall,
    Understanding,
    _reply,
    _say,
)

# the category just made, pointed at: "log 12 under it", "put 30 in there", "file it in that one"
UNDER_IT = re.compile(r"\b(?:under|in|into|to)\s+(?:it|there|that(?:\s+one)?|this(?:\s+one)?|the\s+new\s+one)\W*$")
#: what is left of that pointing in the description once the amount is cut out ("dog treats in")
UNDER_IT_LEFT = re.compile(r"\s+(?:under|in|into|to)(?:\s+(?:it|there|that|this|the\s+new)(?:\s+one)?)?\W*$", re.I)


def understand(text: str, ctx: NLUContext) -> Understanding:
    """The tool calls one user message asks for (zero or more), how sure we are, and a reply for chat."""
    text = (text or "").strip()
    if (bad := _bad_input(text)) is not None:
        return bad
    if (other := languages.read(text, ctx, _understand)) is not None:
        # "cobro de freelance 2.400.000 COP": read through its English gloss, or "English only"
        return _priced_checks(other)
    return _priced_checks(_understand(text, ctx))


def _priced_checks(found: Understanding) -> Understanding:
    """``found``, unless it checks a purchase with no price: that call can only fail, so ask the price instead."""
    if any(c.name == "check_purchase" and "amount" not in c.args for c in found.calls):
        return _say("unknown", "ask_price", 0.4)
    return found


SOMEDAY = re.compile(r"\b(?:eventually|someday|some\s+day|one\s+day|at\s+some\s+point|sometime)\b")
# a lead time in a note-taker's shorthand: "remind 1d before", "2w ahead"
_LEAD_SHORT = re.compile(r"\b(\d+)\s?(d|wk|w)(?=\s+(?:before|ahead|early|prior)\b)", re.I)


def _lead_spelled(m: re.Match[str]) -> str:
    unit = "day" if m[2].lower() == "d" else "week"
    return f"{m[1]} {unit}{'' if m[1] == '1' else 's'}"


def _understand(text: str, ctx: NLUContext) -> Understanding:
    """``understand`` for a message in English (or the English gloss of another language's)."""
    text = EMOJI.sub(" ", text).strip()  # "goal: save 800 for a ps5 🎮": the emoji names nothing
    # "BİM'den 312,75 TL": Turkish dotted capital I lowercases to two characters, which would shift every span
    # read on the lowercased text against the text it is cut from (the amount's digits left in the description)
    text = text.replace("İ", "I")
    norm = _without_fillers(fix_typos(_LEAD_SHORT.sub(_lead_spelled, words_to_digits(text))))
    low = norm.lower()
    ref = TX_REF.search(low) if TX_EDIT.search(low) else None
    masked = date_spans(low) + ([ref.span()] if ref else [])
    # "francs" for a user with a CHF rate, "pesos" for one with a PHP rate and no MXN one
    amounts = settle_shared(find_amounts(low, masked), ctx.own_currencies, low, ctx.currency)
    amount = pick_amount(amounts, low)
    if amount is not None and not is_money(low, amount):  # "a 20 sided die for 30": the price is the 30
        priced = [a for a in amounts if is_money(low, a)]
        amount = pick_amount(priced, low) if priced else amount
    hits = lexicon.keyword_hits(low)
    if amount is not None:  # "76 for running shoes": the sum is no brand named by its number (the 76 stations)
        hits = [h for h in hits if not (h.phrase[:1].isdigit() and amount.start <= h.start < amount.end)]
    intent = classify(low, amount is not None, tx_ref=ref is not None)
    pred = predict(low, [(a.start, a.end) for a in amounts])
    if pred.confidence < HEAD_OVER and (head := _request_head(low, amounts)) is not None:
        # "Change the Medicare supplement to $192.40, they sent a letter ...", "Oyster top-up £40. The Northern line
        # owes me an apology.": the request comes first, the remark after it is colour the model was not taught;
        # when the clause that holds the sum is a clear write on its own, that is what was asked (round 45)
        head_pred = predict(head, [(a.start, a.end) for a in amounts if a.end <= len(head)])
        runner_up = sorted(pred.probs, key=pred.p, reverse=True)[:2]
        if head_pred.intent in WRITES and head_pred.confidence >= HEAD_SURE and head_pred.intent in runner_up:
            # one of the whole message's two readings; alone it stays below the policy's bar (asked), unless a
            # shape of the request itself vouches for it ("change the X to 192.40", a known thing and its price)
            pred = Prediction(head_pred.intent, min(head_pred.confidence, HEAD_CAP), head_pred.probs)
    if (
        pred.confidence < REMARK_OVER
        and amounts
        and (remark := REMARK_TAIL.match(low, amounts[-1].end)) is not None
        and not REMARK_UNDOES.search(low, remark.start())
    ):
        # "boba at the mall 6.75 lol i have a problem": the entry said before the remark is what was asked
        before = predict(low[: remark.start()], [(a.start, a.end) for a in amounts])
        pred = before if before.confidence > pred.confidence and before.intent in WRITES else pred
    shifted = False  # read "transfer" as "move": the shape then vouches for the move (BUDGET_SHIFT_SURE)
    if BUDGET_SHIFT.search(low):
        # "transfer $40 of my entertainment budget into utilities" moves a budget, not money
        alt = BUDGET_SHIFT.sub("move", low)
        if pred.intent != "move_budget":
            alt_pred = predict(alt, [(a.start, a.end) for a in find_amounts(alt, date_spans(alt))])
            if alt_pred.intent == "move_budget":
                pred, shifted = alt_pred, True
        if intent is not None and intent.name == "refuse" and pred.intent == "move_budget":
            intent, shifted = classify(alt, amount is not None, tx_ref=ref is not None), True
    if intent is not None and intent.name == "refuse" and terse.GOAL_MOVE.search(low):
        intent = None  # "transfer 300 to the boat goal": money put into a goal, the shape below names it
    if intent is not None and intent.name == "refuse":  # "transfer 500 to savings" is a bank's job, not an attack
        return _reply("bank", pred.confidence, "bank") if pred.intent == BANK else _say("refuse", None, 0.95)
    msg = Msg(norm, low, ctx, amounts, amount, hits)
    if (
        ctx.last_tool == "check_purchase"
        and amount is not None
        and FRAME_LEAD.match(low)
        and pred.intent != BANK
        and not RATE_TALK.search(low)  # "oh and a pound is 1.27 dollars, use that": a rate, not another price
    ):
        check, _ = _tool_args("check_purchase", msg)
        if isinstance(check.get("item"), str):  # "what about a board game" is a board game
            check["item"] = (
                re.sub(
                    r"^(?:(?:and|or|so|ok(?:ay)?)\s+)*(?:(?:what|how)\s+about\s+)?(?:an?\s+)?",
                    "",
                    check["item"],
                    flags=re.I,
                )
                or check["item"]
            )
        return Understanding((ToolCall("check_purchase", check, confidence=0.9),), 0.9, "check_purchase")
    if amount is None and (bought := bought_after_check(low, ctx.last_tool, ctx.last_args)) is not None:
        return Understanding((ToolCall("log_expense", bought, confidence=0.85),), 0.85, "log_expense")
    if amount is None and (day := day_again(low, ctx.last_tool, ctx.today)) is not None:
        # "dentist 180" then "yesterday", "it was on tuesday btw": the entry just logged, on the day said
        return Understanding((ToolCall("update_transaction", day, confidence=0.85),), 0.85, "update_transaction")
    if amount is None and (cadence := cadence_again(low, ctx.last_tool, ctx.last_args)) is not None:
        return Understanding((ToolCall("update_subscription", cadence, confidence=0.85),), 0.85, "update_subscription")
    said_sum = format_amount(amount.value) if amount is not None and is_money(low, amount) else None
    again = sub_again(low, ctx.last_tool, ctx.last_args, said_sum, ctx.today)
    if again is not None and "category" in again:  # only a category the user has: "put it under Jeff" is no filing
        cat = lexicon.to_user_category(again["category"], ctx.categories)
        again = {**again, "category": cat} if cat else None
    if again:
        # "and file it under Streaming", "make the reminder 3 days", "I'm on the yearly plan, 99": the one just added
        return Understanding((ToolCall("update_subscription", again, confidence=0.85),), 0.85, "update_subscription")
    if (
        ctx.last_tool
        and amount is not None
        and is_money(low, amount)
        and not (pred.intent == BANK and pred.confidence >= MODEL_SURE)  # alone, "bump it to 350" is nothing
        and (back := refer_back(low, ctx.last_tool, ctx.last_args, format_amount(amount.value))) is not None
    ):
        if back[0] == "move_budget":  # the budget it came from, as this user's category
            src = str(back[1]["from_category"])
            back[1]["from_category"] = _user_cat(lexicon.to_user_category(src, ctx.categories) or src, ctx) or src
        return Understanding((ToolCall(back[0], back[1], confidence=0.85),), 0.85, back[0])
    unmarked = amount is not None and not any(a.marked for a in amounts)  # "and in the next 30?"
    if ctx.last_tool and (
        (intent is None and amount is None)
        or (ctx.last_tool == "list_subscriptions" and unmarked)  # follow_up wants a new horizon, nothing else
    ):
        said = _question_category(msg)
        shop = lexicon.merchant_in(hits)
        if (again := follow_up(low, ctx.today, ctx.last_tool, ctx.last_args, said, shop)) is not None:
            return Understanding((ToolCall(ctx.last_tool, again, confidence=0.85),), 0.85, ctx.last_tool)
    if intent is not None and ref is not None:
        name, sure = intent.name, max(intent.confidence * 0.5, pred.p(intent.name))
    elif (
        intent is not None
        and intent.name == "need_amount"
        and (pred.intent not in WRITES or pred.intent in ("log_expense", "log_income") or pred.confidence < MODEL_SURE)
    ):
        return _say("unknown", "ask_amount", intent.confidence)  # "spent a bit at Tesco": how much?
    elif intent is not None and intent.name == "need_amount":
        name, sure = _decide(pred, msg)  # "I paid it, dismiss the reminder": the model names another write
    elif intent is not None and (pred.intent == NONE or pred.confidence < MODEL_SURE):
        name, sure = intent.name, intent.confidence  # small talk the model leaves to us
    else:
        name, sure = _decide(pred, msg)
        if (
            name in (NONE, "unknown", "log_expense")
            and sure < KNOWN_ITEM_SURE
            and pred.intent != BANK
            and _only_known_things(msg)
        ):
            # "Naivas 2,340", "KPLC tokens 1500": nothing but things the lexicon knows and one price is an
            # entry, though the model has never seen the shop's name and doubts it or calls it nothing (round 41)
            name, sure = "log_expense", KNOWN_ITEM_SURE
        if pred.intent != BANK and _rate_stated(amounts, low, ctx.currency):
            name, sure = "set_exchange_rate", max(sure, RATE_SHAPE_SURE)  # "1 euro is 1.08 dollars now"
        if pred.intent != BANK and RATE_TALK.search(low) and USE_RATE.search(low):
            name, sure = "set_exchange_rate", max(sure, RATE_TALK_SURE)  # "a pound is 1.27 dollars, use that"
        if shifted and name == "move_budget":
            sure = max(sure, BUDGET_SHIFT_SURE)  # "transfer 40 of my X budget to Y": the shape says it
    sure = round(min(sure, 1.0), 4)
    if (shape := terse.request_shape(low, name, ctx.last_tool, ctx.categories)) is not None:
        # "japan +400", "rm last", "the offering was 25, not 20": the shape names the tool (round 43)
        name, sure = shape[0], max(sure if shape[0] == name else 0.0, shape[1])
    if (rate := RATE_SET.fullmatch(low)) and rate[1] in currencies.CODES and rate[1] != ctx.currency.lower():
        name, sure = "set_exchange_rate", max(sure, RATE_SHAPE_SURE)  # "set MXN to 0.055": a rate, said short
    if name == "log_expense" and MONEY_IN.search(low) and not PAID_BY_ME.search(low):
        # "uber paid out 388", "rent in from flat 1", "stipend credited": money that came to the user
        name, sure = "log_income", round(min(1.0, pred.p("log_expense") + pred.p("log_income")), 4)
    if (
        name in ("log_expense", "unknown", "log_income")
        and EARNED_KIND.search(low)
        and not PAID_BY_ME.search(low)
        and amount
    ):
        name, sure = "log_income", max(round(min(1.0, pred.p("log_expense") + pred.p("log_income")), 4), RECORD_SURE)
    if name == "log_income" and (BILL_IN.search(low) or (PAID_LEAD.match(low) and not MONEY_IN.search(low))):
        name, sure = "log_expense", round(min(1.0, pred.p("log_expense") + pred.p("log_income")), 4)  # a bill came
    if name == "delete_transaction" and ref is None and CANCEL_LEAD.match(low) and _names_a_service(low, hits):
        # "cancel uber one": a service people subscribe to is cancelled, not an entry deleted
        name, sure = "cancel_subscription", round(min(1.0, pred.p(name) + pred.p("cancel_subscription")), 4)
    if (
        name in ("set_goal", "contribute_to_goal")
        and len(amounts) == 1
        and GOAL_NAMED.fullmatch(cut(low, [(amounts[0].start, amounts[0].end)]))
    ):
        name, sure = "set_goal", max(sure, GOAL_NAMED_SURE)  # "truck fund goal 8000": a goal named and its target
    if name == "set_goal" and not SAVING_WORDS.search(low):
        sure = min(sure, UNSAID_GOAL_SURE)  # "hoping to spend 800 on a trip": a sum, no goal asked for: ask first
    if name == "set_goal" and SOMEDAY.search(low):
        sure = min(sure, UNSAID_GOAL_SURE)  # "gonna save up for a 300 gpu eventually": a wish for some day: ask first
    if (
        amount is None
        and name in ("move_budget", "update_transaction", "update_subscription", "create_category", "unknown")
        and (moved := MOVE_IT_TO.match(low))
        and lexicon.to_user_category(moved.group(1).strip(), ctx.categories)
    ):
        name, sure = "update_transaction", max(sure, MOVE_IT_SURE)  # "move it to transport": the entry, refiled
    if name == "update_subscription" and CANCEL_LEAD.match(low) and _names_a_service(low, hits):
        # "cancel spotify im on apple music now": the order comes first, the rest is why (another service named)
        name, sure = "cancel_subscription", round(min(1.0, pred.p(name) + pred.p("cancel_subscription")), 4)
    if name == "update_transaction" and ref is None and SUB_SAID.search(low):
        name = "update_subscription"  # "the adobe sub is actually 27.99": the subscription, not an entry
    if (
        name in ("budget_summary", "spending_summary")
        and amount is not None
        and QUESTION.search(low)
        and not re.search(r"\b(?:budget|spent|spend|spending|total|left)\b", low)
        and _names_a_service(low, hits)
    ):
        name = "list_subscriptions"  # "is spotify still 10.99?": a service's price asked about (round 39)
    if (
        name in (BANK, "unknown", "log_income")
        and amount is not None
        and is_money(low, amount)
        and (PAID_SOMEONE_FOR.search(low) or CARD_RELOADED.search(low))
        and not MOVE_MONEY.search(low)
    ):
        name, sure = "log_expense", RECORD_SURE  # "venmo'd my roommate 35 for wifi": done already, so an entry
    if (
        name in (BANK, NONE, "unknown", "log_expense")
        and amount is not None
        and is_money(low, amount)
        and GIVEN_TO.match(low)
        and any(h.category == "Gifts & Donations" and not low[h.end :].strip(" .!") for h in hits)
        and not MOVE_MONEY.search(low)
    ):
        name, sure = "log_expense", max(sure, RECORD_SURE)  # "25 to the church fundraiser": a gift made, logged
    if name == BANK:
        return _reply("bank", sure, "bank")
    if name in WRITES and (conv := CONVERSION_ONLY.fullmatch(low)) and {conv[1], conv[2]} <= currencies.CODES:
        return _reply("out_of_scope", sure, "out_of_scope")  # "100 usd to inr": a conversion asked, nothing to record
    if name == NONE:
        return _reply("out_of_scope", sure, "out_of_scope")
    if name in ("greeting", "thanks", "help", "out_of_scope"):
        kind = name
        if name == "thanks" and re.search(r"^(?:bye|goodbye|see\s+y|later|good\s*night)|that'?s\s+all", low):
            kind = "goodbye"
        elif name == "thanks" and not re.search(r"thank|thx|\bty\b|cheers|appreciate", low):
            kind = "ack"
        return _say(name, kind, sure)
    if name == "unknown":
        return _say("unknown", "unknown", min(sure, 0.3))
    if name in READS and MOVE_MONEY.search(low):
        return _reply("bank", sure, "bank")  # "can you move what's left in the HSA to checking": no look-up does that
    # someone else paid, a plan, not bought, a what-if (with no span masked, its reading of the amounts is ours)
    if (other := not_yours(low, name, None if masked else amounts)) is not None:
        return _reply(other.reply, sure, name)
    if name in ("log_expense", "log_income", "add_subscription") and _someone_else_paid(low, name):
        return _reply("someone_else", sure, name)  # "my date paid for dinner, $68": not the user's money
    if name == "add_subscription" and MADE_CADENCE.match(low):
        # "make it yearly, 139.99" with no subscription just added: a change of one unnamed, never a new one "Make"
        return _reply("ask_subscription", min(sure, 0.4), "update_subscription")
    if ref:
        msg.tx_id, msg.tx_span = ref.group(1) or ref.group(2), ref.span()
    rate_said = name == "set_exchange_rate" and len({a.currency for a in amounts}) > 1  # "1 eur = 1.08 usd"
    if name in WRITES and BARE_NUMBER.fullmatch(low) and not rate_said:
        return _reply("bare_number", sure, name)  # "70,000" alone (a voice transcript of a tone): what was it?
    if (
        name == "log_expense"
        and len(amounts) > 1
        and re.search(r"\+|\bplus\b|\band\b|\bwith\b", low[: amounts[-1].start])
        and TOTAL_SAID.search(low[: amounts[-1].start].rstrip(" ,:-"))
        and not re.search(r"[^\W\d_]", TOTAL_WORDS.sub("", low[amounts[-1].end :]))
    ):
        msg.amount = amounts[-1]  # "haircut 35 + tip, call it 42": one entry, of the total settled on
    elif (
        name == "log_expense" and not ENDS_ASKING.search(low) and not RESAID.search(low) and (several := _expenses(msg))
    ):
        # a list said as entries ("log 39.99 for hosting and 120 for flyers", "bus 2.75, lunch 9, printing 3.20"):
        # a piece whose category is unknown is still an entry; it goes under Other without asking
        listed = bool(LIST_VERB.search(low)) or any(c >= 0.9 for _, _, c in several)
        calls = tuple(
            ToolCall(tool, args, confidence=round(min(sure, max(c, LISTED_SURE) if listed else c), 4))
            for tool, args, c in several
        )
        return Understanding(calls, min(c.confidence for c in calls), name)
    if name in WRITES and (resaid := RESAID.search(low)) and any(a.end <= resaid.start() for a in amounts):
        # "... £420, renews July 1st... actually it's $525 on my US card, use that": the sum said after the
        # correction is the one meant, with its own currency
        later = [a for a in amounts if a.start >= resaid.end() and is_money(low, a)]
        if later:
            msg.amount = later[0]
    if name in MODEL_ONLY:
        args, confidence = _new_tool_args(name, msg)
    else:
        args, confidence = _tool_args(name, msg)
    entry = ctx.last_args if ctx.last_tool in ENTRY_TOOLS else None  # the entry a correction corrects
    args, confidence = terse.fix_args(name, norm, args, amounts, confidence, entry)
    made = str((ctx.last_args or {}).get("name") or "") if ctx.last_tool == "create_category" else ""
    if made and name == "log_expense" and UNDER_IT.search(low):
        # "and put 18 for dog treats in it": the category just made is "it"; the words say nothing more
        said = str(args.get("description") or "")
        args["category"] = made
        args["description"] = UNDER_IT_LEFT.sub("", said).strip() or said
        confidence = max(confidence, 0.9)
    if (
        name in ("add_subscription", "update_subscription", "set_reminder")
        and (after := terse.corrected_text(norm)) != norm
    ):
        # "add Netflix? no wait, YouTube Premium 3.99": the name said after the correction is the one meant
        args = _named_again(name, after, ctx, args)
    if name == "set_reminder" and "days_before" in args and (sub := args.get("name") or _sub_before(ctx)):
        # the contract's tool for "remind me N days before X": that subscription, never the newest by default
        name, args = "update_subscription", {"name": sub, "remind_days_before": args["days_before"]}
    elif name == "set_reminder" and _names_something_else(low):
        # no subscription read, none in the turn before, yet a word that may be its name ("strava reminder 3
        # days before renewal", round 32): the newest would be a guess, so ask which. A bare "remind me 2
        # days before" keeps the contract's meaning: the most recently added subscription.
        return _say("unknown", "ask_subscription", 0.4)
    if confidence < 0.5:
        return _say("unknown", ASK.get(name, "unknown"), confidence)
    if name == "check_purchase" and "amount" not in args:
        return _say("unknown", "ask_price", 0.4)  # "can I afford a new laptop?": what does it cost?
    if name in WRITES and any(not args.get(k) for k in REQUIRED.get(name, ())):
        return _say("unknown", "ask_amount" if "amount" in REQUIRED.get(name, ()) else "unknown", 0.3)
    if name == "log_income" and _paid_to_a_shop(msg, args):
        # "new headlamp 27.99 from walmart": money that went to a shop is spending, never income
        name, sure = "log_expense", min(sure, pred.p("log_expense") + pred.p("log_income"))
        args, confidence = _tool_args(name, msg)
    polite = _is_polite_write(low) or _is_polite_write(text.lower())  # "could you ...?" may have gone as a filler
    # "The franc's at $1.25. Can you use that rate for CHF?": the request is its own sentence
    asked = any(ASKED_WRITE.search(s) for s in re.split(r"(?<=[.!?])\s+", low)[1:])
    if name in WRITES and QUESTION.search(low) and not ASKED_WRITE.search(low) and not polite and not asked:
        read = max(sorted(READS), key=pred.p)
        if pred.p(read) >= 0.2:
            args, confidence = _tool_args(read, msg)
            return Understanding((ToolCall(read, args, confidence=round(pred.p(read), 4)),), pred.p(read), read)
        return _reply("out_of_scope", sure, "out_of_scope")
    money = is_money(low, msg.amount) if AMOUNT_KEY.get(name) in args else True
    if name in WRITES and not money:
        return _reply("not_money", sure, name)
    measured = msg.amount is not None and not money and not_money_kind(low, msg.amount) in MEASURED
    if name == "check_purchase" and measured:
        # "temp 99.1, fine right?": a reading or a level prices nothing ("sushi for 35 tonight" still does)
        return _reply("not_money", sure, name)
    if name in WRITES and sure < WRITE_FLOOR and pred.intent in (NONE, BANK):
        return _reply("unknown", sure, name)  # the model leans to "not ours": ask, write nothing
    if name == "log_expense" and sure < KNOWN_ITEM_SURE and _known_item_bought(msg, pred):
        sure = KNOWN_ITEM_SURE  # "£4.20 for a flat white": money and a thing the lexicon knows
    if name == "log_expense" and money and confidence < UNFILED_SURE and pred.p(name) >= UNFILED_MODEL_SURE:
        said = str(args.get("description") or "")
        described = said.lower() != str(args.get("category") or "").lower() and _names_a_thing(said)  # "I spent 100"
        if described and not HEDGED.search(low) and not OTHERS_THING.search(low):
            confidence = UNFILED_SURE  # "truck wash 45 yesterday": surely an entry, what it was said, filed under Other
    if (
        name in ("log_expense", "log_income")
        and msg.amount is not None
        and not any(a.marked for a in msg.amounts)
        and not msg.hits
        and not MONEY_SAID.search(low)
        and not _priced_thing(low, msg.amount)
    ):
        sure = min(sure, BARE_SURE)  # a bare number with nothing that says money: ask, never write unasked
    if (
        name in EXPLICIT
        and pred.intent == name
        and pred.p(name) >= EXPLICIT_MODEL_FLOOR
        and EXPLICIT[name].search(low)
        and not HEDGED.search(low)
        and not WHAT_IF.search(low)
    ):
        sure = max(sure, EXPLICIT_SURE)  # "I would like to cancel the Daily Herald please"
    if name in WRITES and any(a.shared for a in msg.amounts) and not CURRENCY_COUNTRY.search(low):
        sure = min(sure, SHARED_CURRENCY_SURE)
    sure = round(min(sure, confidence), 4)
    if name in UNPRICED and msg.amount is not None and (cur := resolve_currency(msg.amount.currency, ctx.currency)):
        args["currency"] = cur  # "€450 grocery budget": the agent converts at the user's rate or asks (round 40)
    if name == "cancel_subscription" and len(both := _services_cancelled(msg)) > 1:  # "cancel disney plus and hulu"
        return Understanding(tuple(ToolCall(name, {"name": n}, confidence=sure) for n in both), sure, name)
    return Understanding((ToolCall(name, args, confidence=sure, amount_is_money=money),), sure, name)
