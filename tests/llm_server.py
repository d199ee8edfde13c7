"""A tiny real OpenAI-compatible chat-completions server for tests (streaming SSE).

Chosen over a llama.cpp server in CI: compiling llama-cpp-python costs ~5.5 minutes per fresh
machine and a 270M model proves only the protocol anyway. The `model` name picks a behaviour:
cite-first (answers from passage 1 with [1]), bad-citation ([9] that does not exist),
error-500, slow (sleeps past the client timeout), trickle (a word every 2 s for a minute:
only a total deadline stops it), image-link (writes a markdown image, an HTML image and a link
to addresses no passage holds); and, for the verifier: fake-section (a § number no passage
holds, cited [1]), fake-phone (a phone number no passage holds), fake-amount (one dollar amount
no passage holds, among sentences that are fine), cite-99 ([99]), garbage (chunks that are not
JSON), cut-off (the connection closes half way through a sentence, no finish), hang (accepts
and never answers); rewrite-plan (given a plan, writes it back line for line under one warm
sentence) and rewrite-drop-step (the same, without the last step). Every answer but cut-off ends with a chunk whose finish_reason is "stop",
as OpenAI, vLLM, llama.cpp and Ollama send.
"""

from __future__ import annotations

import json
import re
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output quiet
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        model = body.get("model", "")
        if model == "error-500":
            self.send_response(500)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"error": {"message": "boom", "type": "server_error"}}')
            return
        if model == "slow":
            time.sleep(3)
        if model == "hang":
            time.sleep(60)
            return
        user = body["messages"][-1]["content"]
        if model in ("rewrite-plan", "rewrite-drop-step") and "\nPlan:\n" in user:
            steps = [ln for ln in user.split("\nPlan:\n", 1)[1].splitlines() if re.match(r"\d+\. ", ln)]
            if model == "rewrite-drop-step":
                steps = steps[:-1]
            self.stream(model, "I'm so sorry. Here is what you can do, one step at a time.\n" + "\n".join(steps) + "\n")
            return
        passage = re.search(r'<passage n="1"[^>]*>\n(.*?)\n</passage>', user, re.S)
        first = passage.group(1).split(". ")[0] if passage else "I could not find this"
        text = f"{first}. [1] You can also get help from a helpline. [{'9' if model == 'bad-citation' else '1'}]"
        if model == "image-link":
            text = (f"{first}. [1] ![status](http://127.0.0.1:9/pixel.png?q=leak) More at "
                    "[this page](http://evil.example/x) and <img src=http://evil.example/i.png>. [1]")
        text = FABRICATED.get(model, "{text}").format(first=first, text=text)
        self.stream(model, text)

    def stream(self, model: str, text: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        words = re.findall(r"\S+\s*", text)
        if model == "trickle":
            words = (words * 30)[:30]
        if model == "cut-off":
            words = words[:len(words) - 3]
        try:
            for word in words:
                if model == "trickle":
                    time.sleep(2)
                if model == "garbage":
                    self.wfile.write(b"data: {not json at all\n\n")
                    continue
                self.wfile.write(f"data: {json.dumps(chunk_of(model, word))}\n\n".encode())
                self.wfile.flush()
            if model == "cut-off":
                return  # the connection closes: no finish_reason, no [DONE]
            self.wfile.write(f"data: {json.dumps(chunk_of(model, None, 'stop'))}\n\n".encode())
            self.wfile.write(b"data: [DONE]\n\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading (a fallback or its deadline): nothing to send to


FABRICATED = {
    "fake-section": "{first}. [1] Under 18 U.S.C. § 9999 this is a felony. [1] Keep the evidence. [1]",
    "fake-phone": "{first}. [1] Call the helpline at 555-013-4477 any time. [1] You are not alone. [1]",
    "fake-amount": "{first}. [1] A court could award $9,999,999 in damages. [1] You are not to blame. [1] "
                   "A helpline can help you. [1] You can go at your own pace. [1]",
    "cite-99": "{first}. [1] More help exists for this. [99]",
    "cut-off": "{first}. [1] The next thing to know is that the platform must act quickly. [1]",
}


def chunk_of(model: str, word: str | None, finish: str | None = None) -> dict:
    delta = {"content": word} if word is not None else {}
    return {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


@contextmanager
def running_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
