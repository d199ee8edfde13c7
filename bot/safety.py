"""The safety layer: runs first on every message, before retrieval.

Two layers. Clear rules (regular expressions in English, Spanish and Traditional Chinese) catch
the unambiguous cases and never miss them. An embedding-similarity classifier over labelled
example messages (bot/safety_examples.yaml) catches paraphrases the rules do not know, with a
margin against neutral look-alikes ("I'm 16 years into my marriage") to keep false alarms down.
What to *say* for each flag, and which helplines to show, lives in bot/answer/; the numbers
themselves live in knowledge/directory.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from bot.models import SafetyFlags
from bot.safety_rules import (CRISIS_NOT, CRISIS_STRONG, CRISIS_WEAK, DANGER_NOT, DANGER_NOW,
                              DANGER_SAFE, DANGER_STRONG, IMAGE, INJECTION, MINOR_ADULT, MINOR_NOT,
                              MINOR_SOFT, MINOR_STRONG, MISUSE_FORCE, MISUSE_NOT, MISUSE_STRONG)

EXAMPLES = Path(__file__).with_name("safety_examples.yaml")
MAX_CHARS = 4000  # longer messages are checked on their first and last parts


@lru_cache(maxsize=1)
def _examples() -> dict[str, list[str]]:
    return yaml.safe_load(EXAMPLES.read_text(encoding="utf-8"))


class SafetyClassifier:
    """Nearest-example classifier: a flag fires when the message is closer to that flag's
    examples than THRESHOLD and clearer than the nearest neutral example by MARGIN."""

    # Misuse is held to a higher bar: refusing a victim by mistake does real harm.
    THRESHOLD = {"crisis": 0.62, "danger": 0.66, "minor": 0.70, "misuse": 0.80}
    MARGIN = 0.06

    def __init__(self, embedder) -> None:
        self.embedder = embedder
        ex = _examples()
        self.labels = [k for k in ex if k != "neutral"]
        self.vectors = {k: embedder.embed(ex[k]) for k in ex}

    def scores(self, text: str) -> dict[str, float]:
        v = self.embedder.embed_one(text)
        return {k: float(np.max(m @ v)) for k, m in self.vectors.items()}

    def flags(self, text: str) -> set[str]:
        s = self.scores(text)
        neutral = s.get("neutral", 0.0)
        return {k for k in self.labels if s[k] >= self.THRESHOLD[k] and s[k] >= neutral + self.MARGIN}


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
    if classifier is not None and text.strip():
        for name in classifier.flags(text):
            if name == "danger" and (DANGER_SAFE.search(text) or flags.crisis):
                continue  # "I'm safe now" outweighs resemblance; crisis already shows 911
            setattr(flags, name, True)
    return flags
