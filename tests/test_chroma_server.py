"""The same end-to-end path against a real Chroma server (`chroma run`) on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from bot.answer.assistant import Assistant
from bot.config import Settings
from ingest.index import Index
from ingest.pipeline import run_ingest
from tests.conftest import DATA

CHROMA = Path(sys.executable).with_name("chroma")


def start_server(path: Path) -> tuple[subprocess.Popen, str]:
    """A real `chroma run` on a free 127.0.0.1 port, answering its heartbeat."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([str(CHROMA), "run", "--path", str(path), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    pytest.fail("chroma server did not start")


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    proc, url = start_server(tmp_path_factory.mktemp("chroma-server"))
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def test_ingest_answer_and_reingest_while_answering(tmp_path, chroma_url, embedder):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(DATA / "corpus", knowledge)
    settings = Settings(knowledge_dir=knowledge, index_dir=tmp_path / "unused", chroma_url=chroma_url,
                        collection="server-test")
    first = run_ingest(settings, embedder=embedder, progress=False)
    assert len(first.added) >= 6 and not (tmp_path / "unused").exists()  # nothing embedded locally
    bot = Assistant(settings, embedder=embedder)
    ans = bot.answer("Can I sue someone who posted my nude photos?")
    assert any(c.citation == "15 U.S.C. § 6851" for c in ans.citations)

    guide = knowledge / "guides" / "sextortion.md"
    guide.write_text(guide.read_text() + "\n## Step 3: Tell a trusted person\nTalking to a trusted friend helps.\n")
    answers, errors = [], []

    def keep_answering():
        for _ in range(15):
            try:
                answers.append(bot.answer("Someone wants money or he will leak my nudes"))
            except Exception as exc:  # any error here fails the test below
                errors.append(exc)

    reader = threading.Thread(target=keep_answering)
    reader.start()
    report = run_ingest(settings, embedder=embedder, progress=False)
    reader.join()
    assert not errors and all(a.citations for a in answers)
    assert [c.id for c in report.changed] == ["guide-sextortion"] and report.embedded == 3
    time.sleep(2.1)
    ans = bot.answer("Should I tell a trusted person about the sextortion?")
    assert any((c.section or "").startswith("Step 3") for c in ans.citations)
    assert Index(settings).manifest()["generation"] == 2


def test_a_store_lost_while_answering_keeps_answering_from_what_is_loaded(tmp_path, embedder, caplog):
    # Its own server, so stopping it leaves the module's server alone. The store going away
    # between two questions is the failure an operator actually meets (a restarted or crashed
    # Chroma). The retriever ranks the generation it loaded in memory, so the person still gets
    # a cited answer — never a traceback — and the operator's log says the store is unreachable.
    proc, url = start_server(tmp_path / "store")
    try:
        shutil.copytree(DATA / "corpus", tmp_path / "knowledge")
        settings = Settings(knowledge_dir=tmp_path / "knowledge", index_dir=tmp_path / "unused",
                            chroma_url=url, collection="lost-test")
        run_ingest(settings, embedder=embedder, progress=False)
        bot = Assistant(settings, embedder=embedder)
        before = bot.answer("How do I get my photos off Reddit?")
        assert before.citations
    finally:
        proc.kill()
        proc.wait(timeout=20)
    bot.search._checked = 0.0  # the next question checks the store at once
    with caplog.at_level("WARNING"):
        ans = bot.answer("How do I get my photos off Reddit?")
    assert ans.grounded and ans.citations == before.citations
    assert "index refresh failed" in caplog.text and "Reddit" not in caplog.text
