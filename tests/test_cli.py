"""The CLI contract of DESIGN.md, run as a person would run it (subprocesses)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def run(settings, *args, stdin: str | None = None, env_extra: dict | None = None):
    env = {**os.environ, "RECOURSE_KNOWLEDGE_DIR": str(settings.knowledge_dir),
           "RECOURSE_INDEX_DIR": str(settings.index_dir), **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], input=stdin, text=True,
                          capture_output=True, env=env, timeout=300)


def test_ask_jsonl_round_trips_ids(corpus_settings):
    lines = [{"id": "q1", "q": "Can I sue someone who posted my nudes?"},
             {"id": "q2", "q": "Texas deepfake law", "state": "TX"},
             {"id": "q3", "q": ""},
             {"id": "q4", "q": "I'm 15 and he shared my pictures", "persona": "staff"}]
    out = run(corpus_settings, "ask", "--jsonl", stdin="\n".join(json.dumps(x) for x in lines) + "\n")
    assert out.returncode == 0, out.stderr
    answers = [json.loads(line) for line in out.stdout.splitlines()]
    assert [a["id"] for a in answers] == ["q1", "q2", "q3", "q4"]
    for a in answers:
        assert set(a) >= {"id", "answer", "citations", "resources", "safety", "refused", "mode", "lang"}
        assert set(a["safety"]) == {"crisis", "minor", "danger"}
    assert answers[1]["citations"][0]["source_id"] == "us-tx-ncii"
    assert answers[3]["safety"]["minor"] is True


def test_ask_json_names_the_federal_civil_action(corpus_settings):
    out = run(corpus_settings, "ask", "--json", "Can I sue someone who posted my nude photos?")
    ans = json.loads(out.stdout)
    assert ans["mode"] == "offline" and "15 U.S.C. § 6851" in {c["citation"] for c in ans["citations"]}


def test_search_json(corpus_settings):
    out = run(corpus_settings, "search", "--json", "-k", "3", "RAINN hotline")
    rows = json.loads(out.stdout)
    assert len(rows) == 3 and rows[0]["source_id"] == "dir-rainn" and rows[0]["text"]


def test_missing_index_is_a_clear_message(tmp_path, corpus_settings):
    out = run(corpus_settings, "ask", "--json", "hello",
              env_extra={"RECOURSE_INDEX_DIR": str(tmp_path / "nowhere")})
    assert out.returncode == 1 and "recourse ingest" in out.stderr and "Traceback" not in out.stderr


def test_validate_names_file_and_line(corpus_settings):
    out = run(corpus_settings, "validate")
    assert out.returncode == 1 and "guides/broken.md:" in out.stderr


@pytest.mark.parametrize("question", ["", "x" * 50_000, "\x00\x07\x1b", "¿Qué hago si publicaron mis fotos?"])
def test_bad_input_never_crashes(corpus_settings, question):
    out = run(corpus_settings, "ask", "--jsonl", stdin=json.dumps({"id": "b", "q": question}) + "\n")
    assert out.returncode == 0 and json.loads(out.stdout)["answer"]
