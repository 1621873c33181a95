"""Regular expressions made cheap to run, with the same matches: a gate of needed text, and word lists as tries.

Why: a parse ran some three hundred searches. The shapes in ``data/not_yours.yaml`` (over two
hundred) were each searched over every message, and that was a quarter of a parse; most need a word
("paid", "would", "roommate"), and a message that holds none of a shape's words cannot match it, so
``Gated`` skips it. The needed text is read from the pattern itself (its parse tree), so a shape
added to a data file is gated with no more work, and one the reader cannot vouch for (its words all
optional) is always run. ``alternation`` writes a long list of words (the lexicon's 1,800 phrases)
as a trie, which the regular expression engine walks a character at a time instead of trying every
word at every place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from typing import Any

try:  # the standard library's own parser of patterns (Python 3.11+); without it nothing is gated
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - another Python: every pattern simply runs
    C = _parser = None
_REPEATS = tuple(getattr(C, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") if hasattr(C, name))

Need = frozenset[str] | None
"""Texts of which a match holds at least one (None: nothing known, always run the pattern)."""


def _best(options: Iterable[Need]) -> Need:
    """Of several needs that all hold (items of one sequence), the one that rules most out."""
    known = [n for n in options if n]
    if not known:
        return None
    # the fewer and the longer the texts, the rarer a message holds one
    return max(known, key=lambda n: (min(map(len, n)), -len(n)))


def _seq(items: Sequence[tuple[Any, Any]], ignore_case: bool) -> Need:
    """What a sequence of parsed items needs: a run of literal characters, or one item's need."""
    needs: list[Need] = []
    run: list[str] = []
    for op, av in items:
        if op is C.LITERAL and not ignore_case:
            run.append(chr(av))
            continue
        if run:
            needs.append(frozenset({"".join(run)}))
            run = []
        needs.append(_item(op, av, ignore_case))
    if run:
        needs.append(frozenset({"".join(run)}))
    return _best(needs)


def _item(op: Any, av: Any, ignore_case: bool) -> Need:
    if op is C.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        if add_flags & re.IGNORECASE or del_flags & re.IGNORECASE:
            return None  # a case flag changed inside: leave it to the pattern
        return _seq(list(sub), ignore_case)
    if op is C.BRANCH:
        alternatives = [_seq(list(b), ignore_case) for b in av[1]]
        if any(a is None for a in alternatives):
            return None  # one way through needs nothing known
        return frozenset().union(*(a for a in alternatives if a is not None))
    if op in _REPEATS:
        low, _high, sub = av
        return _seq(list(sub), ignore_case) if low >= 1 else None
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _seq(list(av), ignore_case)
    return None  # a class, an anchor, a look-around, a back-reference: needs no text we can name


@cache  # patterns live as long as the process; each is read once, however many gates hold it
def needs(pattern: re.Pattern[str]) -> Need:
    """Texts of which every match of ``pattern`` holds one, or None where that cannot be said."""
    if _parser is None or not isinstance(pattern.pattern, str):
        return None
    ignore_case = bool(pattern.flags & re.IGNORECASE)
    try:
        tree = _parser.parse(pattern.pattern, pattern.flags)
    except (re.error, TypeError, ValueError):  # pragma: no cover - it compiled, so it parses
        return None
    if tree.state.flags & re.IGNORECASE:  # an inline (?i) at the start
        ignore_case = True
    return _seq(list(tree), ignore_case)


def _worth(need: Need) -> Need:
    """A need with a one-character text ("$", "a") is in most messages: cheaper to run the pattern."""
    return None if need is None or min(map(len, need)) < 2 else need


class Gated:
    """Patterns, each with the texts it needs: ``candidates(text)`` names those that may match.

    Each needed text is cut to its first ``width`` characters (a text present means its start is), and
    every piece of the message of those lengths is looked up once; a pattern none of whose texts is
    there cannot match, so leaving it out changes nothing. The answer is a bit set (an int, bit i for
    pattern i), so a caller walks the few candidates in the patterns' own order.
    """

    def __init__(self, patterns: Sequence[re.Pattern[str]], width: int = 4, fewest: int = 24) -> None:
        self.patterns = tuple(patterns)
        few = len(self.patterns) < fewest  # a handful: searching them all costs less than the look-ups
        self.needs = tuple(None if few else _worth(needs(p)) for p in self.patterns)
        self.always = 0  # the patterns nothing is known of: always candidates
        table: dict[str, int] = {}
        for i, need in enumerate(self.needs):
            if need is None:
                self.always |= 1 << i
                continue
            for text in need:
                table[text[:width]] = table.get(text[:width], 0) | 1 << i
        self.table = table
        self.keys = frozenset(table)
        self.lengths = tuple(sorted({len(t) for t in table}))

    def candidates(self, text: str) -> int:
        """The patterns that may match ``text``, as a bit set."""
        table, found = self.table, self.always
        if not table:
            return found
        keys = self.keys
        for k in self.lengths:
            # the pieces in a list, then one set intersection (a loop of look-ups and ors cost twice as much)
            for piece in keys.intersection([text[i : i + k] for i in range(len(text) - k + 1)]):
                found |= table[piece]
        return found


def bits(mask: int) -> Iterator[int]:
    """The indices of the set bits of ``mask``, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def alternation(words: Iterable[str]) -> str:
    """A pattern matching the same text as ``"|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))``.

    Written as a trie: at each place the longest word that fits is tried first and, where what
    follows the group fails, the next shorter one (the words that fit at one place all lie on one
    path of the trie, so longest first is the only order that matters). Words are taken literally.
    """
    root: dict[str, Any] = {}
    for word in set(words):
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def write(node: dict[str, Any]) -> str:
        ends = "" in node
        parts = [re.escape(ch) + write(child) for ch, child in sorted(node.items()) if ch]
        if not parts:
            return ""
        body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
        return f"(?:{body})?" if ends else body  # a word may end here: go on where it can (greedy), else stop

    if "" in root:
        raise ValueError("an empty word matches everywhere")
    return write(root)
