"""Categories: listing, creation and resolving a name the way a person types it.

Resolution order: exact (case-insensitive) name, a built-in synonym, the user's merchant
memory; otherwise a clear error that lists the valid names.
"""

from __future__ import annotations

import re

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from ..errors import Conflict, InvalidInput, NotFound
from ..models import Budget, Category, CategoryKind, MerchantMemory, Subscription, Transaction, User, utcnow

# Words people use for the default categories (lower case). The agent's lexicon of merchants
# lives with the local engine; this is only what a category *name* may be called.
SYNONYMS: dict[str, str] = {
    "rent": "Housing",
    "mortgage": "Housing",
    "home": "Housing",
    "house": "Housing",
    "utility": "Utilities",
    "bills": "Utilities",
    "electricity": "Utilities",
    "grocery": "Groceries",
    "food": "Groceries",
    "supermarket": "Groceries",
    "health care": "Health",
    "healthcare": "Health",
    "medical": "Health",
    "pharmacy": "Health",
    "debts": "Debt",
    "loan": "Debt",
    "loans": "Debt",
    "transportation": "Transport",
    "car": "Transport",
    "gas": "Transport",
    "fuel": "Transport",
    "commute": "Transport",
    "school": "Education",
    "learning": "Education",
    "personal": "Personal care",
    "personal care": "Personal care",
    "beauty": "Personal care",
    "misc": "Other",
    "miscellaneous": "Other",
    "others": "Other",
    "restaurants": "Dining",
    "restaurant": "Dining",
    "eating out": "Dining",
    "dining out": "Dining",
    "food and dining": "Dining",
    "takeout": "Dining",
    "coffee": "Dining",
    "gifts": "Gifts & Donations",
    "gift": "Gifts & Donations",
    "donations": "Gifts & Donations",
    "donation": "Gifts & Donations",
    "charity": "Gifts & Donations",
    "gifts and donations": "Gifts & Donations",
    "clothes": "Shopping",
    "clothing": "Shopping",
    "subscription": "Subscriptions",
    "streaming": "Subscriptions",
    "travel": "Travel",
    "trips": "Travel",
    "vacation": "Travel",
    "holiday": "Travel",
    "fun": "Entertainment",
    "entertainment": "Entertainment",
    "movies": "Entertainment",
    "games": "Entertainment",
    "paycheck": "Salary",
    "wages": "Salary",
    "pay": "Salary",
}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower().replace("&", "and"))


def merchant_key(text: str) -> str:
    """How the merchant memory files a merchant: normalised and cut to the column's 200 characters."""
    return _norm(text)[:200]


# Built once (every logged expense looks its category up; building a statement costs more than
# running it): a call only binds the user, and the kind.
_ALL_Q = select(Category).where(Category.user_id == bindparam("uid")).order_by(col(Category.kind), col(Category.name))
_KIND_Q = _ALL_Q.where(Category.kind == bindparam("kind"))
_MEMORY_Q = select(MerchantMemory).where(
    MerchantMemory.user_id == bindparam("uid"), MerchantMemory.merchant == bindparam("merchant")
)


def list_categories(session: Session, user: User, kind: CategoryKind | None = None) -> list[Category]:
    if kind is None:
        return list(session.exec(_ALL_Q, params={"uid": user.id}))
    return list(session.exec(_KIND_Q, params={"uid": user.id, "kind": kind}))


def get_category(session: Session, user: User, category_id: int) -> Category:
    cat = session.get(Category, category_id)
    if cat is None or cat.user_id != user.id:
        raise NotFound("no such category")
    return cat


def find_category(session: Session, user: User, name: str) -> Category | None:
    """The user's category for a typed name or synonym, or None."""
    if not name or not name.strip():
        return None
    cats = list_categories(session, user)
    by_norm = {_norm(c.name): c for c in cats}
    key = _norm(name)
    if key in by_norm:
        return by_norm[key]
    syn = SYNONYMS.get(name.strip().lower()) or SYNONYMS.get(key)
    if syn and _norm(syn) in by_norm:
        return by_norm[_norm(syn)]
    if key.endswith("s") and key[:-1] in by_norm:
        return by_norm[key[:-1]]
    if key + "s" in by_norm:
        return by_norm[key + "s"]
    memory = session.exec(_MEMORY_Q, params={"uid": user.id, "merchant": key}).first()
    if memory is not None:
        return session.get(Category, memory.category_id)
    return None


def resolve_category(session: Session, user: User, name: str, kind: CategoryKind | None = None) -> Category:
    """Like ``find_category`` but an unknown name is an error listing the valid ones."""
    cat = find_category(session, user, name)
    if cat is None or (kind is not None and cat.kind != kind):
        valid = ", ".join(c.name for c in list_categories(session, user, kind))
        raise InvalidInput(f"unknown category {name!r}; choose one of: {valid}", field="category")
    return cat


def create_category(
    session: Session,
    user: User,
    *,
    name: str,
    kind: CategoryKind = CategoryKind.EXPENSE,
    necessity_score: int = 5,
    group: str | None = None,
) -> Category:
    clean = re.sub(r"\s+", " ", name.strip())
    if not clean or len(clean) > 60:
        raise InvalidInput("a category name of 1 to 60 characters is needed", field="name")
    if not 1 <= int(necessity_score) <= 10:
        raise InvalidInput("necessity_score must be between 1 and 10", field="necessity_score")
    existing = {_norm(c.name) for c in list_categories(session, user)}
    if _norm(clean) in existing:
        raise Conflict(f"a category named {clean!r} exists already", field="name")
    assert user.id is not None
    cat = Category(user_id=user.id, name=clean, kind=kind, necessity_score=int(necessity_score), group=group)
    session.add(cat)
    session.flush()
    return cat


def update_category(
    session: Session,
    user: User,
    category_id: int,
    *,
    name: str | None = None,
    necessity_score: int | None = None,
    kind: CategoryKind | None = None,
    group: str | None = None,
    archived: bool | None = None,
    fixed: bool | None = None,
) -> Category:
    """Rename, re-score, archive (hidden from pickers, kept for history) or flag as a fixed monthly payment."""
    cat = get_category(session, user, category_id)
    if archived is not None:
        cat.archived = bool(archived)
    if fixed is not None:
        cat.fixed = bool(fixed)
    if name is not None:
        clean = re.sub(r"\s+", " ", name.strip())
        if not clean or len(clean) > 60:
            raise InvalidInput("a category name of 1 to 60 characters is needed", field="name")
        clash = [c for c in list_categories(session, user) if c.id != cat.id and _norm(c.name) == _norm(clean)]
        if clash:
            raise Conflict(f"a category named {clean!r} exists already", field="name")
        cat.name = clean
    if necessity_score is not None:
        if not 1 <= int(necessity_score) <= 10:
            raise InvalidInput("necessity_score must be between 1 and 10", field="necessity_score")
        cat.necessity_score = int(necessity_score)
    if kind is not None and kind != cat.kind:
        # Expense rows in an income category (or budgets on one) would break the ledger's sums.
        in_use = {
            "transactions": select(Transaction.id).where(
                Transaction.user_id == user.id, Transaction.category_id == cat.id
            ),
            "budgets": select(Budget.id).where(Budget.user_id == user.id, Budget.category_id == cat.id),
            "subscriptions": select(Subscription.id).where(
                Subscription.user_id == user.id, Subscription.category_id == cat.id
            ),
        }
        for what, stmt in in_use.items():
            if session.exec(stmt.limit(1)).first() is not None:
                raise Conflict(f"{cat.name} has {what}; its kind cannot change", field="kind")
        cat.kind = kind
    if group is not None:
        cat.group = group or None
    session.add(cat)
    session.flush()
    return cat


def remember_merchant(session: Session, user: User, merchant: str, category: Category) -> None:
    """Teach the merchant memory (a correction, or a categorised import row)."""
    key = _norm(merchant)
    if not key:
        return
    row = session.exec(
        select(MerchantMemory).where(MerchantMemory.user_id == user.id, MerchantMemory.merchant == key)
    ).first()
    if row is None:
        assert user.id is not None and category.id is not None
        row = MerchantMemory(user_id=user.id, merchant=key[:200], category_id=category.id)
    else:
        assert category.id is not None
        row.category_id = category.id
        row.updated_at = utcnow()
    session.add(row)
    session.flush()


def merchant_memory(session: Session, user: User) -> dict[str, Category]:
    """The user's whole merchant memory in one query (normalised merchant -> category): an import
    looks up thousands of merchants, one query each took most of a 50,000-row import."""
    stmt = (
        select(MerchantMemory.merchant, Category)
        .join(Category, col(Category.id) == col(MerchantMemory.category_id))
        .where(MerchantMemory.user_id == user.id)
    )
    return {merchant: cat for merchant, cat in session.exec(stmt).all()}


def merchant_category(session: Session, user: User, merchant: str) -> Category | None:
    key = _norm(merchant)
    row = session.exec(
        select(MerchantMemory).where(MerchantMemory.user_id == user.id, MerchantMemory.merchant == key)
    ).first()
    return session.get(Category, row.category_id) if row else None
