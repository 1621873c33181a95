"""The foundation: users get the contract's default categories; category names resolve."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from assistant.errors import Conflict, InvalidInput
from assistant.models import User
from assistant.services.categories import list_categories, resolve_category
from assistant.services.users import create_user


def test_new_user_gets_default_categories(session: Session, user: User) -> None:
    cats = {c.name: c.necessity_score for c in list_categories(session, user)}
    assert cats["Housing"] == 10 and cats["Entertainment"] == 2 and cats["Dining"] == 4
    assert "Salary" in cats and "Other income" in cats
    assert len(cats) == 17


def test_duplicate_email_is_a_conflict(session: Session, user: User) -> None:
    with pytest.raises(Conflict):
        create_user(session, email=user.email.upper())


def test_bad_timezone_and_currency_are_refused(session: Session) -> None:
    with pytest.raises(InvalidInput):
        create_user(session, email="a@example.com", timezone="Mars/Olympus")
    with pytest.raises(InvalidInput):
        create_user(session, email="b@example.com", currency="XYZ1")


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("dining", "Dining"),
        ("RESTAURANTS", "Dining"),
        ("gifts", "Gifts & Donations"),
        ("personal care", "Personal care"),
        ("grocery", "Groceries"),
        ("rent", "Housing"),
    ],
)
def test_category_names_resolve(session: Session, user: User, typed: str, name: str) -> None:
    assert resolve_category(session, user, typed).name == name


def test_unknown_category_lists_valid_ones(session: Session, user: User) -> None:
    with pytest.raises(InvalidInput) as err:
        resolve_category(session, user, "spaceships")
    assert "Groceries" in err.value.message
