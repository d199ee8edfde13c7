"""`recourse bench`: throughput, re-ingest, query latency at scale, cold start, memory, LLM
streaming and concurrency on this machine, written to docs/benchmarks.md with PNG plots.

A script, not a test: these machines are noisy, so it quotes medians and ratios from one run.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import yaml

from quality.bench_report import plot, render
from bot.config import ROOT, Settings
from ingest.chunking import CHUNKING_VERSION, chunk_source, embedding_text
from ingest.embed import get_embedder
from ingest.index import Index
from ingest.loaders import load_sources
from ingest.pipeline import run_ingest

QUESTIONS = ROOT / "tests" / "data" / "eval_set.yaml"


def pct(values: list[float], p: float) -> float:
    return float(np.percentile(values, p))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


# ── throughput ───────────────────────────────────────────────────────────────────────────
def bench_throughput(settings: Settings, embedder, tmp: Path) -> dict:
    chunks = [c for s in load_sources(settings.knowledge_dir).sources for c in chunk_source(s)]
    texts = [embedding_text(c) for c in chunks]
    embedder.embed(texts[:64])  # warm up
    t0 = time.perf_counter()
    embedder.embed(texts)
    raw = len(texts) / (time.perf_counter() - t0)
    target = Settings(knowledge_dir=settings.knowledge_dir, index_dir=tmp / "tp-index")
    t0 = time.perf_counter()
    report = run_ingest(target, embedder=embedder, progress=False)
    full = report.embedded / (time.perf_counter() - t0)
    return {"chunks": len(texts), "raw_chunks_per_s": raw, "ingest_chunks_per_s": full,
            "ratio": full / raw}


# ── incremental re-ingest in a 1,000-source corpus ───────────────────────────────────────
GUIDE = """---
id: guide-synthetic-{n}
title: "Synthetic guide {n}: {topic}"
kind: guide
jurisdiction: US
citation: "Synthetic guide {n}"
url: https://example.org/synthetic/{n}
last_verified: 2026-11-01
---
# Synthetic guide {n}

## Step 1: Record {topic}
Write down every address where {topic} appears, with the date, for case {n}.

## Step 2: Report {topic}
Use the platform's report form for {topic} and keep the confirmation, case {n}.

## Step 3: Ask for help with {topic}
Call a helpline if {topic} is not removed in two days, case {n}.
"""
TOPICS = ["a leaked photo", "a deepfake", "a threat", "a forum post", "a video", "a screenshot"]


def bench_incremental(embedder, tmp: Path) -> dict:
    knowledge = tmp / "k1000" / "guides"
    knowledge.mkdir(parents=True)
    for n in range(1000):
        (knowledge / f"g{n}.md").write_text(GUIDE.format(n=n, topic=TOPICS[n % len(TOPICS)]))
    settings = Settings(knowledge_dir=tmp / "k1000", index_dir=tmp / "k1000-index")
    t0 = time.perf_counter()
    first = run_ingest(settings, embedder=embedder, progress=False)
    full_s = time.perf_counter() - t0
    target = knowledge / "g500.md"
    target.write_text(target.read_text().replace("two days", "48 hours"))
    t0 = time.perf_counter()
    report = run_ingest(settings, embedder=embedder, progress=False)
    warm_s = time.perf_counter() - t0
    target.write_text(target.read_text().replace("48 hours", "two days, then again"))
    env = {**os.environ, "RECOURSE_KNOWLEDGE_DIR": str(settings.knowledge_dir),
           "RECOURSE_INDEX_DIR": str(settings.index_dir)}
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "bot.cli", "ingest", "--json"], env=env, cwd=ROOT,
                         capture_output=True, text=True, check=True)
    cli_s = time.perf_counter() - t0
    cli = json.loads(out.stdout)
    return {"sources": 1000, "chunks": first.embedded, "full_ingest_s": full_s,
            "one_source_s": warm_s, "one_source_embedded": report.embedded,
            "one_source_changed": [c.id for c in report.changed],
            "cli_one_source_s": cli_s, "cli_embedded": cli["embedded"]}


# ── query latency at 1k / 10k / 100k chunks ──────────────────────────────────────────────
def scaled_index(base: Settings, embedder, size: int, tmp: Path) -> Settings:
    """A synthetic index of `size` chunks scaled from the real one: real texts with a variant
    tag, real vectors with small noise (so the model is not re-run 100k times)."""
    index = Index(base)
    manifest = index.manifest()
    real = index.live_chunks(manifest)
    got = index.chunks.get(ids=[c.id for c in real], include=["embeddings"])
    vectors = dict(zip(got["ids"], np.asarray(got["embeddings"])))
    settings = Settings(knowledge_dir=base.knowledge_dir, index_dir=tmp / f"scaled-{size}")
    target = Index(settings, create=True)
    rng = np.random.default_rng(size)
    sources, batch, batch_vecs = {}, [], []
    for i in range(size):
        c = real[i % len(real)]
        copy = i // len(real)
        sid = c.source_id if copy == 0 else f"{c.source_id}-v{copy}"
        chunk = c.model_copy(update={"id": f"{sid}:{i}", "source_id": sid,
                                     "text": c.text if copy == 0 else f"{c.text} (variant {copy})"})
        v = vectors[c.id] + (rng.normal(0, 0.02, len(vectors[c.id])) if copy else 0)
        batch.append(chunk)
        batch_vecs.append(v / np.linalg.norm(v))
        entry = sources.setdefault(sid, {**manifest["sources"][c.source_id], "chunks": []})
        entry["chunks"].append(chunk.id)
        if len(batch) == 2000:
            target.add(batch, batch_vecs)
            batch, batch_vecs = [], []
    if batch:
        target.add(batch, batch_vecs)
    target.write_manifest({"model": embedder.name, "chunking": CHUNKING_VERSION, "generation": 1,
                           "sources": sources, "routes": manifest.get("routes", {}),
                           "actions": manifest.get("actions", [])})
    from bot.retrieval import save_serving_copy

    save_serving_copy(settings, target)  # as ingest does after its switch
    return settings


def bench_latency(base: Settings, embedder, tmp: Path, sizes: list[int]) -> list[dict]:
    from bot.answer.assistant import Assistant
    from bot.query_encoder import get_query_encoder
    from bot.retrieval import HybridSearch

    questions = [c["q"] for c in yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))][:60]
    encoder = get_query_encoder(base)
    rows = []
    for size in sizes:
        t0 = time.perf_counter()
        settings = scaled_index(base, embedder, size, tmp)
        build_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        search = HybridSearch(settings, encoder)  # what answering uses: the ONNX query encoder
        load_s = time.perf_counter() - t0
        assistant = Assistant(settings, search=search)
        assistant.answer(questions[0])  # warm up
        retrieval, answer = [], []
        for q in questions:
            t0 = time.perf_counter()
            search.search(q, k=8)
            retrieval.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            assistant.answer(q)
            answer.append((time.perf_counter() - t0) * 1000)
        rows.append({"chunks": size, "build_s": build_s, "load_s": load_s, "serving_copy": search.from_copy,
                     "retrieval_p50": pct(retrieval, 50), "retrieval_p95": pct(retrieval, 95),
                     "answer_p50": pct(answer, 50), "answer_p95": pct(answer, 95)})
        shutil.rmtree(settings.index_dir, ignore_errors=True)
    return rows


# ── a cold `recourse ask --json`: the whole command, as a maintainer's script runs it ─────
def bench_cold_cli(settings: Settings, runs: int = 3) -> dict:
    """Wall time and peak memory of one-question commands, after one warm-up run (so the OS file
    cache holds the model files, as it does on a machine in use)."""
    env = {**os.environ, "RECOURSE_KNOWLEDGE_DIR": str(settings.knowledge_dir),
           "RECOURSE_INDEX_DIR": str(settings.index_dir), "HF_HUB_OFFLINE": "1"}
    command = [sys.executable, "-m", "bot.cli", "ask", "--json", "Can I sue someone who posted my nude photos?"]
    # GNU time reports the command's own peak: a child forked straight from this (large) process
    # would be charged this process's memory at the fork.
    timer = ["/usr/bin/time", "-f", "%M"] if Path("/usr/bin/time").exists() else []
    walls, peaks = [], []
    for i in range(runs + 1):
        t0 = time.perf_counter()
        done = subprocess.run([*timer, *command], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"recourse ask failed with {done.returncode}")
        if i:  # the first run warms the file cache
            walls.append(time.perf_counter() - t0)
            if timer:
                peaks.append(int(done.stderr.strip().splitlines()[-1]) / 1024)
    return {"runs": runs, "wall_s_median": statistics.median(walls), "wall_s": walls,
            "peak_rss_mb_median": statistics.median(peaks) if peaks else None}


# ── the app: cold start, memory, concurrency ─────────────────────────────────────────────
def start_app(settings: Settings) -> tuple[subprocess.Popen, str, float]:
    port = free_port()
    env = {**os.environ, "RECOURSE_KNOWLEDGE_DIR": str(settings.knowledge_dir),
           "RECOURSE_INDEX_DIR": str(settings.index_dir)}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "chat", "--port", str(port)], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in proc.stdout:
        if "ready" in line:
            break
    threading.Thread(target=proc.stdout.read, daemon=True).start()  # keep the pipe drained
    return proc, f"http://127.0.0.1:{port}/", time.perf_counter() - t0


def ask_app(client, question: str, place: str = "") -> tuple[str, float]:
    t0 = time.perf_counter()
    chat, *_ = client.predict(question, place, "victim", "", 0, api_name="/reply")
    content = chat[-1]["content"]
    text = content if isinstance(content, str) else " ".join(p.get("text", "") for p in content)
    return text, time.perf_counter() - t0


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bench_app(settings: Settings, loads: tuple[tuple[int, int], ...] = ((50, 3), (100, 1))) -> dict:
    """One app process: cold start, then for each (sessions, rounds) that many simultaneous
    sessions (quality/load.py: the browser's queue protocol, asyncio — light enough not to
    starve the app it measures), and the app's CPU per answer."""
    from gradio_client import Client

    from bot.jurisdictions import US_STATES
    from quality.load import drive

    proc, url, ready_s = start_app(settings)
    try:
        t0 = time.perf_counter()
        first = Client(url, verbose=False)
        ask_app(first, "Can I sue someone who posted my nude photos?")
        first_answer_s = ready_s + (time.perf_counter() - t0)
        every = sorted(US_STATES.items())
        out = {"ready_s": ready_s, "first_answer_s": first_answer_s, "runs": []}
        for sessions, rounds in loads:
            states = [every[i % len(every)] for i in range(sessions)]  # past 51, states repeat
            cpu0 = cpu_s(proc.pid)
            result = drive(url, states, rounds).summary()
            result.update(sessions=sessions, rounds=rounds,
                          app_cpu_ms_per_answer=round((cpu_s(proc.pid) - cpu0) * 1000 / max(1, result["answers"])))
            out["runs"].append(result)
        out["app_rss_mb_after"] = rss_mb(proc.pid)
        out["app_peak_rss_mb"] = peak_rss_mb(proc.pid)
        return out
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def bench_langchain(tmp: Path) -> dict:
    """The naive LangChain tutorial pipeline (quality/langchain_baseline.py) on the same
    knowledge: built once, then queried by a fresh process (its cold start, latency, memory)."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    run = lambda *a: json.loads(subprocess.run(  # noqa: E731
        [sys.executable, "-m", "quality.langchain_baseline", *a], cwd=ROOT, env=env, check=True,
        capture_output=True, text=True).stdout.strip().splitlines()[-1])
    built = run("build", str(tmp / "langchain"))
    return {**built, **run("query", str(tmp / "langchain"))}


def bench_our_recall(settings: Settings) -> dict:
    """Our retrieval on the same eval questions, scored the same way (quality/figures.py)."""
    from bot.retrieval import HybridSearch
    from quality.figures import rank_of, retrieval_figures

    search = HybridSearch(settings)
    cases = [c for c in yaml.safe_load((ROOT / "tests" / "data" / "eval_set.yaml").read_text(encoding="utf-8"))
             if c.get("source")]
    ranks = [rank_of(c, [h.chunk.source_id for h in search.search(c["q"], k=10, jurisdiction=c.get("state"))])
             for c in cases]
    figures = retrieval_figures(ranks)
    return {"questions": figures["questions"], "recall_at_1": figures["recall@1"], "recall_at_5": figures["recall@5"]}


def bench_ingest_memory(settings: Settings, tmp: Path) -> float:
    env = {**os.environ, "RECOURSE_KNOWLEDGE_DIR": str(settings.knowledge_dir),
           "RECOURSE_INDEX_DIR": str(tmp / "mem-index")}
    proc = subprocess.Popen([sys.executable, "-c", (
        "import sys, runpy; sys.argv=['recourse','ingest']\n"
        "from bot.cli import main\nrc = main()\n"
        "print(open('/proc/self/status').read().split('VmHWM:')[1].split()[0])")],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out, _ = proc.communicate()
    return int(out.strip().splitlines()[-1]) / 1024


# ── LLM streaming against the local OpenAI-compatible server used in tests ─────────────────
def bench_llm(runs: int = 10) -> dict:
    from openai import OpenAI

    sys.path.insert(0, str(ROOT))
    from tests.llm_server import running_server

    passages = '<passage n="1" source="15 U.S.C. § 6851" section="(b)">\nYou can sue. More text.\n</passage>'
    ttft, total = [], []
    with running_server() as url:
        client = OpenAI(base_url=url, api_key="none", max_retries=0)
        for _ in range(runs):
            t0 = time.perf_counter()
            first = None
            stream = client.chat.completions.create(model="cite-first", stream=True, messages=[
                {"role": "user", "content": f"Passages:\n{passages}\n\nQuestion: can I sue?"}])
            for event in stream:
                if first is None and event.choices and event.choices[0].delta.content:
                    first = time.perf_counter() - t0
            ttft.append(first * 1000)
            total.append((time.perf_counter() - t0) * 1000)
    return {"runs": runs, "ttft_ms_p50": pct(ttft, 50), "total_ms_p50": pct(total, 50)}


def run_bench(settings: Settings, sizes: list[int], out: Path) -> dict:
    embedder = get_embedder()
    results: dict = {"machine": f"{os.cpu_count()} cores, {sys.platform}, Python {sys.version.split()[0]}"}
    with tempfile.TemporaryDirectory(prefix="recourse-bench-") as tmp_name:
        tmp = Path(tmp_name)
        print("throughput…", flush=True)
        results["throughput"] = bench_throughput(settings, embedder, tmp)
        base = Settings(knowledge_dir=settings.knowledge_dir, index_dir=tmp / "tp-index")
        print("incremental re-ingest…", flush=True)
        results["incremental"] = bench_incremental(embedder, tmp)
        print("query latency…", flush=True)
        results["latency"] = bench_latency(base, embedder, tmp, sizes)
        print("ingest memory…", flush=True)
        results["ingest_peak_rss_mb"] = bench_ingest_memory(settings, tmp)
        print("cold recourse ask; app: cold start, memory, 50 sessions…", flush=True)
        results["cold_cli"] = bench_cold_cli(base)
        results["app"] = bench_app(base)
        print("the LangChain tutorial pipeline, side by side…", flush=True)
        results["langchain"] = bench_langchain(tmp)
        results["ours_recall"] = bench_our_recall(base)
        print("llm streaming…", flush=True)
        results["llm"] = bench_llm()
        out.mkdir(parents=True, exist_ok=True)
        results["plots"] = plot(results["latency"], results["throughput"], out)
    (out / "benchmarks.json").write_text(json.dumps(results, indent=1, default=str))
    (out / "benchmarks.md").write_text(render(results))
    return results
