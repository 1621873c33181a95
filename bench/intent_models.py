#!/usr/bin/env python3
"""Pick the intent model by the numbers: first-seen rounds and the public dev set, intent only.

    python bench/intent_models.py [--models svm,lr,wordllama] [--wordllama-cache DIR]

First-seen: each of the team's rounds (``tests/data/*-utterances.jsonl``) is scored by a model
trained on everything else (the other rounds, the dev set, the phrasing files), so the round is
new to it, as it was to the rules when it was written. Public dev: trained on everything the team
wrote, scored on ``../shared/eval/public-dev.jsonl`` (measuring only: never trained on). A positive
counts when the predicted intent is one the case accepts; a negative when it is not a write.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.nlu import model  # noqa: E402

PUBLIC_DEV = ROOT.parent / "shared" / "eval" / "public-dev.jsonl"
WRITES = {
    "log_expense", "log_income", "set_budget", "add_subscription", "cancel_subscription", "delete_transaction",
    "update_transaction", "set_goal", "contribute_to_goal", "update_subscription", "set_exchange_rate", "move_budget",
    "set_monthly_income", "create_category", "set_reminder", "snooze_reminder", "dismiss_reminder",
}  # fmt: skip
Predictor = Callable[[Sequence[str]], list[str]]
Trainer = Callable[[Sequence[str], Sequence[str]], Predictor]


def _accepts(expect: dict[str, Any]) -> tuple[set[str], bool]:
    """(intents that pass, whether this is a no-write case)."""
    if expect.get("all"):
        return {p["tool"] if isinstance(p["tool"], str) else p["tool"][0] for p in expect["all"]}, False
    tool = expect.get("tool")
    if tool is None:
        return {model.NONE, model.BANK, *expect.get("allow", [])}, True
    return set(tool if isinstance(tool, list) else [tool]), False


def svm(texts: Sequence[str], labels: Sequence[str]) -> Predictor:
    m = model.IntentModel(model.fit(texts, labels))
    return lambda xs: [m.predict(x).intent for x in xs]


def lr(texts: Sequence[str], labels: Sequence[str]) -> Predictor:
    from scipy.sparse import hstack
    from sklearn.linear_model import LogisticRegression

    feats = [model.featurize(t) for t in texts]
    word, char = model._vectorizers()
    x = hstack([word.fit_transform(feats), char.fit_transform(feats)]).tocsr()
    clf = LogisticRegression(C=8.0, max_iter=3000).fit(x, list(labels))

    def run(xs: Sequence[str]) -> list[str]:
        f = [model.featurize(t) for t in xs]
        return list(clf.predict(hstack([word.transform(f), char.transform(f)]).tocsr()))

    return run


def wordllama_head(cache: str) -> Trainer:
    from sklearn.linear_model import LogisticRegression
    from wordllama import WordLlama

    wl = WordLlama.load(cache_dir=cache, disable_download=True)

    def train(texts: Sequence[str], labels: Sequence[str]) -> Predictor:
        clf = LogisticRegression(C=10.0, max_iter=3000).fit(wl.embed([model.featurize(t) for t in texts]), list(labels))
        return lambda xs: list(clf.predict(wl.embed([model.featurize(t) for t in xs])))

    return train


def first_seen(trainer: Trainer) -> dict[str, float]:
    files = model.corpus_files()
    cases = model.corpus_examples(files)
    raw = {p.stem: [json.loads(line) for line in p.read_text().splitlines() if line.strip()] for p in files}
    phr = model.phrasing_examples()
    out: dict[str, float] = {}
    for stem, round_cases in raw.items():
        if "dev-utterances" in stem:
            continue
        train = [(t, lab) for t, lab, s in cases if s != stem] + phr
        predict = trainer([t for t, _ in train], [lab for _, lab in train])
        got = predict([c["text"] for c in round_cases])
        ok = sum(
            1
            for c, g in zip(round_cases, got, strict=True)
            if g in _accepts(c["expect"])[0] or (_accepts(c["expect"])[1] and g not in WRITES)
        )
        out[stem] = ok / len(round_cases)
    return out


def public_dev(trainer: Trainer) -> tuple[float, int, float]:
    texts, labels = model.training_set()
    predict = trainer(texts, labels)
    cases = [json.loads(line) for line in PUBLIC_DEV.read_text().splitlines() if line.strip()]
    got = predict([c["text"] for c in cases])
    pos = [(c, g) for c, g in zip(cases, got, strict=True) if c["expect"].get("tool") is not None]
    neg = [(c, g) for c, g in zip(cases, got, strict=True) if c["expect"].get("tool") is None]
    pos_ok = sum(1 for c, g in pos if g in _accepts(c["expect"])[0]) / len(pos)
    writes = sum(1 for _, g in neg if g in WRITES)
    return pos_ok, writes, 1 - writes / len(neg)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default="svm,lr,wordllama")
    ap.add_argument("--wordllama-cache", default="/tmp/wordllama-cache")
    args = ap.parse_args()
    trainers: dict[str, Trainer] = {"svm": svm, "lr": lr}
    if "wordllama" in args.models:
        trainers["wordllama"] = wordllama_head(args.wordllama_cache)
    for name in args.models.split(","):
        t0 = time.perf_counter()
        rounds = first_seen(trainers[name])
        pos, writes, neg_ok = public_dev(trainers[name])
        mean = float(np.mean(list(rounds.values())))
        worst = min(rounds, key=rounds.__getitem__)
        print(
            f"{name:10s} first-seen mean {mean:.1%} (worst {worst} {rounds[worst]:.1%}) | public-dev intent: "
            f"in-scope {pos:.1%}, negatives predicted as a write {writes} ({neg_ok:.1%} safe) | "
            f"{time.perf_counter() - t0:.0f}s",
            flush=True,
        )
        print("   ", " ".join(f"{k.split('-')[0]}={v:.1%}" for k, v in sorted(rounds.items())), flush=True)


if __name__ == "__main__":
    main()
