"""Read knowledge/ into `Source` records: Markdown with front matter, and YAML directory records.

A file that cannot be read is reported as a `KnowledgeError` (file:line) and skipped; it never
stops the other files from loading.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import frontmatter
import yaml

from bot.errors import KnowledgeError
from bot.models import Source
from ingest import schema

# Knowledge-file text that tries to instruct a model; indexed as plain text but flagged.
INJECTION_RE = re.compile(
    r"ignore (all |any )?(previous|prior|above|earlier) (instructions|rules)|disregard (the|your) "
    r"(system|previous)|you are now (a |an )?(dan|unrestricted|jailbroken|unfiltered)|system prompt",
    re.IGNORECASE,
)


@dataclass
class LoadResult:
    sources: list[Source] = field(default_factory=list)
    errors: list[KnowledgeError] = field(default_factory=list)
    # Paths (relative) of files that failed, so ingest can keep their previous version.
    failed_paths: set[str] = field(default_factory=set)
    flagged: dict[str, str] = field(default_factory=dict)  # source id → why it was flagged
    # knowledge/routes.yaml: which directory records answer which safety flag, by place.
    routes: dict = field(default_factory=dict)
    # knowledge/actions/*.yaml: the planner's steps (ingest/actions.py), stored in the manifest.
    actions: list = field(default_factory=list)


def _line_of(text: str, key: str, start: int = 0) -> int | None:
    """1-based line of `key:` in text (the first at or after line `start`)."""
    for n, line in enumerate(text.splitlines()[start:], start=start + 1):
        if re.match(rf"\s*-?\s*{re.escape(key)}\s*:", line):
            return n
    return None


def _bad_date(text: str) -> tuple[int | None, str | None, str | None]:
    """(line, key, value) of the first date-shaped value that is not a real date."""
    for n, line in enumerate(text.splitlines(), start=1):
        m = re.match(r"\s*-?\s*([\w-]+)\s*:\s*['\"]?(\d{4}-\d{1,2}-\d{1,2})\b", line)
        if m:
            try:
                date.fromisoformat(m.group(2))
            except ValueError:
                return n, m.group(1), m.group(2)
    return None, None, None


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]


def _iso(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def load_markdown(path: Path, rel: str, today: date) -> Source:
    """One Markdown source, validated; raises KnowledgeError naming file and line."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(rel, None, f"cannot read file ({exc})") from exc
    try:
        post = frontmatter.loads(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1  # +1 for 0-based, +1 for the opening '---'
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise KnowledgeError(rel, line, f"front matter is not valid YAML: {problem}") from exc
    except ValueError as exc:  # PyYAML parses 2025-13-01 as a date and fails
        line, key, value = _bad_date(raw)
        raise KnowledgeError(rel, line, f'{key} "{value}" is not a date (use YYYY-MM-DD)'
                             if key else f"front matter has a bad value ({exc})") from exc
    meta = dict(post.metadata)
    if not meta:
        raise KnowledgeError(rel, 1, "no YAML front matter (the file must start with '---')")
    problems = schema.check_source(meta, rel, today)
    if problems:
        key, message = problems[0]
        raise KnowledgeError(rel, _line_of(raw, key) or 1, message)
    if not post.content.strip():
        raise KnowledgeError(rel, None, "the file has front matter but no text")
    known = set(Source.model_fields)
    return Source(
        id=meta["id"], title=str(meta["title"]), kind=meta["kind"],
        jurisdiction=meta["jurisdiction"], citation=str(meta["citation"]), url=meta["url"],
        last_verified=_iso(meta["last_verified"]), lang=str(meta.get("lang", "en")),
        topics=[str(t) for t in meta.get("topics") or []],
        summary=str(meta.get("summary") or "").strip(), audience=str(meta.get("audience", "any")),
        verification=str(meta.get("verification", "full")), path=rel, body=post.content,
        meta={k: v for k, v in meta.items() if k not in known},
        content_hash=_hash(raw),
    )


def directory_text(rec: dict) -> str:
    """The searchable text of a directory record: what a person would ask about it."""
    lines = [f"{rec['name']}: {rec['description']}".strip()]
    for label, key in (("Phone", "phone"), ("Text", "sms"), ("Website", "url"), ("Hours", "hours")):
        if rec.get(key):
            lines.append(f"{label}: {rec[key]}")
    if rec.get("phone_words"):
        lines.append(f"Phone (letters): {rec['phone_words']}")
    for label, key in (("For", "audience"), ("Languages", "languages"), ("Services", "services"),
                       ("Where", "jurisdictions")):
        if rec.get(key):
            lines.append(f"{label}: {', '.join(map(str, rec[key]))}")
    return "\n".join(lines)


def _record_jurisdiction(codes: list[str]) -> str:
    """One code for a record serving several places: GB for all UK nations, INTL if global."""
    if len(set(codes)) == 1:
        return codes[0]
    prefixes = {c.split("-")[0] for c in codes}
    if len(prefixes) == 1:
        return prefixes.pop()
    return "INTL" if "INTL" in codes else codes[0]


def load_directory(path: Path, rel: str, today: date) -> tuple[list[Source], list[KnowledgeError]]:
    """Every record in a directory YAML file; a bad record is reported and the rest kept."""
    try:
        raw = path.read_text(encoding="utf-8")
        node = yaml.compose(raw)
        records = yaml.safe_load(raw)
    except (OSError, UnicodeDecodeError) as exc:
        return [], [KnowledgeError(rel, None, f"cannot read file ({exc})")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [], [KnowledgeError(rel, mark.line + 1 if mark else 1, f"not valid YAML: {exc.problem if hasattr(exc, 'problem') else exc}")]
    except ValueError:
        line, key, value = _bad_date(raw)
        return [], [KnowledgeError(rel, line, f'{key} "{value}" is not a date (use YYYY-MM-DD)')]
    if not isinstance(records, list):
        return [], [KnowledgeError(rel, 1, "a directory file must be a YAML list of records")]
    sources, errors = [], []
    for rec, rec_node in zip(records, node.value):
        start = rec_node.start_mark.line
        problems = schema.check_directory_record(rec, today)
        if problems:
            key, message = problems[0]
            errors.append(KnowledgeError(rel, _line_of(raw, key, start) or start + 1, message))
            continue
        sources.append(Source(
            id=rec["id"], title=rec["name"], kind="directory",
            jurisdiction=_record_jurisdiction([str(j) for j in rec["jurisdictions"]]),
            citation=rec["name"], url=rec.get("url") or rec.get("source_url") or "",
            last_verified=_iso(rec["last_verified"]), lang=(rec.get("languages") or ["en"])[0],
            topics=[str(s) for s in rec.get("services") or []],
            summary=str(rec["description"]), audience=",".join(map(str, rec.get("audience") or ["any"])),
            path=rel, body=directory_text(rec),
            meta={"record": {k: (_iso(v) if isinstance(v, date) else v) for k, v in rec.items()}},
            content_hash=_hash(json.dumps(rec, sort_keys=True, default=str)),
        ))
    return sources, errors


def load_sources(knowledge_dir: Path, today: date | None = None) -> LoadResult:
    """All sources under knowledge_dir; bad files are collected in `errors`, never raised."""
    today = today or date.today()
    result = LoadResult()
    seen: dict[str, str] = {}
    routes_file = knowledge_dir / "routes.yaml"
    if routes_file.exists():
        try:
            result.routes = yaml.safe_load(routes_file.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            result.errors.append(KnowledgeError("routes.yaml", getattr(getattr(exc, "problem_mark", None), "line", 0) + 1,
                                                f"not valid YAML: {exc}"))
    for path in sorted(knowledge_dir.rglob("*")):
        if not path.is_file() or path.name.startswith(".") or "snapshots" in path.parts:
            continue
        rel = path.relative_to(knowledge_dir).as_posix()
        if path.suffix == ".md" and path.name.lower() != "readme.md":
            try:
                loaded, errs = [load_markdown(path, rel, today)], []
            except KnowledgeError as exc:
                loaded, errs = [], [exc]
        elif path.suffix in (".yaml", ".yml") and rel.startswith("directory/"):
            loaded, errs = load_directory(path, rel, today)
        else:
            continue
        if errs:
            result.errors.extend(errs)
            result.failed_paths.add(rel)
        for source in loaded:
            if source.id in seen:
                result.errors.append(KnowledgeError(
                    rel, _line_of(path.read_text(encoding="utf-8"), "id") or 1,
                    f'duplicate id "{source.id}" (also in {seen[source.id]})'))
                result.failed_paths.add(rel)
                continue
            seen[source.id] = rel
            if INJECTION_RE.search(source.body):
                result.flagged[source.id] = "contains instruction-like text (indexed as plain text)"
            result.sources.append(source)
    from ingest.actions import load_actions

    result.actions, action_errors, action_failed = load_actions(knowledge_dir, result.sources)
    result.errors.extend(action_errors)
    result.failed_paths |= action_failed
    known = {s.id for s in result.sources if s.kind == "directory"}
    for flag, places in (result.routes or {}).items():
        for place, ids in (places or {}).items():
            for rid in ids or []:
                if rid not in known:
                    result.errors.append(KnowledgeError(
                        "routes.yaml", None, f'{flag}.{place} names "{rid}", which no directory record has'))
    return result
