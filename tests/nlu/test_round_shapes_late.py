"""The kinds of request blind rounds 28 to 30 found, said in the team's own words (the rounds themselves are
not training data; these keep the general fixes from sliding back)."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.nlu import NLUContext, understand
from tests.nlu.rounds_support import TODAY, play
from tools import WRITE_TOOLS


@pytest.mark.parametrize(
    ("text", "tool"),
    [
        ("could you take 25 out of my shopping budget and put it toward dining?", "move_budget"),
        ("I paid 18 for parking downtown, could you write that down?", "log_expense"),
        ("ngl spent 14 on boba today", "log_expense"),
    ],
)
def test_polite_requests_and_slang_openers_still_write(text: str, tool: str) -> None:
    calls = play({"text": text})
    assert [c["name"] for c in calls] == [tool], calls


@pytest.mark.parametrize(
    "text",
    [
        # the one who spent is not the user: a person word with or without "my/the", where they are from,
        # what they say, a name, a role, "cost them", a third person charged, the company's card
        "coach at the rink says he spends 200 a month on tape",
        "our neighbour across the hall blew 500 at the casino",
        "grandpa paid off his truck, 12,000",
        "Marcus from accounting bought 60 of pizza for the team",
        "the new hire bought a 1,500 laptop",
        "the receptionist at my dentist paid 40 for parking",
        "the trip to vegas cost them 4,000",
        "my sister charged a client 300 for a logo",
        "the manager put the 300 offsite lunch on the corporate card",
        "her law firm settled for $2.5M last week",
        # not bought: declined, skipped, sent back, told not to log
        "didn't take the 30 taxi, walked home",
        "passed on the 120 concert tickets",
        "held off on the 60 rain jacket",
        "skipped the 12 dollar smoothie and had water",
        "sent the 45 headphones back",
        "don't record anything, I returned the 30 lamp",
        # a price read, shown, complained about or written down
        "the price on the stroller was 450",
        "eggs are 6.99 at the corner store",
        "the menu says 28 for the ribeye",
        "gas 5.10 at the shell, highway robbery",
        "hotel room service burger = $32",
        "the plumber bills 95 an hour",
        # undecided, a what-if, an answer awaited
        "torn between the 40 and the 60 blender",
        "suppose we spent 400 on a weekend away",
        "maybe we'll join the 50 a month climbing gym, or maybe not",
        "waiting to see whether the warranty covers the 300 repair",
        # a bank's job (a bill paid for me, credit), a time that is not a price
        "can you pay off my 2,000 credit card",
        "can I qualify for a 30k car loan",
        "my flight lands at 9, what's the weather in Denver",
    ],
)
def test_round_29_look_alikes_in_other_words(text: str) -> None:
    """The kinds of look-alike round 29 found writing, said in the team's own words: no write, no purchase check."""
    assert not [c for c in play({"text": text}) if c["name"] in WRITE_TOOLS or c["name"] == "check_purchase"]


@pytest.mark.parametrize(
    ("text", "tool"),
    [
        # the user is the payer, or something was bought after all
        ("my wife and I spent 120 at dinner", "log_expense"),
        ("the plumber charged 180 for the leak", "log_expense"),
        ("paid 30 for dinner with my boss", "log_expense"),
        ("my husband paid the internet bill, 70", "log_expense"),
        ("skipped breakfast, lunch was 14", "log_expense"),
        ("didn't take the bus today, but the uber was 25", "log_expense"),
        ("price was 45 for the haircut, paid cash", "log_expense"),
        ("bought a 400 jacket, the sticker said 500 lol", "log_expense"),
        ("got a 5k bonus today", "log_income"),
    ],
)
def test_round_29_look_alikes_that_are_the_users_still_write(text: str, tool: str) -> None:
    assert tool in [c["name"] for c in play({"text": text})]


def test_a_suffix_scales_a_marked_amount() -> None:
    """ "$1.2M" is 1.2 million (it was read as $1.20); "5m" with no currency stays what it was."""
    calls = understand("sold the family farm for $1.2M", NLUContext(today=TODAY)).calls
    assert calls and calls[0].args.get("amount") == "1200000.00", calls


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("paid 3,800 cedis for the new fridge", "GHS"),
        ("market shopping came to 240 zloty", "PLN"),
        ("taxi from the airport was 95,000 rupiah", "IDR"),
        ("bought a sim card for 15,000 naira", "NGN"),
        ("lunch in Bangkok, 180 baht", "THB"),
    ],
)
def test_a_currency_named_by_its_word_is_kept(text: str, currency: str) -> None:
    """Babel's names of the world's currencies: "cedis" is GHS, not the user's dollars."""
    calls = understand(text, NLUContext(today=TODAY)).calls
    assert calls and calls[0].name == "log_expense" and calls[0].args.get("currency") == currency, calls


@pytest.mark.parametrize(
    "text", ["paid 2,000 shillings for the matatu and lunch", "spent 30 dinars at the market", "bus pass was 40 francs"]
)
def test_other_shared_currency_words_are_asked_about_unless_the_country_is_said(text: str) -> None:
    assert play({"text": text}) == []
    calls = understand("paid 2,000 kenyan shillings for the matatu and lunch", NLUContext(today=TODAY)).calls
    assert calls and calls[0].args.get("currency") == "KES"


@pytest.mark.parametrize("text", ["the 50 mark on the odometer", "scored 24 gold in the game"])
def test_english_words_that_name_a_currency_are_not_money_words(text: str) -> None:
    assert not [a for a in understand(text, NLUContext(today=TODAY)).calls if a.args.get("currency")]


@pytest.mark.parametrize(
    ("text", "tool", "args"),
    [
        ("the Garcias paid me 360 for the bathroom tile job", "log_income", {}),
        ("log 90 as income for the consulting call", "log_income", {}),
        ("won 40 dollars in the office raffle", "log_income", {}),
        ("my customer paid 1,200 cedis for the logo design", "log_income", {"currency": "GHS"}),
        ("paid the handyman 85 today", "log_expense", {}),
        ("kill the hulu sub, never watch it", "cancel_subscription", {}),
        ("take $25 from our dining budget to groceries", "move_budget", {"from_category": "Dining"}),
        ("green fees were 70 on sunday", "log_expense", {"category": "Entertainment"}),
        ("brake pads and rotors 420", "log_expense", {"category": "Transport"}),
    ],
)
def test_round_30_kinds_in_other_words(text: str, tool: str, args: dict[str, Any]) -> None:
    """Round 30's in-scope misses, said in the team's own words: income said outright, paid to someone, slang."""
    calls = play({"text": text})
    assert calls and calls[0]["name"] == tool, calls
    for key, want in args.items():
        assert calls[0]["args"].get(key) == want, calls


@pytest.mark.parametrize("text", ["1.5k laptop y/n", "new bike 800, yes or no", "900 sofa yay or nay"])
def test_a_yes_or_no_question_about_a_price_is_not_an_entry(text: str) -> None:
    """ "y/n" at the end asks whether to buy it: never logged as bought."""
    assert not [c for c in play({"text": text}) if c["name"] in WRITE_TOOLS]


@pytest.mark.parametrize("text", ["strava reminder 3 days before renewal pls", "zwift reminder a week before renewal"])
def test_a_reminder_with_no_subscription_named_asks_which(text: str) -> None:
    """Round 32: a word that may be a name the reader missed, none in the turn before: the newest would be
    a guess (a reminder landed on another subscription); nothing is written and the reply asks which one."""
    assert play({"text": text}) == []
    bare = play({"text": "remind me 2 days before"})  # nothing else said: the contract's newest subscription
    assert [c["name"] for c in bare] == ["set_reminder"] and "name" not in bare[0]["args"]


@pytest.mark.parametrize(
    "text",
    [
        "my nephew needs 60 for his school books, please send it to him",
        "take 2,000 out of the rainy day savings account for the car",
        "order breakfast for the crew, 8 of us, around 12 each",
        "the reception runs 90 minutes, speeches 20",
    ],
)
def test_round_31_after_retraining_look_alikes_write_nothing(text: str) -> None:
    """Money to send, money moved out of an account, ordering for a group, a program's lengths: no write."""
    assert not [c for c in play({"text": text}) if c["name"] in WRITE_TOOLS]
