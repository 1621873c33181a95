"""Import categorisation: the user's rules first (longest wins), then merchant memory, then the engine."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from assistant.clock import FixedClock
from assistant.errors import InvalidInput, NotFound
from assistant.models import User
from assistant.services.categories import remember_merchant, resolve_category
from assistant.services.csv_io import import_csv
from assistant.services.rules import add_rule, delete_rule, list_rules


def test_rules_memory_and_recognisers_in_order(session: Session, user: User, clock: FixedClock) -> None:
    add_rule(session, user, "Uber", "Transport")
    add_rule(session, user, "uber eats", "Dining")
    remember_merchant(session, user, "Corner Deli", resolve_category(session, user, "Groceries"))
    add_rule(session, user, "uber", "Travel")  # the same text again re-points the rule
    assert [(r.pattern, r.category) for r in list_rules(session, user)] == [("Uber", "Travel"), ("uber eats", "Dining")]
    data = (
        "Date,Merchant,Description,Amount\n"
        "2026-11-02,UBER EATS,order 1,-23.00\n"  # the longer rule wins
        "2026-11-02,Uber,trip,-11.00\n"
        "2026-11-03,Corner Deli,sandwich,-8.00\n"  # merchant memory
        "2026-11-03,Netflix,monthly,-15.49\n"  # the engine knows Netflix
        "2026-11-04,Zq Ltd,thing,-3.00\n"  # nothing matches
    )
    report = import_csv(session, user, data, clock=clock)
    assert report.imported == 5
    assert [(c.category, c.how, c.detail) for c in report.categorised] == [
        ("Dining", "rule", "uber eats"),
        ("Travel", "rule", "Uber"),
        ("Groceries", "merchant memory", "Corner Deli"),
        ("Subscriptions", "recognised", "Netflix"),
        ("Other", "default", ""),
    ]
    assert report.by_how == {"rule": 2, "merchant memory": 1, "recognised": 1, "default": 1}


def test_rule_input_is_checked_and_rules_are_per_user(session: Session, user: User) -> None:
    with pytest.raises(InvalidInput):
        add_rule(session, user, "   ", "Transport")
    with pytest.raises(InvalidInput):
        add_rule(session, user, "x" * 201, "Transport")
    with pytest.raises((InvalidInput, NotFound)):
        add_rule(session, user, "Lyft", "Spaceships")
    rule = add_rule(session, user, "Lyft", "Transport")
    delete_rule(session, user, rule.id)
    with pytest.raises(NotFound):
        delete_rule(session, user, rule.id)
    assert list_rules(session, user) == []
