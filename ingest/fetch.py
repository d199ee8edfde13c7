"""`recourse fetch`: snapshot the official pages listed in knowledge/remote.yaml.

For maintainers: each listed page (HTML or PDF) is downloaded with a timeout, a size limit
and a polite user agent, its main text extracted (trafilatura for HTML, pypdf for PDF) and
stored under knowledge/snapshots/<id>.txt with the fetch date and a hash. The report says
which pages changed since the last snapshot, so someone can update the hand-written summary.
Snapshots are evidence, not sources: the loaders skip knowledge/snapshots/.
A failure on one URL is reported and never stops the others.
"""

from __future__ import annotations

import hashlib
import io
import urllib.error
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from ingest.report import line_diff

USER_AGENT = "Recourse-knowledge-check/0.1 (legal-aid knowledge maintenance; polite, one request per page)"


class FetchResult(BaseModel):
    id: str
    url: str
    status: str  # new | changed | unchanged | error
    message: str = ""
    chars: int = 0
    lines_added: int = 0
    lines_removed: int = 0
    diff: list[str] = Field(default_factory=list)


def download(url: str, timeout: float, max_bytes: int) -> tuple[bytes, str]:
    """The body and content type; raises ValueError when the page is larger than max_bytes."""
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/pdf"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - URLs come from our manifest
        length = resp.headers.get("Content-Length")
        if length and int(length) > max_bytes:
            raise ValueError(f"page is {int(length):,} bytes, over the {max_bytes:,}-byte limit")
        body = resp.read(max_bytes + 1)
        if len(body) > max_bytes:
            raise ValueError(f"page is over the {max_bytes:,}-byte limit")
        return body, resp.headers.get("Content-Type", "")


def extract_text(body: bytes, content_type: str, url: str) -> str:
    if "pdf" in content_type or url.lower().endswith(".pdf") or body[:5] == b"%PDF-":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(body))
        return "\n".join((page.extract_text() or "").strip() for page in reader.pages).strip()
    import trafilatura

    html = body.decode("utf-8", errors="replace")
    return (trafilatura.extract(html, include_comments=False, include_tables=True) or "").strip()


def _read_snapshot(path: Path) -> str | None:
    if not path.exists():
        return None
    text = path.read_text(encoding="utf-8")
    return text.split("\n---\n", 1)[1] if "\n---\n" in text else text


def fetch_all(knowledge_dir: Path, timeout: float = 20.0, max_bytes: int = 5_000_000,
              dry_run: bool = False) -> list[FetchResult]:
    manifest = knowledge_dir / "remote.yaml"
    if not manifest.exists():
        return []
    entries = yaml.safe_load(manifest.read_text(encoding="utf-8")) or []
    snapshots = knowledge_dir / "snapshots"
    results = []
    for entry in entries:
        sid, url = str(entry.get("id", "")), str(entry.get("url", ""))
        if not sid or not url.startswith(("http://", "https://")):
            results.append(FetchResult(id=sid or "?", url=url, status="error",
                                       message="remote.yaml entry needs an id and an http(s) url"))
            continue
        try:
            body, ctype = download(url, timeout, max_bytes)
            text = extract_text(body, ctype, url)
        except urllib.error.HTTPError as exc:
            results.append(FetchResult(id=sid, url=url, status="error", message=f"HTTP {exc.code} {exc.reason}"))
            continue
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            results.append(FetchResult(id=sid, url=url, status="error", message=f"{type(exc).__name__}: {reason}"))
            continue
        except Exception as exc:  # a broken PDF or odd HTML must not stop the run
            results.append(FetchResult(id=sid, url=url, status="error", message=f"could not extract text: {exc}"))
            continue
        path = snapshots / f"{sid}.txt"
        old = _read_snapshot(path)
        digest = hashlib.sha256(text.encode()).hexdigest()
        result = FetchResult(id=sid, url=url, status="new" if old is None else
                             ("unchanged" if old == text else "changed"), chars=len(text))
        if old is not None and old != text:
            result.lines_added, result.lines_removed, result.diff = line_diff(old, text, keep=8)
        if not dry_run and result.status != "unchanged":
            snapshots.mkdir(parents=True, exist_ok=True)
            fetched = datetime.now(timezone.utc).isoformat(timespec="seconds")
            header = (f"id: {sid}\nurl: {url}\nfetched: {fetched}\nsha256: {digest}\n"
                      f"kind: {entry.get('kind', '')}\njurisdiction: {entry.get('jurisdiction', '')}\n"
                      f"citation: {entry.get('citation', '')}\n---\n")
            tmp = path.with_suffix(".tmp")
            tmp.write_text(header + text, encoding="utf-8")
            tmp.replace(path)  # a snapshot is replaced whole or not at all
        results.append(result)
    return results


def render(results: list[FetchResult]) -> str:
    out = []
    for r in results:
        line = f"{r.status.upper():9} {r.id}  {r.url}"
        if r.message:
            line += f"  — {r.message}"
        if r.status == "changed":
            line += f"  (+{r.lines_added} -{r.lines_removed} lines: update the summary that cites it)"
        out.append(line)
        out.extend(f"            {d}" for d in r.diff[:4])
    counts = {s: sum(r.status == s for r in results) for s in ("new", "changed", "unchanged", "error")}
    out.append(", ".join(f"{n} {s}" for s, n in counts.items()))
    return "\n".join(out)
