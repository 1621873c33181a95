"""The out-of-scope look-alikes blind round 48 found, said in the team's own words (the rounds are not training
data; these keep the general fixes from sliding back): a bill asked to be paid with no "my" or "the", another
person's spending, subscription or card, a price by the unit, a price turned down or a want that fell through, a
plan said with a price and nothing asked, a cost quoted ahead, a first job remembered, a meme, a loan or a down
payment asked in general, tips on spending less on one thing, a job offer. A call counts only if the write-safety
policy would let it run unasked (``play``)."""

from __future__ import annotations

import pytest

from assistant.agent.safety import CallFacts, screen_call
from assistant.nlu import NLUContext, understand
from tests.nlu.rounds_support import TODAY, only, play


@pytest.mark.parametrize(
    "text",
    [
        # a bill the user asks us to pay (a bank's job), with or without "my", "for me" or a sum
        "help me pay the Astro bill, due this week",
        "pay water bill can or not, due tmr",
        "pay the Unifi bill for me, it's due friday",
        # another person's spending asked about, with their own figure
        "how much does my girlfriend spend on sephora per month, she claims 80",
        # another person's subscription, its price change, or their plan to get one
        "tom's spotify went up to 11.99 on his plan",
        "sam's disney plus went up to 13.99 on his account",
        "my aunt's netflix is 19.99 now",
        "my cousin's amazon prime went up to 14.99",
        "her spotify went up to 12.99, good thing i'm not on it",
        "paramount plus is 7.99 now, my sister is thinking of getting it",
        # someone else's card
        "petrol was 2.09 a litre today, used my dad's card to fill up",
        "filled up at the servo with my brother's card, 1.95 a litre",
        "paid for gas with my mom's card, 60",
        # a price by the unit, turned down; a want that fell through
        "salmon 29.99/lb at whole foods today, skipped it",
        "strawberries 6.99/kg today, too pricey, skipped them",
        "wanted to grab a 15 burrito but the queue was insane so nope",
        "tried to buy a 35 jacket but my card got declined",
        # a plan with a price, nothing asked
        "gonna grab a 30 gift for my nephew tomorrow",
        "next week i have to buy a 45 calculator for school",
        "tomorrow I need to buy a 30 birthday cake",
        "maybe ill buy a 60 jacket next month, idk",
        "maybe I'll grab a new phone in march, like 800?",
        "tomorrow i'll grab a 15 pizza",
        "this weekend i'm buying a 90 drill",
        # a cost quoted ahead, not decided
        "the dentist said a filling would be around 150 if i want it",
        "mechanic reckons about 600 if I go through with it",
        # a first job, a habit or a price of the past remembered
        "my first ever salary was 900, i framed the payslip",
        "my first job paid 5.15 an hour",
        "i used to spend 50 a week on cigarettes",
        "i remember paying 1.20 for a pint",
        # a meme
        "nobody: me: buying a 6 coffee every morning",
        "me at 8am: i'm saving money. me at 8:15: 🛍️",
        # a loan asked about in general; tips on one kind of spending; a job offer
        "my student loan still has 12k left, better pay it off early or not?",
        "should i clear my car loan early or not? 4k left",
        "what's the usual down payment for a condo?",
        "tips for spending less on groceries??",
        "any advice on spending less on clothes",
        "ideas to cut back on eating out?",
        "got an offer for 60k, should i negotiate?",
        "i got a job offer for 70k, should i take it?",
    ],
)
def test_out_of_scope_look_alikes_plan_no_tool(text: str) -> None:
    # the engine plans no tool at all: not a write, not a purchase check, not a look-up
    assert understand(text, NLUContext(today=TODAY)).calls == ()
    assert play({"text": text}) == []


@pytest.mark.parametrize(
    ("text", "tool"),
    [
        ("paid the water bill, 120", "log_expense"),
        ("filled up with gas, 52", "log_expense"),
        ("groceries 85, paid with my wife's card", "log_expense"),
        ("beef mince 2kg, paid 24", "log_expense"),
        ("my mum's birthday present was 60", "log_expense"),
        ("bought coffee for my sister, 6", "log_expense"),
        ("netflix went up to 22.99", "update_subscription"),
        ("my gym went up to 55", "update_subscription"),
        ("my first paycheck from the new job landed today, 2,100", "log_income"),
    ],
)
def test_in_scope_neighbours_keep_their_tool(text: str, tool: str) -> None:
    assert only(text)["name"] == tool


@pytest.mark.parametrize(
    ("text", "tool"),
    [
        # a plan asked about still checks the purchase; general asks still read the user's records
        ("gonna buy a 700 tv, can i afford it?", "check_purchase"),
        ("thinking about a 1200 laptop", "check_purchase"),
        ("tips to save money", "get_insights"),
        ("any tips based on my spending?", "get_insights"),
        ("how much did i spend on takeout this month", "spending_summary"),
    ],
)
def test_asked_neighbours_keep_their_read(text: str, tool: str) -> None:
    assert [c.name for c in understand(text, NLUContext(today=TODAY)).calls] == [tool]


@pytest.mark.parametrize(
    ("text", "tool", "amount"),
    [
        # any provider's entry for these is refused by the policy, not only the engine's own reading
        ("coffee beans 45 kr/kg this week, way too dear", "log_expense", 45),
        ("wanted to grab a 15 burrito but the queue was insane so nope", "log_expense", 15),
        ("filled up with my brother's card, 60", "log_expense", 60),
        ("the trainers were 180, way too pricey", "log_expense", 180),
        ("saw a 25 candle at the market, skipped it", "log_expense", 25),
    ],
)
def test_the_policy_refuses_a_provider_entry(text: str, tool: str, amount: float) -> None:
    args = {"amount": amount, "description": "x"} | ({"category": "Groceries"} if tool == "log_expense" else {})
    assert screen_call(tool, args, CallFacts(text=text)).action == "refuse"
