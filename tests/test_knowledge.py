"""The knowledge base: valid, complete, and findable."""

from __future__ import annotations

import pytest

from bot import jurisdictions
from bot.retrieval import HybridSearch
from ingest.loaders import load_sources
from tests.conftest import ROOT

KNOWLEDGE = ROOT / "knowledge"


@pytest.fixture(scope="module")
def loaded():
    return load_sources(KNOWLEDGE)


@pytest.fixture(scope="module")
def search(knowledge_settings, embedder):
    return HybridSearch(knowledge_settings, embedder)


def test_every_file_is_valid(loaded):
    assert not loaded.errors, "\n".join(map(str, loaded.errors))


def test_every_state_and_dc_has_a_file_naming_its_statute(loaded):
    states = {s.jurisdiction: s for s in loaded.sources if s.jurisdiction.startswith("US-")
              and s.kind in ("statute", "bill")}
    assert set(states) == {f"US-{c}" for c in jurisdictions.US_STATES}
    for s in states.values():
        law = s.meta["state_law"]
        assert law.get("criminal") or law.get("civil"), s.id


def test_directory_has_the_national_lines(loaded):
    directory = [s for s in loaded.sources if s.kind == "directory"]
    assert len(directory) >= 40
    names = " ".join(s.title for s in directory)
    for needed in ("CCRI", "RAINN", "988", "Domestic Violence", "CyberTipline", "Crisis Text Line"):
        assert needed in names, needed


def test_routes_name_existing_records(loaded):
    assert loaded.routes and {"crisis", "danger", "minor", "help"} <= set(loaded.routes)


@pytest.mark.parametrize("code", sorted(jurisdictions.US_STATES))
def test_state_law_question_finds_the_state_file(search, code):
    name = jurisdictions.US_STATES[code]
    hits = search.search(f"{name} law on sharing intimate images without consent", k=3)
    assert f"us-{code.lower()}-ncii" in [h.chunk.source_id for h in hits]


def test_every_directory_record_is_reachable_by_search(search, loaded):
    missing = []
    for s in (s for s in loaded.sources if s.kind == "directory"):
        hits = search.search(f"{s.title} contact", k=5)
        if s.id not in [h.chunk.source_id for h in hits]:
            missing.append(s.id)
    assert not missing
