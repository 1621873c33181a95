"""The out-of-scope look-alikes blind round 52 found, said in the team's own words (the rounds are not training
data; these keep the general fixes from sliding back): a list of wants with prices ("wishlist:", "birthday list",
"nothing bought yet"); a subscription change said on a condition ("if it goes up to 18 I'm cancelling") or nearly
made ("almost switched ... but stayed"); a thing tried on or looked at and left; a tank not filled; a story told
with "once"; a budget that is the employer's; a joke about money; "2" for "to" in texting; and a purchase check
that has no price is never called (it could only fail). A call counts only if the write-safety policy would let it
run unasked (``play``)."""

from __future__ import annotations

import pytest

from assistant.nlu import NLUContext, understand
from tests.nlu.rounds_support import TODAY, only, play

NETFLIX = "add Netflix as a subscription, 15.49 monthly, renews on the 15th"
SPOTIFY = "add Spotify as a subscription, 10.99 monthly, renews on the 3rd"


@pytest.mark.parametrize(
    "text",
    [
        # lists of wants
        "wishlist: a new phone, a jacket from h&m, sneakers ~ 120",
        "my wish list: headphones 200, a lamp 45",
        "gift list for the family: candle 25, scarf 40, nothing purchased yet",
        "bday list for my niece 🎁 doll 30, scooter 80",
        "stuff for the new flat: rug 90, lamp 40, haven't bought anything yet",
        # stories told with "once"
        "i once blew 500 on slot machines in vegas, never again",
        "once dropped 300 at a poker table, lesson learned",
        "one time we lost 200 at the dog track lol",
        # tried on, looked at, left; a tank not filled
        "tried on a dress at zara, 120, left it",
        "looked at a tv at best buy, 700, put it down",
        "diesel was 4.19 at the shell but i didn't fill up",
        "gas 3.59 at costco, didnt fill up tho",
        # an employer's budget; a joke about money
        "my company's budget for the launch is 200k",
        "the department budget for the project is 90k",
        "our team's budget for the offsite is 15k",
        "got 99 problems and rent is most of them",
        # "2" said for "to"
        "way 2 tired 2 be thinking about bills tonight",
        # a stock named in another language, asked about with no price: never a purchase check with no amount
        "hvað með að kaupa hlutabréf í Marel, worth it?",
    ],
)
def test_out_of_scope_look_alikes_write_nothing(text: str) -> None:
    assert understand(text, NLUContext(today=TODAY)).calls == ()
    assert play({"text": text}) == []


@pytest.mark.parametrize(
    ("setup", "text"),
    [
        (NETFLIX, "if netflix goes up to 18 I'm cancelling it"),
        (SPOTIFY, "if spotify raises it to 14 i'll drop it, not yet though"),
        (NETFLIX, "nearly switched netflix to the annual plan for 150 but kept it monthly"),
        (SPOTIFY, "was about to upgrade spotify to the family plan for 17, stuck with mine"),
        (SPOTIFY, "thought about moving spotify to yearly at 110 but stayed on monthly"),
    ],
)
def test_a_subscription_change_on_a_condition_or_nearly_made_changes_nothing(setup: str, text: str) -> None:
    assert play({"setup": [setup], "text": text}) == []


def test_a_purchase_check_with_no_price_asks_for_it() -> None:
    found = understand("hvað með að kaupa hlutabréf í Marel, worth it?", NLUContext(today=TODAY))
    assert found.calls == ()
    assert "price" in (found.reply or "").lower() or "cost" in (found.reply or "").lower()


@pytest.mark.parametrize(
    ("text", "tool", "amount"),
    [
        # bought, paid, filled up, a change made: the entry stays
        ("bought a suit at macy's for 380", "log_expense", "380.00"),
        ("spent 40 at the casino", "log_expense", "40.00"),
        ("gas 45, filled up", "log_expense", "45.00"),
        ("tried the new ramen place, 18", "log_expense", "18.00"),
        ("latte 2 go, 4.50", "log_expense", "4.50"),
        ("spent 2 on gum", "log_expense", "2.00"),
        ("can I afford a 300 tv?", "check_purchase", "300.00"),
    ],
)
def test_in_scope_neighbours_keep_their_tool(text: str, tool: str, amount: str) -> None:
    call = only(text)
    assert call["name"] == tool
    assert call["args"]["amount"] == amount


@pytest.mark.parametrize(
    ("setup", "text", "tool"),
    [
        (SPOTIFY, "switched spotify to the yearly plan for 119", "update_subscription"),
        (NETFLIX, "netflix went up to 20", "update_subscription"),
        (NETFLIX, "cancel netflix", "cancel_subscription"),
    ],
)
def test_a_subscription_change_made_still_runs(setup: str, text: str, tool: str) -> None:
    assert [c["name"] for c in play({"setup": [setup], "text": text})] == [tool]
