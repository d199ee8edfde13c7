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

import logging
import re
import threading
import time
from contextlib import contextmanager
from typing import Iterator

import numpy as np

from bot import jurisdictions
from bot.bm25 import SparseBM25
from bot.config import Settings
from bot.errors import RecourseError, StorageError
from bot.models import Chunk, ScoredChunk
from bot.platform_names import alias_pattern, platform_aliases
from bot.query_encoder import get_query_encoder
from ingest.embed import Embedder
from ingest.index import Index, check_embedded, reset_embedded_clients
from ingest.snapshot import (current_key, file_stamp, read_snapshot, snapshot_key, snapshot_path,
                             write_snapshot)

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


def lexical_index(chunks: list[Chunk]) -> SparseBM25 | None:
    """BM25 over the chunks' title, heading and text, in the order given."""
    corpus = [tokenize(f"{c.title} {c.heading} {c.text}") for c in chunks]
    return SparseBM25(corpus) if corpus else None


def save_serving_copy(settings: Settings, index: Index) -> None:
    """Ingest, after the switch: the live chunks, their vectors and BM25 weights in one file
    beside the embedded index (ingest/snapshot.py), which readers load instead of Chroma."""
    if settings.chroma_url:
        return
    manifest = index.manifest()
    if not manifest:
        return
    chunks, vectors = index.live(manifest)
    write_snapshot(snapshot_path(settings), manifest, chunks, vectors, lexical_index(chunks))
    (settings.index_dir / "bm25.npz").unlink(missing_ok=True)  # the weights alone, before 2026-12-06


def serving_copy_current(settings: Settings, index: Index) -> bool:
    """Does the serving copy hold the manifest the store has now? (A run that died between
    its switch and writing the copy left an older one: the next run writes it.)"""
    manifest = index.manifest()
    return bool(manifest) and current_key(snapshot_path(settings)) == snapshot_key(manifest)


class HybridSearch:
    """Dense + BM25 search over the live chunks of one index."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        # An embedded index is read from its serving copy (ingest/snapshot.py), never opened:
        # opening Chroma's store to read it writes to it. Over a Chroma server, or for an index
        # built before the copy existed, read Chroma.
        self.copy_path = None if settings.chroma_url else snapshot_path(settings)
        self.index: Index | None = None
        if self.copy_path is None or not self.copy_path.exists():
            self.index = Index(settings)  # first: a missing or damaged store is named before the model loads
            if self.copy_path is not None:
                log.warning("the index has no serving copy (%s): reading Chroma; run recourse "
                            "ingest to write it", self.copy_path.name)
        self.embedder = embedder or get_query_encoder(settings)
        self._lock = threading.Lock()
        self._checked = 0.0
        self.generation = None
        self.stamp = None
        self._load()

    def _load(self) -> None:
        snapshot = None
        if self.index is None:
            snapshot = read_snapshot(self.copy_path)
            if snapshot is None:  # damaged or from another version: the store itself
                check_embedded(self.settings)
                log.warning("the serving copy %s cannot be read: reading Chroma", self.copy_path.name)
                self.index = Index(self.settings)
        if snapshot is None:
            manifest = self.index.manifest()
            if manifest is None:
                from bot.errors import IndexMissing
                raise IndexMissing("The index is empty. Build it with: recourse ingest")
            chunks, vectors = self.index.live(manifest)
            bm25, stamp = lexical_index(chunks), None
        else:
            manifest, chunks, vectors, bm25, stamp = (snapshot.manifest, snapshot.chunks,
                                                      snapshot.vectors, snapshot.bm25, snapshot.stamp)
        entries = manifest.get("sources") or {}
        translations = {(of, e.get("lang")): sid for sid, e in entries.items()
                        if (of := (e.get("meta") or {}).get("translation_of"))}
        translated = set(translations.values())
        # Everything is built first and then swapped in, so a search running in another thread
        # meanwhile sees one generation or the other.
        (self.chunks, self.order, self.vectors, self.bm25, self.places, self.platform_names,
         self.translations, self.translated, self.is_translation, self.manifest, self.stamp,
         self.generation, self.from_copy) = (
            {c.id: c for c in chunks}, [c.id for c in chunks], vectors, bm25,
            np.array([c.jurisdiction for c in chunks]), _platform_patterns(entries),
            translations, translated,
            np.array([c.source_id in translated for c in chunks], dtype=bool), manifest, stamp,
            (manifest.get("generation"), manifest.get("updated")), snapshot is not None)

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
        if self.index is None:  # the serving copy: replaced by ingest (a rename) when it switched
            if file_stamp(self.copy_path) not in (self.stamp, None):
                with self._lock:
                    self._load()
            return
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
        if not translation:
            return chunk
        return corresponding(chunk, self.chunks_of(chunk.source_id), self.chunks_of(translation)) or chunk


def corresponding(chunk: Chunk, original: list[Chunk], translated: list[Chunk]) -> Chunk | None:
    """The translation's passage for `chunk`: same section (by order), and within a long section,
    the piece at the same relative place — a section is cut into pieces by length, and a
    translation's length differs from its original's. None when the sections do not line up."""
    ours, theirs = _sections(original), _sections(translated)
    if len(ours) != len(theirs):
        return None
    for mine, its in zip(ours, theirs):
        if chunk in mine:
            return its[mine.index(chunk) * len(its) // len(mine)]
    return None


def _sections(chunks: list[Chunk]) -> list[list[Chunk]]:
    """A source's chunks grouped by section, in reading order (consecutive chunks of one section
    are the pieces a long section was cut into)."""
    groups: list[list[Chunk]] = []
    for chunk in chunks:
        if groups and groups[-1][-1].section == chunk.section:
            groups[-1].append(chunk)
        else:
            groups.append([chunk])
    return groups


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
