"""knowledge/actions/*.yaml: the steps the planner can offer, checked before they are indexed.

An action is data (docs/knowledge-format.md, "Actions"): when it applies, its short texts in
every language we answer in, its link and the source it rests on. A malformed action is
reported with file:line and left out; the rest still load. Grounding is checked here, once, so
the planner can trust it: the cited source exists, and the action's link appears in that
source (its file for a Markdown source, its record for a directory entry).
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from bot.errors import KnowledgeError
from bot.models import Source

# The planner's order (bot/answer/plan.py reads it from here: one list).
GROUPS = ("safety", "evidence", "stop_spread", "remove", "escalate", "legal", "report", "support")
KINDS = ("link", "info", "platform_form", "law", "country_law", "tida_clock")
LANGS = ("en", "es", "zh-TW")
CONDITIONS = {"harm", "pictured", "writer", "place", "not_place", "platform", "done", "not_done", "who",
              "nudify_app"}


def _line(raw: str, action_id: str) -> int | None:
    for n, line in enumerate(raw.splitlines(), 1):
        if line.strip() in (f"- id: {action_id}", f"- id: \"{action_id}\""):
            return n
    return None


def source_text(source: Source, knowledge_dir: Path) -> str:
    if source.kind == "directory":
        return json.dumps(source.meta.get("record", {}), ensure_ascii=False)
    try:
        return (knowledge_dir / source.path).read_text(encoding="utf-8")
    except OSError:
        return source.body


def check_action(action: dict, sources: dict[str, Source], knowledge_dir: Path) -> str | None:
    """The first problem with one action, or None."""
    if not isinstance(action, dict) or not action.get("id"):
        return "an action needs an id"
    if action.get("group") not in GROUPS:
        return f"group must be one of {', '.join(GROUPS)}"
    if action.get("kind") not in KINDS:
        return f"kind must be one of {', '.join(KINDS)}"
    unknown = set(action.get("when") or {}) - CONDITIONS
    if unknown:
        return f"unknown condition(s) {sorted(unknown)} (known: {sorted(CONDITIONS)})"
    for key in ("title", "text"):
        texts = action.get(key) or {}
        missing = [lang for lang in LANGS if not str(texts.get(lang) or "").strip()]
        if missing:
            return f"{key} needs a text in {', '.join(missing)}"
    source = sources.get(str(action.get("source") or ""))
    if source is None:
        return f'source "{action.get("source")}" is not the id of any knowledge file or record'
    url = str(action.get("url") or "")
    if action["kind"] == "link" and not url:
        return "a link action needs a url"
    if url and url.rstrip("/") not in source_text(source, knowledge_dir):
        return f"url {url} does not appear in its source {source.id}"
    return None


def load_actions(knowledge_dir: Path, sources: list[Source]) -> tuple[list[dict], list[KnowledgeError], set[str]]:
    """(valid actions, errors, relative paths that had errors)."""
    by_id = {s.id: s for s in sources}
    actions: list[dict] = []
    errors: list[KnowledgeError] = []
    failed: set[str] = set()
    seen: set[str] = set()
    for path in sorted((knowledge_dir / "actions").glob("*.y*ml")):
        rel = path.relative_to(knowledge_dir).as_posix()
        raw = path.read_text(encoding="utf-8")
        try:
            items = yaml.safe_load(raw) or []
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            errors.append(KnowledgeError(rel, mark.line + 1 if mark else 1, "not valid YAML"))
            failed.add(rel)
            continue
        if not isinstance(items, list):
            errors.append(KnowledgeError(rel, 1, "an actions file must be a YAML list"))
            failed.add(rel)
            continue
        for action in items:
            problem = check_action(action, by_id, knowledge_dir)
            aid = action.get("id") if isinstance(action, dict) else None
            if not problem and aid in seen:
                problem = f'duplicate action id "{aid}"'
            if problem:
                errors.append(KnowledgeError(rel, _line(raw, str(aid)) if aid else None, problem))
                failed.add(rel)
                continue
            seen.add(aid)
            actions.append({k: v for k, v in action.items() if k != "note"})
    return actions, errors, failed
