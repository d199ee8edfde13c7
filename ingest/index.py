"""The Chroma index and its manifest: the only code that talks to Chroma.

Embedded (`PersistentClient` under the index dir) by default, a Chroma server (`HttpClient`)
when `RECOURSE_CHROMA_URL` is set: the same code path for both.

Consistency rule: readers only see chunks listed in the manifest. Ingest adds new chunks
first, then replaces the manifest in one write (the switch), then deletes what is no longer
listed. A run killed half way leaves unlisted chunks that readers ignore and the next run
cleans up, so the previous index stays whole.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Iterable, Sequence
from urllib.parse import urlparse

import numpy as np

from bot.config import Settings
from bot.errors import IndexDamaged, IndexMissing, StoreUnavailable
from bot.models import Chunk

MANIFEST_ID = "manifest"
SQLITE_MAGIC = b"SQLite format 3\x00"
BATCH = 2000


def make_client(settings: Settings, create: bool):
    """A Chroma client for the configured store; IndexMissing if reading a store that isn't there."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        try:
            client = chromadb.HttpClient(host=url.hostname or "127.0.0.1", port=url.port or 8000,
                                         ssl=url.scheme == "https", settings=chroma_settings)
            client.heartbeat()
        except Exception as exc:  # connection refused, DNS, TLS, a non-Chroma server...
            raise StoreUnavailable(
                f"Cannot reach the Chroma server at {settings.chroma_url} (set by "
                f"RECOURSE_CHROMA_URL): {type(exc).__name__}. Start that server, or unset "
                "RECOURSE_CHROMA_URL to use the local index.") from None
        return client
    if not create:
        check_embedded(settings)
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.index_dir), settings=chroma_settings)


def rebuild_hint(settings: Settings) -> str:
    return f"Rebuild it with: recourse ingest --rebuild   (or delete {settings.index_dir} and run recourse ingest)"


def check_embedded(settings: Settings) -> None:
    """Refuse to open a missing, empty or non-SQLite index file for reading.

    Chroma would silently initialise a fresh, empty database over a 0-byte file, and a reader
    must never create or change the store; garbage fails later with a bare SQLite message."""
    db = settings.index_dir / "chroma.sqlite3"
    if not db.exists():
        raise IndexMissing(f"No index at {settings.index_dir}. Build it with: recourse ingest")
    with db.open("rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head != SQLITE_MAGIC:
        what = "is empty (0 bytes)" if not head else "is not a SQLite database"
        raise IndexDamaged(f"The index file {db} {what}. {rebuild_hint(settings)}")


def reset_embedded_clients() -> None:
    """Forget this process's cached embedded Chroma systems, so the next client reads what
    another process (a maintainer's `recourse ingest`) wrote; no-op for a Chroma server."""
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


class Index:
    """Chunks with their vectors, plus the manifest that says which chunks are live."""

    def __init__(self, settings: Settings, create: bool = False) -> None:
        self.settings = settings
        self.client = make_client(settings, create)
        name = settings.collection
        if create:
            self.chunks = self.client.get_or_create_collection(
                name, embedding_function=None, metadata={"hnsw:space": "cosine"})
            self.meta = self.client.get_or_create_collection(
                f"{name}-manifest", embedding_function=None)
        else:
            try:
                names = {c if isinstance(c, str) else c.name for c in self.client.list_collections()}
            except Exception as exc:  # sqlite3.DatabaseError "malformed", chromadb InternalError
                raise IndexDamaged(f"The index at {settings.index_dir} cannot be read "
                                   f"({type(exc).__name__}). {rebuild_hint(settings)}") from exc
            if name not in names or f"{name}-manifest" not in names:
                raise IndexMissing(
                    f"The index has no collection '{name}'. Build it with: recourse ingest")
            self.chunks = self.client.get_collection(name, embedding_function=None)
            self.meta = self.client.get_collection(f"{name}-manifest", embedding_function=None)

    # -- manifest ---------------------------------------------------------------------------
    def manifest(self) -> dict | None:
        got = self.meta.get(ids=[MANIFEST_ID], include=["documents"])
        if not got["ids"]:
            return None
        return json.loads(got["documents"][0])

    def write_manifest(self, manifest: dict) -> None:
        """The switch: one record write makes the new set of chunks live."""
        manifest = {**manifest, "updated": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        self.meta.upsert(ids=[MANIFEST_ID], documents=[json.dumps(manifest, default=str)], embeddings=[[0.0]])

    # -- chunks -----------------------------------------------------------------------------
    def add(self, chunks: Sequence[Chunk], vectors) -> None:
        for start in range(0, len(chunks), BATCH):
            part = chunks[start:start + BATCH]
            self.chunks.upsert(
                ids=[c.id for c in part], documents=[c.text for c in part],
                metadatas=[c.metadata() for c in part],
                embeddings=[list(map(float, v)) for v in vectors[start:start + BATCH]],
            )

    def delete(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        for start in range(0, len(ids), BATCH):
            self.chunks.delete(ids=ids[start:start + BATCH])

    def all_ids(self) -> list[str]:
        ids: list[str] = []
        total = self.chunks.count()
        for offset in range(0, total, BATCH):
            ids.extend(self.chunks.get(limit=BATCH, offset=offset, include=[])["ids"])
        return ids

    def live_chunks(self, manifest: dict) -> list[Chunk]:
        """Every chunk the manifest lists, in a stable order (for BM25 and the staff views)."""
        return self.live(manifest, vectors=False)[0]

    def live(self, manifest: dict, vectors: bool = True) -> tuple[list[Chunk], np.ndarray]:
        """The manifest's chunks in manifest order, and (vectors=True) their unit vectors as one
        float32 matrix, row i for chunk i: what the retriever ranks exactly in memory."""
        wanted = [cid for entry in manifest["sources"].values() for cid in entry["chunks"]]
        include = ["documents", "metadatas", *(["embeddings"] if vectors else [])]
        out: list[Chunk] = []
        rows: list = []
        for start in range(0, len(wanted), BATCH):
            got = self.chunks.get(ids=wanted[start:start + BATCH], include=include)
            embeddings = got["embeddings"] if vectors else [None] * len(got["ids"])
            by_id = {cid: (doc, meta, vec) for cid, doc, meta, vec in
                     zip(got["ids"], got["documents"], got["metadatas"], embeddings)}
            for cid in wanted[start:start + BATCH]:
                if cid in by_id:
                    doc, meta, vec = by_id[cid]
                    out.append(Chunk(id=cid, text=doc, **meta))
                    rows.append(vec)
        if not vectors or not rows:
            return out, np.zeros((len(out), 0), dtype=np.float32)
        matrix = np.asarray(rows, dtype=np.float32)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return out, matrix / np.where(norms == 0, 1.0, norms)
