"""Okapi BM25 as one sparse matrix product, so a query costs the same at 100k chunks as the
dense search does.

rank-bm25 scores every document in a Python loop per query term (about 1.7 s p95 at 100k
chunks, docs/benchmarks.md). Here each (document, term) weight is computed once at load time
and a query sums the columns of its terms. The scores equal rank_bm25.BM25Okapi's (same k1,
b, epsilon and IDF floor); tests/test_retrieval.py checks that against the library itself.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from scipy import sparse


class SparseBM25:
    def __init__(self, corpus: list[list[str]], k1: float = 1.5, b: float = 0.75,
                 epsilon: float = 0.25) -> None:
        self.vocab: dict[str, int] = {}
        rows, cols, tfs = [], [], []
        lengths = np.array([len(doc) for doc in corpus], dtype=np.float64)
        for row, doc in enumerate(corpus):
            for term, tf in Counter(doc).items():
                rows.append(row)
                cols.append(self.vocab.setdefault(term, len(self.vocab)))
                tfs.append(tf)
        n_docs = len(corpus)
        rows_a, cols_a, tf_a = np.array(rows), np.array(cols), np.array(tfs, dtype=np.float64)
        doc_freq = np.bincount(cols_a, minlength=len(self.vocab)).astype(np.float64)
        idf = np.log(n_docs - doc_freq + 0.5) - np.log(doc_freq + 0.5)
        # rank_bm25: terms in more than half the documents get epsilon × the average IDF.
        floor = epsilon * (idf.sum() / len(idf)) if len(idf) else 0.0
        idf = np.where(idf < 0, floor, idf)
        avgdl = lengths.sum() / n_docs if n_docs else 0.0
        norm = k1 * (1 - b + b * lengths[rows_a] / avgdl) if avgdl else np.full(len(rows), k1)
        weights = idf[cols_a] * tf_a * (k1 + 1) / (tf_a + norm)
        self.matrix = sparse.csc_matrix((weights, (rows_a, cols_a)),
                                        shape=(n_docs, len(self.vocab)))
        self.n_docs = n_docs

    def arrays(self) -> dict[str, np.ndarray]:
        """The weights and vocabulary as plain arrays (no pickle), for the serving copy
        (ingest/snapshot.py): readers load them instead of re-tokenising every chunk."""
        m = self.matrix
        return {"data": m.data, "indices": m.indices, "indptr": m.indptr,
                "shape": np.array(m.shape), "vocab": np.array(list(self.vocab), dtype=str)}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> "SparseBM25":
        self = cls.__new__(cls)
        shape = tuple(int(x) for x in arrays["shape"])
        self.matrix = sparse.csc_matrix((arrays["data"], arrays["indices"], arrays["indptr"]), shape=shape)
        self.vocab = {term: i for i, term in enumerate(arrays["vocab"].tolist())}
        self.n_docs = shape[0]
        return self

    def get_scores(self, query: list[str]) -> np.ndarray:
        """One score per document, in corpus order (a repeated query term counts again, as in
        rank_bm25)."""
        columns = [self.vocab[t] for t in query if t in self.vocab]
        if not columns:
            return np.zeros(self.n_docs)
        counts = Counter(columns)
        picked = self.matrix[:, list(counts)]
        return np.asarray(picked @ np.array(list(counts.values()), dtype=np.float64)).ravel()

    def top(self, query: list[str], n: int, allowed: np.ndarray | None = None) -> list[int]:
        """Indices of the n best-scoring documents with a positive score, best first;
        `allowed` is a boolean mask of documents that may be returned."""
        scores = self.get_scores(query)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        candidates = np.flatnonzero(scores > 0)
        if len(candidates) > n:
            candidates = candidates[np.argpartition(-scores[candidates], n - 1)[:n]]
        return sorted(candidates.tolist(), key=lambda i: (-scores[i], i))
