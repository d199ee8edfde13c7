"""Hybrid retrieval ranks the right source first and respects the person's jurisdiction."""

from __future__ import annotations

import pytest
import yaml

from bot.langchain_retriever import RecourseRetriever
from bot.retrieval import HybridSearch, tokenize
from tests.conftest import DATA

CASES = yaml.safe_load((DATA / "retrieval_corpus.yaml").read_text())


@pytest.fixture(scope="module")
def search(corpus_settings, embedder):
    return HybridSearch(corpus_settings, embedder)


@pytest.mark.parametrize("case", CASES, ids=[c["q"][:40] for c in CASES])
def test_right_source_ranks_first(search, case):
    hits = search.search(case["q"], k=5)
    assert hits[0].chunk.source_id == case["source"], [h.chunk.source_id for h in hits]


def test_picked_state_excludes_other_states_law(search):
    hits = search.search("law on sharing intimate images", k=10, jurisdiction="US-CA")
    assert hits and all(h.chunk.jurisdiction in ("US", "US-CA", "INTL") for h in hits)


def test_named_state_is_boosted(search):
    hits = search.search("is it a crime in Texas to share my pictures", k=3)
    assert hits[0].chunk.source_id == "us-tx-ncii"


def test_tokenizer_keeps_statute_numbers_and_cjk():
    assert "21.165" in tokenize("Penal Code § 21.165") and "2252a" in tokenize("18 U.S.C. 2252A")
    assert "私密" in tokenize("私密照片")


def test_langchain_retriever_interface(search):
    docs = RecourseRetriever(search_engine=search, k=2).invoke("Texas deepfake law")
    assert docs[0].metadata["source_id"] == "us-tx-ncii" and docs[0].page_content


def test_sparse_bm25_scores_equal_rank_bm25(search):
    """bot/bm25.py must score exactly as the library it replaced, on the real test corpus."""
    import numpy as np
    from rank_bm25 import BM25Okapi

    from bot.bm25 import SparseBM25

    corpus = [tokenize(f"{c.title} {c.heading} {c.text}") for c in search.chunks.values()]
    reference, ours = BM25Okapi(corpus), SparseBM25(corpus)
    for query in ["15 U.S.C. § 6851 civil action", "take it down take it down", "texas deepfake",
                  "sextortion what do i do", "我的照片", "zzzz"]:
        q = tokenize(query)
        expected = reference.get_scores(q)
        assert np.allclose(ours.get_scores(q), expected, atol=1e-9), query
        best = [i for i in np.argsort(-expected, kind="stable")[:5] if expected[i] > 0]
        assert ours.top(q, 5) == best, query


def test_dense_ranking_is_exact_and_the_same_on_every_load(search, corpus_settings, embedder):
    # The dense candidates are the exact nearest neighbours of the stored vectors (Chroma's
    # approximate HNSW search gave a different set in some new processes), and a second load
    # of the same store ranks the same question the same way, score for score.
    import numpy as np

    question = "my ex put my photos on a website, can I make them take it down"
    vector = embedder.embed_one(question)
    from ingest.index import Index

    stored = Index(corpus_settings).chunks.get(ids=search.order, include=["embeddings"])
    rows = np.asarray(stored["embeddings"], dtype=np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    by_id = dict(zip(stored["ids"], rows @ (vector / np.linalg.norm(vector))))
    exact = sorted(search.order, key=lambda cid: (-by_id[cid], search.order.index(cid)))
    everyone = np.ones(len(search.order), dtype=bool)
    got = search._nearest(vector, everyone)
    assert [cid for cid, _ in got] == exact[:len(got)]
    assert all(abs(sim - by_id[cid]) < 1e-5 for cid, sim in got)

    texas = search.places == "US-TX"
    assert [cid for cid, _ in search._nearest(vector, texas)] == [c for c in exact if search.chunks[c].jurisdiction == "US-TX"][:40]

    again = HybridSearch(corpus_settings, embedder)  # its own load of the store
    assert [(h.chunk.id, h.score) for h in again.search(question, k=8)] == \
        [(h.chunk.id, h.score) for h in search.search(question, k=8)]


def test_a_reader_loads_the_serving_copy_ingest_wrote_and_it_matches_the_store(search):
    # Ingest writes the live chunks, their vectors and the BM25 weights in one file beside the
    # embedded index (ingest/snapshot.py); a reader loads it and never opens Chroma, whose
    # embedded store writes to itself when opened. What it holds is what the store holds.
    import numpy as np

    from bot.retrieval import lexical_index
    from ingest.index import Index

    assert search.from_copy and search.index is None
    store = Index(search.settings)
    chunks, vectors = store.live(store.manifest())
    assert [c.id for c in chunks] == search.order
    assert [c.model_dump() for c in chunks] == [search.chunks[cid].model_dump() for cid in search.order]
    assert np.allclose(vectors, search.vectors, atol=1e-6)
    built = lexical_index(chunks)
    for query in (["sue", "photos"], ["6851"], ["reddit", "deepfake", "removal"], ["私密"]):
        assert np.allclose(search.bm25.get_scores(query), built.get_scores(query))


def test_a_translation_is_read_section_for_section_even_when_cut_differently():
    """A long section cut into two pieces in English and three in Spanish still localizes: the
    same section, the piece at the same relative place; sections that do not line up do not."""
    from bot.models import Chunk
    from bot.retrieval import corresponding

    def chunks(source, sections, lang):
        return [Chunk(id=f"{source}:{n}", source_id=source, text=f"{section} {n}", heading="h",
                      section=section, title="t", kind="policy", jurisdiction="INTL",
                      citation="c", url="https://example.org", last_verified="2026-12-06", lang=lang)
                for n, section in enumerate(sections)]

    en = chunks("p", [None, "Report", "Report", "After"], "en")
    es = chunks("p-es", [None, "Denunciar", "Denunciar", "Denunciar", "Después"], "es")
    assert [corresponding(c, en, es).id for c in en] == ["p-es:0", "p-es:1", "p-es:2", "p-es:4"]
    assert corresponding(en[3], en, es[:-1]) is None  # a section missing: no translation is used
