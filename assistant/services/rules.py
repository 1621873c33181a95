"""Category rules ("anything from Uber is Transport") and categorising a row the way chat does.

Why one place: an imported row should land where the same words typed in chat would, so the
import asks ``Categorizer`` in this order and reports which step decided:

1. the user's rules: the rule's text appears in the merchant or the description (case-insensitive;
   the longest matching rule wins, so "Uber Eats" beats "Uber");
2. the merchant memory (what the user taught by correcting a category);
3. the understanding engine's recognisers (known merchants and words: "Starbucks", "groceries"),
   mapped to the user's own category names;
4. otherwise the default category ("Other" / "Other income").

Functions: ``add_rule(session, user, pattern, category) -> RulePublic``,
``list_rules(session, user) -> list[RulePublic]``, ``delete_rule(session, user, rule_id)``,
``recognised_category(text, names) -> (name, phrase) | None``, ``Categorizer(session, user)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel
from sqlmodel import Session, col, select

from ..errors import Conflict, InvalidInput, NotFound
from ..models import Category, CategoryKind, CategoryRule, TxKind, User
from ..nlu.vocabulary import recognised_category
from .categories import get_category, list_categories, merchant_key, merchant_memory, resolve_category

MAX_PATTERN = 200
MAX_RULES = 500


class RulePublic(BaseModel):
    id: int
    pattern: str
    category: str
    category_id: int


def _clean_pattern(pattern: object) -> str:
    if not isinstance(pattern, str):
        raise InvalidInput("the rule needs some text to look for, like 'Uber'", field="pattern")
    text = re.sub(r"\s+", " ", pattern).strip()
    if not text:
        raise InvalidInput("the rule needs some text to look for, like 'Uber'", field="pattern")
    if len(text) > MAX_PATTERN:
        raise InvalidInput(f"the text to look for is at most {MAX_PATTERN} characters", field="pattern")
    return text


def _public(rule: CategoryRule, name: str) -> RulePublic:
    assert rule.id is not None
    return RulePublic(id=rule.id, pattern=rule.pattern, category=name, category_id=rule.category_id)


def add_rule(session: Session, user: User, pattern: object, category: str | int) -> RulePublic:
    """Add (or re-point) the rule "text containing ``pattern`` goes to ``category``"."""
    text = _clean_pattern(pattern)
    if isinstance(category, int) and not isinstance(category, bool):
        cat = get_category(session, user, category)
    else:
        cat = resolve_category(session, user, str(category))
    assert user.id is not None and cat.id is not None
    existing = session.exec(
        select(CategoryRule).where(CategoryRule.user_id == user.id, col(CategoryRule.pattern).ilike(text))
    ).first()
    if existing is None:
        count = len(session.exec(select(CategoryRule.id).where(CategoryRule.user_id == user.id)).all())
        if count >= MAX_RULES:
            raise Conflict(f"at most {MAX_RULES} rules; delete one first", field="pattern")
        existing = CategoryRule(user_id=user.id, pattern=text, category_id=cat.id)
    else:
        existing.category_id = cat.id
    session.add(existing)
    session.flush()
    return _public(existing, cat.name)


def list_rules(session: Session, user: User) -> list[RulePublic]:
    rows = session.exec(
        select(CategoryRule, Category.name)
        .join(Category, col(Category.id) == CategoryRule.category_id)
        .where(CategoryRule.user_id == user.id)
        .order_by(col(CategoryRule.pattern))
    ).all()
    return [_public(rule, name) for rule, name in rows]


def delete_rule(session: Session, user: User, rule_id: int) -> None:
    rule = session.get(CategoryRule, rule_id) if 1 <= rule_id <= 2**31 - 1 else None
    if rule is None or rule.user_id != user.id:
        raise NotFound(f"no rule with id {rule_id}")
    session.delete(rule)
    session.flush()


@dataclass
class Decision:
    category: Category | None
    how: str  # "rule" | "merchant memory" | "recognised" | "default"
    detail: str  # the rule's text, the merchant or the recognised words


class Categorizer:
    """Categorises many rows for one user with a handful of queries (rules and names are cached)."""

    def __init__(self, session: Session, user: User) -> None:
        self.session, self.user = session, user
        cats = [c for c in list_categories(session, user) if not getattr(c, "archived", False)]
        self.by_id = {c.id: c for c in cats}
        self.names = {kind: [c.name for c in cats if c.kind == kind] for kind in CategoryKind}
        rules = session.exec(select(CategoryRule).where(CategoryRule.user_id == user.id)).all()
        self.rules = sorted(((r.pattern.casefold(), r) for r in rules), key=lambda pr: (-len(pr[0]), pr[0]))
        self.memory: dict[str, Category | None] = {}
        # The whole merchant memory in one query: a 50,000-row file names thousands of merchants.
        self.known = merchant_memory(session, user)
        self.by_name = {(c.kind, c.name.casefold()): c for c in cats}

    def decide(self, kind: TxKind, merchant: str | None, description: str, memory_key: str | None) -> Decision:
        want = kind.category_kind
        text = " ".join(t for t in (merchant or "", description) if t)
        folded = text.casefold()
        for pattern, rule in self.rules:
            cat = self.by_id.get(rule.category_id)
            if cat is not None and cat.kind == want and pattern in folded:
                return Decision(cat, "rule", rule.pattern)
        if memory_key:
            norm = memory_key.strip().casefold()
            if norm not in self.memory:
                self.memory[norm] = self.known.get(merchant_key(memory_key))
            remembered = self.memory[norm]
            if remembered is not None and remembered.kind == want:
                return Decision(remembered, "merchant memory", memory_key)
        if text and want == CategoryKind.EXPENSE:
            found = recognised_category(text, self.names[want])
            if found is not None:
                cat = self.by_name.get((want, found[0].casefold()))
                if cat is not None:
                    return Decision(cat, "recognised", found[1])
        return Decision(None, "default", "")

    def teach(self, memory_key: str, category: Category) -> None:
        """A row of this file named its category: later rows with the same merchant follow it."""
        self.memory[memory_key.strip().casefold()] = category
