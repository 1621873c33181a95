"""The kinds of request blind rounds 17 to 21 found, said in the team's own words (the rounds themselves are
not training data; these keep the general fixes from sliding back)."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.nlu import NLUContext, understand
from tests.nlu.rounds_support import TODAY, play
from tools import WRITE_TOOLS


@pytest.mark.parametrize(
    ("setup", "text", "tool", "args"),
    [
        # a write whose subject is what the turn before was about, with "it" and an amount said outright
        ("what's my groceries budget this month?", "raise it to 500", "set_budget", {"category": "Groceries"}),
        ("set a goal to save 2000 for a trip to Peru", "add 150 to it", "contribute_to_goal", {"name": "trip"}),
        # another shop, same question
        ("how much did I spend at Chipotle last month?", "and Costco?", "spending_summary", {"merchant": "Costco"}),
        # a horizon said without its unit keeps the one asked before
        ("what renews in the next 14 days?", "what about the next 60?", "list_subscriptions", {"within_days": 60}),
    ],
)
def test_follow_ups_that_refer_back(setup: str, text: str, tool: str, args: dict[str, Any]) -> None:
    calls = play({"text": text, "setup": [setup]})
    assert calls and calls[0]["name"] == tool
    for key, want in args.items():
        assert str(want).lower() in str(calls[0]["args"].get(key)).lower()


@pytest.mark.parametrize(
    "text",
    ["raise it to 500", "add 150 to it", "put 200 towards it", "take 50 from dining and put it there"],
)
def test_it_with_nothing_before_is_not_a_write(text: str) -> None:
    """Without a budget or goal in the turn before, "it" names nothing: no write runs unasked."""
    assert not [c for c in play({"text": text}) if c["name"] in WRITE_TOOLS and c["name"] != "log_expense"]


@pytest.mark.parametrize(
    ("text", "tool", "args"),
    [
        ("what's the newest item in my records", "list_transactions", {"limit": 1}),
        ("when was the last time I paid for parking", "list_transactions", {"limit": 1}),
        ("show my last 3 transactions", "list_transactions", {"limit": 3}),
        ("set up an income category named Tutoring", "create_category", {"name": "Tutoring", "kind": "income"}),
        ("new category: Garden, importance 3", "create_category", {"name": "Garden", "necessity_score": 3}),
        ("count each Australian dollar as 0.66", "set_exchange_rate", {"currency": "AUD", "rate": "0.66"}),
        ("file my Dropbox subscription under Utilities", "update_subscription", {"category": "Utilities"}),
        ("how much have I spent at Lyft since March", "spending_summary", {"merchant": "Lyft", "start": "2026-03-01"}),
        ("fix my last purchase to 9.40", "update_transaction", {"amount": "9.40"}),
        ("any update on the Peru trip?", "goal_progress", {"name": "Peru trip"}),
    ],
)
def test_round_17_shapes_in_other_words(text: str, tool: str, args: dict[str, Any]) -> None:
    """The kinds of request round 17 found missing, said in the team's own words."""
    calls = play({"text": text})
    assert calls and calls[0]["name"] == tool, calls
    for key, want in args.items():
        assert str(calls[0]["args"].get(key)).lower().startswith(str(want).lower()), calls


@pytest.mark.parametrize(
    "text",
    [
        "give 25 to unicef on my behalf",
        "reload my transit card with 30",
        "search for hotels in Rome under 150",
        "my flight is UA 88 from gate 12",
    ],
)
def test_done_for_me_is_not_a_write(text: str) -> None:
    assert not [c for c in play({"text": text}) if c["name"] in WRITE_TOOLS]


@pytest.mark.parametrize("text", ["€3.10 for a cortado", "$6 for a mocha", "£9 for a kurta at the market"])
def test_a_marked_price_for_a_known_item_runs_without_asking(text: str) -> None:
    calls = play({"text": text})
    assert [c["name"] for c in calls] == ["log_expense"]


@pytest.mark.parametrize(
    "text",
    [
        "I ran 10k on Sunday",
        "my daughter turns 9 next week",
        "my bp was 130 over 85 this morning",
        "support ticket number 55120 is still open",
        "deadlifted 180 today",
        "my heart rate was 62",
    ],
)
def test_numbers_from_the_body_and_the_help_desk_are_not_money(text: str) -> None:
    """Not even a question about it: the engine itself proposes no write with that number as money."""
    planned = understand(text, NLUContext(today=TODAY)).calls
    assert not [c for c in planned if c.name in WRITE_TOOLS and c.amount_is_money]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # several expenses with no "and" between them: item then amount, or amount then item
        ("coffee 4.50 parking 12", [("4.50", "Dining"), ("12.00", "Transport")]),
        ("paid 30 on gas n 18 on lunch", [("30.00", "Transport"), ("18.00", "Dining")]),
        (
            "groceries 80 electricity 95 netflix 15.49",
            [("80.00", "Groceries"), ("95.00", "Utilities"), ("15.49", None)],
        ),
    ],
)
def test_several_expenses_without_and(text: str, want: list[tuple[str, str | None]]) -> None:
    calls = understand(text, NLUContext(today=TODAY)).calls
    assert [c.name for c in calls] == ["log_expense"] * len(want), calls
    for call, (amount, category) in zip(calls, want, strict=True):
        assert call.args["amount"] == amount
        assert category is None or call.args["category"] == category


@pytest.mark.parametrize(
    ("setup", "text", "tool", "args"),
    [
        ("", "taxi 15 last nite", "log_expense", {"date": "2026-12-05"}),
        ("", "how much on starbucks spending this yr", "spending_summary", {"start": "2026-01-01"}),
        ("", "walmart spending last yr", "spending_summary", {"merchant": "Walmart", "start": "2025-01-01"}),
        ("", "1 gbp = 1.27 usd", "set_exchange_rate", {"currency": "GBP", "rate": "1.27"}),
        ("", "1 USD = 150 JPY", "set_exchange_rate", {"currency": "JPY", "rate": "0.006667"}),
        ("", "the aussie dollar is worth sixty six cents", "set_exchange_rate", {"currency": "AUD", "rate": "0.66"}),
        ("", "could you move 25 out of my dining budget and put it in groceries", "move_budget", {"amount": "25"}),
        ("", "I put aside 80 for the laptop, add it to the goal", "contribute_to_goal", {"name": "laptop"}),
        ("", "please add a spending category named Pets", "create_category", {"kind": "expense"}),
        ("add netflix 15.49 monthly", "oops it's 17.99", "update_subscription", {"name": "netflix", "amount": "17.99"}),
    ],
)
def test_round_19_shapes_in_other_words(setup: str, text: str, tool: str, args: dict[str, Any]) -> None:
    """The kinds of request round 19 found missing, said in the team's own words."""
    calls = play({"text": text, "setup": [setup] if setup else []})
    assert calls and calls[0]["name"] == tool, calls
    for key, want in args.items():
        assert str(calls[0]["args"].get(key)).lower().startswith(str(want).lower()), calls


@pytest.mark.parametrize(
    "text",
    [
        "uh go ahead and pay the electric bill, sixty dollars",
        "can you make my car payment of three hundred",
        "i was charged twice 12.99 at walmart dispute that",
        "what does a 2br cost in denver",
        "so please make the credit card payment, 250",
    ],
)
def test_round_18_shapes_in_other_words_write_nothing(text: str) -> None:
    assert not [c for c in play({"text": text}) if c["name"] in WRITE_TOOLS]


@pytest.mark.parametrize(
    "text",
    [
        # someone else paid
        "my flatmate dropped 90 on a new rug",
        "my brother bought himself a 400 guitar",
        "priya covered the 70 taxi for everyone",
        "my neighbour's new fence was 2000",
        "my sister paid for my 30 concert ticket",
        # a plan, not a purchase yet
        "thinking I'll order sushi tonight, maybe 40",
        "gonna pick up a new phone case later, around 25",
        "the plumber on monday will probably cost 200",
        "we'll need about 80 for gas next weekend",
        # not bought
        "talked myself out of the 50 dollar sneakers",
        "nearly ordered a 250 blender but didn't",
        "I didn't end up getting the 40 dollar lamp",
        "put the 35 dollar scarf back on the shelf",
        "still haven't paid the 60 speeding fine",
        "was going to get pizza for 30 but made pasta instead",
        # what-ifs, taxes, a payment to a person
        "if my car insurance goes up 40 could I cope",
        "what if I quit the gym, how much would I save",
        "can I deduct my 800 desk for my side business",
        "venmo my roommate 25 for the groceries",
    ],
)
def test_round_20_shapes_in_other_words_write_nothing(text: str) -> None:
    """Money that is not the user's own spending now: no write (a plan may still be checked as a purchase)."""
    calls = play({"text": text})
    assert not [c for c in calls if c["name"] in WRITE_TOOLS], calls


@pytest.mark.parametrize(
    "text",
    [
        "my wife and I spent 80 on dinner",
        "paid 45 for my friend's birthday present",
        "bought my mom flowers for 30",
        "got paid 1850 today",
        "rent paid 1450",
        "groceries paid 80",
    ],
)
def test_own_spending_with_other_people_in_it_still_logs(text: str) -> None:
    calls = play({"text": text})
    assert [c["name"] for c in calls][:1] in (["log_expense"], ["log_income"]), calls


@pytest.mark.parametrize(
    ("setup", "text", "tool", "args"),
    [
        # a reminder's lead time is update_subscription on the subscription named, never the newest one
        (
            "",
            "ping me 4 days before spotify charges me",
            "update_subscription",
            {"name": "spotify", "remind_days_before": 4},
        ),
        ("", "remind me a week before the car insurance comes out", "update_subscription", {"remind_days_before": 7}),
        (
            "",
            "I'd like a reminder 6 days before water",
            "update_subscription",
            {"name": "water", "remind_days_before": 6},
        ),
        (
            "add my phone plan, 45 every month",
            "warn me 2 days before instead",
            "update_subscription",
            {"name": "phone", "remind_days_before": 2},
        ),
        # a category with how much it matters, said loosely
        (
            "",
            "add a category for pet stuff, it's pretty important, about an 8",
            "create_category",
            {"name": "Pet stuff", "necessity_score": 8},
        ),
        ("", "create category 'Side hustle'", "create_category", {"name": "Side hustle"}),
        # a budget moved with "transfer"; a rate said as news
        ("", "transfer 25 of my shopping budget to groceries", "move_budget", {"from_category": "Shopping"}),
        ("", "1 pound is 1.27 dollars these days", "set_exchange_rate", {"currency": "GBP", "rate": "1.27"}),
        # follow-ups: the checked purchase bought; the cadence corrected
        ("should I buy a 150 dollar jacket?", "alright I bought it", "log_expense", {"amount": "150"}),
        (
            "add Spotify 9.99 monthly",
            "oops it's charged annually",
            "update_subscription",
            {"name": "spotify", "cadence": "yearly"},
        ),
        # a budget moved into the one just asked about
        (
            "what's my groceries budget?",
            "move 30 out of my entertainment budget and put it in there",
            "move_budget",
            {"from_category": "Entertainment", "to_category": "Groceries", "amount": "30"},
        ),
        # a list of entries: an item of unknown category is still logged
        ("", "log 12 for the pottery class and 30 for stamps", "log_expense", {"amount": "12"}),
    ],
)
def test_round_21_shapes_in_other_words(setup: str, text: str, tool: str, args: dict[str, Any]) -> None:
    """The kinds of request round 21 found missing, said in the team's own words."""
    calls = play({"text": text, "setup": [setup] if setup else []})
    assert calls and calls[0]["name"] == tool, calls
    for key, want in args.items():
        assert str(calls[0]["args"].get(key)).lower().startswith(str(want).lower()), calls
