"""Sentence templates in the hassil style, expanded into training phrasings.

Why templates: one line such as ``(when|what day) is my {bill} bill due`` stands for dozens of phrasings,
so the team writes the shape once and the intent model sees every bill, merchant and amount in it.
Syntax: ``(a|b|c)`` picks one, ``[x]`` is optional, ``{list}`` takes a value from ``lists.yaml``.
Expansion is deterministic (a seeded sample when a template has more forms than ``cap``).
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Mapping, Sequence

_TOKEN = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]|\{(\w+)\}")


def _parts(template: str, lists: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """The template as a product of choices: literal text is a choice of one."""
    out: list[list[str]] = []
    pos = 0
    for m in _TOKEN.finditer(template):
        if m.start() > pos:
            out.append([template[pos : m.start()]])
        if m.group(1) is not None:
            out.append(m.group(1).split("|"))
        elif m.group(2) is not None:
            out.append(["", *m.group(2).split("|")])
        else:
            name = m.group(3)
            if name not in lists:
                raise KeyError(f"template {template!r} names an unknown list {{{name}}}")
            out.append([str(v) for v in lists[name]])
        pos = m.end()
    if pos < len(template):
        out.append([template[pos:]])
    return out


def expand(template: str, lists: Mapping[str, Sequence[str]], cap: int = 12, seed: int = 0) -> list[str]:
    """Up to ``cap`` sentences from one template, the same ones on every run."""
    parts = _parts(template, lists)
    total = 1
    for p in parts:
        total *= len(p)
    rng = random.Random(f"{seed}:{template}")
    if total <= cap:
        combos = list(itertools.product(*parts))
    else:
        seen: set[tuple[str, ...]] = set()
        combos = []
        while len(combos) < cap:
            combo = tuple(rng.choice(p) for p in parts)
            if combo not in seen:
                seen.add(combo)
                combos.append(combo)
    return [re.sub(r"\s+", " ", "".join(c)).strip() for c in combos]
