"""The app's HTTP API under hostile calls: calm replies, limits, and none of the text in the logs.

A real `recourse chat` server; requests speak Gradio's own call protocol
(POST /gradio_api/call/<name>, then read its event stream), as any client on the network could.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time

import httpx
import pytest

from tests.test_app_browser import free_port

MARKER = "zqapi5521marker"


@pytest.fixture(scope="module")
def server(knowledge_settings, tmp_path_factory):
    logs = tmp_path_factory.mktemp("api-logs")
    port = free_port()
    env = {**os.environ, "RECOURSE_KNOWLEDGE_DIR": str(knowledge_settings.knowledge_dir),
           "RECOURSE_INDEX_DIR": str(knowledge_settings.index_dir)}
    out, err = (logs / "stdout").open("w"), (logs / "stderr").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "chat", "--port", str(port)],
                            stdout=out, stderr=err, text=True, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 180
    while time.time() < deadline and "ready" not in (logs / "stdout").read_text():
        time.sleep(0.5)
    yield url, logs
    proc.terminate()
    proc.wait(timeout=20)
    out.close()
    err.close()


def call(url: str, name: str, data, timeout: float = 120) -> tuple[int, str]:
    """(status of the POST, the event stream's text) for one API call."""
    with httpx.Client(timeout=timeout) as client:
        posted = client.post(f"{url}/gradio_api/call/{name}", json={"data": data})
        if posted.status_code != 200:
            return posted.status_code, posted.text
        event_id = posted.json()["event_id"]
        return 200, client.get(f"{url}/gradio_api/call/{name}/{event_id}").text


def test_every_response_is_no_store_and_there_is_no_run_history(server):
    url, _ = server
    for path in ("/", "/gradio_api/info", "/config"):
        response = httpx.get(url + path, timeout=30)
        assert response.headers.get("cache-control") == "no-store", path
    runs = httpx.get(url + "/gradio_api/runs", timeout=30)
    assert runs.status_code == 404 or "run" not in runs.text.lower()


def test_a_one_megabyte_message_gets_a_calm_reply(server):
    url, _ = server
    started = time.perf_counter()
    status, events = call(url, "reply", [MARKER + " " + "x" * 1_000_000, "", "victim", "", 0])
    assert status == 200 and "too long" in events
    assert time.perf_counter() - started < 15


def test_a_huge_staff_query_is_cut_and_fast(server):
    url, _ = server
    started = time.perf_counter()
    status, events = call(url, "staff_search", ["deepfake " * 120_000])
    assert status == 200 and "first 500 characters" in events
    assert time.perf_counter() - started < 10


def test_malformed_calls_leave_no_words_in_the_server_log(server):
    url, logs = server
    rng = random.Random(5)
    bad = [
        [{"text": MARKER}, "", "victim", ""],
        [MARKER, MARKER, "victim", ""],            # a place that is not a choice
        [MARKER, "", MARKER, ""],                  # a persona that is not a choice
        [MARKER, "", "victim", {"lang": MARKER}],
        [[MARKER] * 5000, "", "victim", ""],
        [MARKER],
        {"q": MARKER},
        [MARKER + "".join(chr(rng.randrange(0x20, 0xd7ff)) for _ in range(200)), "", "victim", ""],
    ]
    for data in bad:
        call(url, "reply", data, timeout=60)
    call(url, "staff_search", [{"query": MARKER}], timeout=60)
    time.sleep(1)
    text = (logs / "stdout").read_text(errors="replace") + (logs / "stderr").read_text(errors="replace")
    assert MARKER not in text
    assert "Traceback" not in text


def test_the_api_takes_no_conversation_history_from_the_client(server):
    url, _ = server
    info = httpx.get(url + "/gradio_api/info", timeout=30).json()
    params = [p["parameter_name"] for p in info["named_endpoints"]["/reply"]["parameters"]]
    # The fifth is the page's count of replies (a number, never their text): see the next test.
    assert params == ["message", "place_code", "persona_value", "lang_code", "replies"]
    status, events = call(url, "reply", ["Can I sue someone who posted my nudes?", "", "victim", "", 0])
    assert status == 200 and "6851" in events
    assert json.dumps(MARKER) not in events


def test_a_page_whose_conversation_this_process_lost_is_told_and_starts_afresh(server):
    # What a person sees when the replica holding their conversation died and the balancer sent
    # them to this one: their page has had replies, this process has no conversation for it.
    url, logs = server
    status, events = call(url, "reply", ["and can I sue them?", "", "victim", "", 3])
    assert status == 200 and "lost the thread of our conversation" in events
    status, events = call(url, "reply", ["y puedo demandarlos?", "", "victim", "", 2])
    assert status == 200 and json.dumps("perdí el hilo")[1:-1] in events  # the stream escapes non-ASCII
    status, events = call(url, "reply", ["Can I sue someone who posted my nudes?", "", "victim", "", 0])
    assert status == 200 and "lost the thread" not in events
