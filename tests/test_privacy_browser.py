"""Privacy, end to end: nothing a person types into Recourse survives anywhere on the machine.

One person's whole visit is driven in Debian's Chromium with a real, persistent browser profile
(as a person's browser has): two chat messages, every letter in "Take action" filled in and
downloaded (.txt and .docx), an evidence-log row, then Quick exit. Every field carries a marker
made fresh for this run. The browser is then reopened on the same profile, the server stopped,
and the marker is searched for in every file written on the machine since the visit began, in
the whole browser profile and in the server's output: as UTF-8, UTF-16 (LE and BE) and base64,
and inside zip members, deflate/gzip/zlib streams, LevelDB tables and logs, and SQLite rows.
The only files left out are the person's own downloads, which the test deletes first.

The marker is never written to any file by the test itself; hits are reported as paths only.
docs/privacy-test.md describes the method and the last result.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import socket
import sqlite3
import stat
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                 "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parent.parent
# Kernel and device pseudo-filesystems, the repo's git objects, and the sandbox's own tool mount
# (part of the machinery that runs this workplace, not of the machine under test).
NOT_SCANNED = {"/proc", "/sys", "/dev", "/run", "/mnt/sandboxing", str(ROOT / ".git")}
MAX_FILE = 200 * 1024 * 1024
MAX_INFLATE = 256 * 1024 * 1024
MAX_STREAMS = 4000  # compressed-stream candidates tried per file


# ---------------------------------------------------------------------------- the server

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    proc: subprocess.Popen
    stdout: Path
    stderr: Path

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=30)


def http_get(url: str, timeout: float = 30) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


@contextmanager
def running_app(settings, logs: Path):
    """`python -m bot.cli chat` on a free port, its stdout and stderr captured to files."""
    logs.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {**os.environ, "RECOURSE_KNOWLEDGE_DIR": str(settings.knowledge_dir),
           "RECOURSE_INDEX_DIR": str(settings.index_dir),
           # Unbuffered, so whatever the server prints is in the files even after SIGTERM.
           "PYTHONUNBUFFERED": "1"}
    out, err = logs / "server.stdout", logs / "server.stderr"
    with open(out, "wb") as o, open(err, "wb") as e:
        proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "chat", "--port", str(port)],
                                stdout=o, stderr=e, stdin=subprocess.DEVNULL, env=env, cwd=ROOT)
    server = Server(f"http://127.0.0.1:{port}/", proc, out, err)
    try:
        deadline = time.time() + 180
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the server exited ({proc.returncode}):\n{err.read_text(errors='replace')[-3000:]}")
            try:
                if http_get(server.url, timeout=5)[0] == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                pytest.fail("the server did not answer within 180 s")
            time.sleep(0.5)
        yield server
    finally:
        server.stop()


# ---------------------------------------------------------------------------- the browser

def open_profile(playwright, profile: Path, downloads: Path):
    context = playwright.chromium.launch_persistent_context(
        user_data_dir=str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
        accept_downloads=True, downloads_path=str(downloads))
    context.set_default_timeout(60_000)
    return context


def open_app(context, url: str):
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(url)
    page.wait_for_selector("#question textarea", timeout=90_000)
    return page


def wait_until_stable(read, settle: float = 1.5, timeout: float = 60) -> str:
    """The value of read() once it has not changed for `settle` seconds."""
    deadline = time.time() + timeout
    last, since = read(), time.time()
    while time.time() < deadline:
        time.sleep(0.3)
        now = read()
        if now != last:
            last, since = now, time.time()
        elif time.time() - since >= settle:
            return now
    return last


BUSY_JS = """(n) => {
  const chat = document.querySelector('#chatbot');
  if (!chat) return false;
  const bots = chat.querySelectorAll('[data-testid=bot]');
  if (bots.length < n || !bots[bots.length - 1].innerText.trim()) return false;
  // Gradio marks a running event with .pending and shows a timer (.progress-text) meanwhile.
  return !document.querySelector('.pending, .generating') && !chat.querySelector('.progress-text');
}"""


def ask(page, text: str, n: int) -> None:
    """Send one chat message and wait until the n-th answer has finished streaming."""
    page.fill("#question textarea", text)
    page.keyboard.press("Enter")
    page.wait_for_function(BUSY_JS, arg=n, timeout=120_000)
    wait_until_stable(lambda: page.locator("#chatbot").inner_text())
    assert page.locator("#chatbot [data-testid=bot]").count() >= n


def download(page, selector: str):
    """Click a download button; return (suggested name, bytes) and delete the saved file."""
    with page.expect_download(timeout=60_000) as info:
        page.click(selector)
    d = info.value
    saved = Path(d.path())
    data = saved.read_bytes()
    d.delete()
    if saved.exists():
        saved.unlink()
    return d.suggested_filename, data


def letter_kinds(page) -> list[str]:
    page.click("#notice-kind input")
    page.wait_for_selector("[role=option]", timeout=20_000)
    kinds = [k for k in page.locator("[role=option]").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label') || e.innerText.replace('✓', '').trim())") if k]
    # Close the list by choosing the first kind (Escape would be Quick exit).
    page.click(f'[role=option][aria-label="{kinds[0]}"]')
    return kinds


def choose_kind(page, kind: str) -> None:
    page.click("#notice-kind input")
    page.click(f'[role=option][aria-label="{kind}"]')
    page.wait_for_function("(k) => document.querySelector('#notice-kind input').value === k",
                           arg=kind, timeout=20_000)


def letter_fields(page):
    """Every text field of the letter form: visible text inputs in the open tab, except the
    letter-kind dropdown, the preview and the evidence log."""
    fields = page.locator("[role=tabpanel]:visible textarea:visible, "
                          "[role=tabpanel]:visible input[type=text]:visible")
    keep = []
    for i in range(fields.count()):
        f = fields.nth(i)
        if not f.evaluate("e => !!e.closest('#notice-kind, #notice-preview, #evidence-log')"):
            keep.append(f)
    return keep


def preview(page) -> str:
    return page.locator("#notice-preview textarea").input_value()


def docx_text(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml")


def fill_evidence_log(page, marker: str) -> None:
    page.click("#evidence-log button[aria-label='Add row']")
    cells = page.locator('#evidence-log [role=gridcell][data-row="0"]')
    cells.first.wait_for(timeout=20_000)
    for col in range(cells.count()):
        cells.nth(col).dblclick()
        editor = page.locator("#evidence-log [role=gridcell] textarea, #evidence-log [role=gridcell] input")
        editor.first.wait_for(timeout=10_000)
        editor.first.fill(f"{marker}e{col}")
        page.keyboard.press("Enter")
        page.wait_for_timeout(200)


def storage(page) -> dict:
    return page.evaluate("""() => ({local: localStorage.length, session: sessionStorage.length,
                                    local_keys: Object.keys(localStorage).map(k => k.slice(0, 60)),
                                    session_keys: Object.keys(sessionStorage).map(k => k.slice(0, 60))})""")


# ---------------------------------------------------------------------------- the scan

def marker_forms(marker: str) -> dict[str, bytes]:
    """The marker's bytes in each encoding searched for. For base64 the marker may start at any
    of three byte alignments; only the characters that depend on the marker alone are kept."""
    raw = marker.encode("utf-8")
    forms = {"utf-8": raw, "utf-16-le": marker.encode("utf-16-le"), "utf-16-be": marker.encode("utf-16-be")}
    for shift in range(3):
        first = (shift + 2) // 3          # first 3-byte group made of marker bytes only
        last = (shift + len(raw)) // 3    # groups before this one are complete
        for name, enc in (("base64", base64.b64encode), ("base64url", base64.urlsafe_b64encode)):
            forms[f"{name}+{shift}"] = enc(b"\0" * shift + raw)[4 * first:4 * last]
    return forms


def _varint(buf, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise ValueError("bad varint")


def snappy_decompress(buf: bytes) -> bytes:
    """Raw snappy (as LevelDB compresses its table blocks), in pure Python."""
    size, pos = _varint(buf, 0)
    out = bytearray()
    while pos < len(buf):
        tag = buf[pos]
        pos += 1
        kind = tag & 3
        if kind == 0:  # literal
            n = tag >> 2
            if n >= 60:
                extra = n - 59
                n = int.from_bytes(buf[pos:pos + extra], "little")
                pos += extra
            n += 1
            out += buf[pos:pos + n]
            pos += n
            continue
        if kind == 1:
            n, off = ((tag >> 2) & 7) + 4, ((tag >> 5) << 8) | buf[pos]
            pos += 1
        elif kind == 2:
            n, off = (tag >> 2) + 1, int.from_bytes(buf[pos:pos + 2], "little")
            pos += 2
        else:
            n, off = (tag >> 2) + 1, int.from_bytes(buf[pos:pos + 4], "little")
            pos += 4
        if off == 0 or off > len(out):
            raise ValueError("bad snappy copy")
        if off >= n:
            start = len(out) - off
            out += out[start:start + n]
        else:
            for _ in range(n):
                out.append(out[-off])
    if len(out) != size:
        raise ValueError("bad snappy length")
    return bytes(out)


LEVELDB_MAGIC = struct.pack("<Q", 0xDB4775248B80FB57)


def leveldb_table_blocks(data: bytes):
    """Every data block of a LevelDB table (.ldb/.sst), decompressed."""
    def block(off: int, size: int) -> bytes:
        body, kind = data[off:off + size], data[off + size]
        return snappy_decompress(body) if kind == 1 else body

    footer = data[-48:]
    _, p = _varint(footer, 0)
    _, p = _varint(footer, p)
    index_off, p = _varint(footer, p)
    index_size, p = _varint(footer, p)
    index = block(index_off, index_size)
    restarts = struct.unpack("<I", index[-4:])[0]
    end, pos, key = len(index) - 4 - 4 * restarts, 0, b""
    while pos < end:
        shared, pos = _varint(index, pos)
        unshared, pos = _varint(index, pos)
        vlen, pos = _varint(index, pos)
        key = key[:shared] + index[pos:pos + unshared]
        pos += unshared
        value = index[pos:pos + vlen]
        pos += vlen
        off, q = _varint(value, 0)
        size, _ = _varint(value, q)
        yield off, block(off, size)


def leveldb_log_records(data: bytes) -> bytes:
    """The records of a LevelDB log (write-ahead log or MANIFEST) joined across 32 KiB blocks."""
    out, pos = bytearray(), 0
    while pos + 7 <= len(data):
        room = 32768 - pos % 32768
        if room < 7:
            pos += room
            continue
        length = struct.unpack("<H", data[pos + 4:pos + 6])[0]
        if length == 0 and data[pos + 6] == 0:
            pos += room
            continue
        out += data[pos + 7:pos + 7 + length]
        pos += 7 + length
    return bytes(out)


def sqlite_values(path: str) -> bytes:
    """Every text and blob value in a SQLite file, read without writing anything."""
    out = bytearray()
    con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    con.text_factory = bytes
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for t in tables:
            name = t.decode() if isinstance(t, bytes) else t
            for row in con.execute(f'SELECT * FROM "{name.replace(chr(34), chr(34) * 2)}"'):
                for v in row:
                    if isinstance(v, bytes):
                        out += v + b"\n"
    finally:
        con.close()
    return bytes(out)


def inflate(buf, wbits: int) -> bytes:
    d = zlib.decompressobj(wbits)
    return d.decompress(buf, MAX_INFLATE)


def expansions(data: bytes, path: str | None):
    """(label, bytes) for everything decodable inside `data`: zip members, raw-deflate data
    after any zip local header, gzip members anywhere, a zlib stream at the start, LevelDB
    table blocks and log records, SQLite values."""
    view = memoryview(data)
    if zipfile.is_zipfile(io.BytesIO(data)):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                for info in z.infolist():
                    if info.file_size <= MAX_INFLATE:
                        try:
                            yield f"zip:{info.filename}", z.read(info)
                        except Exception:
                            pass
        except Exception:
            pass
    tries, pos = 0, data.find(b"PK\x03\x04")
    while pos != -1 and tries < MAX_STREAMS and pos + 30 <= len(data):
        tries += 1
        _, _, flags, method, _, _, _, csize, _, nlen, xlen = struct.unpack("<4sHHHHHIIIHH", data[pos:pos + 30])
        start = pos + 30 + nlen + xlen
        if method == 8:
            end = start + csize if csize and not flags & 8 else len(data)
            try:
                yield f"deflate@{pos}", inflate(view[start:end], -15)
            except zlib.error:
                pass
        pos = data.find(b"PK\x03\x04", pos + 4)
    tries, pos = 0, data.find(b"\x1f\x8b\x08")
    while pos != -1 and tries < MAX_STREAMS:
        tries += 1
        try:
            yield f"gzip@{pos}", inflate(view[pos:], 31)
        except zlib.error:
            pass
        pos = data.find(b"\x1f\x8b\x08", pos + 3)
    if len(data) > 2 and data[0] == 0x78 and (data[0] * 256 + data[1]) % 31 == 0:
        try:
            yield "zlib", inflate(view, 15)
        except zlib.error:
            pass
    if path is None:
        return
    if len(data) >= 48 and data.endswith(LEVELDB_MAGIC):
        try:
            for off, block in leveldb_table_blocks(data):
                yield f"leveldb-block@{off}", block
        except Exception:
            pass
    name = os.path.basename(path)
    if re.fullmatch(r"\d+\.log|MANIFEST-\d+", name):
        try:
            yield "leveldb-log", leveldb_log_records(data)
        except Exception:
            pass
    if data.startswith(b"SQLite format 3\0"):
        try:
            yield "sqlite-rows", sqlite_values(path)
        except Exception:
            pass


def find_marker(data: bytes, forms: dict[str, bytes], path: str | None = None, depth: int = 0) -> list[str]:
    """Where in `data` (and in what it contains) the marker is, as short labels."""
    found = [f"{'' if depth else 'raw '}{name}" for name, form in forms.items() if form in data]
    found = found[:1] if found else []  # one label per layer is enough
    if depth < 2:
        for label, inner in expansions(data, path if depth == 0 else None):
            found += [f"{label} > {where}" for where in find_marker(inner, forms, None, depth + 1)]
    return found


def scan_file(path: str, forms: dict[str, bytes], marker: str, hits: dict[str, list[str]]) -> None:
    where = ["file name"] if marker in path else []
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE + 1)
    except OSError:
        data = b""
    if len(data) <= MAX_FILE:
        where += find_marker(data, forms, path)
    if where:
        hits[path] = where


def changed_files(since_ns: int, skip: set[str]):
    """Regular files under / modified (or re-created: ctime) at or after `since_ns`."""
    for top, dirs, files in os.walk("/", followlinks=False, onerror=lambda e: None):
        dirs[:] = [d for d in dirs if os.path.join(top, d) not in skip]
        for name in files:
            path = os.path.join(top, name)
            try:
                st = os.lstat(path)
            except OSError:
                continue
            if (stat.S_ISREG(st.st_mode) and st.st_size <= MAX_FILE
                    and max(st.st_mtime_ns, st.st_ctime_ns) >= since_ns):
                yield path


def all_files(directory: Path):
    for top, _, files in os.walk(directory, followlinks=False):
        for name in files:
            path = os.path.join(top, name)
            try:
                if stat.S_ISREG(os.lstat(path).st_mode):
                    yield path
            except OSError:
                pass


# ---------------------------------------------------------------------------- the tests

def test_nothing_typed_survives_anywhere_on_the_machine(knowledge_settings, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run `make browser` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    marker = "zq" + uuid.uuid4().hex
    forms = marker_forms(marker)
    profile, downloads, logs = tmp_path / "profile", tmp_path / "downloads", tmp_path / "server"
    downloads.mkdir()
    stamp = tmp_path / "stamp"
    stamp.touch()
    since_ns = stamp.stat().st_mtime_ns
    time.sleep(1)
    problems: list[str] = []

    with running_app(knowledge_settings, logs) as server, sync_playwright() as p:
        context = open_profile(p, profile, downloads)
        page = open_app(context, server.url)

        # The chat: two messages carrying the marker.
        ask(page, f"my ex posted my photos, my name is Ana {marker}", 1)
        ask(page, f"He also sent them to my boss. My username there is {marker}u, what can I do?", 2)

        # Take action: every letter kind, every field, both downloads; then the evidence log.
        page.get_by_role("tab", name="Take action").click()
        page.wait_for_selector("#notice-preview textarea", timeout=30_000)
        kinds = letter_kinds(page)
        assert len(kinds) >= 4, kinds
        for k, kind in enumerate(kinds):
            choose_kind(page, kind)
            token = f"{marker}k{k}"
            fields = letter_fields(page)
            assert len(fields) >= 7, f"only {len(fields)} letter fields found"
            for i, field in enumerate(fields):
                is_urls = field.evaluate("e => !!e.closest('#notice-urls')")
                field.fill(f"https://example.org/{token}f{i}" if is_urls else f"{token}f{i}")
            page.wait_for_function(
                "(t) => ((document.querySelector('#notice-preview textarea') || {}).value || '').includes(t)",
                arg=token, timeout=30_000)
            text = wait_until_stable(lambda: preview(page))
            shown = [f"{token}f{i}".encode() for i in range(len(fields)) if f"{token}f{i}" in text]
            assert shown, f"no preview for {kind!r}"

            # The .docx is rebuilt from the preview in the background: retry until it carries
            # every detail the preview shows.
            deadline, ok = time.time() + 45, False
            while not ok and time.time() < deadline:
                name, data = download(page, "#notice-docx")
                body = docx_text(data)
                ok = all(s in body for s in shown)
                if not ok:
                    page.wait_for_timeout(1000)
            assert ok, f"the .docx for {kind!r} never carried the details typed"
            assert name.endswith(".docx")

            name, data = download(page, "#notice-txt")
            assert name.endswith(".txt") and token.encode() in data, f"the .txt for {kind!r} lacks the details"

        fill_evidence_log(page, marker)
        deadline, ok = time.time() + 30, False
        while not ok and time.time() < deadline:
            name, data = download(page, "#evidence-txt")
            ok = f"{marker}e0".encode() in data and f"{marker}e5".encode() in data
            if not ok:
                page.wait_for_timeout(1000)
        assert ok, "the evidence log download lacks the rows typed"
        # (The staff tab needs a login; it is left alone.)

        # Quick exit, then the browser closed and opened again on the same profile.
        page.click("#quick-exit")
        # It navigates to a neutral site, unreachable here (no network): wait for the page to
        # have left the app, whatever the navigation's outcome.
        deadline = time.time() + 20
        while page.url.startswith(server.url) and time.time() < deadline:
            page.wait_for_timeout(250)
        assert not page.url.startswith(server.url), "Quick exit did not leave the app"
        page.wait_for_timeout(1000)
        context.close()

        context = open_profile(p, profile, downloads)
        page = context.pages[0] if context.pages else context.new_page()
        # First a same-origin page that runs no app code: what the profile kept.
        page.goto(server.url + "gradio_api/info")
        kept = storage(page)
        if kept["local"] or kept["session"]:
            problems.append(f"after Quick exit and a browser restart the profile still holds "
                            f"localStorage {kept['local_keys']} and sessionStorage {kept['session_keys']}")
        page = open_app(context, server.url)
        page.wait_for_timeout(2000)
        reopened = storage(page)
        if reopened["local"] or reopened["session"]:
            problems.append(f"after reopening the app: localStorage {reopened['local_keys']}, "
                            f"sessionStorage {reopened['session_keys']}")
        if marker in page.content() or marker in page.locator("#chatbot").inner_text():
            problems.append("the reopened app shows what was typed before Quick exit")
        context.close()

        server.stop()

    # Only the person's own downloads, already deleted, are left out of the scan.
    left = os.listdir(downloads)
    assert left == [], f"downloads not deleted: {left}"
    hits: dict[str, list[str]] = {}
    scanned: set[str] = set()
    started = time.time()
    for path in [*all_files(profile), str(server.stdout), str(server.stderr),
                 *changed_files(since_ns, NOT_SCANNED | {str(downloads)})]:
        if path not in scanned:
            scanned.add(path)
            scan_file(path, forms, marker, hits)
    print(f"\nscanned {len(scanned)} files in {time.time() - started:.0f} s")
    for path, where in sorted(hits.items()):
        problems.append(f"{path}: {'; '.join(where[:4])}{' …' if len(where) > 4 else ''}")
    assert not problems, "what was typed survived:\n  " + "\n  ".join(problems)


def test_pages_are_not_cached_and_no_run_history_is_kept(knowledge_settings, tmp_path):
    """No browser needed: the app's pages and API info say Cache-Control: no-store, and the
    Gradio run-history page is not served."""
    problems = []
    with running_app(knowledge_settings, tmp_path / "server") as server:
        for path in ("", "config", "gradio_api/info"):
            status, headers, body = http_get(server.url + path)
            cache = headers.get("cache-control", "")
            if status != 200:
                problems.append(f"GET /{path}: status {status}")
            elif "no-store" not in cache.lower():
                problems.append(f"GET /{path}: Cache-Control is {cache!r}, not no-store")
            if path == "config" and status == 200 and json.loads(body).get("run_history"):
                problems.append("GET /config: run_history is on")
        status, headers, body = http_get(server.url + "gradio_api/runs")
        if status != 404:
            try:
                runs = json.loads(body)
            except ValueError:
                runs = None
            if runs not in ([], {}, {"runs": []}, {"records": []}):
                kind = headers.get("content-type", "?").split(";")[0]
                problems.append(f"GET /gradio_api/runs: status {status} ({kind}), the run-history page is served")
    assert not problems, "\n".join(problems)
