"""The engine's warm-up reads every data file a chat turn needs, so no user's first message pays for it.

Why: the language data (twenty languages' words, glosses and patterns) was read on the first message after
start, 0.4 s of YAML parsing twice; the app starts the warm-up in the background at start.
"""

from __future__ import annotations

from assistant.nlu import languages, start_warm_up


def test_the_warm_up_reads_the_language_data_before_any_message() -> None:
    for loaded in (languages._doc, languages._data, languages._varieties, languages._lexicon_words):
        loaded.cache_clear()
    start_warm_up().join()
    assert languages._doc.cache_info().currsize == 1  # read once, for both of its users
    assert languages._data.cache_info().currsize == 1
    assert languages._varieties.cache_info().currsize == 1
    assert languages._lexicon_words.cache_info().currsize == 1
    assert languages._doc.cache_info().misses == 1
