"""Plain entries and money-in that used to be asked about first (round 32's causes, own sentences): each
runs unasked, with the tool and category a user would expect; look-alikes that buy nothing still write nothing."""

from __future__ import annotations

import pytest

from assistant.nlu import NLUContext

from .rounds_support import TODAY, unasked_calls

RUNS = [
    ("spare inner tube and a patch kit 14.20", "log_expense", {"amount": "14.20", "category": "Transport"}),
    ("new bike lights on friday 28", "log_expense", {"amount": "28.00", "category": "Transport"}),
    ("brake pads replaced at the bike shop $38", "log_expense", {"amount": "38.00", "category": "Transport"}),
    ("costco run for groceries 210.15", "log_expense", {"amount": "210.15", "category": "Groceries"}),
    ("paid the conference registration fee, 220 dollars", "log_expense", {"amount": "220.00", "category": "Education"}),
    ("school field trip money 12", "log_expense", {"amount": "12.00", "category": "Education"}),
    ("got my cousin a scarf for her birthday, 30", "log_expense", {"amount": "30.00", "category": "Gifts & Donations"}),
    ("tacos after a 9 hour shift, 16", "log_expense", {"amount": "16.00", "category": "Dining"}),
    ("put 15 in the offering at church sunday", "log_expense", {"amount": "15.00", "category": "Gifts & Donations"}),
    ("tips tonight came to 140", "log_income", {"amount": "140.00"}),
    ("disability payment came in, 870", "log_income", {"amount": "870.00"}),
    ("reallocate 45 of the shopping budget to health", "move_budget", {"amount": "45.00"}),
]


@pytest.mark.parametrize(("text", "tool", "args"), RUNS)
def test_plain_entry_runs_unasked(text: str, tool: str, args: dict[str, str]) -> None:
    calls = unasked_calls(text, NLUContext(today=TODAY))
    assert [c["name"] for c in calls] == [tool], (text, calls)
    for key, value in args.items():
        assert calls[0]["args"].get(key) == value, (text, calls[0]["args"])


@pytest.mark.parametrize(
    "text",
    [
        "taking the toaster back to target, it broke, it was 39",
        "the ballpark wanted $15 for a beer lol",
        "we skipped the 80 dollar concert after all",
    ],
)
def test_look_alikes_write_nothing(text: str) -> None:
    assert unasked_calls(text, NLUContext(today=TODAY)) == []
