"""The naive LangChain tutorial pipeline as a program of its own, for `recourse bench`'s side by side.

`quality/baseline.py` builds the tutorial pipeline (raw files, RecursiveCharacterTextSplitter
1000/200, langchain-chroma, the same MiniLM model, plain top-k) for `recourse eval --baseline`.
Here it is run the way a person would meet it: built once into a folder, then a fresh process
opens it and answers questions, so its cold start and memory are its own.

    python -m quality.langchain_baseline build DIR     # index the knowledge into DIR
    python -m quality.langchain_baseline query DIR     # cold start, latency, recall, memory: JSON
"""

from __future__ import annotations

import json
import sys
import time

T0 = time.perf_counter()

from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "Can I sue someone who posted my nude photos?"


def build(folder: Path) -> dict:
    from bot.config import Settings
    from ingest.embed import get_embedder
    from quality.baseline import build_baseline

    t0 = time.perf_counter()
    store = build_baseline(Settings(), get_embedder(), str(folder))
    return {"chunks": store._collection.count(), "build_s": round(time.perf_counter() - t0, 1)}


def query(folder: Path) -> dict:
    import chromadb
    import yaml
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma

    from ingest.embed import get_embedder
    from quality.baseline import ModelEmbeddings, baseline_ranks
    from quality.figures import retrieval_figures

    client = chromadb.PersistentClient(path=str(folder), settings=ChromaSettings(anonymized_telemetry=False))
    store = Chroma(client=client, collection_name="baseline", embedding_function=ModelEmbeddings(get_embedder()))
    store.similarity_search(QUESTION, k=5)
    cold_s = time.perf_counter() - T0
    cases = yaml.safe_load((ROOT / "tests" / "data" / "eval_set.yaml").read_text(encoding="utf-8"))
    cases = [c for c in cases if c.get("source")]
    times = []
    for case in cases:
        t0 = time.perf_counter()
        store.similarity_search(case["q"], k=5)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    figures = retrieval_figures(baseline_ranks(store, cases))
    peak = int(Path("/proc/self/status").read_text().split("VmHWM:")[1].split()[0]) / 1024
    return {"cold_s": round(cold_s, 2), "questions": figures["questions"],
            "p50_ms": round(times[len(times) // 2], 1), "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
            "recall_at_1": figures["recall@1"], "recall_at_5": figures["recall@5"], "peak_rss_mb": round(peak)}


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    command, folder = sys.argv[1], Path(sys.argv[2])
    print(json.dumps(build(folder) if command == "build" else query(folder)))
