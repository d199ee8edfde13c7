"""Readers never write the index (issue 15): answering from an embedded index changes no byte of
it, and works from a read-only mount — what a deployment sharing one index between processes,
or a container with the index baked in read-only, needs. Opening Chroma's embedded store to read
it rewrote chroma.sqlite3 and the HNSW files (2026-12-06), so readers load ingest's serving copy."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

QUESTION = "Can I sue someone who posted my nude photos?"


def checksums(folder: Path) -> dict[str, tuple[str, int]]:
    return {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def ask(index_dir: Path, wrap: list[str] | None = None) -> subprocess.CompletedProcess:
    env = {"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin", "RECOURSE_INDEX_DIR": str(index_dir)}
    command = [sys.executable, "-m", "bot.cli", "ask", "--json", QUESTION]
    return subprocess.run((wrap or []) + command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)


@pytest.fixture(scope="module")
def index_copy(knowledge_settings, tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("ro") / "index"
    shutil.copytree(knowledge_settings.index_dir, copy)
    return copy


def test_answering_changes_no_byte_of_the_index(index_copy):
    before = checksums(index_copy)
    assert "live.npz" in before and "chroma.sqlite3" in before
    for _ in range(2):
        out = ask(index_copy)
        assert out.returncode == 0, out.stderr[-2000:]
        assert json.loads(out.stdout)["citations"]
    assert checksums(index_copy) == before


def _can_mount_read_only(target: Path) -> bool:
    probe = subprocess.run(["unshare", "-m", "sh", "-c", f"mount --bind {target} {target} && "
                            f"mount -o remount,bind,ro {target} && ! touch {target}/.probe"],
                           capture_output=True, text=True)
    return probe.returncode == 0


def test_answering_from_a_read_only_mount(index_copy):
    if shutil.which("unshare") is None or not _can_mount_read_only(index_copy):
        pytest.skip("this machine cannot make a private read-only mount (needs unshare -m)")
    script = (f"mount --bind {index_copy} {index_copy} && mount -o remount,bind,ro {index_copy} && "
              'exec "$@"')
    out = ask(index_copy, wrap=["unshare", "-m", "sh", "-c", script, "sh"])
    assert out.returncode == 0, out.stderr[-2000:]
    reply = json.loads(out.stdout)
    assert reply["citations"] and "6851" in json.dumps(reply)
