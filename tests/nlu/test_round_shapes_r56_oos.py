"""The out-of-scope look-alikes blind round 56 found, said in the team's own words (the rounds are not training
data; these keep the general fixes from sliding back): a wallet or QR payment that failed ("didnt go thru"),
another person or a body handling or paying the bill ("my husband takes care of the water bill", "the county
covers my bus pass, i pay 0", "they paid", "booked by the admin office, 380 on the firm"), what to buy with a gift
card, a cart closed unbought and whether a quote sounds fair. None of them writes, and none is a purchase check.
Swahili and Turkish, not glossed, are told apart so that a message in them gets the "English only" reply and
writes nothing. A call counts only if the write-safety policy would let it run unasked (``play``)."""

from __future__ import annotations

import pytest

from assistant.nlu import NLUContext, understand
from assistant.nlu.languages import identify
from tests.nlu.rounds_support import TODAY, only, play


@pytest.mark.parametrize(
    "text",
    [
        # a wallet, QR or mobile-money payment that failed
        "esewa scan failed three times at the supermarket, 18, never went thru",
        "the gpay qr failed at the chemist, 14 dollars",
        "mtn momo failed for my 10 data bundle",
        "airtel money failed for the 3 dollar recharge",
        "upi failed twice on the 450 dinner bill, didnt go thru",
        # someone else handles or pays it
        "my husband takes care of the water bill, around 45 a month",
        "my flatmate handles the wifi, 30ish a month",
        "the county covers my dental work since im a veteran",
        "the state pays for my train pass as a student so i pay 0",
        "supplier took us out for drinks, 95 tab, they covered it",
        "my old boss took me to dinner at a steakhouse, 210 check, they paid",
        "the hotel for the offsite was booked by the admin office, 380 on the firm",
        "catering was ordered by our events team, 1,400 on the company",
        # what to buy with a gift card, a cart left unbought, a quote weighed
        "got a 25 amazon gift card, what should i get with it",
        "what should I buy with my 40 sephora voucher",
        "I have a 100 ikea gift card, any ideas what to buy",
        "was about to pay for 180 of shoes in my basket and then closed the app",
        "had 75 in my cart and exited the browser",
        "abandoned my 310 cart at checkout",
        "roofer's estimate: 4,800 for the whole roof, does that sound fair?",
        "got a quote of 650 for the brakes, does that seem reasonable?",
        "the painter quoted 1,200 for two rooms, sound about right?",
    ],
)
def test_out_of_scope_look_alikes_write_nothing(text: str) -> None:
    assert understand(text, NLUContext(today=TODAY)).calls == ()
    assert play({"text": text}) == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # another person's money, a story from years ago, a price compared (Swahili)
        ("Dada yangu amelipa 80 dollars kwa viatu vyake", "swahili"),
        ("Mwaka 2015 nilienda Nairobi, soda ilikuwa 30 shilingi tu", "swahili"),
        ("Kaka yangu analipa Netflix 7 dollars tu, mimi nalipa 15.49", "swahili"),
        # paid with points, nothing out of pocket (Turkish)
        ("puanlarımla 12 dolarlık kahve aldım, cebimden para çıkmadı", "turkish"),
        ("kartımla 30 liralık alışveriş yaptım ama para çıkmadı", "turkish"),
    ],
)
def test_swahili_and_turkish_get_the_english_only_reply(text: str, language: str) -> None:
    found = identify(text)
    assert found is not None and found.name == language
    said = understand(text, NLUContext(today=TODAY))
    assert said.calls == ()
    assert said.reply is not None and "English only" in said.reply
    assert play({"text": text}) == []


@pytest.mark.parametrize(
    ("text", "tool", "amount"),
    [
        # a wallet payment made, the user's own bill, a meal the user paid, a gift card bought, a purchase asked
        # about, a price asked about: they keep their tool
        ("paid 26 at the grocer with esewa", "log_expense", "26.00"),
        ("paid the 52 electric bill", "log_expense", "52.00"),
        ("took my mom to lunch, 64", "log_expense", "64.00"),
        ("bought a 30 gift card for my niece", "log_expense", "30.00"),
        ("paid 12 for my bus pass", "log_expense", "12.00"),
        ("can i afford the 260 jacket in my cart?", "check_purchase", "260.00"),
        ("is 120 for running shoes reasonable?", "check_purchase", "120.00"),
    ],
)
def test_in_scope_neighbours_keep_their_tool(text: str, tool: str, amount: str) -> None:
    call = only(text)
    assert call["name"] == tool
    assert call["args"]["amount"] == amount


def test_english_with_a_swahili_word_stays_english() -> None:
    assert identify("spent 40 on a safari hat in arusha") is None
