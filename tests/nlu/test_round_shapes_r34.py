"""The kinds of look-alike blind round 34 found writing, said in the team's own words (the round itself is not
training data; these keep the general fixes from sliding back): money the user only minds or handles for a club,
a ward or an employer, what other people told us about their money, prices quoted at a shop or by the unit, a
joke taken back, a story from years ago, a bank chore, test results and counts."""

from __future__ import annotations

import pytest

from assistant.nlu import NLUContext, understand
from tests.nlu.rounds_support import TODAY, play
from tools import WRITE_TOOLS


def _planned(text: str) -> list[str]:
    """The writes (and purchase checks) the engine plans, before the policy: none is even asked about."""
    calls = understand(text, NLUContext(today=TODAY)).calls
    return [c.name for c in calls if c.name in WRITE_TOOLS or c.name == "check_purchase"]


@pytest.mark.parametrize(
    "text",
    [
        # a role that handles other people's money, money held or collected for others
        "as secretary of the darts league I banked 610 from the entry fees",
        "im the bookkeeper for the surf club, paid 95 for new flags",
        "holding 150 for my flatmate until he's back from Spain",
        "collected 45 from everyone at work for the retirement card",
        # a body's money: its funds, its account, its card, its till
        "the football club bought new nets, 900 out of club funds",
        "put 40 of biscuits on the school's account",
        "picked up printer paper with the office card, 28 dollars",
        "the swear jar was at 55 by friday",
        "we took 2,100 on the door at the fundraiser",
        # what someone told us about their own money
        "a bloke at the pub said his new boat was 60 grand",
        "my cousin told me her phone bill is $130",
        "Joan from choir reckons she's spent 700 on the renovation",
        "the dentist said the new chair cost the owner 30k",
        "my mate's gym fees are 80 a fortnight",
        "Pete down the road sold his tractor for 22,000",
        "my uncle's sheep made $210 a head at the sale",
        # a price quoted, by the unit, at a shop, on a menu, a rise
        "Aldi has olive oil on special, 2 for $9",
        "the garage wants $320 for a new clutch cable",
        "unleaded is 1.89 at the station on the bypass",
        "a large tea at the canteen in the library is 3.40",
        "dinner at the new Thai place, mains from 22 dollars",
        "the toll went up to $4.20 a trip",
        # a joke taken back, a story from years ago
        "new shoes 120 lol jk they were a present",
        "back in the day a pint was a pound fifty",
        "when we were kids a bag of chips was 20 cents",
        # a bank's job, a test result, a count made, hours cut
        "could you bpay the water bill, 310, reference 55512",
        "cholesterol came back at 6.1, was 5.4 last year",
        "baked about 90 scones for the market",
        "boss dropped my shifts to 12 hours this week",
    ],
)
def test_round_34_look_alikes_plan_no_write(text: str) -> None:
    assert _planned(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "what's a sensible size for a rainy day fund, as a rule of thumb",
        "is gold a safe investment if I only have 400 spare",
        "prepaid card or debit card, which is better for a first card",
    ],
)
def test_general_money_questions_read_nothing_from_the_ledger(text: str) -> None:
    """Advice about money in general is not a look-up of the user's goals, subscriptions or purchases."""
    assert play({"text": text}) == []


@pytest.mark.parametrize(
    ("text", "tool"),
    [
        # the user's own money still writes: a first-person verb, a receipt, a fill-up, the user paid the price
        ("I paid 45 for a haircut at the barber in town", "log_expense"),
        ("filled up the ute, diesel came to $96", "log_expense"),
        ("bought 2 for 7 euro at Tesco, the good tea", "log_expense"),
        ("parking at the hospital, paid 9 today", "log_expense"),
        ("my neighbour paid me 60 for mowing", "log_income"),
        ("sold my old bike for 150", "log_income"),
        ("I put $20 in the collection plate on Sunday", "log_expense"),
    ],
)
def test_round_34_look_alikes_that_are_the_users_still_write(text: str, tool: str) -> None:
    assert tool in [c["name"] for c in play({"text": text})]
