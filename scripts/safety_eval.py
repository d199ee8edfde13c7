"""Measure the safety layer on the labelled sets: precision and recall per flag, per language,
and the time it adds per message. Writes docs/safety-figures.md (docs/safety.md explains them).

    .venv/bin/python scripts/safety_eval.py [SET.yaml ...] [--cross] [--misses] [--out FILE]
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

FLAGS = safety.FLAGS
DATA = ROOT / "tests/data"
# safety_blind3.yaml was written after every rule and head choice and is only ever measured.
EVALUATED = ("safety_set.yaml", "safety_holdout.yaml", "safety_blind.yaml", "safety_blind2.yaml",
             "safety_blind3.yaml")


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


def timing_by_length(classifier, runs: int = 7) -> list[str]:
    """Median time of the whole check for messages of growing length (the encoder's cost grows
    with length; the classifier reads at most safety.CLASSIFIER_CHARS)."""
    base = ("My ex posted the video on a forum and sent the link to my family. I keep thinking "
            "about it and I do not know what to do or who to tell. ")
    cells = []
    for n in (80, 200, 400, 600, 2000, 50_000):
        text = (base * (n // len(base) + 1))[:n]
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            safety.check(text, classifier)
            times.append((time.perf_counter() - t0) * 1000)
        cells.append(f"| {n:,} | {statistics.median(times):.1f} |")
    return ["## Time by message length", "",
            "| characters | median ms (rules + classifier) |", "|---|---|", *cells, ""]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("sets", nargs="*", default=[str(DATA / n) for n in EVALUATED])
    ap.add_argument("--out", default=str(ROOT / "docs/safety-figures.md"))
    ap.add_argument("--misses", action="store_true", help="print every wrong decision")
    ap.add_argument("--cross", action="store_true",
                    help="also score each training set with heads trained without it")
    args = ap.parse_args()
    classifier = safety.SafetyClassifier()
    safety.check("warm up", classifier)
    training = [DATA / n for n in safety.TRAINING_SETS]
    lines = ["# Safety layer: measured", "",
             "Reproduce: `.venv/bin/python scripts/safety_eval.py --cross` (2-core machine, one "
             "run). `misuse` counts both refusal flags (requests for intimate images and attempts "
             "to override the rules). The heads are trained on "
             + ", ".join(f"`{n}`" for n in safety.TRAINING_SETS)
             + "; the others were never trained on (docs/safety.md says which totals were seen "
             "before which choices).", ""]
    for path in map(Path, args.sets):
        lines += report(path.resolve(), classifier, args.misses)
    lines += timing_by_length(classifier)
    if args.cross:
        lines += ["# Leave-one-set-out: each training set scored by heads trained without it", "",
                  "(The rules were written with the training sets' misses in view, so only the "
                  "heads are held out here; see docs/safety.md.)", ""]
        for path in map(lambda p: Path(p).resolve(), args.sets):
            if path not in training:
                continue
            heads = safety.train(classifier.encoder, [p for p in training if p != path])
            lines += report(path, safety.SafetyClassifier(classifier.encoder, heads), args.misses)
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
