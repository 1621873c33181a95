"""The purchase check: "can I afford X?" answered from the ledger by a rule a person can follow.

It never writes. Every number comes from the month's budget summary, the subscription
calendar and the goals; the rule (first matching row wins) is written down, with its cases, in
``docs/purchase-check.md``. ``rule`` in the answer names the row that decided.

Function: ``check_purchase(session, user, *, item, amount, category=None, clock) -> PurchaseCheck``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel
from sqlmodel import Session

from ..clock import Clock, add_months, month_bounds, month_of, user_today
from ..errors import InvalidInput
from ..models import Category, CategoryKind, Decision, User
from ..money import fmt, parse_amount, quantize
from .budgets import budget_summary
from .categories import find_category, necessity_scores, resolve_category
from .goals import monthly_goal_needs
from .subscriptions import renewals_before, subscription_totals

ZERO = Decimal("0.00")
FALLBACK_CATEGORY = "Shopping"
SMALL_SHARE = Decimal("0.02")  # up to 2% of the month's total is a small purchase
ESSENTIAL_FROM = 8  # necessity 8-10: a need that may borrow slack from other categories
WANT_UP_TO = 5  # necessity 1-5: a want


class PurchaseImpact(BaseModel):
    category_remaining_after: Decimal | None
    month_remaining_after: Decimal
    percent_of_monthly_budget: Decimal | None
    upcoming_renewals: Decimal
    goal_contributions: Decimal
    free_after: Decimal  # month remaining after the purchase, renewals and goal savings


class Alternative(BaseModel):
    kind: str  # wait_until | move_budget | cheaper | save_up
    text: str
    date: dt.date | None = None
    amount: Decimal | None = None
    from_category: str | None = None
    months: int | None = None


class PurchaseCheck(BaseModel):
    decision: Decision
    fits_budget: bool
    item: str
    amount: Decimal
    currency: str
    month: str
    category: str
    necessity: int
    basis: str  # budget | income | none: what the month's room was measured against
    remaining_in_category: Decimal | None
    percent_of_category: Decimal | None
    impact: PurchaseImpact
    rule: str
    reason: str
    alternatives: list[Alternative]


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part / whole`` in percent, one decimal (None when there is no whole)."""
    return None if whole == 0 else (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def guess_category(session: Session, user: User, item: str) -> Category | None:
    """The item's category from its words ("new car tires" -> Transport), else Shopping (else Other)."""
    words = [w for w in re.findall(r"[a-z&']+", item.lower()) if len(w) >= 3]
    for text in [item, *[" ".join(words[i : i + 2]) for i in range(len(words) - 1)], *words]:
        cat = find_category(session, user, text)
        if cat is not None and cat.kind == CategoryKind.EXPENSE:
            return cat
    return find_category(session, user, FALLBACK_CATEGORY) or find_category(session, user, "Other")


def _clean_item(item: str) -> str:
    clean = re.sub(r"\s+", " ", str(item or "").strip())
    if not clean or len(clean) > 200:
        raise InvalidInput("say what you want to buy (1 to 200 characters)", field="item")
    return clean


class _Facts:
    """The numbers the rule reads, gathered once (all in the user's currency)."""

    def __init__(
        self, session: Session, user: User, item: str, cat: Category | None, amount: Decimal, clock: Clock
    ) -> None:
        self.item, self.amount, self.currency = item, amount, user.currency
        self.cat_name = cat.name if cat else "Uncategorized"
        self.necessity = cat.necessity_score if cat else 5
        today = user_today(clock, user.timezone)
        self.month = month_of(today)
        self.next_first = month_bounds(add_months(self.month, 1))[0]
        s = self.summary = budget_summary(session, user, clock=clock)
        self.line = next((c for c in s.categories if c.category == self.cat_name), None)
        upcoming = renewals_before(session, user, month_bounds(self.month)[1], clock=clock)
        self.renewals = sum((r.amount_in_user_currency or ZERO for r in upcoming), ZERO)
        self.goals = monthly_goal_needs(session, user, clock=clock)
        self.reserved = self.renewals + self.goals
        if s.total_budget > 0:
            self.basis, self.monthly_total, self.month_remaining = "budget", s.total_budget, s.total_remaining
        elif s.income > 0:
            self.basis, self.monthly_total = "income", s.income
            self.month_remaining = s.income - s.total_expenses
        else:
            self.basis, self.monthly_total, self.month_remaining = "none", ZERO, ZERO
        self.cat_remaining = self.line.remaining if self.line else None
        self.free_after = self.month_remaining - amount - self.reserved
        self.fits_category = self.cat_remaining is None or amount <= self.cat_remaining
        self.fits_month = self.free_after >= 0
        self.small = self.monthly_total > 0 and amount <= self.monthly_total * SMALL_SHARE
        nxt = budget_summary(session, user, add_months(self.month, 1), clock=clock)
        nxt_line = next((c for c in nxt.categories if c.category == self.cat_name), None)
        if nxt_line is not None:
            self.next_room = nxt_line.budget
        else:
            subs_monthly = subscription_totals(session, user, clock=clock).monthly
            self.next_room = max(self.monthly_total - self.goals - subs_monthly, ZERO)
        cat_cap = self.cat_remaining if self.cat_remaining is not None else amount
        self.available_now = max(min(self.month_remaining - self.reserved, cat_cap), ZERO)
        self.shortfall = amount - max(self.cat_remaining, ZERO) if self.cat_remaining is not None else ZERO
        self.donor = self._donor(session, user) if self.shortfall > 0 and self.fits_month else None

    def _donor(self, session: Session, user: User) -> tuple[str, Decimal] | None:
        """The category to move the shortfall from: enough slack, lowest necessity, then most slack."""
        necessity = {name: score for _, name, score in necessity_scores(session, user)}
        slack = [c for c in self.summary.categories if c.category != self.cat_name and c.remaining >= self.shortfall]
        if not slack:
            return None
        best = min(slack, key=lambda c: (necessity.get(c.category, 5), -c.remaining, c.category))
        return best.category, best.remaining

    def m(self, x: Decimal) -> str:
        return fmt(quantize(x), self.currency)

    @property
    def next_day(self) -> str:
        return f"{self.next_first:%B} {self.next_first.day}"


def _decide(f: _Facts) -> tuple[Decision, str, str]:
    """The rule of docs/purchase-check.md: (decision, rule name, reason); the first row that matches wins."""
    m, cat, n, value = f.m, f.cat_name, f.necessity, f.amount
    cat_left = f"{cat} has {m(f.cat_remaining)} left" if f.cat_remaining is not None else f"{cat} has no budget"
    reserve = f"upcoming renewals ({m(f.renewals)}) and goal savings ({m(f.goals)})"
    if f.basis == "none":
        return (
            Decision.WAIT,
            "no_basis",
            (
                f"There is no budget and no income recorded for {f.month}, so I can't tell whether {m(value)} fits. "
                "Set a budget or log your income first."
            ),
        )
    if f.fits_category and f.fits_month:
        where = (
            f"{cat_left} this month"
            if f.cat_remaining is not None
            else f"{cat} has no budget, so it comes out of the month's {m(f.month_remaining)} left"
        )
        return Decision.BUY, "fits", f"It fits: {where}, and after {reserve} you'd still have {m(f.free_after)} free."
    if f.small and f.fits_month:
        word = "budget" if f.basis == "budget" else "income"
        return (
            Decision.BUY,
            "small",
            (
                f"It's small ({m(value)}, at most {SMALL_SHARE * 100:.0f}% of your monthly {word}) and the month as a "
                f"whole still covers it, though {cat_left}."
            ),
        )
    if n >= ESSENTIAL_FROM and f.fits_month:
        move = f": move {m(f.shortfall)} from {f.donor[0]}." if f.donor else "."
        return (
            Decision.BUY,
            "essential",
            (
                f"{cat} is essential (necessity {n}/10). {cat_left}, {m(f.shortfall)} short, "
                f"but the month as a whole covers it{move}"
            ),
        )
    if (f.fits_month and f.donor) or value <= f.next_room:
        free = m(max(f.month_remaining - f.reserved, ZERO))
        why = cat_left if not f.fits_category else f"after {reserve} the month has only {free} free"
        how = (
            f"Moving {m(f.shortfall)} from {f.donor[0]} would make room now"
            if f.donor
            else f"It would fit after your budget resets on {f.next_day}"
        )
        return Decision.WAIT, "wait", f"Not right now: {why}. {how}."
    if n <= WANT_UP_TO:
        return (
            Decision.DONT_BUY,
            "too_big_for_a_want",
            (
                f"{m(value)} is more than a whole month's room for {cat} ({m(f.next_room)}), and {cat} is a want "
                f"(necessity {n}/10). Save up for it instead, or skip it."
            ),
        )
    return (
        Decision.WAIT,
        "save_up",
        (
            f"{cat} is a need (necessity {n}/10), but {m(value)} is more than a whole month's room for it "
            f"({m(f.next_room)}). Save up for it over the next months."
        ),
    )


def _alternatives(f: _Facts, decision: Decision, rule: str) -> list[Alternative]:
    """Other ways to get it: move slack, wait for the reset, spend less, or save up."""
    m, value = f.m, f.amount
    alts: list[Alternative] = []
    if (decision != Decision.BUY or rule == "essential") and f.donor:
        src, left = f.donor
        alts.append(
            Alternative(
                kind="move_budget",
                amount=quantize(f.shortfall),
                from_category=src,
                text=f"Move {m(f.shortfall)} from {src} ({m(left)} left) to {f.cat_name}.",
            )
        )
    if decision == Decision.BUY or f.basis == "none":
        return alts
    if value <= f.next_room:
        text = f"Wait until {f.next_day}, when your budget resets."
        alts.append(Alternative(kind="wait_until", date=f.next_first, text=text))
    if ZERO < f.available_now < value:
        text = f"Something up to {m(f.available_now)} would fit now."
        alts.append(Alternative(kind="cheaper", amount=quantize(f.available_now), text=text))
    if value > f.next_room > 0:
        months = math.ceil(value / f.next_room)
        per = quantize(value / months)
        text = f"Set aside {m(per)} a month and you'd have it in {months} months."
        alts.append(Alternative(kind="save_up", months=months, amount=per, text=text))
    return alts


def check_purchase(
    session: Session,
    user: User,
    *,
    item: str,
    amount: object,
    category: str | None = None,
    clock: Clock,
) -> PurchaseCheck:
    """Buy, wait or don't buy, with the reason and the numbers behind it; records nothing."""
    what = _clean_item(item)
    value = parse_amount(amount)
    if category is not None and str(category).strip():
        cat: Category | None = resolve_category(session, user, str(category), CategoryKind.EXPENSE)
    else:
        cat = guess_category(session, user, what)
    f = _Facts(session, user, what, cat, value, clock)
    decision, rule, reason = _decide(f)
    impact = PurchaseImpact(
        category_remaining_after=None if f.cat_remaining is None else f.cat_remaining - value,
        month_remaining_after=f.month_remaining - value,
        percent_of_monthly_budget=percent(value, f.monthly_total),
        upcoming_renewals=f.renewals,
        goal_contributions=f.goals,
        free_after=f.free_after,
    )
    return PurchaseCheck(
        decision=decision,
        fits_budget=f.basis != "none" and f.fits_category and f.fits_month,
        item=what,
        amount=value,
        currency=f.currency,
        month=f.month,
        category=f.cat_name,
        necessity=f.necessity,
        basis=f.basis,
        remaining_in_category=f.cat_remaining,
        percent_of_category=percent(value, f.line.budget) if f.line else None,
        impact=impact,
        rule=rule,
        reason=reason,
        alternatives=_alternatives(f, decision, rule),
    )
