"""The safety layer: runs first on every message, before retrieval.

Two layers. Clear rules (bot/safety_rules.py, in English, Spanish and Traditional Chinese) catch
the unambiguous cases. A small classifier (logistic-regression heads over the message's
sentence embedding, trained on our labelled messages) catches paraphrases the rules do not
know. Cancelling contexts ("I'm safe now") veto both. docs/safety.md has the measurements.
What to *say* for each flag, and which helplines to show, lives in bot/answer/; the numbers
themselves live in knowledge/directory.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml

from bot.models import SafetyFlags
from bot.safety_rules import (CRISIS_NOT, CRISIS_STRONG, CRISIS_WEAK, DANGER_NOT, DANGER_NOW,
                              DANGER_SAFE, DANGER_STRONG, IMAGE, INJECTION, MINOR_ADULT, MINOR_NOT,
                              MINOR_SOFT, MINOR_STRONG, MISUSE_FORCE, MISUSE_NOT, MISUSE_STRONG)

EXAMPLES = Path(__file__).with_name("safety_examples.yaml")
MAX_CHARS = 4000  # longer messages are checked on their first and last parts
MIN_WORDS_FOR_CLASSIFIER = 6


FLAGS = ("crisis", "danger", "minor", "misuse")
MODEL = Path(__file__).with_name("safety_heads.npz")


def fit_heads(vectors: np.ndarray, labels: dict[str, np.ndarray], l2: float = 1e-3,
              steps: int = 1500, rate: float = 1.0) -> dict[str, tuple[np.ndarray, float]]:
    """Class-balanced logistic regression, one head per flag, on sentence embeddings."""
    heads = {}
    for name, y in labels.items():
        w, b = np.zeros(vectors.shape[1]), 0.0
        pos = max(float(y.mean()), 1e-3)
        weight = np.where(y == 1, 0.5 / pos, 0.5 / max(1 - pos, 1e-3))
        for _ in range(steps):
            p = 1 / (1 + np.exp(-(vectors @ w + b)))
            g = (p - y) * weight
            w -= rate * (vectors.T @ g / len(y) + l2 * w)
            b -= rate * float(g.mean())
        heads[name] = (w.astype(np.float32), b)
    return heads


def training_items(paths: list[Path]) -> list[dict]:
    """Labelled messages from the given sets plus bot/safety_examples.yaml."""
    items = [it for path in paths for it in yaml.safe_load(path.read_text(encoding="utf-8"))]
    for label, texts in yaml.safe_load(EXAMPLES.read_text(encoding="utf-8")).items():
        items += [{"text": t, **{f: f == label for f in FLAGS}} for t in texts]
    return items


def train(embedder, paths: list[Path]) -> dict[str, tuple[np.ndarray, float]]:
    items = training_items(paths)
    vectors = embedder.embed([it["text"] for it in items])
    return fit_heads(vectors, {f: np.array([1.0 if it[f] else 0.0 for it in items]) for f in FLAGS})


def save_heads(heads: dict, path: Path = MODEL) -> None:
    np.savez(path, **{f"{k}_w": w for k, (w, _) in heads.items()},
             **{f"{k}_b": np.array(b) for k, (_, b) in heads.items()})


class SafetyClassifier:
    """Logistic-regression heads over the message embedding (trained by
    scripts/train_safety.py on the labelled sets in tests/data). A head fires above its
    threshold; misuse is held to the highest bar, because refusing a victim does real harm."""

    THRESHOLD = {"crisis": 0.7, "danger": 0.75, "minor": 0.85, "misuse": 0.9}

    def __init__(self, embedder, heads: dict | None = None) -> None:
        self.embedder = embedder
        if heads is None:
            data = np.load(MODEL)
            heads = {f: (data[f"{f}_w"], float(data[f"{f}_b"])) for f in FLAGS}
        self.heads = heads

    def scores(self, text: str) -> dict[str, float]:
        v = self.embedder.embed_one(text)
        return {f: float(1 / (1 + np.exp(-(v @ w + b)))) for f, (w, b) in self.heads.items()}

    def flags(self, text: str) -> set[str]:
        return {f for f, p in self.scores(text).items() if p >= self.THRESHOLD[f]}


def rule_flags(text: str) -> SafetyFlags:
    """The rule layer alone: a hit counts unless a cancelling context is present."""
    crisis = bool(CRISIS_STRONG.search(text)) and not CRISIS_NOT.search(text)
    if not crisis and CRISIS_WEAK.search(text) and not CRISIS_NOT.search(text):
        crisis = True
    danger = (bool(DANGER_STRONG.search(text)) and not DANGER_SAFE.search(text)
              and not (DANGER_NOT.search(text) and not DANGER_NOW.search(text)))
    minor = not MINOR_NOT.search(text) and (bool(MINOR_STRONG.search(text)) or (
        bool(MINOR_SOFT.search(text)) and not MINOR_ADULT.search(text)))
    misuse = bool(MISUSE_STRONG.search(text)) and (
        not MISUSE_NOT.search(text) or bool(MISUSE_FORCE.search(text)))
    return SafetyFlags(crisis=crisis, danger=danger, minor=minor, misuse=misuse,
                       injection=bool(INJECTION.search(text)), image_request=bool(IMAGE.search(text)))


def check(text: str, classifier: SafetyClassifier | None = None) -> SafetyFlags:
    """Safety flags for one message; rules first, then (if given) the classifier."""
    text = text if len(text) <= MAX_CHARS else text[:MAX_CHARS // 2] + "\n" + text[-MAX_CHARS // 2:]
    flags = rule_flags(text)
    # Very short messages give the classifier too little context ("my kid's school"); the rules
    # carry them.
    if classifier is not None and len(text.split()) >= MIN_WORDS_FOR_CLASSIFIER:
        for name in classifier.flags(text):
            if name == "danger" and (DANGER_SAFE.search(text) or flags.crisis):
                continue  # "I'm safe now" outweighs resemblance; crisis already shows 911
            setattr(flags, name, True)
    return flags
