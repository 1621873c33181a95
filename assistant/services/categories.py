"""Categories: listing, creation and resolving a name the way a person types it.

Resolution order: exact (case-insensitive) name, a built-in synonym, the user's merchant
memory; otherwise a clear error that lists the valid names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from sqlalchemy import bindparam, event
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, col, select

from ..errors import Conflict, InvalidInput, NotFound
from ..models import Budget, Category, CategoryKind, MerchantMemory, Subscription, Transaction, User, utcnow

_T = TypeVar("_T")

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


class KnownCategories:
    """A turn's copy of one user's categories and merchant memory, read with the turn's context
    (``conversations.load_setup``), so a tool call's lookups (every logged expense resolves its
    category and asks the merchant memory) answer without a query each.

    ``rows`` are the categories' rows as read (in ``list_categories``' order: kind, then name); a row
    becomes a ``Category`` (detached, as the ORM would load it) only when a call asks for it,
    for reading: code that changes a category loads it with ``get_category``. Handed to a tool
    call's session with ``use_known``; a flush that writes a category or the merchant memory in
    such a session makes the copy stale (``valid`` False) for the rest of the turn, whose later
    calls query again. ``memory`` (merchant -> category id) is None when the turn did not read
    all of it (then the memory is asked in the database).
    """

    __slots__ = ("_by_norm", "_made", "_rows", "memory", "user_id", "valid")

    def __init__(self, user_id: int, rows: Iterable[Any], memory: Mapping[str, int] | None) -> None:
        self.user_id = user_id
        self._rows = {row.id: row for row in rows}
        self._made: dict[int, Category] = {}
        self._by_norm: dict[str, int] | None = None
        self.memory = memory
        self.valid = True

    def fresh(self) -> KnownCategories:
        """A copy for another turn: the same rows, memory and name index (built once here, then only
        read), with objects and validity of its own."""
        copy = KnownCategories.__new__(KnownCategories)
        copy.user_id, copy._rows, copy.memory = self.user_id, self._rows, self.memory
        copy._by_norm = self.by_norm()
        copy._made = {}
        copy.valid = True
        return copy

    def category(self, category_id: int) -> Category | None:
        made = self._made.get(category_id)
        if made is None and (row := self._rows.get(category_id)) is not None:
            made = self._made[category_id] = detached(Category, row._mapping)
        return made

    def rows(self) -> Iterable[Any]:
        """The rows as read (``id``, ``name``, ``kind``, ``necessity_score``...): for reading a few
        columns of every category without making a ``Category`` of each."""
        return self._rows.values()

    def all(self) -> list[Category]:
        return [self.category(cid) for cid in self._rows]  # type: ignore[misc]

    def names(self, ids: Iterable[int]) -> dict[int, str] | None:
        """The names of categories ``ids``, or None when one of them is not in the copy."""
        rows = self._rows
        if not all(cid in rows for cid in ids):
            return None
        return {cid: rows[cid].name for cid in ids}

    def by_norm(self) -> dict[str, int]:
        """Normalised name -> id (``find_category``'s first lookups)."""
        if self._by_norm is None:
            self._by_norm = {_norm(row.name): cid for cid, row in self._rows.items()}
        return self._by_norm


def detached(cls: Any, values: Mapping[Any, Any]) -> Any:
    """A mapped object as the ORM's loader builds one from a row (no ``__init__``, no validation:
    the columns go straight into its state), then detached, with its identity."""
    obj = cls.__mapper__.class_manager.new_instance()
    obj.__dict__.update(values)
    make_transient_to_detached(obj)
    return obj


_KNOWN = "budgetwise.known_categories"


def use_known(session: Session, known: KnownCategories) -> None:
    """Let ``session``'s category lookups answer from ``known`` (a turn's copy)."""
    session.info[_KNOWN] = known


def _known(session: Session, user_id: int | None) -> KnownCategories | None:
    known: KnownCategories | None = session.info.get(_KNOWN)
    if known is None or not known.valid or known.user_id != user_id:
        return None
    return known


@event.listens_for(OrmSession, "before_flush")
def _stale_on_write(session: OrmSession, flush_context: Any, instances: Any) -> None:
    """A write of a category or of the merchant memory ends the turn's copy (see ``KnownCategories``)."""
    known: KnownCategories | None = session.info.get(_KNOWN)
    if known is None or not known.valid:
        return
    for changed in (session.new, session.dirty, session.deleted):
        if any(isinstance(obj, Category | MerchantMemory) for obj in changed):
            known.valid = False
            return


def known_names(session: Session, user_id: int, ids: Iterable[int]) -> dict[int, str] | None:
    """``user_id``'s categories ``ids`` by name from the turn's copy, or None (then ask the database)."""
    known = _known(session, user_id)
    return None if known is None else known.names(ids)


def category_by_id(session: Session, user: User, category_id: int) -> Category | None:
    """The user's category ``category_id`` for reading (its name, kind), or None."""
    known = _known(session, user.id)
    if known is not None and (cat := known.category(category_id)) is not None:
        return cat
    found = session.get(Category, category_id)
    return found if found is not None and found.user_id == user.id else None


def list_categories(session: Session, user: User, kind: CategoryKind | None = None) -> list[Category]:
    known = _known(session, user.id)
    if known is not None:
        return [c for c in known.all() if kind is None or c.kind == kind]
    if kind is None:
        return list(session.exec(_ALL_Q, params={"uid": user.id}))
    return list(session.exec(_KIND_Q, params={"uid": user.id, "kind": kind}))


def necessity_scores(session: Session, user: User) -> list[tuple[int, str, int]]:
    """``(id, name, necessity_score)`` of the user's expense categories, in ``list_categories``'
    order: from the turn's copy's rows when it has one (no ``Category`` made for each), else read."""
    known = _known(session, user.id)
    if known is not None:
        return [(r.id, r.name, r.necessity_score) for r in known.rows() if r.kind == CategoryKind.EXPENSE]
    return [(c.id, c.name, c.necessity_score) for c in list_categories(session, user, CategoryKind.EXPENSE)]  # type: ignore[misc]


def get_category(session: Session, user: User, category_id: int) -> Category:
    cat = session.get(Category, category_id)
    if cat is None or cat.user_id != user.id:
        raise NotFound("no such category")
    return cat


def find_category(session: Session, user: User, name: str) -> Category | None:
    """The user's category for a typed name or synonym, or None."""
    if not name or not name.strip():
        return None
    key = _norm(name)
    known = _known(session, user.id)
    if known is not None:
        found_id = _by_name(known.by_norm(), name, key)
        if found_id is not None:
            return known.category(found_id)
    else:
        found = _by_name({_norm(c.name): c for c in list_categories(session, user)}, name, key)
        if found is not None:
            return found
    return _remembered(session, user, key)


def _by_name(by_norm: Mapping[str, _T], name: str, key: str) -> _T | None:
    """The entry of ``by_norm`` (normalised names) that ``name`` (normalised: ``key``) means, or None."""
    if key in by_norm:
        return by_norm[key]
    syn = SYNONYMS.get(name.strip().lower()) or SYNONYMS.get(key)
    if syn and _norm(syn) in by_norm:
        return by_norm[_norm(syn)]
    if key.endswith("s") and key[:-1] in by_norm:
        return by_norm[key[:-1]]
    if key + "s" in by_norm:
        return by_norm[key + "s"]
    return None


def _remembered(session: Session, user: User, key: str) -> Category | None:
    """The category the merchant memory files ``key`` (normalised) under, or None."""
    known = _known(session, user.id)
    if known is not None and known.memory is not None:
        category_id = known.memory.get(key)
        if category_id is None:
            return None
        return known.category(category_id) or session.get(Category, category_id)
    memory = session.exec(_MEMORY_Q, params={"uid": user.id, "merchant": key}).first()
    return session.get(Category, memory.category_id) if memory is not None else None


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
    return _remembered(session, user, _norm(merchant))
