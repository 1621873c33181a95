"""A price rise seen in the news ("saw that hulu is going up to 18.99") is not yet the user's: it must not change
their subscription; a rise said as theirs or as done still updates it (in the team's words)."""

from __future__ import annotations

import pytest

from tests.nlu.rounds_support import play


@pytest.mark.parametrize(
    "text", ["saw that paramount+ is going up to 12.99", "I just saw that spotify will go up to 12.99 in spring"]
)
def test_a_rise_seen_changes_nothing(text: str) -> None:
    assert play({"text": text}) == []


@pytest.mark.parametrize("text", ["spotify went up to 12.99", "my spotify is going up to 12.99 next month"])
def test_a_rise_said_as_the_users_still_updates(text: str) -> None:
    assert [(c["name"], c["args"]["amount"]) for c in play({"text": text})] == [("update_subscription", "12.99")]
