"""What an ingest run did (or, with --dry-run, would do), for people and as JSON."""

from __future__ import annotations

import difflib

from pydantic import BaseModel, Field

WATCHED_FIELDS = ("title", "citation", "url", "last_verified", "jurisdiction", "verification")


class SourceChange(BaseModel):
    id: str
    title: str
    path: str = ""
    fields: dict[str, list] = Field(default_factory=dict)  # field → [old, new]
    lines_added: int = 0
    lines_removed: int = 0
    diff: list[str] = Field(default_factory=list)  # a few changed lines, +/- prefixed


class IngestReport(BaseModel):
    dry_run: bool = False
    rebuild_reason: str | None = None
    added: list[SourceChange] = Field(default_factory=list)
    changed: list[SourceChange] = Field(default_factory=list)
    removed: list[SourceChange] = Field(default_factory=list)
    unchanged: int = 0
    chunks_added: int = 0
    chunks_removed: int = 0
    embedded: int = 0
    errors: list[str] = Field(default_factory=list)
    flagged: dict[str, str] = Field(default_factory=dict)
    stale: list[str] = Field(default_factory=list)
    seconds: float = 0.0
    embed_seconds: float = 0.0

    @property
    def chunks_per_second(self) -> float:
        return self.embedded / self.embed_seconds if self.embed_seconds else 0.0

    def to_json(self) -> dict:
        return {**self.model_dump(), "chunks_per_second": round(self.chunks_per_second, 1)}

    def render(self) -> str:
        """The human-readable report printed at the end of `recourse ingest`."""
        verb = "Would" if self.dry_run else "Did"
        out = []
        if self.rebuild_reason:
            out.append(f"Full rebuild: {self.rebuild_reason}")
        if not (self.added or self.changed or self.removed):
            out.append(f"Index is up to date: {self.unchanged} sources unchanged, nothing embedded.")
        else:
            out.append(f"{verb}: {len(self.added)} added, {len(self.changed)} changed, "
                       f"{len(self.removed)} removed, {self.unchanged} unchanged sources; "
                       f"chunks +{self.chunks_added} -{self.chunks_removed}.")
        for label, items in (("added", self.added), ("changed", self.changed), ("removed", self.removed)):
            for item in items[:50]:
                out.append(f"  {label:8} {item.id}  ({item.title})")
                for key, (old, new) in item.fields.items():
                    out.append(f"             {key}: {old} → {new}")
                if item.lines_added or item.lines_removed:
                    out.append(f"             text: +{item.lines_added} -{item.lines_removed} lines")
                out.extend(f"             {line}" for line in item.diff[:6])
            if len(items) > 50:
                out.append(f"  … and {len(items) - 50} more {label}")
        if self.embedded:
            out.append(f"Embedded {self.embedded} chunks in {self.embed_seconds:.1f}s "
                       f"({self.chunks_per_second:.0f} chunks/s).")
        for err in self.errors:
            out.append(f"SKIPPED {err}")
        for sid, why in self.flagged.items():
            out.append(f"FLAGGED {sid}: {why}")
        if self.stale:
            out.append(f"Stale (not verified recently): {', '.join(self.stale)}")
        out.append(f"Took {self.seconds:.1f}s.")
        return "\n".join(out)


def line_diff(old_text: str, new_text: str, keep: int = 6) -> tuple[int, int, list[str]]:
    """(lines added, lines removed, the first `keep` changed lines with +/-), for reports."""
    diff = [line for line in difflib.unified_diff(old_text.splitlines(), new_text.splitlines(),
                                                  lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    return (sum(d.startswith("+") for d in diff), sum(d.startswith("-") for d in diff),
            [d[:160] for d in diff[:keep]])


def describe_change(old: dict, new: dict, old_text: str, new_text: str) -> SourceChange:
    """Front-matter field changes and a short line diff between two versions of a source."""
    fields = {k: [old.get(k), new.get(k)] for k in WATCHED_FIELDS if old.get(k) != new.get(k)}
    added, removed, sample = line_diff(old_text, new_text)
    return SourceChange(
        id=new.get("id") or old.get("id"), title=new.get("title") or old.get("title", ""),
        path=new.get("path", ""), fields=fields, lines_added=added, lines_removed=removed, diff=sample,
    )
