"""The serving copy: everything a reader needs from the embedded index, in one file ingest writes.

Why it exists (measured 2026-12-06): opening Chroma's embedded store only to read it rewrites
`chroma.sqlite3` and the HNSW files, so a reader fails outright on a read-only mount ("attempt
to write a readonly database") and races a running ingest; and importing chromadb, opening the
store and reading the live chunks cost about 1.9 s of a 3.1 s cold `recourse ask`. Readers need
no more from Chroma than the manifest, the live chunks and their vectors (the ranking is exact,
in memory), so ingest writes exactly that, with the BM25 weights, after its switch:

    var/index/live.npz   (numpy's zip of arrays, no pickle)
      version, key            what this copy is: format version, and the manifest write it holds
      manifest                the manifest record, as JSON
      sources, chunks         the live chunks in manifest order, as JSON (source fields once)
      vectors                 their unit vectors, float32, row i for chunk i
      bm25_*                  the BM25 weights and vocabulary for the same order

It is written under a temporary name and renamed, so a reader sees the old copy or the new one,
never half of one. Chroma stays the store ingest writes to (incremental, the manifest switch,
orphans cleaned up) and what replicas read over a Chroma server, which share no disk.
A run that dies after its switch but before this write leaves the previous copy, which is
whole: readers keep answering from the previous generation, and the next run writes it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.bm25 import SparseBM25
from bot.config import Settings
from bot.models import Chunk

SNAPSHOT_VERSION = 1
# Fields every chunk of one source shares: stored once per source.
_SOURCE_FIELDS = ("source_id", "title", "kind", "jurisdiction", "citation", "url",
                  "last_verified", "lang", "audience", "source_hash")


@dataclass(frozen=True)
class Snapshot:
    manifest: dict
    chunks: list[Chunk]
    vectors: np.ndarray
    bm25: SparseBM25 | None
    stamp: tuple | None  # the file's (inode, mtime, size) when read: has it been replaced since?


def snapshot_path(settings: Settings) -> Path:
    return settings.index_dir / "live.npz"


def snapshot_key(manifest: dict) -> str:
    return f"{SNAPSHOT_VERSION}|{manifest.get('generation')}|{manifest.get('updated')}"


def file_stamp(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def current_key(path: Path) -> str | None:
    """The key of the copy at `path` (cheap: reads one small array), or None."""
    try:
        with np.load(path, allow_pickle=False) as saved:
            return str(saved["key"])
    except (OSError, ValueError, KeyError, EOFError):
        return None


def write_snapshot(path: Path, manifest: dict, chunks: list[Chunk], vectors: np.ndarray,
                   bm25: SparseBM25 | None) -> None:
    """Write the serving copy for `manifest` (chunks in manifest order, unit vectors)."""
    sources: dict[str, int] = {}
    source_rows: list[dict] = []
    rows: list[list] = []
    for c in chunks:
        if c.source_id not in sources:
            sources[c.source_id] = len(source_rows)
            source_rows.append({f: getattr(c, f) for f in _SOURCE_FIELDS})
        rows.append([c.id, sources[c.source_id], c.heading, c.section, c.text])
    arrays = {
        "version": np.array(SNAPSHOT_VERSION), "key": np.array(snapshot_key(manifest)),
        "manifest": _text(json.dumps(manifest, default=str)),
        "sources": _text(json.dumps(source_rows)), "chunks": _text(json.dumps(rows)),
        "vectors": np.asarray(vectors, dtype=np.float32),
    }
    if bm25 is not None:
        arrays.update({f"bm25_{name}": value for name, value in bm25.arrays().items()})
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.npz")
    try:
        with partial.open("wb") as fh:
            np.savez(fh, **arrays)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def read_snapshot(path: Path) -> Snapshot | None:
    """The serving copy at `path`, or None if there is none or it is from another format or
    damaged (the caller then reads Chroma, and says so)."""
    stamp = file_stamp(path)
    try:
        with np.load(path, allow_pickle=False) as saved:
            if int(saved["version"]) != SNAPSHOT_VERSION:
                return None
            manifest = json.loads(_untext(saved["manifest"]))
            source_rows = json.loads(_untext(saved["sources"]))
            rows = json.loads(_untext(saved["chunks"]))
            vectors = saved["vectors"]
            bm25 = (SparseBM25.from_arrays({k[5:]: saved[k] for k in saved.files if k.startswith("bm25_")})
                    if "bm25_data" in saved.files else None)
    except (OSError, ValueError, KeyError, EOFError, json.JSONDecodeError):  # missing, empty, garbled
        return None
    # Checked when ingest wrote them: build without validating again (100k chunks: ~1 s saved).
    chunks = [Chunk.model_construct(id=cid, heading=heading, section=section, text=text,
                                    **source_rows[s])
              for cid, s, heading, section, text in rows]
    if len(chunks) != len(vectors):
        return None
    return Snapshot(manifest, chunks, vectors, bm25, stamp)


def _text(value: str) -> np.ndarray:
    return np.frombuffer(value.encode("utf-8"), dtype=np.uint8)


def _untext(array: np.ndarray) -> str:
    return array.tobytes().decode("utf-8")
