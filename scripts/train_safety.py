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
from ingest.embed import get_embedder  # noqa: E402

SETS = [ROOT / "tests/data" / n for n in ("safety_set.yaml", "safety_holdout.yaml", "safety_blind.yaml")]

if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]] or SETS
    heads = safety.train(get_embedder(), paths)
    safety.save_heads(heads)
    print(f"trained on {len(safety.training_items(paths))} messages → {safety.MODEL.relative_to(ROOT)}")
