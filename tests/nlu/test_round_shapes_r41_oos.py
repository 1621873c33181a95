"""The out-of-scope look-alikes blind round 42 found (and two round 41 misreads of the same kind), said in the
team's own words (the rounds are not training data; these keep the general fixes from sliding back). A call
counts only if the write-safety policy would let it run unasked (``play``)."""

from __future__ import annotations

import pytest

from assistant.nlu import NLUContext, understand
from tests.nlu.rounds_support import TODAY, only, play
from tools import WRITE_TOOLS


@pytest.mark.parametrize(
    "text",
    [
        # a story from years ago: a year gone by, "years ago", a year with an apostrophe
        "back in 2014 I paid 650 a month for a tiny flat in Leeds, those were the days",
        "In my last year of uni 2019 the cafe paid me 900 a month",
        "many years ago we bought our first caravan for 4,000",
        # an order taken back before any charge
        "ordered a 70 dollar jacket but the shop cancelled it and never charged me",
        "booked a 220 hotel, cancelled it before it was charged, phew",
        # money handled for an employer or a school
        "raised a purchase order for 2,400 of lab glassware this afternoon",
        "spent 95 on the department purchasing card for the open day",
        "paid 18 for biscuits out of petty cash for the staff meeting",
        "the parish office reimbursed a volunteer 45 for the flowers from the hall fund",
        # other people's money
        "the lady in front of me at Aldi had a 240 shop, prices are wild",
        "the bus driver's wife bought a 30,000 camper van, good for them",
        "the new guy on the trading desk owes the firm 8k already",
        "my client paid 1,500 for the website to another developer last year",
    ],
)
def test_out_of_scope_look_alikes_write_nothing(text: str) -> None:
    assert not {c["name"] for c in play({"text": text})} & WRITE_TOOLS


@pytest.mark.parametrize(
    "text",
    [
        # a musing put off, or priced the way the world prices it
        "Thinking about a paddleboard, about 450, not yet though",
        "thinking of getting a cockapoo, they go for about 1,200",
        "hoping to spend about 800 on a trip to Porto next summer",
        # a price's fairness asked, a joke, a price laughed at, an investment weighed
        "the plumber wants 300 for a tap, is that a fair price?",
        "honestly i would pay 10 grand for a week off",
        "the new iphone is 1,599 who is even buying that",
        "should I put 5,000 in bonds or a savings account?",
        # a sum to work out, a what-if, the bank's jobs, a print-out
        "6 hay bales at 7.50 each, what does that come to?",
        "if I put 200 a month into an index fund how much will I have at 60",
        "if I spent 50 less on takeaways each week how much would I save by Christmas?",
        "how do I dispute a 40 hold from a petrol station?",
        "Can you pay the gas bill? It's 84 and due Monday.",
        "print my budget for the family meeting",
        "in '11 I lost 30k on a restaurant, learned a lot",
    ],
)
def test_out_of_scope_questions_and_musings_get_no_tool(text: str) -> None:
    assert play({"text": text}) == []


def test_a_welsh_question_is_answered_as_another_language() -> None:
    r = understand("Faint yw pris llaeth heddiw? Clywais i £2.", NLUContext(today=TODAY))
    assert r.calls == ()


@pytest.mark.parametrize(
    ("text", "tool"),
    [
        ("thinking about getting a new laptop for 1,100, can I afford it?", "check_purchase"),
        ("how much did I spend in 2021?", None),  # a look-up of a year keeps its read
        ("charged 60 for the plumber today", "log_expense"),
        ("spent 35 on printer ink", "log_expense"),
    ],
)
def test_in_scope_neighbours_keep_their_tool(text: str, tool: str | None) -> None:
    calls = play({"text": text})
    if tool is None:
        assert not {c["name"] for c in calls} & WRITE_TOOLS
    else:
        assert [c["name"] for c in calls] == [tool]


def test_log_then_a_number_before_a_plural_is_the_amount() -> None:
    call = only("log 64 tools at lowes")  # "log" asks for an entry: the 64 is money, not a count
    assert call["name"] == "log_expense" and call["args"]["amount"] == "64.00"


def test_a_screen_size_before_tv_is_not_the_price() -> None:
    call = only("thinkin bout a 55 in tv for 480 at best buy, can I swing it")
    assert call["name"] == "check_purchase" and call["args"]["amount"] == "480.00"
