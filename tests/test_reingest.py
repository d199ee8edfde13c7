"""Re-ingest safety: a killed run leaves the previous index whole; a running reader picks up
a finished re-ingest without a restart; duplicate ids name both files."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot.config import Settings
from bot.retrieval import HybridSearch
from ingest.index import Index
from ingest.loaders import load_sources
from ingest.pipeline import run_ingest
from tests.conftest import DATA, ROOT

GUIDE = """---
id: guide-bulk-{n}
title: "Bulk guide {n} about removal requests"
kind: guide
jurisdiction: US
citation: "Bulk guide {n}"
url: https://example.org/bulk/{n}
last_verified: 2026-11-01
---
# Bulk guide {n}

## Step 1: Write it down
Guide {n}: keep a dated list of every address where the images appear, version {v}.

## Step 2: Ask for removal
Guide {n}: send the platform a removal request and keep a copy of what you sent, version {v}.

## Step 3: Follow up
Guide {n}: if nothing happens within two days, follow up and ask a helpline, version {v}.
"""


def write_bulk(knowledge: Path, count: int, version: int) -> None:
    bulk = knowledge / "guides" / "bulk"
    bulk.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (bulk / f"g{n}.md").write_text(GUIDE.format(n=n, v=version))


def test_kill_9_during_ingest_leaves_previous_index_usable(tmp_path, embedder):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(DATA / "corpus", knowledge)
    write_bulk(knowledge, 60, version=1)
    settings = Settings(knowledge_dir=knowledge, index_dir=tmp_path / "index")
    run_ingest(settings, embedder=embedder, progress=False)
    before = Index(settings).manifest()

    write_bulk(knowledge, 400, version=2)  # 60 changed + 340 new sources, ~1,200 chunks
    env = {**os.environ, "RECOURSE_KNOWLEDGE_DIR": str(knowledge), "RECOURSE_INDEX_DIR": str(settings.index_dir)}
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "ingest"], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sqlite = settings.index_dir / "chroma.sqlite3"
    start_mtime, deadline = sqlite.stat().st_mtime, time.time() + 120
    while sqlite.stat().st_mtime == start_mtime and time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)  # wait until the new run is writing chunks
    time.sleep(1.5)
    assert proc.poll() is None, "ingest finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    index = Index(settings)
    assert index.manifest() == before  # the switch never happened
    live = {cid for e in before["sources"].values() for cid in e["chunks"]}
    assert live <= set(index.all_ids())  # every chunk the manifest names is still there
    search = HybridSearch(settings, embedder)
    hits = search.search("Bulk guide 7 removal request version", k=3)
    assert hits and "version 1" in hits[0].chunk.text

    report = run_ingest(settings, embedder=embedder, progress=False)  # the next run completes
    assert len(report.added) == 340 and len(report.changed) == 60
    index = Index(settings)
    live = {cid for e in index.manifest()["sources"].values() for cid in e["chunks"]}
    assert set(index.all_ids()) == live  # orphans from the killed run are gone


def test_running_reader_picks_up_a_reingest(tmp_path, embedder):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(DATA / "corpus", knowledge)
    settings = Settings(knowledge_dir=knowledge, index_dir=tmp_path / "index")
    run_ingest(settings, embedder=embedder, progress=False)
    search = HybridSearch(settings, embedder)
    assert search.search("Oregon kelp farming permits", k=1)[0].chunk.source_id != "guide-kelp"
    (knowledge / "guides" / "kelp.md").write_text(GUIDE.format(n=1, v=1).replace(
        "guide-bulk-1", "guide-kelp").replace("Bulk guide 1 about removal requests",
                                              "Oregon kelp farming permits"))
    env = {**os.environ, "RECOURSE_KNOWLEDGE_DIR": str(knowledge), "RECOURSE_INDEX_DIR": str(settings.index_dir)}
    subprocess.run([sys.executable, "-m", "bot.cli", "ingest"], env=env, cwd=ROOT, check=True,
                   capture_output=True)  # another process, as a maintainer would run it
    time.sleep(2.1)  # the reader checks the manifest at most every 2 s
    hits = search.search("Oregon kelp farming permits", k=1)
    assert hits[0].chunk.source_id == "guide-kelp"


def test_duplicate_id_names_both_files(tmp_path):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(DATA / "corpus", knowledge)
    shutil.copy(knowledge / "guides" / "stopncii.md", knowledge / "guides" / "copy.md")
    result = load_sources(knowledge)
    err = next(str(e) for e in result.errors if "duplicate" in str(e))
    assert "guides/copy.md" in err and "guides/stopncii.md" in err
