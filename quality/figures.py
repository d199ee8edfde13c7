"""Retrieval figures shared by the evaluation and the baseline (so neither imports the other)."""

from __future__ import annotations


def rank_of(case: dict, source_ids: list[str]) -> int | None:
    """1-based rank of the case's expected source among distinct retrieved sources."""
    expected = case["source"] if isinstance(case["source"], list) else [case["source"]]
    ids = list(dict.fromkeys(source_ids))
    return next((i for i, sid in enumerate(ids, 1) if sid in expected), None)


def retrieval_figures(ranks: list[int | None]) -> dict:
    n = len(ranks) or 1
    return {
        "questions": len(ranks),
        "recall@1": round(sum(1 for r in ranks if r == 1) / n, 3),
        "recall@5": round(sum(1 for r in ranks if r and r <= 5) / n, 3),
        "mrr@10": round(sum(1 / r for r in ranks if r) / n, 3),
    }
