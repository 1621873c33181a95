"""The out-of-scope look-alikes blind round 44 found (a Melbourne sparky, a Hong Kong banker, a Nebraska farmer, a
French student in Montréal, a Florida retiree, a Lagos nurse), said in the team's own words (the rounds are not
training data; these keep the general fixes from sliding back). A call counts only if the write-safety policy
would let it run unasked (``play``)."""

from __future__ import annotations

import pytest

from assistant.nlu import NLUContext, understand
from tests.nlu.rounds_support import TODAY, only, play
from tools import WRITE_TOOLS


@pytest.mark.parametrize(
    "text",
    [
        # asked of the app: money lent, a bill haggled, whether money cleared
        "could you lend me 50 till payday",
        "can you haggle my internet bill down from 80",
        "could you see whether the 900 from my employer has landed in my account",
        # an order asked for (a shop's job)
        "order my insulin refill from the pharmacy, it's usually 35",
        "order cat food from Chewy for delivery, about 45",
        # other people's money: a possessive, a dialect's "me", a tradie's apprentice, someone's sale, whose coin
        "coworker's husband dropped 2 grand on golf clubs lol",
        "me sister paid 250 for her concert tickets",
        "our apprentice splurged 400 on a new drill, keen as",
        "grandpa sold his old tractor for 9,000 to a neighbour",
        "fuel for the work truck was 95, company's money",
        # an organisation's card or account
        "paid 60 for the team's jerseys with the club debit card",
        "the tenant paid 1,800 bond into the agency trust account",
        # returned or cancelled before any bill
        "took the blender back before they charged me, it was 70",
    ],
)
def test_out_of_scope_look_alikes_write_nothing(text: str) -> None:
    # the engine plans no write at all (not only one the policy would stop to ask about)
    assert not {c.name for c in understand(text, NLUContext(today=TODAY)).calls} & WRITE_TOOLS
    assert not {c["name"] for c in play({"text": text})} & WRITE_TOOLS


@pytest.mark.parametrize(
    "text",
    [
        "cancelled the pre-order for the 90 headphones before paying a cent",
        # plans: a trip and the money after it, a duty said, a sum needed later, a quote mulled, a season ahead
        "might head to Bunnings Sunday and drop a hundred or so",
        "I should probably get new brakes before winter, maybe 300",
        "we might have to spend 900 on the roof next year, we'll see",
        "gonna need about 250 for the car insurance when it renews in March",
        "got a quote of 700 for the fence, still thinking about it",
        "thinking about spending 150 on a tent for summer",
        "thinking about a Bali trip next year, around 3,000",
        # what-ifs: a loan's cost, a rate, income imagined, a daydream
        "if we took out a 5k personal loan what would the repayments be",
        "is it wise to buy a 400k house with a 6.5% mortgage",
        "if I got a 3k bonus what would it do for my savings",
        "if I were to buy a 20k boat, just daydreaming",
        # investments: a retirement account, shares priced per unit
        "should I chuck 3,000 into my kiwisaver before March",
        "should I buy more Apple at 180 or wait",
        # a price's fairness said in French
        "un café à 7 dollars à l'aéroport, c'est abusé",
    ],
)
def test_plans_what_ifs_and_investments_get_no_tool(text: str) -> None:
    assert understand(text, NLUContext(today=TODAY)).calls == ()


@pytest.mark.parametrize(
    ("text", "item"),
    [
        # a purchase check writes nothing, so "don't log it" leaves the question asked
        ("should I buy the 250 boots? don't log it", "boots"),
        # the thing is in the question, not in a remark after it ("am" is Nigerian Pidgin for "it")
        ("is a 30,000 naira blender okay for my budget? I never buy am before", "blender"),
        ("should I buy a 60 jacket?", "jacket"),
        ("thinking about a 1200 laptop", "laptop"),
    ],
)
def test_a_consumer_good_asked_about_is_still_a_purchase_check(text: str, item: str) -> None:
    r = understand(text, NLUContext(today=TODAY))
    assert [c.name for c in r.calls] == ["check_purchase"]
    assert r.calls[0].args["item"].lower() == item


@pytest.mark.parametrize(
    ("text", "tool"),
    [
        ("my wife paid the water bill, 60", "log_expense"),
        ("ordered groceries from Tesco for 60", "log_expense"),
        ("my client paid me 500 for the logo", "log_income"),
        ("spent 30 on lunch with my apprentice", "log_expense"),
        ("paid 300 for the car insurance", "log_expense"),
        ("sold my old bike for 150", "log_income"),
    ],
)
def test_in_scope_neighbours_keep_their_tool(text: str, tool: str) -> None:
    assert only(text)["name"] == tool
