"""The out-of-scope look-alikes blind round 46 found (a Kansas City mechanic, a Dubai hotel manager, a Vancouver
nurse, a Bangalore consultant, a Scottish pensioner, a Berlin DJ) and round 43's Taglish purchase question, said in
the team's own words (the rounds are not training data; these keep the general fixes from sliding back). A call
counts only if the write-safety policy would let it run unasked (``play``)."""

from __future__ import annotations

import pytest

from assistant.nlu import NLUContext, understand
from tests.nlu.rounds_support import TODAY, only, play


@pytest.mark.parametrize(
    "text",
    [
        # a manager signing off the business's spending; a business's takings
        "I approved 12,000 in linen orders for the resort this month",
        "the resort's spa revenue for november was 340,000",
        "our store's sales for the quarter came to 95,000",
        # someone else's pension, pay or housing cost; one person paying another
        "Mum's pension came in at 1,900 this month, she said",
        "grandad's pension is 1,400 a month",
        "my son's rent is 1,100 a month, poor lad",
        "manager gave the cashier a 2k christmas bonus",
        "my pal Ricky dropped 1800 on a new gearbox for his van",
        "the pub paid me 300 for the gig but it goes to the band",
        # a price seen and turned down, scoffed at or complained about
        "lyft was showing 48 dollars to the airport, took the train instead",
        "a stroller at the boutique was 650, who can afford that",
        "concert tickets were 120, I'll stream it at home",
        "the 15 parking charge at the hospital is ridiculous",
        "a coffee in Zurich is nearly 8 CHF noo, shockin",
        "milk's gone up tae £1.80 at the co-op",
        # a transfer that failed
        "NEFT failed for 8,000, amount debited but not received",
        # money collected or held for others
        "collected 10 each from the darts team for the raffle, 9 of us",
        "the ward collected 150 for the porter's leaving card, i'm minding it",
        # an order asked for, with what it may cost
        "order pizza from dominos, budget 30",
        "order dog food from chewy, like 60 worth",
        # long ago
        "2011 i bought my first amp for 200 at a pawn shop",
    ],
)
def test_out_of_scope_look_alikes_write_nothing(text: str) -> None:
    # the engine plans no tool at all: not a write, not a budget set, not a look-up
    assert understand(text, NLUContext(today=TODAY)).calls == ()
    assert play({"text": text}) == []


@pytest.mark.parametrize(
    "text",
    [
        # shares and funds are investments, a sale imagined is a what-if, a thought with a guessed price is no check
        "should i buy apple at 190 a share",
        "should i buy an index fund with 300 a month",
        "if i sold my car for 9k would that clear the debt",
        "thinking bout a trip to lisbon, 300 maybe",
        "thinking about getting a haircut, maybe 40",
        # a tax rule asked, not the user's budget; asking us to pay a bill is the bank's job
        "is the 80c deduction limit still 1.5 lakh",
        "pay my water bill, it's 60 this month",
    ],
)
def test_investments_what_ifs_and_chores_are_no_purchase_check_or_look_up(text: str) -> None:
    assert understand(text, NLUContext(today=TODAY)).calls == ()


@pytest.mark.parametrize(
    ("text", "item"),
    [
        # a question first, then only the price it is about: a purchase check, never an entry
        ("kaya ko ba bumili ng bagong laptop? 650 dollars yung nakita ko", "laptop"),
        ("can i afford new boots? they're 150", "boots"),
        ("thinking about a 1200 laptop", "laptop"),
    ],
)
def test_a_purchase_asked_first_is_a_check_not_an_entry(text: str, item: str) -> None:
    r = understand(text, NLUContext(today=TODAY))
    assert [c.name for c in r.calls] == ["check_purchase"]
    assert r.calls[0].args["item"].lower() == item


@pytest.mark.parametrize(
    ("text", "tool"),
    [
        ("my wife's salary came in, 3,200", "log_income"),
        ("boss paid me 400 bonus", "log_income"),
        ("ordered groceries from asda for 72", "log_expense"),
        ("paid my electric bill, 184", "log_expense"),
        ("collected my 600 tax refund today", "log_income"),
        ("took an uber home, 64", "log_expense"),
    ],
)
def test_in_scope_neighbours_keep_their_tool(text: str, tool: str) -> None:
    assert only(text)["name"] == tool
