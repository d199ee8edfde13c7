"""The knowledge base: valid, complete, and findable."""

from __future__ import annotations

from datetime import date

import pytest

from bot import jurisdictions
from bot.answer.understand import find_platforms, platform_aliases
from bot.models import Source
from bot.retrieval import HybridSearch
from ingest.audit import audit
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


def test_the_cross_file_checks_find_nothing(loaded):
    found = audit(loaded.sources, loaded.routes)
    assert not found.errors, "\n".join(map(str, found.errors))
    assert found.counts["platforms"] >= 50 and found.counts["countries_with_routes"] >= 16


def _source(path: str, summary: str, body: str, **meta) -> Source:
    return Source(id="x-test", title="T", kind="statute", jurisdiction=meta.pop("jurisdiction", "US-ZZ"),
                  citation="c", url="https://example.org/x", last_verified=date(2026, 1, 1), summary=summary,
                  body=body, path=path, meta=meta)


def test_the_cross_file_checks_catch_each_kind_of_error():
    routes = {"crisis": {"MX": ["a"]}, "danger": {"MX": ["b"]}, "minor": {}}
    sources = [
        # A summary with a damages figure and a section the body never gives.
        _source("laws/us/states/zz.md", "You can get $10,000 under § 12-741, since 2019.",
                "Victims may recover $5,000 under § 12-740 (2019).",
                state_law={"criminal": ["x"], "civil": ["y"], "deepfakes": "yes", "threats": "yes"}),
        # No civil provision recorded, yet the body says the person can sue.
        _source("laws/us/states/zy.md", "", "It is a crime. Victims can also sue the person for damages.",
                state_law={"criminal": ["x"], "civil": [], "deepfakes": "unverified", "threats": "yes"},
                review_by="2026-06-01"),
        _source("platforms/zz.md", "", "Report it.", aliases=["zz"]),
        _source("laws/intl/mx.md", "", "Law.", jurisdiction="MX"),
    ]
    found = audit(sources, routes, today=date(2026, 12, 3))
    said = "\n".join(map(str, found.errors))
    assert '"$10,000"' in said and '"§ 12-741"' in said and '"2019"' not in said
    assert "zy.md: state_law.civil is empty" in said
    assert "platforms/zz.md: a platform file needs report_url" in said
    assert "MX has law files but no minor route" in said
    assert any("past review_by 2026-06-01" in str(w) for w in found.warnings)


def test_a_negated_or_federal_right_to_sue_is_not_a_state_remedy():
    body = ("There is no state law that lets you sue. You can sue under the federal law, 15 U.S.C. § 6851. "
            "A bill would let victims sue.")
    sources = [_source("laws/us/states/zz.md", "", body,
                       state_law={"criminal": ["x"], "civil": [], "deepfakes": "yes", "threats": "yes"})]
    assert not audit(sources, {}, today=date(2026, 12, 3)).errors


def test_every_platform_alias_finds_its_file(loaded):
    entries = {s.id: {"path": s.path, "meta": s.meta, "title": s.title} for s in loaded.sources}
    aliases = platform_aliases(entries)
    owners: dict[str, str] = {}
    for alias, sid, _ in aliases:
        assert owners.setdefault(alias, sid) == sid, f'"{alias}" is an alias of {owners[alias]} and {sid}'
        ids, _ = find_platforms(f"my ex posted my photos on {alias} last night", aliases)
        assert sid in ids, alias


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


@pytest.mark.parametrize("kind", ["platform", "country"])
def test_a_question_naming_a_platform_or_country_finds_its_file(search, loaded, kind):
    missing = []
    for s in loaded.sources:
        if kind == "platform" and s.path.startswith("platforms/") and s.meta.get("aliases"):
            question = f"how do I report my intimate images posted without consent on {s.meta['name']}"
        elif kind == "country" and s.path.startswith("laws/intl/") and s.lang == "en" and "-" not in s.jurisdiction \
                and s.jurisdiction not in ("EU", "INTL"):
            question = f"{s.title.split(':')[0]}: what is the law on intimate images shared without consent"
        else:
            continue
        if s.id not in [h.chunk.source_id for h in search.search(question, k=3)]:
            missing.append(f"{s.id} ← {question}")
    assert not missing, "\n".join(missing)


def test_a_translation_must_keep_its_originals_numbers_and_addresses():
    from ingest.audit import translation_problems

    original = _source("guides/g.md", "", "Call 844-878-2274 within 48 hours on 19 May 2025; "
                       "see https://example.org/a.")
    by_id = {"x-test": original}

    def translated(body: str, **meta) -> list[str]:
        source = _source("guides/g-es.md", "", body, translation_of="x-test", **meta)
        source.lang = meta.get("lang", "es")
        return translation_problems(source, by_id)

    assert translated("Llame al 844-878-2274 en 48 horas, el 2025-5-19; vea https://example.org/a.") == []
    assert any("drops numbers" in p and "48" in p for p in
               translated("Llame al 844-878-2274 pronto, el 19 de mayo de 2025; vea https://example.org/a."))
    assert any("adds numbers" in p and "72" in p for p in
               translated("Llame al 844-878-2274 en 48 o 72 horas, 19/5/2025; https://example.org/a."))
    assert any("drops web addresses" in p for p in translated("Llame al 844-878-2274 en 48 horas, 19/5/2025."))
    assert translated("x", lang="en") == ["a translation must be in another language than its original (en)"]
    source = _source("guides/h.md", "", "x", translation_of="nothing")
    assert translation_problems(source, by_id) == ['translation_of "nothing" names no source']
