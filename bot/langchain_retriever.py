"""The hybrid search behind LangChain's retriever interface, for anyone composing Recourse's
retrieval into a LangChain chain (and for the side-by-side with LangChain's tutorial pipeline in
`quality/langchain_baseline.py`). Kept out of `bot/retrieval.py` so answering a question does not
import langchain_core's runnables and tracers (about 0.9 s of a cold `recourse ask`)."""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from bot.retrieval import HybridSearch


class RecourseRetriever(BaseRetriever):
    """`HybridSearch.search` as LangChain Documents (chunk metadata plus the fused score)."""

    search_engine: HybridSearch
    k: int = 6
    jurisdiction: str | None = None

    model_config = {"arbitrary_types_allowed": True}

    def _get_relevant_documents(self, query: str, *,
                                run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [Document(page_content=h.chunk.text, id=h.chunk.id,
                         metadata={**h.chunk.metadata(), "score": h.score})
                for h in self.search_engine.search(query, self.k, self.jurisdiction)]
