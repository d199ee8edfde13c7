"""The rules a knowledge file must follow (docs/knowledge-format.md), as code.

Each check returns problems as (field, message); the loader turns them into file:line errors.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlparse

KINDS = {"statute", "bill", "policy", "guide"}
REQUIRED = ("id", "title", "kind", "jurisdiction", "citation", "url", "last_verified")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,80}$")
# US, a US state, the three UK legal systems, the EU, INTL, or any other ISO 3166 country code (MX, ES, ...).
JURISDICTION_RE = re.compile(r"^(US(-[A-Z]{2})?|GB(-(EAW|SCT|NIR))?|[A-Z]{2}|INTL)$")
# Phone numbers as printed: digits with spaces, dashes, dots, parentheses, a leading +.
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ().-]{1,20}[0-9]$")
DIRECTORY_REQUIRED = ("id", "name", "description", "jurisdictions", "last_verified")
STATE_LAW_VALUES = {"yes", "no", "partial", "unverified"}


def check_url(value: object) -> str | None:
    if not isinstance(value, str):
        return "url must be text"
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or "." not in parsed.netloc or " " in value:
        return f'url "{value}" is not a well-formed http(s) address'
    return None


def check_date(value: object, today: date, field: str = "last_verified") -> str | None:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return f'{field} "{value}" is not a date (use YYYY-MM-DD)'
    if not isinstance(value, date):
        return f"{field} must be a date (YYYY-MM-DD)"
    if field == "last_verified" and value > today:
        return f"{field} {value} is in the future"
    return None


def check_source(meta: dict, rel_path: str, today: date) -> list[tuple[str, str]]:
    """Problems with a Markdown source's front matter."""
    problems: list[tuple[str, str]] = []
    for key in REQUIRED:
        if meta.get(key) in (None, ""):
            problems.append((key, f"missing required field '{key}'"))
    if problems:
        return problems
    if not ID_RE.match(str(meta["id"])):
        problems.append(("id", f'id "{meta["id"]}" must be lower-case letters, digits and dashes'))
    if meta["kind"] not in KINDS:
        problems.append(("kind", f'kind "{meta["kind"]}" must be one of {sorted(KINDS)}'))
    if not JURISDICTION_RE.match(str(meta["jurisdiction"])):
        problems.append(("jurisdiction", f'jurisdiction "{meta["jurisdiction"]}" is not a known code'))
    if err := check_url(meta["url"]):
        problems.append(("url", err))
    for ref in meta.get("references") or []:
        if err := check_url(ref):
            problems.append(("references", err))
    if err := check_date(meta["last_verified"], today):
        problems.append(("last_verified", err))
    for key in ("effective", "review_by"):
        if meta.get(key) and (err := check_date(meta[key], today, key)):
            problems.append((key, err))
    if meta.get("verification", "full") not in ("full", "partial"):
        problems.append(("verification", "verification must be 'full' or 'partial'"))
    if meta.get("verification") == "partial" and not meta.get("unverified"):
        problems.append(("verification", "partial verification must list what is 'unverified'"))
    if not isinstance(meta.get("topics", []), list):
        problems.append(("topics", "topics must be a list"))
    if "/laws/us/states/" in f"/{rel_path}":
        problems.extend(check_state_law(meta))
    return problems


def check_state_law(meta: dict) -> list[tuple[str, str]]:
    """A state file must name its statute and say what it covers."""
    law = meta.get("state_law")
    if not isinstance(law, dict):
        return [("id", "a state file needs a 'state_law' block naming its statute")]
    problems = []
    if not law.get("criminal") and not law.get("civil"):
        problems.append(("state_law", "state_law must name at least one criminal or civil provision"))
    for key in ("deepfakes", "threats"):
        if str(law.get(key, "")).lower() not in STATE_LAW_VALUES:
            problems.append(("state_law", f"state_law.{key} must be one of {sorted(STATE_LAW_VALUES)}"))
    return problems


def check_directory_record(rec: dict, today: date) -> list[tuple[str, str]]:
    """Problems with one directory record."""
    if not isinstance(rec, dict):
        return [("id", "a directory record must be a mapping")]
    problems = [(k, f"missing required field '{k}'") for k in DIRECTORY_REQUIRED if not rec.get(k)]
    if problems:
        return problems
    if not ID_RE.match(str(rec["id"])):
        problems.append(("id", f'id "{rec["id"]}" must be lower-case letters, digits and dashes'))
    if not rec.get("phone") and not rec.get("url") and not rec.get("sms"):
        problems.append(("name", "a directory record needs a phone, sms or url"))
    if rec.get("phone") and not PHONE_RE.match(str(rec["phone"])):
        problems.append(("phone", f'phone "{rec["phone"]}" is not a well-formed number'))
    for key in ("url", "source_url"):
        if rec.get(key) and (err := check_url(rec[key])):
            problems.append((key, err))
    for j in rec.get("jurisdictions") or []:
        if not JURISDICTION_RE.match(str(j)):
            problems.append(("jurisdictions", f'jurisdiction "{j}" is not a known code'))
    if err := check_date(rec["last_verified"], today):
        problems.append(("last_verified", err))
    return problems
