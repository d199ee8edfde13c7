"""Markdown for the web app: an answer's sources and helplines, the directory, the staff table.

Pure functions over the same records the CLI prints, so the app and `--json` cannot disagree.
"""

from __future__ import annotations

import html
import re

from bot import jurisdictions
from bot.answer.phrases import phrase
from bot.models import Answer, Resource


def _tel(phone: str) -> str:
    digits = re.sub(r"[^0-9+]", "", phone)
    return f"[{phone}](tel:{digits})"


def resource_md(r: Resource | dict) -> str:
    r = r if isinstance(r, dict) else r.model_dump()
    bits = []
    if r.get("phone"):
        bits.append(f"Call {_tel(r['phone'])}")
    if r.get("sms"):
        bits.append(r["sms"])
    if r.get("url"):
        bits.append(f"[website]({r['url']})")
    if r.get("hours"):
        bits.append(r["hours"])
    return f"- **{r['name']}** — " + " · ".join(bits)


def sources_md(ans: Answer | None, lang: str = "en") -> str:
    """The panel under the chat: numbered sources with link and date, then helplines, in the
    answer's language (the page's before the first answer)."""
    lang = ans.lang if ans is not None else lang
    if ans is None:
        return phrase("ui_sources_empty", lang)
    out = []
    if ans.notice:
        out.append(f"> {ans.notice}")
    if ans.citations:
        out.append(f"**{phrase('sources', lang)}**\n")
        for n, c in enumerate(ans.citations, 1):
            section = f" › {c.section}" if c.section else ""
            verified = phrase("ui_last_verified", lang).format(date=c.last_verified)
            out.append(f"{n}. [{c.citation}{section}]({c.url}) — {c.title}. {verified}")
    if ans.resources:
        out.append(f"\n**{phrase('ui_tab_helplines', lang)}**\n")
        out.extend(resource_md(r) for r in ans.resources)
    out.append(f"\n_{phrase('ui_panel_footer', lang)}_")
    return "\n".join(out)


def directory_rows(sources: dict) -> list[dict]:
    """Directory records from the index manifest, as flat dicts."""
    return [e["meta"]["record"] for e in sources.values()
            if e.get("kind") == "directory" and e.get("meta", {}).get("record")]


def directory_table(records: list[dict], place: str = "", audience: str = "", language: str = "",
                    service: str = "") -> list[list[str]]:
    rows = []
    # US lines first (most users), then other countries, each alphabetically.
    for r in sorted(records, key=lambda r: (not r["jurisdictions"][0].startswith("US"),
                                            r["jurisdictions"][0], r["name"])):
        if place and not any(j == place or place.startswith(j) or j.startswith(place)
                             for j in r["jurisdictions"]):
            continue
        if audience and audience not in r.get("audience", []):
            continue
        if language and language not in r.get("languages", []):
            continue
        if service and service not in r.get("services", []):
            continue
        rows.append([r["name"], r.get("phone") or "", r.get("sms") or "", r.get("url") or "",
                     r.get("hours") or "", ", ".join(r["jurisdictions"]), ", ".join(r.get("audience", [])),
                     ", ".join(r.get("languages", [])), ", ".join(r.get("services", [])),
                     str(r.get("last_verified", ""))])
    return rows


DIRECTORY_HEADERS = ["Name", "Phone", "Text", "Website", "Hours", "Where", "For", "Languages",
                     "Services", "Last verified"]
STATE_HEADERS = ["State", "Criminal law", "Civil remedy", "Deepfakes covered", "Deepfake provision",
                 "Threats covered", "Verification", "Citation link", "Last verified"]


def state_table(sources: dict) -> list[list[str]]:
    """One row per US state + DC, from the state files' `state_law` front matter."""
    rows = []
    for sid, e in sources.items():
        law = (e.get("meta") or {}).get("state_law")
        if not law or not e["jurisdiction"].startswith("US-"):
            continue
        rows.append([jurisdictions.name_of(e["jurisdiction"]), "; ".join(law.get("criminal") or []) or "—",
                     "; ".join(law.get("civil") or []) or "—", str(law.get("deepfakes", "")),
                     law.get("deepfake_provision") or "—", str(law.get("threats", "")),
                     e.get("verification", ""), e["url"], e["last_verified"]])
    return sorted(rows)


def html_table(headers: list[str], rows: list[list[str]], caption: str) -> str:
    """A real, accessible <table> (every row in the DOM, header cells scoped, links live)."""
    def cell(value: str, header: str) -> str:
        text = html.escape(value)
        if value.startswith(("http://", "https://")):
            text = f'<a href="{html.escape(value)}" target="_blank" rel="noopener noreferrer">link</a>'
        elif header == "Phone" and value:
            text = f'<a href="tel:{re.sub(r"[^0-9+]", "", value)}">{text}</a>'
        return f"<td>{text}</td>"

    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(cell(str(v), h) for v, h in zip(row, headers)) + "</tr>"
                   for row in rows)
    return (f'<div class="table-wrap"><table><caption>{html.escape(caption)} '
            f'({len(rows)} rows)</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>')


ESCALATION_HEADERS = ["Route", "When it fits", "Where", "Source", "Last verified"]


def escalation_rows(actions: list[dict], sources: dict) -> list[list[str]]:
    """The routes past the platform itself (host, registrar, payment companies, app stores,
    device protections): the planner's actions tagged `staff: escalation`, with their source's
    citation and last-verified date, for staff explaining what else can be done."""
    rows = []
    for action in actions:
        if action.get("staff") != "escalation":
            continue
        source = sources.get(action["source"]) or {}
        section = f" › {action['section']}" if action.get("section") else ""
        rows.append([(action.get("title") or {}).get("en", action["id"]),
                     (action.get("use_when") or {}).get("en", ""),
                     action.get("url") or source.get("url", ""),
                     f"{source.get('citation', action['source'])}{section}",
                     source.get("last_verified", "")])
    return rows
