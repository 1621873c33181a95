"""The kinds of look-alike blind round 33 found writing, said in the team's own words (the round itself is not
training data): counts and weights read as money, gifts received, other people's or organisations' money,
things not decided yet, prices seen. The engine plans no write for them at all (not even one the policy
would ask about), and what the user did say plainly still writes."""

from __future__ import annotations

import pytest

from assistant.nlu import NLUContext, understand
from assistant.nlu.shapes import _someone_else_paid
from tools import WRITE_TOOLS

from .rounds_support import TODAY, play


def planned_writes(text: str) -> list[str]:
    return [c.name for c in understand(text, NLUContext(today=TODAY)).calls if c.name in WRITE_TOOLS]


@pytest.mark.parametrize(
    "text",
    [
        # a whole number right before a plural noun is a count; so is "1 <thing>"
        "we run 3 boats and 2 trailers out of the marina",
        "31 students on my roster, 4 new ones this term",
        "we have 2 cats and 1 rabbit",
        # a fish, an animal or a baby in pounds is a weight ("the dinner was 38 pounds" stays money)
        "the salmon was 22 pounds",
        "landed a 40 pound tuna off the point",
        # a thing given to the user, with its worth, for free, for an occasion, or a gift card received
        "my neighbour gave me his old snowblower, worth about 500",
        "the team gave me a scarf for my birthday, maybe 30",
        "my landlord give me the old fridge for free, it cost 700 new",
        "the class gave me a card and a $25 starbucks gift card",
        "received a gift card for 100 from a patient",
        "got a free oil change from my cousin (usually 60)",
        # another person's or a body's money, non-native verb forms included
        "my girlfriend paid for the movie, $30",
        "the manager pay 200 for the whole team lunch",
        "Tomasz pay for my coffee, 15 zloty",
        "one of the neighbours donated 300 to the block party",
        "the library spent 9000 on new computers",
        "the bakery made 40k in sales last quarter",
        "the firm reimbursed the flight directly, I never paid 450",
        "the work credit card was charged 800 for the software licence",
        # not decided yet, a party being planned, a price seen somewhere
        "considering a new tent, 280",
        "planning a retirement dinner for my dad, budget around 400",
        "Maybe I get new laptop for 900 in january",
        "the box of 24 crayons is 12 on amazon",
        "concert tickets are 85 each",
        "buy the 20 dollar phone charger for me",
    ],
)
def test_round_33_look_alikes_plan_no_write(text: str) -> None:
    assert planned_writes(text) == [], text


@pytest.mark.parametrize(
    ("text", "tool"),
    [
        ("bought 3 coffees for the crew, 14.50", "log_expense"),
        ("I received a 300 bonus today", "log_income"),
        ("paid 200 towards my car loan", "log_expense"),
        ("my wife paid the gas bill, 85", "log_expense"),
        ("the electrician charged me 240", "log_expense"),
        ("client paid the invoice, 1,500", "log_income"),
        ("grandpa sent me 40 for my birthday", "log_income"),
        ("new rain boots at target 35", "log_expense"),
    ],
)
def test_the_users_own_money_still_writes(text: str, tool: str) -> None:
    assert tool in [c["name"] for c in play({"text": text})], text


@pytest.mark.parametrize(
    ("text", "tool", "someone"),
    [
        ("my date paid for dinner, 68", "log_expense", True),
        ("the new intern bought pizza for everyone, 90", "log_expense", True),
        ("spent 40 on gas", "log_expense", False),
        ("my husband paid the water bill, 60", "log_expense", False),
        ("my insurance paid 80 percent, I paid the rest", "log_expense", False),
        ("the electric bill paid today, 97", "log_expense", False),
        ("the studio made 12k in january", "log_income", True),
        ("the client paid 400 for the logo", "log_income", False),
    ],
)
def test_whose_money_is_read_from_the_subject_of_the_money_verb(text: str, tool: str, someone: bool) -> None:
    """The structural gate: a money verb whose subject is someone named with "the/my/a ..." (not the user, the
    household or a thing) is not the user's money; for income only a verb of earning counts."""
    assert _someone_else_paid(text.lower(), tool) is someone
