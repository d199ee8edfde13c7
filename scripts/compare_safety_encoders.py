"""Which sentence encoder should the safety heads use? Trains heads on every training set except
safety_blind.yaml with each encoder and reports, on safety_blind.yaml, the AUC and the recall
at the operating point where precision is 90%. (How docs/safety.md chose multilingual-e5.)

    .venv/bin/python scripts/compare_safety_encoders.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import safety  # noqa: E402
from ingest.embed import get_embedder  # noqa: E402

DATA = ROOT / "tests/data"
HELD_OUT = "safety_blind.yaml"


def recall_at_precision(p: np.ndarray, y: np.ndarray, precision: float = 0.9) -> float:
    best = 0.0
    for t in np.unique(p):
        picked = p >= t
        if (picked & y).sum() / picked.sum() >= precision:
            best = max(best, (picked & y).sum() / y.sum())
    return best


def main() -> int:
    train = safety.training_items([DATA / n for n in safety.TRAINING_SETS if n != HELD_OUT])
    test = yaml.safe_load((DATA / HELD_OUT).read_text(encoding="utf-8"))
    minilm, e5 = get_embedder(), safety.get_encoder()
    encoders = {"MiniLM (English)": lambda texts: np.asarray(minilm.embed(texts)),
                "multilingual-e5-small": e5.embed}
    print(f"heads trained on {len(train)} messages, scored on {HELD_OUT} ({len(test)})")
    for name, encode in encoders.items():
        x_train = encode([it["text"] for it in train])
        x_test = encode([it["text"] for it in test])
        cells = []
        for flag in safety.FLAGS:
            y = np.array([bool(it[flag]) for it in train])
            y_test = np.array([bool(it[flag]) for it in test])
            p = safety.head_model().fit(x_train, y).predict_proba(x_test)[:, 1]
            auc = (p[y_test][:, None] > p[~y_test][None, :]).mean()
            cells.append(f"{flag} AUC {auc:.3f} recall@P90 {recall_at_precision(p, y_test):.2f}")
        print(f"{name}: " + " | ".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
