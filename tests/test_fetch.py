"""`recourse fetch` against a real HTTP server on 127.0.0.1 serving fixture pages."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml

from ingest.fetch import fetch_all
from ingest.loaders import load_sources


def tiny_pdf(text: str) -> bytes:
    """A one-page PDF with `text`, offsets computed so any reader accepts it."""
    stream = f"BT /F1 18 Tf 20 100 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 144] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PAGE = """<html><head><title>Statute</title></head><body><nav>Home | About</nav><main><article>
<h1>Section 1. Unlawful disclosure of intimate images</h1>
<p>{version} A person commits an offense if the person discloses an intimate image of another
person without consent and with intent to harm. This paragraph is long enough to count as the
main content of the page for the extractor, and it carries the words a maintainer checks.</p>
</article></main><footer>Copyright</footer></body></html>"""


class Handler(BaseHTTPRequestHandler):
    version = "Original text."

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/statute.html":
            body, ctype = PAGE.format(version=Handler.version).encode(), "text/html; charset=utf-8"
        elif self.path == "/law.pdf":
            body, ctype = tiny_pdf("Deep fake media offense text"), "application/pdf"
        elif self.path == "/slow":
            time.sleep(3)
            body, ctype = b"late", "text/html"
        elif self.path == "/huge":
            body, ctype = b"x" * 300_000, "text/html"
        else:
            self.send_error(404, "Not Found")
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture()
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()


def test_fetch_snapshots_reports_changes_and_survives_failures(tmp_path, server):
    (tmp_path / "remote.yaml").write_text(yaml.safe_dump([
        {"id": "tx-statute", "url": f"{server}/statute.html", "kind": "statute", "jurisdiction": "US-TX"},
        {"id": "tx-pdf", "url": f"{server}/law.pdf", "kind": "statute"},
        {"id": "gone", "url": f"{server}/missing"},
        {"id": "slow", "url": f"{server}/slow"},
        {"id": "huge", "url": f"{server}/huge"},
    ]))
    Handler.version = "Original text."
    first = {r.id: r for r in fetch_all(tmp_path, timeout=1.0, max_bytes=100_000)}
    assert first["tx-statute"].status == "new" and first["tx-pdf"].status == "new"
    assert "Deep fake media" in (tmp_path / "snapshots" / "tx-pdf.txt").read_text()
    snapshot = (tmp_path / "snapshots" / "tx-statute.txt").read_text()
    assert "Unlawful disclosure" in snapshot and "Home | About" not in snapshot and "sha256:" in snapshot
    assert first["gone"].status == "error" and "404" in first["gone"].message
    assert first["slow"].status == "error" and first["huge"].status == "error"
    assert "limit" in first["huge"].message

    Handler.version = "Amended text adds digital forgeries."
    second = {r.id: r for r in fetch_all(tmp_path, timeout=1.0, max_bytes=100_000)}
    assert second["tx-statute"].status == "changed" and second["tx-statute"].lines_added >= 1
    assert any("digital forgeries" in d for d in second["tx-statute"].diff)
    assert second["tx-pdf"].status == "unchanged"


def test_snapshots_are_not_loaded_as_sources(tmp_path, server):
    (tmp_path / "remote.yaml").write_text(yaml.safe_dump([{"id": "p", "url": f"{server}/statute.html"}]))
    fetch_all(tmp_path, timeout=2.0)
    result = load_sources(tmp_path)
    assert not result.errors and not result.sources
