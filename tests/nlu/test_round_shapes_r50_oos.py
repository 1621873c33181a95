"""The out-of-scope look-alikes blind round 50 found, said in the team's own words (the rounds are not training
data; these keep the general fixes from sliding back): an order, booking or payment cancelled, failed or declined,
or "no charge" said anywhere, beats the price said with it; a price from a year or a decade long past; an estimate,
a quote or an appraisal; a cart left sitting (and never money got); money put in a fund named by its kind or its
house; a loan to take, refinance or consolidate, asked; money promised, hinted, expected or pending (not income
yet); a road's number ("I-80", "exit 42") and hours written short ("48h") are not money. A call counts only if the
write-safety policy would let it run unasked (``play``)."""

from __future__ import annotations

import pytest

from assistant.agent.safety import CallFacts, screen_call
from assistant.nlu import NLUContext, understand
from tests.nlu.rounds_support import TODAY, only, play


@pytest.mark.parametrize(
    "text",
    [
        # cancelled, failed or declined, or nothing charged: the price said is not spent
        "put through a $74 grocery pickup order, then cancelled it, zero charged",
        "my $64 order at zara failed during checkout, nothing was charged",
        "the electricity top-up of $40 failed, the money never went out",
        "tried paying 30 for the parking app but the payment didn't go through",
        "cancelled my doordash order of 27, the place was shut",
        "the 75 charge bounced",
        "apple pay failed for the 12 coffee so I left",
        "booked a 90 massage but had to cancel, no fee",
        "Booked an airbnb for $300 then cancelled it within 48h, full refund policy",
        # a price from years gone by
        "back in 95 a pizza was like 6 bucks",
        "back in 02 my phone bill was 30 dollars",
        "a movie ticket was 4 bucks in the nineties, times change",
        "in the nineties my rent was 300 a month",
        "a burger was 2 bucks when i started work, how times have changed",
        # an estimate, an appraisal, a cart that sits there
        "the mechanic gave an estimate of 900 for the brakes",
        "estimate for the new fence: 1,900",
        "my ring was appraised at 2,000",
        "got a sephora cart of 210 saved for payday lol",
        "the electrician's estimate: 1,250",
        "got a 300 cart on asos rn",
        # a fund named by its kind or its house; a loan asked about
        "is it wise to put 3k in a fidelity total market fund?",
        "is it a good idea to put 2000 in a target date fund",
        "is it wise to put $800 in a vanguard growth fund?",
        "should I take a $20k loan to pay for a car?",
        "Can I refinance my car loan?",
        "thinking of a 20k car loan, good idea?",
        "what rate would I get on a 10k loan?",
        "should I buy 500 of voo?",
        # money promised, hinted or pending is not income yet
        "grandma promised me 50 for my birthday",
        "my aunt promised me $200 for graduation, hasn't sent it yet",
        "my grandpa promised me $50 for my birthday, not here yet",
        "my manager hinted at a $1,500 bonus, nothing confirmed",
        "the 900 from the client is still pending",
        "invoice of 900 sent to the client, waiting for payment",
        "my tax refund of 1,200 should arrive next week",
        # a road's number is no price
        "Will it snow on I-80 tonight? driving to Reno",
        "Any accidents on I 75 this morning? heading to work",
        "stuck at exit 42 for ages",
        # a wish said aloud, and a vehicle's service mileage (stopped on the server only by the history confirm)
        "a million bucks in the bank, manifesting it",
        "manifesting a 10k month, speaking it into existence",
        "van is at 212,400 miles, next oil change at 215,000",
        "the timing belt is due at 90k, ugh",
    ],
)
def test_out_of_scope_look_alikes_plan_no_tool(text: str) -> None:
    # the engine plans no tool at all: not a write, not a purchase check, not a look-up
    assert understand(text, NLUContext(today=TODAY)).calls == ()
    assert play({"text": text}) == []


def test_money_not_in_yet_says_so() -> None:
    reply = understand("my uncle promised me 80 for helping him move", NLUContext(today=TODAY)).reply or ""
    assert "isn't in yet" in reply or "coming" in reply


@pytest.mark.parametrize(
    ("text", "tool", "amount"),
    [
        # a charge, a fee, money back, or money that came: the entry stays
        ("cancelled my order and got a refund of 40", "log_refund", "40.00"),
        ("paid the mechanic 900 for the brakes", "log_expense", "900.00"),
        ("paid the 600 estimate at the vet", "log_expense", "600.00"),
        ("the bonus they hinted at landed today, 2,000", "log_income", "2000.00"),
        ("the expected 1,200 paycheck came in today", "log_income", "1200.00"),
        ("my mom sent me 100 for my birthday", "log_income", "100.00"),
        ("made 600 from tutoring, more than i was expecting", "log_income", "600.00"),
        ("earned 900 this week, better than expected", "log_income", "900.00"),
        ("paid 350 on my student loan", "log_expense", "350.00"),
        ("can I afford a 25k car with a loan?", "check_purchase", "25000.00"),
        ("got a golf cart for 3000", "log_expense", "3000.00"),
        ("spent 90 on gas driving up I-5", "log_expense", "90.00"),
        ("spent 35 on dinner at the place on highway 9", "log_expense", "35.00"),
        ("back in the office, spent 12 on lunch", "log_expense", "12.00"),
        # hours written short are not the price ("2h" was logged as 2)
        ("parking 12 for 2h", "log_expense", "12.00"),
        ("put 200 in my vacation fund", "contribute_to_goal", "200.00"),
        ("oil change at jiffy lube, 45", "log_expense", "45.00"),
        ("manifested a raise lol, got paid 500 extra", "log_income", "500.00"),
        ("Would a $320 pair of noise-cancelling headphones fit within my budget?", "check_purchase", "320.00"),
    ],
)
def test_in_scope_neighbours_keep_their_tool(text: str, tool: str, amount: str) -> None:
    call = only(text)
    assert call["name"] == tool
    assert call["args"]["amount"] == amount


def test_a_subscription_cancelled_is_still_cancelled() -> None:
    assert only("cancelled netflix")["name"] == "cancel_subscription"


@pytest.mark.parametrize(
    ("text", "tool", "amount"),
    [
        # any provider's entry for these is refused by the policy, not only the engine's own reading
        ("the mechanic gave an estimate of 900 for the brakes", "log_expense", 900),
        ("grandma promised me 50 for my birthday", "log_income", 50),
        ("put through a 74 grocery order, then cancelled it, zero charged", "log_expense", 74),
        ("back in 95 a pizza was like 6 bucks", "log_expense", 6),
        ("got a sephora cart of 210 saved for payday", "log_income", 210),
    ],
)
def test_the_policy_refuses_a_provider_entry(text: str, tool: str, amount: float) -> None:
    args = {"amount": amount, "description": "x"} | ({"category": "Groceries"} if tool == "log_expense" else {})
    assert screen_call(tool, args, CallFacts(text=text)).action == "refuse"
