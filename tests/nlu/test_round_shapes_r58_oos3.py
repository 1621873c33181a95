"""The out-of-scope look-alikes blind round 58 found, said in the team's own words (the rounds are not training
data; these keep the general fixes from sliding back): another person's subscription changed ("my sister paused
her gym") must never change the user's; someone else paying ("..., she pays", "company paid.", "per diem covers
it") or keeping their own money; money moved between the user's own accounts; a payment that did not work with
nothing paid another way; a purchase paid with a gift card someone gave; a price left to think over, a quote given
as a range, a statistic heard, a loan weighed, a trip being planned, the old "money can't buy" joke, and a bill
asked to be paid by its due day. None of them writes. Polish and Vietnamese messages the gloss cannot read are
told apart, so they get the "English only" reply and write nothing. A call counts only if the write-safety policy
would let it run unasked (``play``)."""

from __future__ import annotations

import pytest

from assistant.nlu import NLUContext, understand
from assistant.nlu.languages import identify
from assistant.nlu.not_yours import not_yours
from tests.nlu.rounds_support import TODAY, only, play


@pytest.mark.parametrize(
    ("text", "tool"),
    [
        # another person's subscription changed
        ("my gf cancelled her disney+ lol", "cancel_subscription"),
        ("my roommates unsubscribed from their hulu", "cancel_subscription"),
        ("bro upgraded his youtube premium to family", "update_subscription"),
        # someone else pays, or keeps their own money
        ("cousin's netflix premium $22.99, she pays", "log_expense"),
        ("dad's hulu 17.99 a month, he pays", "add_subscription"),
        ("my husband's bonus landed, 3000, but he keeps his own account", "log_income"),
        ("airbnb 140 for two nights, company paid.", "log_expense"),
        ("dinner 55 in denver, per diem covers it", "log_expense"),
        ("the office covers my gym, 45 a month", "log_expense"),
        # money moved between the user's own accounts
        ("ok so earlier I transferred 900 dollars from the high yield savings over to plain checking", "log_income"),
        ("moved $900 from savings over to checking this morning", "log_expense"),
        ("loaded my own n26 card 80 from the joint acct", "log_expense"),
        # a payment that did not work, a purchase paid with a gift card someone gave
        ("google pay wouldnt work for the 7 dollar bagel so i just left", "log_expense"),
        ("covered my lunch with the cafe voucher my aunt sent, 25 on it", "log_expense"),
        ("paid for the movie using the gift card my team gave me, 40", "log_expense"),
        # not decided, a range quote, a statistic heard, a loan weighed, a trip planned, a joke, a bill to pay
        ("the glasses they showed me were 1200 a pair I said I'd think about it", "check_purchase"),
        ("painter said 700-950 for a 2br", "check_purchase"),
        ("electrician said 300 to 450 for the panel", "check_purchase"),
        ("I saw on tv the average used car costs 26000 now", "update_subscription"),
        ("a podcast said the average wedding costs 33000 these days", "log_expense"),
        ("a microloan in bishkek, 400 at 25% a year, good idea?", "check_purchase"),
        ("planning lisbon trip, flat ~90/night x4", "log_expense"),
        ("money can't buy love but 15 bucks buys pizza so", "log_expense"),
        ("pay phone 900 som due friday", "list_subscriptions"),
        ("pay electricity 85 due friday", "log_expense"),
    ],
)
def test_out_of_scope_look_alikes_write_nothing(text: str, tool: str) -> None:
    # the shape reads it (it keeps the tool the message looks like out), and nothing would run unasked
    assert not_yours(text.lower(), tool) is not None
    assert play({"text": text}) == []


def test_another_persons_cancellation_leaves_the_users_subscription() -> None:
    said = understand("my mom cancelled her spotify yesterday", NLUContext(today=TODAY))
    assert all(c.name != "cancel_subscription" for c in said.calls)
    assert play({"text": "my mom cancelled her spotify yesterday"}) == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # a bill asked to be paid, a card to block, a refund promised, a price from years ago, a gift card (Polish)
        ("zapłać proszę rachunek za gaz, 71.30, termin we wtorek", "polish"),
        ("zablokuj kartę, chyba ją zgubiłem w Costco", "polish"),
        ("sklep mówi że zwrot 25.50 będzie w ciągu tygodnia", "polish"),
        ("5 lat temu płaciłem 450 za pokój w Krakowie", "polish"),
        ("karta odrzucona przy 33.10 w Lidl, nic nie przeszło", "polish"),
        # a refund not come yet, a free ride with a voucher, a price compared (Vietnamese)
        ("Lazada bảo hoàn tiền $20 nhưng chưa thấy về", "vietnamese"),
        ("dùng voucher $8 đi xe miễn phí", "vietnamese"),
        ("Spotify ở Việt Nam rẻ hơn nhiều, chỉ 59k đồng", "vietnamese"),
    ],
)
def test_polish_and_vietnamese_get_the_english_only_reply(text: str, language: str) -> None:
    found = identify(text)
    assert found is not None and found.name == language
    assert play({"text": text}) == []


@pytest.mark.parametrize(
    ("text", "tool", "amount"),
    [
        # the user's own spending and pay, a purchase asked about, a wallet payment that went through: they keep
        # their tool
        ("paid 18 for my half of the pizza", "log_expense", "18.00"),
        ("tap didnt work so I paid with my card, 14", "log_expense", "14.00"),
        ("paid 30 for lunch, used a gift card and paid the rest with my visa", "log_expense", "30.00"),
        ("can i afford the 1,400 sofa?", "check_purchase", "1400.00"),
        ("got my paycheck, 2,300", "log_income", "2300.00"),
        ("spent 60 on tacos with my brother", "log_expense", "60.00"),
        ("put 200 into the japan fund", "contribute_to_goal", "200.00"),
        ("i paid 30 for dinner with my daughter", "log_expense", "30.00"),
    ],
)
def test_in_scope_neighbours_keep_their_tool(text: str, tool: str, amount: str) -> None:
    call = only(text)
    assert call["name"] == tool
    assert call["args"]["amount"] == amount


def test_english_with_a_polish_looking_word_stays_english() -> None:
    assert identify("spent 12 on a coffee at the Lat Cafe") is None
    assert identify("paid 40 for a hotel in Da Nang") is None
