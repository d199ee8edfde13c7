"""A tiny real OpenAI-compatible chat-completions server for tests (streaming SSE).

Chosen over a llama.cpp server in CI: compiling llama-cpp-python costs ~5.5 minutes per fresh
machine and a 270M model proves only the protocol anyway. The `model` name picks a behaviour:
cite-first (answers from passage 1 with [1]), bad-citation ([9] that does not exist),
error-500, slow (sleeps past the client timeout), trickle (a word every 2 s for a minute:
only a total deadline stops it), image-link (writes a markdown image, an HTML image and a link
to addresses no passage holds).
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
        user = body["messages"][-1]["content"]
        passage = re.search(r'<passage n="1"[^>]*>\n(.*?)\n</passage>', user, re.S)
        first = passage.group(1).split(". ")[0] if passage else "I could not find this"
        text = f"{first}. [1] You can also get help from a helpline. [{'9' if model == 'bad-citation' else '1'}]"
        if model == "image-link":
            text = (f"{first}. [1] ![status](http://127.0.0.1:9/pixel.png?q=leak) More at "
                    "[this page](http://evil.example/x) and <img src=http://evil.example/i.png>. [1]")
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        words = re.findall(r"\S+\s*", text)
        if model == "trickle":
            words = (words * 30)[:30]
        for word in words:
            if model == "trickle":
                time.sleep(2)
            chunk = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": model,
                     "choices": [{"index": 0, "delta": {"content": word}, "finish_reason": None}]}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()
        self.wfile.write(b"data: [DONE]\n\n")


@contextmanager
def running_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
