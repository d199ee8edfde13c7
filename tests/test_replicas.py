"""Replicas that really run: a Chroma server, two app processes and haproxy on 127.0.0.1
(quality/replicas.py), with simultaneous sessions, a re-ingest while serving and a replica
killed mid-conversation. The full run (100 sessions) writes docs/replicas.md; this one is small
enough for CI."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.skipif(shutil.which("haproxy") is None, reason="haproxy is not installed (make browser installs it)")
def test_two_replicas_behind_haproxy_share_a_chroma_server_and_survive_one_dying(knowledge_settings, tmp_path):
    out = tmp_path / "replicas.md"
    run = subprocess.run([sys.executable, "-m", "quality.replicas", "--sessions", "16", "--out", str(out),
                          "--index", str(knowledge_settings.index_dir)],
                         cwd=ROOT, capture_output=True, text=True, timeout=900)
    report = json.loads(out.with_suffix(".json").read_text())
    assert report["errors"] == [] and report["crosstalk"] == [], report
    assert report["questions"] == 32 and set(report["served_by"]) == {"r1", "r2"}
    # The re-ingest switched the generation and both replicas served it, without a restart.
    assert report["ingest_rc"] == 0 and report["generation"]["after"] == report["generation"]["before"] + 1
    assert all(s is not None and s < 10 for s in report["seen_new_generation_s"].values())
    # Sessions of the killed replica were answered by the live one and told the thread was lost.
    assert report["after_kill"] and all(k["error"] is None and k["told_thread_lost"] and k["now_on"] == "r2"
                                        and not k["other_state_named"] for k in report["after_kill"])
    assert run.returncode == 0 and report["ok"]
