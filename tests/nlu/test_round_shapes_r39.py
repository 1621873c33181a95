"""The kinds of look-alike blind round 39 found writing, said in the team's own words (the round itself is not
training data): what anyone said, not only about their own things ("mum said ..."); a plan whose price is
guessed later on; a shop named with where it is; someone else keeping the records; a player's rating; a
purchase that did not happen ("if I'd bought ..."); whether a price is fair; a change only mused on; a
subscription's price asked about."""

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
        # reported speech: a person, maybe where they are from, then what they said
        "my nan said her council tax went up to 1,900 a year",
        "dad reckons the water bill was 85 last quarter",
        "a bloke at the auction said the tractor went for 14,000",
        "the lady from church told me the raffle prize was worth 300",
        # a plan, and the price a guess further on
        "going to swing by costco on the way home, will probably drop 150",
        "about to head to the garden centre, prob spend like 60",
        # a shop said with where it is, and what it has at a price
        "the bike store on 5th has helmets for 45 dollars",
        "that hardware shop near the station is selling drills at $89",
        # someone else keeps the records
        "our club secretary logged 120 for the new nets",
        "the office manager recorded $65 for the printer ink",
        # a rating is not money
        "pulled an 88 rated striker from a pack",
        # a purchase that did not happen
        "if we had booked the earlier flight it would have been 240",
        # whether a price is fair
        "is 1,200 for a used fridge overpriced",
        "are 30 dollar haircuts normal round here",
        "is hbo max even worth 16.99 these days",
        # others doing it, a couple, an organisation's purchase, a public price change
        "my neighbour Dave is paying off 30k on his truck",
        "my sister and her husband booked a villa, 4,000 for the week",
        "the library just got a new 3d printer, cost them 2 grand",
        "the xbox game pass price is going up to 20 a month",
        # market prices by the unit, a fuel price moved
        "wheat is at 6.40 a bushel this week",
        "petrol's back up to 1.89 at the Shell",
        "hog futures closed at 92 on friday",
        # counts, scores and places that are not money
        "scored 9 out of 10 on the driving range",
        "book court 3 for tuesday at 6",
        "the shed holds about 40 head",
        "it was -8 out this morning",
        "cholesterol test came back at 5.2",
        # a payment that did not happen
        "we would have paid 60 for the tour but it rained off",
    ],
)
def test_round_39_look_alikes_plan_no_write(text: str) -> None:
    assert _planned(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "might change my grocery budget once I see how December goes",
        "maybe I'll adjust my savings goal later, not sure",
        "thinking about maybe dropping hulu, idk",
        "not sure if I should set up a category for the horses",
        "my cousin's car insurance doubled to 200, thank god that's not me",
    ],
)
def test_a_change_only_mused_on_plans_nothing(text: str) -> None:
    assert play({"text": text}) == []


def test_a_subscriptions_price_asked_about_lists_the_subscriptions() -> None:
    assert [c["name"] for c in play({"text": "is hulu still 17.99?"})] == ["list_subscriptions"]


@pytest.mark.parametrize(
    ("text", "tool"),
    [
        # the user's own money still writes, whoever is mentioned
        ("my wife said I spent 200 at costco, log it", "log_expense"),
        ("spent 90 at trader joe's after work", "log_expense"),
        ("bought FC 25 at the game shop for 20 quid", "log_expense"),
        ("paid 40 for the team balls", "log_expense"),
        # a real purchase question still checks the purchase
        ("is 40 a month for the gym affordable for me?", "check_purchase"),
        ("can I afford a 90 dollar jacket", "check_purchase"),
        ("is 120 for new hiking boots reasonable?", "check_purchase"),
    ],
)
def test_round_39_look_alikes_that_are_the_users_still_write(text: str, tool: str) -> None:
    assert tool in [c["name"] for c in play({"text": text})]
