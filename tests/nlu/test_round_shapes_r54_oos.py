"""The out-of-scope look-alikes blind round 54 found, said in the team's own words (the rounds are not training
data; these keep the general fixes from sliding back): a bus or train line's number said with the trip, a weight
lifted, a price remembered from long ago ("remember when ..."), a price heard ("apparently", "rumour has it"), a
gift card or points spent where the user's own money did not move, the employer paying ("work is covering",
"expensed", "the corporate visa") and another person paying now ("my aunt paying 85 a month for ..."). None of them
writes, and a price heard or a points balance is never a purchase check. A call counts only if the write-safety
policy would let it run unasked (``play``)."""

from __future__ import annotations

import pytest

from assistant.nlu import NLUContext, understand
from tests.nlu.rounds_support import TODAY, only, play


@pytest.mark.parametrize(
    "text",
    [
        # a line's number with the trip
        "tram was 25 mins late again, route 12",
        "waited forever for the train, platform 7",
        "took the 42 bus to work, 35 minutes",
        "line 18 bus never showed up",
        # a weight lifted
        "squatted 275 this morning",
        "benched 185 for 5 reps",
        "new deadlift pr 455",
        "finally hit 315 on squat",
        "bench pr is 245 now",
        # a price remembered
        "member when a movie ticket was 6 bucks",
        "remember when rent here was 700",
        "miss the days when a burger was 2",
        "a pint used to be 3 quid round here",
        # a price heard
        "apparently the new galaxy is 1299",
        "heard the next playstation will be 699",
        "rumour has it the new switch costs 449",
        # a gift card or points, own money untouched
        "used my christmas voucher at the bookshop, 35, my own money didnt move",
        "redeemed the 60 dollar gift card on sneakers",
        "paid for the hotel entirely with points, 410 value",
        "got a 90 jacket, not a cent of my own money",
        # a points balance is not a price
        "my ulta points hit 2,350, what should i buy",
        "points balance is 5,600, what should i get",
        "airline miles sitting at 48,000, what can i do with them",
        # the employer pays
        "my job covered the 640 certification",
        "work's paying for my new monitor, 420",
        "the firm will reimburse the 300 flights",
        "expensed the client lunch, 96.20",
        "62 for the cab on the corporate visa",
        "put the hotel on the corp card, 510",
        # another person paying now
        "my aunt paying 85 a month for satellite tv, crazy",
        "my roommate's still paying 140 for his phone plan",
    ],
)
def test_out_of_scope_look_alikes_write_nothing(text: str) -> None:
    assert understand(text, NLUContext(today=TODAY)).calls == ()
    assert play({"text": text}) == []


@pytest.mark.parametrize(
    ("text", "tool", "amount"),
    [
        # a fare, a pass, a gift card bought or topped up with money, pay from work, the user paying: entries stay
        ("bus fare 2.75", "log_expense", "2.75"),
        ("train ticket 45", "log_expense", "45.00"),
        ("monthly metro pass 98", "log_expense", "98.00"),
        ("bought a 50 gift card for my nephew", "log_expense", "50.00"),
        ("work paid me 900 today", "log_income", "900.00"),
        ("paycheck 3,100 from work today", "log_income", "3100.00"),
        ("used a 25 gift card and paid the rest, 19", "log_expense", "19.00"),
        ("I'm paying 60 a month for my gym", "add_subscription", "60.00"),
        ("can i afford the new iphone at 1199?", "check_purchase", "1199.00"),
    ],
)
def test_in_scope_neighbours_keep_their_tool(text: str, tool: str, amount: str) -> None:
    call = only(text)
    assert call["name"] == tool
    assert call["args"]["amount"] == amount
