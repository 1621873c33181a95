"""The kinds of request blind rounds 41 and 42 found (a Houston technician, a Nairobi tester paying in
shillings, a teacher in Zurich paying in francs; a São Paulo designer, a Tokyo teacher, a Welsh farmer),
said in the team's own words (the rounds themselves are not training data). A call counts only if the
write-safety policy would let it run unasked (``play``)."""

from __future__ import annotations

import pytest

from tests.nlu.rounds_support import only


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("add gym as a subscription, 40 monthly, renews on the 10th", "Gym"),
        ("add rent as a subscription, 1500 a month on the 1st", "Rent"),
    ],
)
def test_a_plain_word_added_as_a_subscription_is_its_name(text: str, name: str) -> None:
    call = only(text)
    assert call["name"] == "add_subscription"
    assert call["args"]["name"].lower() == name.lower()
