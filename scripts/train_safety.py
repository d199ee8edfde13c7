"""Train the safety classifier heads (bot/safety_heads.npz) on the labelled sets.

    .venv/bin/python scripts/train_safety.py [SET.yaml ...]

By default it trains on every labelled set in tests/data; scripts/safety_eval.py --cross
reports how a model trained without a set does on that set (the honest figure).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import safety  # noqa: E402

SETS = [ROOT / "tests/data" / n for n in safety.TRAINING_SETS]

if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]] or SETS
    heads = safety.train(safety.get_encoder(), paths)
    safety.save_heads(heads)
    for name, (_, _, threshold) in heads.items():
        print(f"{name}: threshold {threshold:.2f}")
    print(f"trained on {len(safety.training_items(paths))} messages → {safety.MODEL.relative_to(ROOT)}")
