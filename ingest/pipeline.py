"""`recourse ingest`: bring the index in line with knowledge/, embedding only what changed.

Plan (by source id and content hash) → embed new/changed chunks → add them → write the new
manifest (the switch) → delete chunks nobody lists any more. See ingest/index.py for why this
order keeps the previous index usable if the run dies at any point.
"""

from __future__ import annotations

import logging
import shutil
import sys
import time
from datetime import date, timedelta

from tqdm import tqdm

from bot.config import Settings
from ingest.chunking import CHUNKING_VERSION, chunk_source, embedding_text
from ingest.embed import Embedder, get_embedder
from bot.errors import RecourseError
from ingest.index import Index, reset_embedded_clients
from ingest.loaders import load_sources
from ingest.report import IngestReport, SourceChange, describe_change

log = logging.getLogger(__name__)
STALE_DAYS = 180


def _entry(source, chunk_ids: list[str], text: str) -> dict:
    return {
        "hash": source.content_hash, "title": source.title, "path": source.path,
        "kind": source.kind, "jurisdiction": source.jurisdiction, "citation": source.citation,
        "url": source.url, "last_verified": source.last_verified.isoformat(),
        "verification": source.verification, "review_by": str(source.meta.get("review_by") or ""),
        "chunks": chunk_ids, "text": text, "lang": source.lang, "topics": source.topics,
        "summary": source.summary, "meta": source.meta,
    }


def stale_sources(manifest_sources: dict, days: int, today: date | None = None) -> list[str]:
    """Ids whose last_verified is older than `days`, or whose review_by date has passed."""
    today = today or date.today()
    cutoff = today - timedelta(days=days)
    out = []
    for sid, entry in manifest_sources.items():
        review_by = entry.get("review_by")
        if date.fromisoformat(entry["last_verified"]) < cutoff or (
                review_by and date.fromisoformat(review_by) < today):
            out.append(sid)
    return sorted(out)


def run_ingest(settings: Settings, *, dry_run: bool = False, embedder: Embedder | None = None,
               progress: bool | None = None) -> IngestReport:
    started = time.perf_counter()
    loaded = load_sources(settings.knowledge_dir)
    report = IngestReport(dry_run=dry_run, errors=[str(e) for e in loaded.errors],
                          flagged=loaded.flagged)
    model_name = embedder.name if embedder else Embedder.name  # known without loading the model
    index = Index(settings, create=True)
    old = index.manifest()
    old_sources: dict = (old or {}).get("sources", {})
    if old and (old.get("model") != model_name or old.get("chunking") != CHUNKING_VERSION):
        report.rebuild_reason = (
            f"the index was built with model {old.get('model')} / chunking {old.get('chunking')}, "
            f"now {model_name} / {CHUNKING_VERSION}; re-embedding everything")
        old_sources = {}

    todo, new_sources = [], {}
    for source in loaded.sources:
        prev = old_sources.get(source.id)
        if prev and prev["hash"] == source.content_hash:
            new_sources[source.id] = prev
            report.unchanged += 1
            continue
        chunks = chunk_source(source)
        text = "\n".join(c.text for c in chunks)
        entry = _entry(source, [c.id for c in chunks], text)
        new_sources[source.id] = entry
        todo.append((source, chunks))
        if prev:
            report.changed.append(describe_change({**prev, "id": source.id}, {**entry, "id": source.id},
                                                  prev.get("text", ""), text))
        else:
            report.added.append(SourceChange(id=source.id, title=source.title, path=source.path))
    for sid, prev in old_sources.items():
        if sid in new_sources:
            continue
        if prev.get("path") in loaded.failed_paths:
            new_sources[sid] = prev  # the file is broken now: keep serving its last good version
            continue
        report.removed.append(SourceChange(id=sid, title=prev["title"], path=prev.get("path", "")))

    live_before = {cid for e in (old or {}).get("sources", {}).values() for cid in e["chunks"]}
    live_after = {cid for e in new_sources.values() for cid in e["chunks"]}
    report.chunks_added = len(live_after - live_before)
    report.chunks_removed = len(live_before - live_after)
    report.stale = stale_sources(new_sources, STALE_DAYS)

    if not dry_run:
        all_chunks = [c for _, chunks in todo for c in chunks]
        if all_chunks and embedder is None:
            embedder = get_embedder()  # only now: an unchanged knowledge base never loads torch
        show = sys.stderr.isatty() if progress is None else progress
        t0 = time.perf_counter()
        with tqdm(total=len(all_chunks), desc="Embedding", unit="chunk", disable=not show) as bar:
            for start in range(0, len(all_chunks), 256):
                part = all_chunks[start:start + 256]
                index.add(part, embedder.embed([embedding_text(c) for c in part]))
                bar.update(len(part))
        report.embedded = len(all_chunks)
        report.embed_seconds = time.perf_counter() - t0
        generation = (old or {}).get("generation", 0) + 1
        switched = bool(todo or report.removed or report.rebuild_reason or old is None
                        or old.get("routes") != loaded.routes or old.get("actions") != loaded.actions)
        if switched:
            index.write_manifest({"model": model_name, "chunking": CHUNKING_VERSION,
                                  "generation": generation, "sources": new_sources,
                                  "routes": loaded.routes, "actions": loaded.actions})
        orphans = set(index.all_ids()) - live_after
        index.delete(orphans)
        from bot.retrieval import save_serving_copy, serving_copy_current

        if switched or not serving_copy_current(settings, index):
            save_serving_copy(settings, index)
        _export_query_encoder(settings)
    report.seconds = time.perf_counter() - started
    return report


def _export_query_encoder(settings: Settings) -> None:
    """The ONNX copy of the model that answering uses (ingest/export_encoder.py). A failure here
    never fails the ingest: answering falls back to sentence-transformers, only slower."""
    from ingest.export_encoder import export

    try:
        export(settings)
    except Exception as exc:  # torch.onnx missing a piece, a read-only models directory...
        log.warning("could not export the ONNX query encoder (%s: %s); answers will load "
                    "sentence-transformers instead", type(exc).__name__, exc)


def rebuild_index(settings: Settings, *, embedder: Embedder | None = None,
                  progress: bool | None = None) -> IngestReport:
    """`recourse ingest --rebuild`: a fresh local index, built beside the old one and swapped
    in only once complete, so a damaged index is replaced and a failed run changes nothing."""
    if settings.chroma_url:
        raise RecourseError("--rebuild is for the local index; with a Chroma server, delete the "
                            f"'{settings.collection}' collections there and run recourse ingest.")
    target = settings.index_dir
    fresh, old = target.with_name(target.name + ".rebuild"), target.with_name(target.name + ".old")
    shutil.rmtree(fresh, ignore_errors=True)
    report = run_ingest(settings.model_copy(update={"index_dir": fresh}), embedder=embedder,
                        progress=progress)
    reset_embedded_clients()
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return report
