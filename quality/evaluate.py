"""`recourse eval`: run a question set through `ask` and score it.

The set's format is ../shared/eval/dev.yaml: `must` is a list of groups of alternative regular
expressions, each group matched (case-insensitively) against the answer text, its citations
and its resources; `safety` flags must be set; `refuse` must refuse. Questions that carry an
expected `source` also give retrieval figures: recall@1, recall@5 and MRR@10 of that source in
`recourse search`, and citation validity (every citation names a retrieved chunk).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from bot import jurisdictions
from bot.config import Settings
from bot.models import Answer
from quality.figures import rank_of, retrieval_figures


def haystack(ans: Answer) -> str:
    parts = [ans.answer]
    parts += [f"{c.citation} {c.section or ''} {c.title} {c.url}" for c in ans.citations]
    parts += [f"{r.name} {r.phone or ''} {r.sms or ''} {r.url or ''}" for r in ans.resources]
    return "\n".join(parts)


def judge(case: dict, ans: Answer) -> list[str]:
    """Reasons the answer fails the case (empty = pass)."""
    reasons = []
    text = haystack(ans)
    for group in case.get("must") or []:
        if not any(re.search(p, text, re.IGNORECASE) for p in group):
            reasons.append(f"missing any of {group}")
    for flag, want in (case.get("safety") or {}).items():
        if getattr(ans.safety, flag) != want:
            reasons.append(f"safety.{flag} is {getattr(ans.safety, flag)}, want {want}")
    if case.get("refuse") and not ans.refused:
        reasons.append("did not refuse")
    if not case.get("refuse") and ans.refused:
        reasons.append("refused a legitimate question")
    return reasons


def retrieval_ranks(assistant, cases: list[dict]) -> list[int | None]:
    """1-based rank of the expected source in the top 10 search results (None = not found)."""
    ranks = []
    for case in cases:
        hits = assistant.search.search(case["q"], 10, _place(case), case.get("lang"))
        ranks.append(rank_of(case, [h.chunk.source_id for h in hits]))
    return ranks


def _place(case: dict) -> str | None:
    return jurisdictions.normalise(case.get("state"), state=True)


def evaluate(assistant, cases: list[dict]) -> dict:
    results, valid_citations, total_citations = [], 0, 0
    live = set(assistant.search.sources())
    for case in cases:
        ans = assistant.answer(case["q"], jurisdiction=_place(case), lang=case.get("lang"),
                               persona=case.get("persona") or "victim", qid=case.get("id"))
        reasons = judge(case, ans)
        total_citations += len(ans.citations)
        valid_citations += sum(1 for c in ans.citations if c.source_id in live)
        results.append({"id": case.get("id"), "q": case["q"], "passed": not reasons,
                        "reasons": reasons, "mode": ans.mode})
    passed = sum(r["passed"] for r in results)
    out = {"pass_rate": round(passed / len(results), 3) if results else 0.0, "passed": passed,
           "total": len(results), "results": results,
           "citation_validity": round(valid_citations / total_citations, 3) if total_citations else 1.0}
    with_source = [c for c in cases if c.get("source")]
    if with_source:
        out["retrieval"] = retrieval_figures(retrieval_ranks(assistant, with_source))
    return out


def run_eval(settings: Settings, path: Path, as_json: bool = False, baseline: bool = False) -> int:
    from bot.answer.assistant import Assistant

    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    assistant = Assistant(settings)
    out = evaluate(assistant, cases)
    if baseline:
        from quality.baseline import baseline_figures
        out["baseline"] = baseline_figures(settings, assistant.embedder, [c for c in cases if c.get("source")])
    if as_json:
        print(json.dumps(out, ensure_ascii=False))
        return 0
    for r in out["results"]:
        print(f"{'PASS' if r['passed'] else 'FAIL'} {r['id']}: {r['q'][:70]}")
        for reason in r["reasons"]:
            print(f"       {reason}")
    print(f"pass rate {out['pass_rate']:.2f} ({out['passed']}/{out['total']}); "
          f"citation validity {out['citation_validity']:.2f}")
    if "retrieval" in out:
        print("retrieval:", json.dumps(out["retrieval"]))
    if "baseline" in out:
        print("baseline:", json.dumps(out["baseline"]))
    return 0
