"""Hybrid retrieval: exact dense search fused with BM25 over the same live chunks.

BM25 catches exact statute numbers and platform names that the embedding model blurs; the
dense search catches paraphrase ("my ex posted my nudes" ↔ "disclosure of intimate images").
Rankings are fused by reciprocal rank, then a named or picked jurisdiction filters out other
places' law and boosts its own. The retriever watches the manifest generation so a running
app picks up a re-ingest without a restart.

Chroma stores the chunks, their vectors and the manifest (embedded or as a server shared by
replicas); the dense ranking itself is exact, one matrix product over the live vectors loaded
with the manifest. Chroma's HNSW search is approximate and was measured to return a different
40-neighbour set for the same vector in one new process of seven (docs/evaluation.md), so
the same question could get a different answer after a restart. Exact ranking over 100k
384-dimension vectors takes about 15 ms here (2 cores, under load), so little is given up.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from contextlib import contextmanager
from typing import Iterator

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from bot import jurisdictions
from bot.bm25 import SparseBM25
from bot.config import Settings
from bot.errors import RecourseError, StorageError
from bot.models import Chunk, ScoredChunk
from bot.platform_names import alias_pattern, platform_aliases
from bot.query_encoder import get_query_encoder
from ingest.embed import Embedder
from ingest.index import Index, reset_embedded_clients

log = logging.getLogger(__name__)
RRF_K = 60
CANDIDATES = 40
HEADING_BOOST = 0.003  # per question word (stem) found in a passage's heading
_STOP = set("""a an the and or of to in on for with is are was were be been it its this that
i me my we you your he she they them his her their what which who how can do does did if at by
from as about not no so there any""".split())
_WORD = re.compile(r"[a-z0-9]+(?:\.[0-9]+)*[a-z]?|[\u3400-\u9fff\uac00-\ud7af]")
# "her phone" is a device, not a request for a number: only "phone number/line" counts.
_CONTACT = re.compile(r"\b(number|phone (number|line)|call|contact|hotline|helpline|text line|"
                      r"email|tel[ée]fono de|n[úu]mero|l[íi]nea)\b|電話|專線|聯絡", re.I)
_SUBSECTION = re.compile(r"(?:\([a-z0-9]{1,4}\))+")
_ADULT_HEADING = re.compile(r"\badults?\b(?!.*\b(minor|child|under 18|teen))", re.I)
_NUMBER = re.compile(r"\b\d{3,4}[a-z]?(?:\.\d+)?\b")


def tokenize(text: str) -> list[str]:
    """Lower-case words and statute numbers ("21.165", "2252a"); CJK as character bigrams."""
    tokens = [t for t in _WORD.findall(text.lower()) if t not in _STOP]
    out: list[str] = []
    for i, tok in enumerate(tokens):
        if len(tok) == 1 and not tok.isascii():
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
            if len(nxt) == 1 and not nxt.isascii():
                out.append(tok + nxt)
            out.append(tok)
        else:
            out.append(tok)
    return out


@contextmanager
def storage_errors() -> Iterator[None]:
    """Any failure of the store while answering becomes StorageError (its type only: the
    underlying message may quote the query), which the chat turns into a calm reply."""
    try:
        yield
    except RecourseError:
        raise
    except Exception as exc:  # sqlite3.DatabaseError, chromadb errors, a dropped server connection
        raise StorageError(f"the index could not be read ({type(exc).__name__})") from None


LEXICAL_VERSION = 1  # bump when tokenize() or the BM25 parameters change


def lexical_index(chunks: list[Chunk]) -> SparseBM25 | None:
    """BM25 over the chunks' title, heading and text, in the order given."""
    corpus = [tokenize(f"{c.title} {c.heading} {c.text}") for c in chunks]
    return SparseBM25(corpus) if corpus else None


def lexical_path(settings: Settings):
    return settings.index_dir / "bm25.npz"


def lexical_key(manifest: dict, order: list[str]) -> str:
    """What the saved weights are for: this manifest write, these chunks in this order."""
    ids = hashlib.sha256("\n".join(order).encode()).hexdigest()[:16]
    return f"{LEXICAL_VERSION}|{manifest.get('generation')}|{manifest.get('updated')}|{ids}"


def save_lexical_index(settings: Settings, index: Index) -> None:
    """Ingest, after the switch: the BM25 weights of the live chunks beside the embedded index,
    so no reader rebuilds them (18.8 s at 100k chunks before, docs/benchmarks.md)."""
    if settings.chroma_url:
        return
    manifest = index.manifest()
    if not manifest:
        return
    chunks, _ = index.live(manifest, vectors=False)
    bm25 = lexical_index(chunks)
    if bm25 is not None:
        bm25.save(lexical_path(settings), lexical_key(manifest, [c.id for c in chunks]))


class HybridSearch:
    """Dense + BM25 search over the live chunks of one index."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.index = Index(settings)  # first: a missing or damaged store is named before the model loads
        self.embedder = embedder or get_query_encoder(settings)
        self._lock = threading.Lock()
        self._checked = 0.0
        self.generation = None
        self._load()

    def _load(self) -> None:
        manifest = self.index.manifest()
        if manifest is None:
            from bot.errors import IndexMissing
            raise IndexMissing("The index is empty. Build it with: recourse ingest")
        chunks, self.vectors = self.index.live(manifest)
        self.chunks = {c.id: c for c in chunks}
        self.order = [c.id for c in chunks]
        # The embedded index keeps the BM25 weights ingest computed for this manifest; a Chroma
        # server's replicas (and an index from before) compute them here.
        saved = None if self.settings.chroma_url else SparseBM25.load(
            lexical_path(self.settings), lexical_key(manifest, self.order))
        self.bm25 = saved or lexical_index(chunks)
        self.lexical_saved = saved is not None  # for `recourse bench` and the tests
        self.places = np.array([c.jurisdiction for c in chunks])
        self.platform_names = _platform_patterns(manifest.get("sources") or {})
        entries = manifest.get("sources") or {}
        self.translations = {(of, e.get("lang")): sid for sid, e in entries.items()
                             if (of := (e.get("meta") or {}).get("translation_of"))}
        self.translated = set(self.translations.values())
        self.is_translation = np.array([c.source_id in self.translated for c in chunks], dtype=bool)
        self.manifest = manifest
        self.generation = (manifest.get("generation"), manifest.get("updated"))

    def refresh(self, every: float = 2.0) -> None:
        """Reload if a re-ingest switched the manifest (checked at most every `every` s)."""
        now = time.monotonic()
        if now - self._checked < every:
            return
        self._checked = now
        try:
            self._reload_if_switched()
        except StorageError as exc:  # keep serving what is loaded; the query itself will say
            log.warning("index refresh failed: %s", exc)

    def _reload_if_switched(self) -> None:
        with storage_errors():
            manifest = self.index.manifest()
            if manifest and (manifest.get("generation"), manifest.get("updated")) != self.generation:
                with self._lock:
                    if not self.settings.chroma_url:
                        # Another process rewrote the embedded store: reopen it to see the new vectors.
                        reset_embedded_clients()
                        self.index = Index(self.settings)
                    self._load()

    def search(self, query: str, k: int = 6, jurisdiction: str | None = None,
               lang: str | None = None, minor: bool | None = None) -> list[ScoredChunk]:
        """The k best chunks for `query`, best first; `jurisdiction` narrows and boosts.
        minor=False (no one under 18 involved, as far as we know) lowers under-18 guides, whose
        name "Take It Down" otherwise matches every "take it down" question."""
        self.refresh()
        query = query.strip()
        if not query or not self.chunks:
            return []
        place = jurisdictions.normalise(jurisdiction) or jurisdictions.place_of(query)
        named = {sid for pattern, sid in self.platform_names if pattern.search(query)}
        allowed = jurisdictions.allowed(place)

        # Translations are read, not searched (localize): not candidates of either search.
        mask = ~self.is_translation & (np.isin(self.places, allowed) if allowed else True)
        vector = self.embedder.embed_one(query)
        dense_hits = self._nearest(vector, mask)
        dense = {cid: sim for cid, sim in dense_hits}

        scores: dict[str, float] = {}
        exact: set[str] = set()
        for rank, (cid, _) in enumerate(dense_hits):
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (RRF_K + rank)
        q_tokens = tokenize(query)
        if self.bm25 and q_tokens:
            for rank, i in enumerate(self.bm25.top(q_tokens, CANDIDATES, mask)):
                cid = self.order[i]
                scores[cid] = scores.get(cid, 0.0) + 1.0 / (RRF_K + rank)

        numbers = set(_NUMBER.findall(query.lower()))
        q_stems = _stems(query)
        contact = wants_contact(query)
        subsections = set(_SUBSECTION.findall(query.lower()))
        for cid in scores:
            chunk = self.chunks[cid]
            if place and chunk.jurisdiction == place:
                scores[cid] += 0.02  # the person's own state or country first
            elif not place and chunk.kind == "statute" and chunk.jurisdiction not in ("US", "INTL"):
                scores[cid] -= 0.01  # no place named: prefer federal law and general guides
                # over one state's or one country's law
            if q_stems and chunk.section:
                # Words of the question in the passage's own heading ("include … required" →
                # "Include the four required parts"): a strong, cheap sign it is the passage asked for.
                scores[cid] += HEADING_BOOST * len(q_stems & _stems(chunk.section))
            if chunk.source_id in named:
                scores[cid] += 0.02  # the platform the person names ("on Erome"): its own file first
            if numbers and any(n in chunk.citation.lower() for n in numbers):
                scores[cid] += 0.02  # an exact statute number the person typed
                exact.add(cid)
            if subsections and chunk.section and any(sub in chunk.section.lower() for sub in subsections):
                scores[cid] += 0.02  # "§ 6851(b)(3)" names the subsection itself
                exact.add(cid)
            if contact and chunk.kind == "directory":
                scores[cid] += 0.01  # "what's the number for…" wants the record itself
            if minor is False and chunk.audience == "minor":
                scores[cid] -= 0.008
            if minor and chunk.section and _ADULT_HEADING.search(chunk.section):
                scores[cid] -= 0.008  # a child is involved: a passage headed as adults' law comes later
            if lang and lang != "en" and chunk.lang == lang:
                scores[cid] += 0.03
        best = sorted(scores, key=lambda cid: -scores[cid])[:k]
        return [ScoredChunk(chunk=self.chunks[cid], score=round(scores[cid], 5), exact=cid in exact,
                            dense=round(dense[cid], 4) if cid in dense else None) for cid in best]

    def _nearest(self, vector: np.ndarray, mask: np.ndarray) -> list[tuple[str, float]]:
        """(chunk id, cosine) of the CANDIDATES nearest allowed chunks, nearest first; ties in
        manifest order, so the same question ranks the same in every process."""
        if not self.vectors.shape[1]:
            return []
        v = np.asarray(vector, dtype=np.float32)
        sims = self.vectors @ (v / (np.linalg.norm(v) or 1.0))
        allowed = np.flatnonzero(mask)
        if not len(allowed):
            return []
        take = min(CANDIDATES, len(allowed))
        part = allowed[np.argpartition(-sims[allowed], take - 1)[:take]]
        ranked = part[np.lexsort((part, -sims[part]))]
        return [(self.order[i], float(sims[i])) for i in ranked]

    def sources(self) -> dict:
        """The manifest's source entries (id → metadata), for the staff views and `sources`."""
        self.refresh()
        return self.manifest["sources"]

    def chunks_of(self, source_id: str) -> list[Chunk]:
        ids = self.manifest["sources"].get(source_id, {}).get("chunks", [])
        return [self.chunks[cid] for cid in ids if cid in self.chunks]

    def localize(self, chunk: Chunk | None, lang: str) -> Chunk | None:
        """The same passage in the person's language, when its source has a translation
        (`translation_of`, checked by `recourse validate`) with the same sections; else itself.
        Translations are read, never searched: retrieval finds the original (measured on the
        eval set), and the person reads it in their language."""
        if chunk is None or lang == chunk.lang:
            return chunk
        translation = self.translations.get((chunk.source_id, lang))
        original, translated = self.chunks_of(chunk.source_id), self.chunks_of(translation) if translation else []
        if len(original) != len(translated) or chunk not in original:
            return chunk  # no translation, or one whose sections do not line up: the original
        return translated[original.index(chunk)]


def _platform_patterns(sources: dict) -> list[tuple[re.Pattern, str]]:
    """(pattern, source id) for each platform alias, so a query naming a platform finds that
    platform's file. One- and two-letter aliases ("x", "ig") are left to the understand stage,
    which reads them in context."""
    return [(alias_pattern(alias), sid) for alias, sid, _ in platform_aliases(sources)
            if not (alias.isascii() and len(alias) < 3)]


def _stems(text: str) -> set[str]:
    """Content words cut to six letters, so "required" meets "require" and "including" "include"."""
    return {t[:6] for t in tokenize(text) if len(t) > 3}


def wants_contact(query: str) -> bool:
    """"What's the number for…", "how do I contact…": the person wants a helpline record itself."""
    return bool(_CONTACT.search(query))


class RecourseRetriever(BaseRetriever):
    """The hybrid search behind LangChain's retriever interface, for chains and evaluation."""

    search_engine: HybridSearch
    k: int = 6
    jurisdiction: str | None = None

    model_config = {"arbitrary_types_allowed": True}

    def _get_relevant_documents(self, query: str, *,
                                run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [Document(page_content=h.chunk.text, id=h.chunk.id,
                         metadata={**h.chunk.metadata(), "score": h.score})
                for h in self.search_engine.search(query, self.k, self.jurisdiction)]
