"""The world's shops and everyday words (round 41's theme: a Kenyan, a Swiss and several US authors filed
their supermarket, utility, transit card and street food under Other, or were asked). Said in the team's
own words (the round itself is not training data). A call counts only if the write-safety policy would
let it run unasked (``play``)."""

from __future__ import annotations

import pytest

from assistant.nlu import lexicon
from tests.nlu.rounds_support import only, play


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # supermarkets
        ("weekly shop at Albert Heijn, €58", "Groceries"),
        ("Mercadona run 43.20 euros", "Groceries"),
        ("Shoprite $37 for the week", "Groceries"),
        ("spent $64 at Save-On-Foods", "Groceries"),
        ("Esselunga, €71 yesterday", "Groceries"),
        # utilities and telecoms
        ("paid the Georgia Power bill, $141", "Utilities"),
        ("Meralco bill, $52", "Utilities"),
        ("Thames Water £38", "Utilities"),
        ("Swisscom bill paid, $59", "Utilities"),
        ("topped up my giffgaff £10", "Utilities"),
        # transit cards and operators, fuel
        ("Presto card top up, $40", "Transport"),
        ("Clipper card, $25", "Transport"),
        ("filled up at Petronas, $30", "Transport"),
        ("SNCF ticket to Lyon, €45", "Transport"),
        ("E-ZPass refill $35", "Transport"),
        # health insurers and pharmacies
        ("Bupa premium £96", "Health"),
        ("paid Medibank $180", "Health"),
        ("Mercury Drug for vitamins, $14", "Health"),
        ("Helsana premium paid, €390", "Health"),
        # street food and local chains
        ("two shawarmas, $12", "Dining"),
        ("empanadas for the office, $18", "Dining"),
        ("Waffle House at 2am, $16.40", "Dining"),
        ("nasi lemak and teh tarik $7", "Dining"),
        # a mobile-money or bank fee is a fee
        ("withdrawal fee $3.50", "Other"),
    ],
)
def test_a_country_s_everyday_shops_and_words_file_under_their_category(text: str, category: str) -> None:
    call = only(text)
    assert call["name"] == "log_expense" and call["args"]["category"] == category


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Chandarana 1,980 yesterday", "Groceries"),
        ("Kenya Power 1200", "Utilities"),
        ("Shufersal and Super-Pharm 310", "Groceries"),
        ("Turkcell 350", "Utilities"),
        ("jollof and suya 4500", "Dining"),
        ("Rav-Kav 50 today", "Transport"),
    ],
)
def test_known_things_and_one_price_are_an_entry_though_the_model_never_saw_the_name(text: str, category: str) -> None:
    call = only(text)
    assert call["name"] == "log_expense" and call["args"]["category"] == category


@pytest.mark.parametrize(
    "text",
    [
        "Chandarana 1,980 or 2,100?",  # a question names a price, it records nothing
        "Kenya Power 1200 outage in my area again",  # words beyond the things: the model decides
        "see you at noon, I owe you 20 for the tickets",  # "Noon" the shop is left out: a time of day
        "we're reliant on about 3 buses a day",  # "Reliant" the utility is left out: a common word
        "the range was 40 to 60 last year",  # "The Range" the shop is left out
        "how do you make birria for 8 people",  # a dish asked about is no entry
        "careem quoted 55 to the airport so I walked",  # a quote is no spending
    ],
)
def test_a_shop_word_in_a_sentence_that_is_no_entry_writes_nothing(text: str) -> None:
    assert play({"text": text}) == []


def test_common_words_and_names_are_not_category_hints() -> None:
    for word in ["noon", "the range", "winners", "courts", "roots", "lulu", "joann", "nisa", "dirk", "mustafa"]:
        assert not lexicon.keyword_hits(f"paid 20 {word} today"), word


def test_the_world_pack_does_not_move_a_word_the_main_lexicon_files() -> None:
    assert lexicon.keyword_hits("coffee at 7-eleven")[0].category == "Dining"  # coffee, not the shop
    hits = {h.phrase: h.category for h in lexicon.keyword_hits("kroger pharmacy and kroger")}
    assert hits == {"kroger pharmacy": "Health", "kroger": "Groceries"}
