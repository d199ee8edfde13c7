"""Bad input and broken parts get a calm answer and lose nothing (issue 17, findings 4–8, 10).

Each test here failed on the code before the fix: `ask --jsonl` died on 17 kinds of line, a
damaged index gave a bare SQLite message, a missing Chroma server was named only after the
model loaded, the staff login crashed on non-ASCII and never slowed down, model-written
images rendered, and a trickling endpoint held an answer for minutes.
"""

from __future__ import annotations

import json
import logging
import random
import shutil
import subprocess
import sys
import time

import pytest

from bot.answer.assistant import MAX_MESSAGE, Assistant
from bot.config import Settings
from bot.errors import IndexDamaged, StoreUnavailable
from bot.staff_login import LOCK_AFTER, LoginGuard
from tests.llm_server import running_server
from tests.test_cli import run

MARKER = "zqrobust7731"


def hostile_lines() -> list[bytes]:
    """The cases found by the probe, then seeded random Unicode and bytes."""
    fixed = [b"42", b"[1, 2, 3]", b"null", b'"just a string"', b"true",
             b'{"id": "s1", "q": "my ex posted \\ud800 my photos ' + MARKER.encode() + b'"}',
             b'{"id": "s2", "q": "bad utf8 \xff\xfe here ' + MARKER.encode() + b'"}',
             b'{"id": "\\udfff", "q": "lone surrogate in the id"}',
             b"[" * 100_000 + b"]" * 100_000,
             b'{"id": "n1", "q": ' + b"9" * 5000 + b"}",
             b'{"id": 7, "q": "hello", "n": ' + b"1" * 5000 + b"}",
             b'{"id": "t1", "q": "texas law", "state": 48}',
             b'{"id": "t2", "q": "texas law", "state": ["TX"]}',
             b'{"id": "t3", "q": "ley", "lang": 3}',
             b'{"id": "t4", "q": "ley", "lang": ["es"]}',
             b'{"id": {"nested": true}, "q": "hello"}',
             b'{"id": "t5", "q": ["a list ' + MARKER.encode() + b'"]}',
             b'{"id": "t6", "q": "hi", "persona": "admin"}',
             b'{"id": "t7", "q": "and in texas?", "history": "not a list"}',
             b'{"id": "t8", "q": "and in texas?", "history": [1, 2]}',
             b'{"id": "t9"',
             b"\x00\x01\x02 garbage",
             json.dumps({"id": "big", "q": "x" * (MAX_MESSAGE + 10)}).encode()]
    rng = random.Random(17)
    for n in range(12):
        text = "".join(chr(rng.choice([rng.randrange(0x20, 0x7f), rng.randrange(0xa0, 0xd7ff),
                                       rng.randrange(0xe000, 0x10ffff)])) for _ in range(rng.randrange(1, 80)))
        fixed.append(json.dumps({"id": f"r{n}", "q": text}).encode())
        fixed.append(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 60))).replace(b"\n", b" "))
    return fixed


def test_every_jsonl_line_gets_one_json_line_and_the_batch_goes_on(corpus_settings):
    lines = hostile_lines()
    lines.append(b'{"id": "last", "q": "Can I sue someone who posted my nudes?"}')
    proc = subprocess.run([sys.executable, "-m", "bot.cli", "ask", "--jsonl"],
                          input=b"\n".join(lines) + b"\n", capture_output=True, timeout=600,
                          env={**__import__("os").environ,
                               "RECOURSE_KNOWLEDGE_DIR": str(corpus_settings.knowledge_dir),
                               "RECOURSE_INDEX_DIR": str(corpus_settings.index_dir)})
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    out = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert len(out) == len([x for x in lines if x.strip()])
    assert all(("answer" in o) != ("error" in o) and "id" in o for o in out)
    by_id = {o["id"]: o for o in out if isinstance(o.get("id"), str)}
    assert "answer" in by_id["s1"] and "answer" in by_id["s2"]  # surrogates and bad bytes: answered
    assert "error" in by_id["t1"] and "state" in by_id["t1"]["error"]
    assert "error" in by_id["t6"] and "error" in by_id["t7"]
    assert "answer" in by_id["big"] and "too long" in by_id["big"]["answer"]
    assert by_id["last"]["citations"], "the line after the hostile ones was answered"
    errors = [o["error"] for o in out if "error" in o]
    assert all(MARKER not in e for e in errors)  # errors name the field, never quote the text
    assert MARKER not in proc.stderr.decode("utf-8", errors="replace")


def test_jsonl_history_carries_the_topic_of_a_follow_up(corpus_settings):
    line = {"id": "f1", "q": "and in texas?", "history": ["Is a sexual deepfake of me illegal?"]}
    out = run(corpus_settings, "ask", "--jsonl", stdin=json.dumps(line) + "\n")
    ans = json.loads(out.stdout)
    assert ans["id"] == "f1" and "us-tx-ncii" in {c["source_id"] for c in ans["citations"]}


def test_an_oversized_message_is_refused_calmly_without_reading_it(corpus_assistant):
    started = time.perf_counter()
    ans = corpus_assistant.answer("my ex posted " * 200_000)
    assert time.perf_counter() - started < 2.0
    assert "too long" in ans.answer and ans.resources and not ans.citations


def copy_index(settings: Settings, tmp_path) -> Settings:
    shutil.copytree(settings.index_dir, tmp_path / "index")
    return Settings(knowledge_dir=settings.knowledge_dir, index_dir=tmp_path / "index")


@pytest.mark.parametrize("damage", [b"", b"this is not a database at all" * 100])
def test_a_damaged_index_says_how_to_rebuild_it(corpus_settings, tmp_path, damage):
    # Readers answer from ingest's serving copy (live.npz) and never open the store: a damaged
    # chroma.sqlite3 alone does not stop the answers (the next ingest reports it). Both damaged:
    # the reader says how to rebuild, and re-initialises nothing.
    settings = copy_index(corpus_settings, tmp_path)
    db, copy = settings.index_dir / "chroma.sqlite3", settings.index_dir / "live.npz"
    db.write_bytes(damage)
    assert Assistant(settings).answer("Is a sexual deepfake of me illegal in Texas?").citations
    copy.write_bytes(damage)
    with pytest.raises(IndexDamaged, match="recourse ingest --rebuild"):
        Assistant(settings)
    assert db.read_bytes() == damage and copy.read_bytes() == damage  # a reader never re-initialises the store


def test_ingest_rebuild_replaces_a_damaged_index(corpus_settings, tmp_path):
    settings = copy_index(corpus_settings, tmp_path)
    (settings.index_dir / "chroma.sqlite3").write_bytes(b"")
    out = run(settings, "ingest", "--rebuild")
    assert out.returncode == 0, out.stderr
    assert run(settings, "search", "--json", "texas deepfake").returncode == 0


def test_an_index_damaged_while_answering_never_shows_an_error(knowledge_settings, embedder, tmp_path):
    # An embedded index garbled under a running process: SQLite may go on serving the pages it
    # has cached (the small fixture corpus fits), or fail on the next read — which of the two is
    # up to its cache, so both are allowed; a traceback or an uncited answer is not. The calm
    # reply itself is pinned down deterministically in test_chroma_server (store stopped).
    settings = copy_index(knowledge_settings, tmp_path)
    bot = Assistant(settings, embedder=embedder)
    assert bot.answer("Can I sue someone who posted my nudes?").citations
    # Overwrite everything after the header with garbage, in the database and in its write-ahead
    # log (an index built in this process may still hold its newest pages there).
    for db in (settings.index_dir / "chroma.sqlite3", settings.index_dir / "chroma.sqlite3-wal"):
        if db.exists() and (size := db.stat().st_size) > 100:
            with db.open("r+b") as fh:
                fh.seek(100)
                fh.write(random.Random(3).randbytes(size - 100))
    bot.search._checked = 0.0
    ans = bot.answer("How do I get my photos off Reddit?")
    if "something went wrong on my side" in ans.answer:
        assert ans.resources and not ans.grounded and not ans.citations
    else:
        assert ans.citations and ans.grounded  # still answering, from what it had read


def test_a_missing_chroma_server_is_named_before_the_model_loads(corpus_settings):
    code = ("import sys\nfrom bot.config import Settings\nfrom bot.answer.assistant import Assistant\n"
            "from bot.errors import StoreUnavailable\nfrom ingest.embed import get_embedder\n"
            "try:\n    Assistant(Settings(chroma_url='http://127.0.0.1:9'))\n"
            "except StoreUnavailable as exc:\n    print(exc)\n"
            "print('model loaded' if get_embedder.cache_info().currsize else 'model not loaded')\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "http://127.0.0.1:9" in proc.stdout and "RECOURSE_CHROMA_URL" in proc.stdout
    assert "model not loaded" in proc.stdout


def test_store_unavailable_is_a_recourse_error_with_the_cli_exit_code(corpus_settings):
    out = run(corpus_settings, "ask", "hello", env_extra={"RECOURSE_CHROMA_URL": "http://127.0.0.1:9"})
    assert out.returncode == 1 and "RECOURSE_CHROMA_URL" in out.stderr and "Traceback" not in out.stderr
    assert issubclass(StoreUnavailable, Exception)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_staff_login_compares_bytes_so_non_ascii_names_work():
    guard = LoginGuard("José", "contraseña-秘密", clock=Clock())
    assert guard.attempt("José", "contraseña-秘密") == (True, "")
    assert guard.attempt("Jose", "x")[0] is False  # and no TypeError from hmac on str


def test_staff_login_backs_off_then_locks_after_ten_and_logs_counts_only(caplog):
    clock = Clock()
    guard = LoginGuard("staff", "right", clock=clock)
    caplog.set_level(logging.WARNING, logger="recourse.staff")
    assert guard.attempt("guess-name", "wrong")[0] is False
    ok, message = guard.attempt("staff", "right")  # too soon: even the right password waits
    assert not ok and "Try again" in message
    for _ in range(LOCK_AFTER - 1):
        clock.now += 60
        guard.attempt("guess-name", "wrong")
    clock.now += 60
    ok, message = guard.attempt("staff", "right")
    assert not ok and "locked" in message
    clock.now += 16 * 60
    assert guard.attempt("staff", "right")[0] is True
    logged = caplog.text
    assert "10 failed attempts" in logged and "guess-name" not in logged and "wrong" not in logged


def test_model_written_images_and_links_never_render(corpus_settings, embedder):
    with running_server() as url:
        settings = Settings(**{**corpus_settings.model_dump(), "llm_model": "image-link",
                               "openai_base_url": url, "openai_api_key": "none"})
        bot = Assistant(settings, embedder=embedder)
        pieces = [p for p in bot.stream("Can I sue someone who posted my nudes?") if isinstance(p, str)]
        ans = bot.answer("Can I sue someone who posted my nudes?")
    # Addresses no passage holds fail verification: the sentence is never shown, and an invented
    # web address makes the whole answer fall back to offline (bot/answer/verify.py).
    assert ans.mode == "offline" and ans.notice and ans.llm_check["fallback"]
    for text in ["".join(pieces), ans.answer]:
        assert "127.0.0.1:9" not in text and "![" not in text and "<img" not in text
        assert "evil.example" not in text


def test_a_trickling_endpoint_cannot_hold_an_answer_past_the_deadline(corpus_settings, embedder):
    with running_server() as url:
        settings = Settings(**{**corpus_settings.model_dump(), "llm_model": "trickle",
                               "openai_base_url": url, "openai_api_key": "none", "llm_timeout": 3})
        started = time.perf_counter()
        ans = Assistant(settings, embedder=embedder).answer("Can I sue someone who posted my nudes?")
    assert time.perf_counter() - started < 8  # the endpoint would trickle for 60 s
    assert ans.mode == "offline" and ans.notice and ans.citations


def test_chat_warns_when_the_host_is_not_loopback(knowledge_settings):
    from bot.app import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "chat", "--host", "0.0.0.0", "--port", "9"],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            env={**__import__("os").environ,
                                 "RECOURSE_INDEX_DIR": str(knowledge_settings.index_dir)})
    try:
        first = proc.stderr.readline()
    finally:
        proc.kill()
        proc.wait()
    assert "warning" in first and "0.0.0.0" in first and "not a loopback" in first
