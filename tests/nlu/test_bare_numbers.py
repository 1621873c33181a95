"""A bare number with nothing that says money (no currency, no paying or earning word, no thing or shop
the lexicon knows) is asked about, never written unasked (round 31: "Attendance was 214 this Sunday")."""

from __future__ import annotations

import pytest

from assistant.nlu import NLUContext

from .rounds_support import TODAY, unasked_calls

WRITES = {"log_expense", "log_income", "update_transaction", "contribute_to_goal"}


@pytest.mark.parametrize(
    "text",
    [
        "turnout was 87 at the vigil",
        "23 groomsmen. TWENTY THREE.",
        "finally reached 1800 rating in blitz",
        "exit 164 on the turnpike",
    ],
)
def test_bare_count_is_not_written(text: str) -> None:
    assert not [c for c in unasked_calls(text, NLUContext(today=TODAY)) if c["name"] in WRITES], text


@pytest.mark.parametrize(
    ("text", "tool"),
    [
        ("truck wash 45 yesterday", "log_expense"),
        ("paycheck hit 2,300", "log_income"),
        ("dividends 18.40", "log_income"),
    ],
)
def test_money_said_plainly_still_runs(text: str, tool: str) -> None:
    assert [c["name"] for c in unasked_calls(text, NLUContext(today=TODAY))] == [tool], text
