"""The understanding engine's public vocabulary: the words and phrases it knows, for the parts
that prepare text for it (``voice.normalize`` fixes what Whisper bends) or read text the same way
(``services.rules`` files an imported row where the same words typed in chat would go).

Everything else in ``assistant.nlu`` (lexicon, spelling, recognisers) is the engine's own; other
packages import from here or from ``assistant.nlu`` itself.
"""

from __future__ import annotations

from .lexicon import PHRASES, best_category, keyword_hits, to_user_category
from .spelling import REAL_WORDS, TARGETS

#: every merchant and category phrase the engine recognises, lowercase ("whole foods", "lattes")
KNOWN_PHRASES: frozenset[str] = frozenset(PHRASES)
#: the words intents and categories key on, in the forms people type ("groceries", "subscription")
KEY_WORDS: tuple[str, ...] = TARGETS
#: real words one edit from a key word, never "corrected" ("sent", "renew")
NEAR_WORDS: frozenset[str] = REAL_WORDS


def recognised_category(text: str, names: list[str]) -> tuple[str, str] | None:
    """The engine's reading of ``text`` as one of the user's categories ``names``:
    ``(the user's category name, the words it went by)``, or None."""
    hits = keyword_hits(text.lower())
    canonical = best_category(hits)
    if canonical is None:
        return None
    name = to_user_category(canonical, names)
    if name is None:
        return None
    phrase = next((h.display for h in hits if h.category == canonical), canonical)
    return name, phrase


__all__ = ["KEY_WORDS", "KNOWN_PHRASES", "NEAR_WORDS", "recognised_category"]
