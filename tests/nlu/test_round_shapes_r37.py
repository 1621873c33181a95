"""The kinds of look-alike blind round 37 found writing, said in the team's own words (the round itself is not
training data; these keep the general fixes from sliding back): a business's money (a pub's or a shop's takings,
staff wages, a machine's earnings, a float, customers' tabs, a VAT bill), other named people's money, prices seen
(whatever the currency marking: "R89", "4,299 AED", "£16"), a count at a unit price, readings and pressures, quoted
text, a zero amount, and reads where no tool fits (a scam, a what-if sum, a feeling, app trouble, a bet)."""

from __future__ import annotations

import pytest

from assistant.nlu import NLUContext, understand
from assistant.nlu.not_yours import as_dollars
from tests.nlu.rounds_support import TODAY, play
from tools import WRITE_TOOLS


def _planned(text: str) -> list[str]:
    """The writes (and purchase checks) the engine plans, before the policy: none is even asked about."""
    calls = understand(text, NLUContext(today=TODAY)).calls
    return [c.name for c in calls if c.name in WRITE_TOOLS or c.name == "check_purchase"]


@pytest.mark.parametrize(
    "text",
    [
        # a business's money: takings, a venue's or a machine's earnings, wages, a float, a tab, VAT
        "the café took 1,240 on Saturday, a record",
        "slow Tuesday, 310 takings all day",
        "the pool table made £55 this month",
        "wage bill for the bar staff came to 3,100 this week",
        "VAT return for the shop is about 4k this quarter",
        "table six ran up a 240 tab and then did a runner",
        "Sam's float for the shift was 200 quid",
        "the church bake sale raised 640 for the roof",
        "sold 60 pies at the fair at 3.50 each",
        # other people's money, named by who they are or where they are
        "my cousin at the depot just got a 2,000 rand bonus",
        "Dave behind the counter won 50 on a scratch card",
        "auntie Mary spent 5,000 pesos on the christening",
        "each pupil pays 300 for the camp, not me thankfully",
        "my brother's phone contract is 600 a month, mine is way less",
        # prices seen, in any currency marking
        "Checkers wants R45 for a small bag of grapes",
        "Galaxy S25 is 3,499 AED at the mall now",
        "concert seats at the stadium from R450",
        "saw a new fridge at Makro for R9,999 on special",
        "a flat near the park advertised at £1,100 a month",
        "silver is 4 aed a gram at the market",
        "milk is R24 now, was like R19 last year",
        # readings, pressures, equations, counts said again
        "tyre pressure 2.3 bar front and 2.5 back",
        "water meter reading: 18342",
        "step count yesterday: 9,870",
        "part 2: y = 7.5, matches the answer key",
        "30 kids in my son's class. thirty.",
        "what is the average of 1,200 and 1,450",
        # quoted text, nothing paid, a quote not accepted, a cart
        "the exam question says 'Tom spent R300 on shoes', so random",
        "paid R0 at the toll, it was a free weekend",
        "the builder quoted R12,000, I'll pay him once it's finished",
        "two jackets in my basket, R1,800 total, not sure yet",
    ],
)
def test_round_37_look_alikes_plan_no_write(text: str) -> None:
    assert _planned(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "got a WhatsApp saying my account is frozen unless I pay R99, is that a scam",
        "if I put away 300 a month, how long until I have 10k?",
        "would it be silly to put 1,500 on my credit card for a new couch?",
        "feeling so guilty about my takeaway spending",
        "the banking app keeps freezing on the login screen",
        "bet you I can go a whole month without buying coffee",
        "bill came to 90, whats a 15% tip",
    ],
)
def test_reads_where_no_tool_fits_plan_nothing(text: str) -> None:
    """A scam asked about, a what-if sum, a feeling, app trouble, a bet: no look-up, no write."""
    assert play({"text": text}) == []


def test_every_currency_marking_reads_the_same_to_the_shapes() -> None:
    assert as_dollars("bread is r21.99 at the shop") == "bread is $21.99 at the shop"
    assert as_dollars("the phone is 4,299 aed now") == "the phone is $4,299 now"
    assert as_dollars("dresses going for 3000 rand") == "dresses going for $3000"


@pytest.mark.parametrize(
    ("text", "tool"),
    [
        # the user's own money still writes: a first-person verb, their own stall's sale, a real price paid
        ("I paid R89 for blueberries at Woolies", "log_expense"),
        ("spent 45 at the pub last night", "log_expense"),
        ("bought 3 coffees at 4.50 each", "log_expense"),
        ("made 85 in tips on Saturday", "log_income"),
        ("filled up for R650 at the Engen", "log_expense"),
        ("my stall made 300 at the market today", "log_income"),
        ("my balance is low, spent 40 on petrol", "log_expense"),
        # a price seen and then asked about is still a purchase check; an estimate asked about too
        ("a blender on sale for R799, should I get it", "check_purchase"),
        ("the braai for Saturday will be around 600, does that fit my budget?", "check_purchase"),
    ],
)
def test_round_37_look_alikes_that_are_the_users_still_write(text: str, tool: str) -> None:
    assert tool in [c["name"] for c in play({"text": text})]
