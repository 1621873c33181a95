"""The kinds of request blind rounds 22 to 28 found, said in the team's own words (the rounds themselves are
not training data; these keep the general fixes from sliding back)."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.agent.safety import CallFacts, screen_call
from assistant.nlu import NLUContext, understand
from tests.nlu.rounds_support import TODAY, play, round_cases, unasked_calls
from tools import WRITE_TOOLS


@pytest.mark.parametrize("text", ["alright I bought it", "I'm not buying it", "ok got it"])
def test_bought_it_needs_a_purchase_check_before(text: str) -> None:
    """Without a purchase just checked, "I bought it" has no price; with one, only a yes-I-bought logs it."""
    assert not [c for c in play({"text": text}) if c["name"] in WRITE_TOOLS]
    after = play({"text": text, "setup": ["should I buy a 150 dollar jacket?"]})
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
    calls = play({"text": text})
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
    before = unasked_calls("spent 14 on a sandwich", ctx)
    ctx = NLUContext(today=TODAY, last_tool=before[-1]["name"], last_args=before[-1]["args"])
    calls = unasked_calls(text, ctx)
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
    before = unasked_calls("spent 14 on a sandwich", ctx)
    ctx = NLUContext(today=TODAY, last_tool=before[-1]["name"], last_args=before[-1]["args"])
    calls = unasked_calls(text, ctx)
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
    cases = [c for c in round_cases("blind28-utterances.jsonl") if str(c.get("group", "")).startswith("nolog")]
    assert len(cases) == 30
    wrote = [(c["id"], c["text"], names) for c in cases if (names := {k["name"] for k in play(c)} & WRITE_TOOLS)]
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
    assert not [c for c in play({"text": text}) if c["name"] in WRITE_TOOLS or c["name"] == "check_purchase"]


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
    assert play({"text": text}) == []


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
    calls = play({"text": text})
    assert calls and calls[0]["name"] == tool, calls
    for key, want in args.items():
        assert str(calls[0]["args"].get(key)).lower() == str(want).lower(), calls


def test_a_purchase_question_names_the_thing_not_the_question() -> None:
    calls = understand("we're thinking about a $900 sofa, does that fit our budget?", NLUContext(today=TODAY)).calls
    assert calls and calls[0].name == "check_purchase" and calls[0].args["item"] == "sofa"


def test_a_currency_word_several_countries_share_is_asked_about() -> None:
    """ "shillings" alone could be Kenyan, Ugandan or Tanzanian: the entry is planned but asked about, never written
    on a guess. "pesos" is Mexico's unless a word only the Philippines has is said (round 40)."""
    calls = understand("paid 800 shillings for the matatu and lunch", NLUContext(today=TODAY)).calls
    assert calls and calls[0].name == "log_expense" and calls[0].confidence < 0.8
    assert play({"text": "paid 800 shillings for the matatu and lunch"}) == []
    assert play({"text": "paid 800 pesos for the jeepney and lunch"})[0]["args"]["currency"] == "PHP"
    assert play({"text": "paid 800 mexican pesos for the bus and lunch"})  # the country said: it runs
