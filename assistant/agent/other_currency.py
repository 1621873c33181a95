"""Budgets, goals and income said in another currency than the user's (round 40).

The contract's ``set_budget``, ``move_budget``, ``set_goal``, ``contribute_to_goal`` and
``set_monthly_income`` carry no currency: their amounts are in the user's own. The local engine
passes on the currency it read ("1,500 pesos", "€450") as ``currency``; here it is settled before
the call runs: converted at the user's own rate when they have set one ("1,500 MXN" at 0.055 is a
$82.50 budget), else nothing is set and the answer names the amount in the currency said (never
"$1,500" for 1,500 pesos) and how to go on. The ``currency`` key never reaches the tool.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from sqlalchemy.engine import Engine

from ..db import TurnConnection, read_only
from ..models import User
from ..money import quantize
from ..nlu.numbers import as_decimal
from ..services.currency import rate_for
from .replies import money
from .safety import Verdict

#: the contract's write tools whose amounts have no currency of their own, and the key of that amount
UNPRICED: dict[str, str] = {
    "set_budget": "amount",
    "move_budget": "amount",
    "set_goal": "target_amount",
    "contribute_to_goal": "amount",
    "set_monthly_income": "amount",
    "check_purchase": "amount",  # "11,000 yen a month, can I afford it?": weighed in the user's money or not at all
}
_WHAT = {
    "set_budget": "Budgets are",
    "move_budget": "Budgets are",
    "set_goal": "Goals are",
    "contribute_to_goal": "Goals are",
    "set_monthly_income": "Your monthly income is",
}


def settle_currency(
    engine: Engine,
    user_id: int,
    name: str,
    args: Mapping[str, Any],
    currency: str,
    *,
    db: TurnConnection | None = None,
    user: User | None = None,
) -> Verdict | None:
    """None: nothing to settle. Else run ``replacement`` (the amount in the user's currency), or refuse."""
    if name not in UNPRICED or "currency" not in args:
        return None
    key = UNPRICED[name]
    rest = {k: v for k, v in args.items() if k != "currency"}
    said, own = str(args.get("currency") or "").upper(), (currency or "USD").upper()
    amount = as_decimal(args.get(key))
    if not said or said == own or amount is None:
        return Verdict("replace", reason="own_currency", replacement=(name, rest))
    if user is not None and user.id != user_id:
        user = None
    reading = db.read_session if db is not None else partial(read_only, engine)
    with reading() as session:
        user = user or session.get(User, user_id)
        rate = rate_for(session, user, said) if user is not None else None
    if rate is None and name == "check_purchase":
        return Verdict(
            "refuse",
            f"I can't weigh {money(amount, said)} against your budget: I have no {said} rate yet. "
            f'Tell me the rate (e.g. "1 {said} = ... {own}") and ask again, or say the price in {own}.',
            "no_rate",
        )
    if rate is None:
        return Verdict(
            "refuse",
            f"{_WHAT[name]} kept in {own}, and I have no {said} rate yet, so I didn't set {money(amount, said)}. "
            f'Tell me the rate (e.g. "1 {said} = ... {own}") and ask again, or say the amount in {own}.',
            "no_rate",
        )
    rest[key] = str(quantize(amount * rate))
    return Verdict("replace", reason="converted", replacement=(name, rest))
