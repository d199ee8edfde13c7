"""Reading level of victim-facing answers (Flesch-Kincaid grade, textstat), per question set.

    .venv/bin/python scripts/readability.py     # needs the index (make index)

Measures the answer text people read: citation markers, helpline lines and links removed.
"""

from __future__ import annotations

import re
import statistics
import sys
from pathlib import Path

import yaml
from offline_textstat import textstat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.answer.assistant import Assistant  # noqa: E402
from bot.config import Settings  # noqa: E402


def readable_text(answer: str) -> str:
    lines = [l for l in answer.splitlines() if not l.lstrip().startswith("- ") or "http" not in l]
    text = "\n".join(lines)
    text = re.sub(r"\[\d+\]|\*\*|_|https?://\S+", "", text)
    return text


def main() -> int:
    bot = Assistant(Settings())
    sets = {"dev.yaml (shared)": ROOT.parent / "shared/eval/dev.yaml", "eval_set.yaml": ROOT / "tests/data/eval_set.yaml"}
    rows = []
    for label, path in sets.items():
        if not path.exists():
            continue
        cases = [c for c in yaml.safe_load(path.read_text()) if (c.get("persona") or "victim") == "victim"
                 and (c.get("lang") or "en") == "en"]
        grades = []
        for c in cases:
            ans = bot.answer(c["q"])
            if ans.refused or not ans.grounded:
                continue
            grades.append(textstat.flesch_kincaid_grade(readable_text(ans.answer)))
        rows.append((label, len(grades), statistics.median(grades), sum(g <= 8 for g in grades) / len(grades)))
    print("| set | answers | median FK grade | share at grade ≤ 8 |\n|---|---|---|---|")
    for label, n, med, share in rows:
        print(f"| {label} | {n} | {med:.1f} | {share:.0%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
