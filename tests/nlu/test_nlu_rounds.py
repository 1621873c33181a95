"""Blind rounds 16 to 21 through the engine and the write-safety policy's text checks, in process.

Why here and not only on a server: the rounds' after-fix scores in ``docs/understanding.md`` come from
the shared judge on a fresh server; this test keeps them from sliding back, in a second. Round 16 is
320 things a budgeting app must not write (transfers, bill pay, bookings, numbers that are not money);
round 17 is 160 in-scope requests over every tool, some of them follow-ups that need the turn before
("setup"). Rounds 18 and 19 are the same two kinds again, by another blind author, and rounds 20 (320 that
must not write: other people's spending, plans, things not bought, what-ifs) and 21 (200 in scope) by a
third. The model is not
trained on any of them (``model.NOT_TRAINED_ON``), so these stay a
measure of the general fixes. A call counts as a write only if the policy would let it run unasked.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from assistant.agent.safety import CallFacts, screen_call
from assistant.nlu import NLUContext, understand
from assistant.nlu.judge import load_judge
from assistant.nlu.model import NOT_TRAINED_ON, corpus_files
from tools import WRITE_TOOLS

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
TODAY = dt.date(2026, 12, 6)  # the day the rounds were written ("last night", "since January")


JUDGE = load_judge()


def _cases(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _turn(text: str, ctx: NLUContext) -> list[dict[str, Any]]:
    """The calls that would run unasked: the engine's plan after the policy's text-only screen."""
    out: list[dict[str, Any]] = []
    for call in understand(text, ctx).calls:
        facts = CallFacts(text=text, confidence=call.confidence, amount_is_money=call.amount_is_money)
        verdict = screen_call(call.name, call.args, facts)
        if verdict.action == "run":
            out.append({"name": call.name, "args": call.args})
        elif verdict.action == "replace" and verdict.replacement is not None:
            out.append({"name": verdict.replacement[0], "args": verdict.replacement[1]})
    return out


def _play(case: dict[str, Any]) -> list[dict[str, Any]]:
    ctx = NLUContext(today=TODAY)
    for before in case.get("setup", []):
        calls = _turn(before, ctx)
        if calls:
            ctx = NLUContext(today=TODAY, last_tool=calls[-1]["name"], last_args=calls[-1]["args"])
    return _turn(case["text"], ctx)


def test_the_rounds_are_not_training_data() -> None:
    rounds = {f"blind{n}-utterances.jsonl" for n in (16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30)}
    assert rounds <= NOT_TRAINED_ON
    assert not {p.name for p in corpus_files()} & NOT_TRAINED_ON


@pytest.mark.parametrize("n", [16, 18, 20, 22, 24, 26, 29])
def test_out_of_scope_round_writes_nothing(n: int) -> None:
    cases = _cases(f"blind{n}-utterances.jsonl")
    assert len(cases) == 320
    wrote = [(c["id"], c["text"], [k["name"] for k in calls]) for c in cases if (calls := _play(c))]
    wrote = [w for w in wrote if set(w[2]) & WRITE_TOOLS]
    assert wrote == []


@pytest.mark.parametrize(("n", "size"), [(16, None), (17, 160), (19, 160), (20, None), (21, 200)])
def test_round_share(n: int, size: int | None) -> None:
    cases = _cases(f"blind{n}-utterances.jsonl")
    if size is not None:
        assert len(cases) == size
    misses = [(c["id"], c["text"], why) for c in cases if not (r := JUDGE(c, _play(c), TODAY))[0] for why in [r[1]]]
    assert len(misses) <= 0.05 * len(cases), misses


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
    calls = _play({"text": text, "setup": [setup]})
    assert calls and calls[0]["name"] == tool
    for key, want in args.items():
        assert str(want).lower() in str(calls[0]["args"].get(key)).lower()


@pytest.mark.parametrize(
    "text",
    ["raise it to 500", "add 150 to it", "put 200 towards it", "take 50 from dining and put it there"],
)
def test_it_with_nothing_before_is_not_a_write(text: str) -> None:
    """Without a budget or goal in the turn before, "it" names nothing: no write runs unasked."""
    assert not [c for c in _play({"text": text}) if c["name"] in WRITE_TOOLS and c["name"] != "log_expense"]


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
    calls = _play({"text": text})
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
    assert not [c for c in _play({"text": text}) if c["name"] in WRITE_TOOLS]


@pytest.mark.parametrize("text", ["€3.10 for a cortado", "$6 for a mocha", "£9 for a kurta at the market"])
def test_a_marked_price_for_a_known_item_runs_without_asking(text: str) -> None:
    calls = _play({"text": text})
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
    calls = _play({"text": text, "setup": [setup] if setup else []})
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
    assert not [c for c in _play({"text": text}) if c["name"] in WRITE_TOOLS]


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
    calls = _play({"text": text})
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
    calls = _play({"text": text})
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
    calls = _play({"text": text, "setup": [setup] if setup else []})
    assert calls and calls[0]["name"] == tool, calls
    for key, want in args.items():
        assert str(calls[0]["args"].get(key)).lower().startswith(str(want).lower()), calls


@pytest.mark.parametrize("text", ["alright I bought it", "I'm not buying it", "ok got it"])
def test_bought_it_needs_a_purchase_check_before(text: str) -> None:
    """Without a purchase just checked, "I bought it" has no price; with one, only a yes-I-bought logs it."""
    assert not [c for c in _play({"text": text}) if c["name"] in WRITE_TOOLS]
    after = _play({"text": text, "setup": ["should I buy a 150 dollar jacket?"]})
    assert bool([c for c in after if c["name"] == "log_expense"]) == (text == "alright I bought it")


@pytest.mark.parametrize(
    "text",
    [
        # a price beside a timer
        "alarm for the 12 dollar lasagna, 40 minutes",
        # plans
        "heading to costco after work, gonna need like 80 bucks of stuff",
        "my cousin's graduation party next week should cost me 150",
        # other people's spending, someone who paid for me
        "my sister blows like 200 at sephora every time",
        "the head chef bought everyone lunch, 90",
        "sam picked up my tab so I owe her 22",
        # a payment to a handle
        "venmo 20 to @mike-r for pizza",
        # a count of things bought
        "picked up 6 bagels at the bakery",
        # a question about a rate
        "is 1.25 a fair rate for pounds or should I hold off",
    ],
)
def test_round_22_shapes_in_other_words_write_nothing(text: str) -> None:
    calls = _play({"text": text})
    assert not [c for c in calls if c["name"] in WRITE_TOOLS], calls


@pytest.mark.parametrize(
    ("text", "tool", "args"),
    [
        # "take it from X" is the source, "N more in Y" the destination, whichever comes first
        ("groceries needs 50 more, pull it out of shopping", "move_budget", {"from_category": "Shopping"}),
        ("we need 75 more in dining, take it from entertainment", "move_budget", {"to_category": "Dining"}),
        # a currency named by its country; a rate said the other way round (rate = 1/17)
        ("the thai baht is about 0.028 dollars these days", "set_exchange_rate", {"currency": "THB", "rate": "0.028"}),
        ("a dollar gets me 17 pesos", "set_exchange_rate", {"currency": "MXN", "rate": "0.0588"}),
        ("we want a Crafts category", "create_category", {"name": "Crafts"}),
        ("the storage unit now bills on the 3rd", "update_subscription", {"name": "storage unit"}),
        ("move my gym onto annual billing, 500 a year", "update_subscription", {"cadence": "yearly"}),
        # a spouse paying the household's bill is the household's spending
        ("my wife paid the water bill, 60", "log_expense", {"amount": "60"}),
    ],
)
def test_round_23_shapes_in_other_words(text: str, tool: str, args: dict[str, Any]) -> None:
    """The engine's plan (the policy may still ask first): the right tool, the right way round."""
    calls = [{"name": c.name, "args": c.args} for c in understand(text, NLUContext(today=TODAY)).calls]
    assert calls and calls[0]["name"] == tool, calls
    for key, want in args.items():
        assert str(calls[0]["args"].get(key)).lower().startswith(str(want).lower()), calls


@pytest.mark.parametrize(
    "text",
    [
        # someone else's spending, said with a person word the older shapes did not list
        "my suitemate dropped 40 on concert merch",
        "my professor paid 80 for the department pizza",
        "the new tenant downstairs bought a 700 grill",
        "a classmate of mine spent 25 on the lab kit",
        "my tenant bought 60 worth of paint for her room",  # (a tenant who *paid* 950 paid the user: income, round 25)
        # asking to order, book or find something
        "book a table for four at the steakhouse, about 120",
        "please reserve 2 tickets for the matinee, 36",
        "find me a hostel in porto under 40 a night",
        # a need is a plan
        "we need a new fridge eventually, maybe 900",
        # a bare pointer to an entry, with no verb
        "the one from earlier",
    ],
)
def test_round_24_shapes_in_other_words_write_nothing(text: str) -> None:
    ctx = NLUContext(today=TODAY)
    before = _turn("spent 14 on a sandwich", ctx)
    ctx = NLUContext(today=TODAY, last_tool=before[-1]["name"], last_args=before[-1]["args"])
    calls = _turn(text, ctx)
    assert not [c for c in calls if c["name"] in WRITE_TOOLS], calls


@pytest.mark.parametrize(
    ("text", "tool"),
    [
        # look-alikes that are the user's own spending
        ("spent 12 on lunch with my labmate", "log_expense"),
        ("ordered pizza for 30", "log_expense"),
        ("booked a hotel in lisbon for 90", "log_expense"),
        ("paid my landlord 1200 for rent", "log_expense"),
        ("my wife paid the water bill, 60", "log_expense"),
        ("delete the last one", "delete_transaction"),
    ],
)
def test_round_24_look_alikes_still_write(text: str, tool: str) -> None:
    ctx = NLUContext(today=TODAY)
    before = _turn("spent 14 on a sandwich", ctx)
    ctx = NLUContext(today=TODAY, last_tool=before[-1]["name"], last_args=before[-1]["args"])
    calls = _turn(text, ctx)
    assert [c["name"] for c in calls] == [tool], calls


@pytest.mark.parametrize("text", ["my tenant paid 950", "my tenant paid rent, 950", "tenant paid me 950"])
def test_a_tenant_paying_is_never_an_expense(text: str) -> None:
    """Rent from a tenant is the user's income: never an expense (income when said plainly)."""
    assert "log_expense" not in [c.name for c in understand(text, NLUContext(today=TODAY)).calls]


@pytest.mark.parametrize(
    ("text", "tool", "args"),
    [
        # an entry the model is sure of, the thing said, nothing that files it: Other, without asking
        ("bought a replacement doorbell for the rental 64", "log_expense", {"amount": "64", "category": "Other"}),
        ("Please log 9 dollars for the church raffle tickets.", "log_expense", {"amount": "9"}),
        # income from gig apps, rent received, side jobs
        ("made 120 on doordash tonight", "log_income", {"amount": "120"}),
        ("the tenant in unit 3 paid 875", "log_income", {"amount": "875"}),
        ("got 60 for pet sitting this weekend", "log_income", {"amount": "60"}),
        # goals named more ways
        ("add 40 to bike", "contribute_to_goal", {"name": "bike"}),
        ("I would like to save 2000 for a boat trip with my brother", "set_goal", {"name": "boat trip"}),
    ],
)
def test_round_25_shapes_run_without_asking(text: str, tool: str, args: dict[str, Any]) -> None:
    """What round 25 asked about first, said in the team's words: the plan, and the policy lets it run."""
    calls = understand(text, NLUContext(today=TODAY)).calls
    assert calls and calls[0].name == tool, calls
    for key, want in args.items():
        assert str(calls[0].args.get(key)).lower().startswith(str(want).lower()), calls
    facts = CallFacts(text, calls[0].confidence, calls[0].amount_is_money)
    assert screen_call(calls[0].name, calls[0].args, facts).action == "run", calls


@pytest.mark.parametrize(
    "text",
    [
        "I spent 100",  # Other, but what was it? ask
        "log 20",
        "landscaping crew for the yard maybe 300",  # not sure it is an entry at all
    ],
)
def test_an_entry_with_nothing_said_about_it_still_asks(text: str) -> None:
    calls = understand(text, NLUContext(today=TODAY)).calls
    verdicts = [screen_call(c.name, c.args, CallFacts(text, c.confidence, c.amount_is_money)).action for c in calls]
    assert "run" not in verdicts, calls


@pytest.mark.parametrize(
    "text",
    [
        # someone else's money, however it is said
        "a guy at the hardware store paid 20 for a doorbell",
        "my coworker from the night shift spend 40 for pizza",
        "my aunt gave my brother 200 for his wedding",
        # a plan, a thing not bought
        "planning on 250 for the doorbell",
        "looked at a 90 dollar lamp and walked away",
        "I not buy the 70 dollar boots, too much",
        # not money: a rating, a road
        "got a 4.8 rating on doordash",
        # investing is not ours to do
        "invest my extra 300 from doordash tips",
    ],
)
def test_round_25_look_alikes_never_write(text: str) -> None:
    """The wider "Other" and income reading does not reach someone else's money, plans or non-money."""
    calls = understand(text, NLUContext(today=TODAY)).calls
    facts = [CallFacts(text, c.confidence, c.amount_is_money) for c in calls]
    ran = [c for c, f in zip(calls, facts, strict=True) if screen_call(c.name, c.args, f).action == "run"]
    assert not [c for c in ran if c.name in WRITE_TOOLS], calls


def test_round_28_look_alikes_write_nothing() -> None:
    """Round 28's 30 look-alikes (counts of work, doses at a time, someone else's gift, a quote, a court order
    that may come): none of them writes."""
    cases = [c for c in _cases("blind28-utterances.jsonl") if str(c.get("group", "")).startswith("nolog")]
    assert len(cases) == 30
    wrote = [(c["id"], c["text"], names) for c in cases if (names := {k["name"] for k in _play(c)} & WRITE_TOOLS)]
    assert wrote == []


@pytest.mark.parametrize(
    "text",
    [
        # asking whether something was recorded
        "has the 25 dentist copay been added yet",
        "were the 18 parking fees from tuesday saved as transport",
        # someone else's money: a relative of a relative, "he said he spent", given to him/her/them, received
        "my husband's cousin paid 300 for concert seats",
        "my dad says he spent 90 on fishing gear",
        "his grandparents sent them 150 for graduation",
        "my stepdad got a 2,000 bonus at work",
        "my sister's son earned 80 mowing lawns",
        # money hoped for, a quote, a fundraiser, a maybe
        "returned the 45 dollar blender, waiting on the refund",
        "fingers crossed the airline reimburses the 210",
        "the plumber quoted me 650 to fix the leak",
        "the school is raising 5,000 for new laptops",
        "might pitch in 20 for the office gift later",
        # a price seen or charged by someone, not paid
        "saw avocados at 1.29 at aldi today",
        "spotted a bike listed for 300 on marketplace",
        "the salon next door charges 55 for a cut",
        # counts of work done, a 24-hour time, a count's target
        "packed 260 boxes this shift",
        "delivered 41 packages today",
        "meds given at 0600",
        "walked 6,500 steps, my goal is 8,000",
        # a bill to pay for me, a question about prices in the world or one's own prices, a reading
        "could you take care of the water bill, it's 48",
        "is 1800 a month high for daycare around here",
        "should we raise our prices to 12 a box",
        "temperature 101.2 this morning, fine?",
    ],
)
def test_round_26_and_28_look_alikes_in_other_words(text: str) -> None:
    """The kinds of look-alike rounds 26 and 28 found writing, said in the team's own words: nothing runs."""
    assert not [c for c in _play({"text": text}) if c["name"] in WRITE_TOOLS or c["name"] == "check_purchase"]


@pytest.mark.parametrize("text", ["new rain boots 34.50 from target", "phone charger 19.99 from best buy"])
def test_a_price_paid_at_a_shop_is_never_income(text: str) -> None:
    calls = understand(text, NLUContext(today=TODAY)).calls
    assert [c.name for c in calls] == ["log_expense"], calls


@pytest.mark.parametrize("text", ["got a 20 refund from walmart", "paycheck from target 640"])
def test_money_from_a_shop_that_says_it_came_in_stays_income_or_refund(text: str) -> None:
    calls = understand(text, NLUContext(today=TODAY)).calls
    assert calls and calls[0].name != "log_expense", calls


@pytest.mark.parametrize(
    "text",
    [
        "reorder 2 boxes of coffee filters like last time",
        "could you order more of those dog treats, same as before",
        "can you send whatever is left in checking to my savings account",
        "their team's budget blew up again, not mine",
    ],
)
def test_shop_and_bank_jobs_and_other_peoples_budgets_call_no_tool(text: str) -> None:
    """A reorder, money moved between accounts, a budget said to be someone else's: no look-up answers them."""
    assert _play({"text": text}) == []


@pytest.mark.parametrize(
    ("text", "tool", "args"),
    [
        # rounds 27-28's in-scope shapes in the team's words: each runs without a question
        ("my pension landed this morning, 1,120", "log_income", {"amount": "1120.00"}),
        ("auntie zelled me 40 for my birthday", "log_income", {"amount": "40.00"}),
        ("the retainer got paid today, 650", "log_income", {"amount": "650.00"}),
        ("I would like to cancel my Peacock please, I never watch it anymore", "cancel_subscription", {}),
        ("oops please delete that last one, I entered it twice", "delete_transaction", {}),
        ("coffee before my night shift 4.25", "log_expense", {"amount": "4.25"}),
        ("GBP rate: 1.2650", "set_exchange_rate", {"currency": "GBP", "rate": "1.265"}),
        ("new goal: 600 for a drum kit 🥁", "set_goal", {"name": "drum kit"}),
    ],
)
def test_clear_requests_of_rounds_27_and_28_run_unasked(text: str, tool: str, args: dict[str, Any]) -> None:
    calls = _play({"text": text})
    assert calls and calls[0]["name"] == tool, calls
    for key, want in args.items():
        assert str(calls[0]["args"].get(key)).lower() == str(want).lower(), calls


def test_a_purchase_question_names_the_thing_not_the_question() -> None:
    calls = understand("we're thinking about a $900 sofa, does that fit our budget?", NLUContext(today=TODAY)).calls
    assert calls and calls[0].name == "check_purchase" and calls[0].args["item"] == "sofa"


def test_a_currency_word_several_countries_share_is_asked_about() -> None:
    """ "pesos" alone could be Mexican or Philippine: the entry is planned but asked about, never written on a guess."""
    calls = understand("paid 800 pesos for the jeepney and lunch", NLUContext(today=TODAY)).calls
    assert calls and calls[0].name == "log_expense" and calls[0].confidence < 0.8
    assert _play({"text": "paid 800 pesos for the jeepney and lunch"}) == []
    assert _play({"text": "paid 800 mexican pesos for the bus and lunch"})  # the country said: it runs


@pytest.mark.parametrize(
    ("text", "tool"),
    [
        ("could you take 25 out of my shopping budget and put it toward dining?", "move_budget"),
        ("I paid 18 for parking downtown, could you write that down?", "log_expense"),
        ("ngl spent 14 on boba today", "log_expense"),
    ],
)
def test_polite_requests_and_slang_openers_still_write(text: str, tool: str) -> None:
    calls = _play({"text": text})
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
    assert not [c for c in _play({"text": text}) if c["name"] in WRITE_TOOLS or c["name"] == "check_purchase"]


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
    assert tool in [c["name"] for c in _play({"text": text})]


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
    assert _play({"text": text}) == []
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
    calls = _play({"text": text})
    assert calls and calls[0]["name"] == tool, calls
    for key, want in args.items():
        assert calls[0]["args"].get(key) == want, calls


@pytest.mark.parametrize("text", ["1.5k laptop y/n", "new bike 800, yes or no", "900 sofa yay or nay"])
def test_a_yes_or_no_question_about_a_price_is_not_an_entry(text: str) -> None:
    """ "y/n" at the end asks whether to buy it: never logged as bought."""
    assert not [c for c in _play({"text": text}) if c["name"] in WRITE_TOOLS]
