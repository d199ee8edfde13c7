"""Train the understand stage's intent head → bot/answer/understand_heads.npz.

A multinomial logistic regression over the safety encoder's multilingual vectors, trained on
tests/data/understand_train.yaml (not on any evaluation set). Prints 5-fold cross-validated
accuracy per language so a change in the data shows up as a figure.

    .venv/bin/python scripts/train_understand.py
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.answer.understand import HEADS, INTENTS  # noqa: E402
from bot.safety import get_encoder  # noqa: E402


def main() -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict

    items = yaml.safe_load((ROOT / "tests/data/understand_train.yaml").read_text(encoding="utf-8"))
    vectors = get_encoder().embed([it["text"] for it in items])
    y = np.array([INTENTS.index(it["intent"]) for it in items])
    model = LogisticRegression(C=8.0, class_weight="balanced", max_iter=5000)
    held = cross_val_predict(model, vectors, y, cv=5)
    by_lang = collections.defaultdict(list)
    for it, got, want in zip(items, held, y):
        by_lang[it["lang"]].append(got == want)
    print(f"5-fold accuracy {np.mean(held == y):.3f} on {len(items)} messages; " +
          ", ".join(f"{lang} {np.mean(v):.3f} (n={len(v)})" for lang, v in sorted(by_lang.items())))
    model.fit(vectors, y)
    labels = np.array([INTENTS[c] for c in model.classes_])
    np.savez(HEADS, w=model.coef_.astype(np.float32), b=model.intercept_.astype(np.float32), labels=labels)
    print(f"wrote {HEADS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
