"""The obvious alternative, for comparison: the LangChain tutorial pipeline on the same corpus.

RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200) over each source's raw
file text, Chroma through langchain-chroma, the same all-MiniLM-L6-v2 model, plain top-k
similarity, no filters, no lexical search. Each directory record is its own document so the
baseline is not penalised for sharing a YAML file.
"""

from __future__ import annotations

import tempfile

from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter

from bot.config import Settings
from quality.figures import rank_of, retrieval_figures
from ingest.loaders import load_sources


class ModelEmbeddings(Embeddings):
    """Our loaded model behind LangChain's Embeddings interface (same weights for both)."""

    def __init__(self, embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_one(text).tolist()


def build_baseline(settings: Settings, embedder, directory: str) -> Chroma:
    loaded = load_sources(settings.knowledge_dir)
    docs = []
    for s in loaded.sources:
        raw = s.body if s.kind == "directory" else (settings.knowledge_dir / s.path).read_text(encoding="utf-8")
        docs.append(Document(page_content=raw, metadata={"source_id": s.id}))
    chunks = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(docs)
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.PersistentClient(path=directory, settings=ChromaSettings(anonymized_telemetry=False))
    store = Chroma(client=client, collection_name="baseline", embedding_function=ModelEmbeddings(embedder))
    for start in range(0, len(chunks), 256):
        store.add_documents(chunks[start:start + 256])
    return store


def baseline_ranks(store: Chroma, cases: list[dict], k: int = 10) -> list[int | None]:
    ranks = []
    for case in cases:
        docs = store.similarity_search(case["q"], k=k)
        ranks.append(rank_of(case, [d.metadata["source_id"] for d in docs]))
    return ranks


def baseline_figures(settings: Settings, embedder, cases: list[dict]) -> dict:
    """Recall@1/@5 and MRR@10 of the tutorial pipeline (the question's picked state is
    ignored: the tutorial has no filters)."""
    with tempfile.TemporaryDirectory(prefix="recourse-baseline-") as tmp:
        store = build_baseline(settings, embedder, tmp)
        return retrieval_figures(baseline_ranks(store, cases))
