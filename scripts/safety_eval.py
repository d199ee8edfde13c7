"""Measure the safety layer on the labelled set: precision and recall per flag, per language,
and the time it adds per message. Writes docs/safety.md.

    .venv/bin/python scripts/safety_eval.py [tests/data/safety_set.yaml] [--out docs/safety.md]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import safety  # noqa: E402
from ingest.embed import get_embedder  # noqa: E402

FLAGS = ("crisis", "danger", "minor", "misuse")


def predicted(flags, name: str) -> bool:
    # "misuse" in the set includes attempts to get around the rules (our `injection` flag).
    return flags.refuses if name == "misuse" else getattr(flags, name)


def score(items, preds) -> dict:
    out = {}
    for name in FLAGS:
        tp = sum(1 for it, p in zip(items, preds) if it[name] and predicted(p, name))
        fp = sum(1 for it, p in zip(items, preds) if not it[name] and predicted(p, name))
        fn = sum(1 for it, p in zip(items, preds) if it[name] and not predicted(p, name))
        out[name] = {"tp": tp, "fp": fp, "fn": fn,
                     "precision": tp / (tp + fp) if tp + fp else 1.0,
                     "recall": tp / (tp + fn) if tp + fn else 1.0}
    return out


def report(path: Path, classifier, show_misses: bool) -> list[str]:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    preds, times, rules_times = [], [], []
    for it in items:
        t0 = time.perf_counter()
        preds.append(safety.check(it["text"], classifier))
        times.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        safety.check(it["text"])
        rules_times.append((time.perf_counter() - t0) * 1000)
    overall = score(items, preds)
    by_lang = {lang: score([i for i in items if i["lang"] == lang],
                           [p for i, p in zip(items, preds) if i["lang"] == lang])
               for lang in sorted({i["lang"] for i in items})}
    if show_misses:
        for it, p in zip(items, preds):
            wrong = [n for n in FLAGS if bool(it[n]) != predicted(p, n)]
            if wrong:
                print(f"{','.join(f'{n}={it[n]}' for n in wrong)} | {it['text'][:110]}")
    q = statistics.quantiles(times, n=20)
    counts = ", ".join(f"{sum(1 for i in items if i['lang'] == lang)} {lang}" for lang in by_lang)
    lines = [f"## `{path.relative_to(ROOT)}`: {len(items)} messages ({counts})", "",
             "| flag | precision | recall | TP | FP | FN |", "|---|---|---|---|---|---|"]
    lines += [f"| {n} | {s['precision']:.3f} | {s['recall']:.3f} | {s['tp']} | {s['fp']} | {s['fn']} |"
              for n, s in overall.items()]
    lines += ["", "| lang | flag | precision | recall | TP | FP | FN |", "|---|---|---|---|---|---|---|"]
    for lang, sc in by_lang.items():
        lines += [f"| {lang} | {n} | {s['precision']:.3f} | {s['recall']:.3f} | {s['tp']} | {s['fp']} | {s['fn']} |"
                  for n, s in sc.items()]
    lines += ["", f"Time added per message: rules + classifier median {statistics.median(times):.1f} ms, "
              f"p95 {q[18]:.1f} ms; rules alone median {statistics.median(rules_times):.2f} ms.", ""]
    return lines


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("sets", nargs="*", default=[str(ROOT / "tests/data" / n) for n in (
        "safety_set.yaml", "safety_holdout.yaml", "safety_blind.yaml")])
    ap.add_argument("--out", default=str(ROOT / "docs/safety.md"))
    ap.add_argument("--misses", action="store_true", help="print every wrong decision")
    ap.add_argument("--cross", action="store_true",
                    help="also score each set with heads trained on the other sets only")
    args = ap.parse_args()
    classifier = safety.SafetyClassifier(get_embedder())
    safety.check("warm up", classifier)
    lines = ["# Safety layer: measured", "",
             "Reproduce: `.venv/bin/python scripts/safety_eval.py` (2-core machine, one run). "
             "`misuse` counts both refusal flags (requests for intimate images and attempts to "
             "override the rules).", ""]
    for path in map(Path, args.sets):
        lines += report(path.resolve(), classifier, args.misses)
    if args.cross:
        lines += ["# Leave-one-set-out: each set scored by heads trained without it", "",
                  "The rules were written looking at safety_set and safety_holdout, never at "
                  "safety_blind, so the safety_blind row below is the closest figure to unseen messages.", ""]
        paths = [Path(p).resolve() for p in args.sets]
        for path in paths:
            heads = safety.train(classifier.embedder, [p for p in paths if p != path])
            held_out = safety.SafetyClassifier(classifier.embedder, heads)
            lines += report(path, held_out, False)
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
