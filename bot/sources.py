"""`recourse sources`: what the knowledge base holds and what needs re-checking."""

from __future__ import annotations

from datetime import date, timedelta

from bot.config import Settings
from ingest.loaders import load_sources


def list_sources(settings: Settings, stale_days: int | None = None, today: date | None = None) -> list[dict]:
    """One row per source, read from knowledge/ (so it works before any ingest)."""
    today = today or date.today()
    rows = []
    for s in load_sources(settings.knowledge_dir).sources:
        review_by = s.meta.get("review_by")
        if stale_days is not None:
            old = s.last_verified < today - timedelta(days=stale_days)
            due = bool(review_by) and date.fromisoformat(str(review_by)) < today
            if not (old or due):
                continue
        rows.append({"id": s.id, "jurisdiction": s.jurisdiction, "kind": s.kind,
                     "citation": s.citation, "last_verified": s.last_verified.isoformat(),
                     "verification": s.verification, "url": s.url, "path": s.path,
                     "review_by": str(review_by or "")})
    return rows
