"""Ingest: structure-aware chunks, idempotence, incremental updates, bad files skipped."""

from __future__ import annotations

import shutil

from bot.config import Settings
from ingest.chunking import chunk_source
from ingest.index import Index
from ingest.loaders import load_sources
from ingest.pipeline import run_ingest


def test_corrupt_front_matter_is_reported_and_the_rest_indexed(corpus_settings):
    result = load_sources(corpus_settings.knowledge_dir)
    assert any("guides/broken.md" in str(e) for e in result.errors)
    ids = {s.id for s in result.sources}
    assert {"us-15-usc-6851", "us-take-it-down-act", "guide-stopncii", "dir-rainn"} <= ids
    manifest = Index(corpus_settings).manifest()
    assert "us-15-usc-6851" in manifest["sources"]


def test_statute_subsections_stay_whole_with_heading_path(corpus_settings):
    source = next(s for s in load_sources(corpus_settings.knowledge_dir).sources
                  if s.id == "us-15-usc-6851")
    chunks = chunk_source(source)
    relief = next(c for c in chunks if c.section == "(b)(3) Relief")
    assert "$150,000" in relief.text and "attorney" in relief.text
    assert relief.heading == "15 U.S.C. § 6851 › (b)(3) Relief"
    assert relief.citation == "15 U.S.C. § 6851" and relief.last_verified == "2026-11-25"


def test_second_ingest_embeds_nothing(corpus_settings, embedder):
    report = run_ingest(corpus_settings, embedder=embedder, progress=False)
    assert report.embedded == 0 and not report.added and not report.changed
    assert "up to date" in report.render()


def test_editing_one_source_reembeds_only_it(tmp_path, embedder):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(corpus_settings_dir(), knowledge)
    settings = Settings(knowledge_dir=knowledge, index_dir=tmp_path / "index")
    first = run_ingest(settings, embedder=embedder, progress=False)
    guide = knowledge / "guides" / "sextortion.md"
    guide.write_text(guide.read_text().replace("2026-11-25", "2026-11-24")
                     + "\n## Step 3: Talk to someone\nCall a helpline you trust.\n")
    (knowledge / "laws" / "us" / "states" / "tx.md").unlink()
    report = run_ingest(settings, embedder=embedder, progress=False)
    assert [c.id for c in report.changed] == ["guide-sextortion"]
    assert report.changed[0].fields["last_verified"] == ["2026-11-25", "2026-11-24"]
    assert report.changed[0].lines_added >= 1
    assert [c.id for c in report.removed] == ["us-tx-ncii"]
    assert report.embedded == 3 < first.embedded  # only the guide's three steps
    index = Index(settings)
    live = {cid for e in index.manifest()["sources"].values() for cid in e["chunks"]}
    assert set(index.all_ids()) == live and not any(c.startswith("us-tx-ncii") for c in live)


def test_dry_run_writes_nothing(tmp_path, embedder):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(corpus_settings_dir(), knowledge)
    settings = Settings(knowledge_dir=knowledge, index_dir=tmp_path / "index")
    run_ingest(settings, embedder=embedder, progress=False)
    (knowledge / "guides" / "stopncii.md").unlink()
    plan = run_ingest(settings, embedder=embedder, dry_run=True, progress=False)
    assert [c.id for c in plan.removed] == ["guide-stopncii"]
    assert "guide-stopncii" in Index(settings).manifest()["sources"]


def test_a_file_broken_later_keeps_its_previous_version(tmp_path, embedder):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(corpus_settings_dir(), knowledge)
    settings = Settings(knowledge_dir=knowledge, index_dir=tmp_path / "index")
    run_ingest(settings, embedder=embedder, progress=False)
    path = knowledge / "guides" / "stopncii.md"
    path.write_text(path.read_text().replace("last_verified: 2026-11-25", "last_verified: 2026-13-01"))
    report = run_ingest(settings, embedder=embedder, progress=False)
    assert any("guides/stopncii.md:" in e and "not a date" in e for e in report.errors)
    assert not report.removed
    assert "guide-stopncii" in Index(settings).manifest()["sources"]


def corpus_settings_dir():
    from tests.conftest import DATA
    return DATA / "corpus"


def test_a_new_chunking_version_forces_a_full_rebuild(tmp_path, embedder):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(corpus_settings_dir(), knowledge)
    settings = Settings(knowledge_dir=knowledge, index_dir=tmp_path / "index")
    run_ingest(settings, embedder=embedder, progress=False)
    index = Index(settings)
    index.write_manifest({**index.manifest(), "chunking": "structure-v0"})
    report = run_ingest(settings, embedder=embedder, progress=False)
    assert report.rebuild_reason and "structure-v0" in report.rebuild_reason
    assert report.embedded > 0 and "Full rebuild" in report.render()


def test_ingest_reports_stale_sources(tmp_path, embedder):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(corpus_settings_dir(), knowledge)
    path = knowledge / "guides" / "stopncii.md"
    path.write_text(path.read_text().replace("last_verified: 2026-11-25", "last_verified: 2024-01-02"))
    settings = Settings(knowledge_dir=knowledge, index_dir=tmp_path / "index")
    report = run_ingest(settings, embedder=embedder, progress=False)
    assert "guide-stopncii" in report.stale and "Stale" in report.render()
