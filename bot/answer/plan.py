"""Plan: the steps that apply to what the conversation told us, from knowledge/actions/ data.

The rules are declared with each action (`when:`), the words beside them in every language;
this module only matches, orders and fills in (the shape of GOV.UK's smart-answers: outcomes
apart from the logic that picks them). Order: safety, keep evidence, stop the spread, remove,
escalate (host, registrar, payments, app store), legal options, report, support; at most five steps, at most two from one group.

Adult-only tools are impossible for a child's image by construction: an `adult_only` action is
dropped whenever the person pictured is (or may be) under 18, whatever its `when` says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import timedelta

from bot import jurisdictions
from bot.answer.phrases import phrase
from bot.answer.understand import Facts
from bot.models import SafetyFlags
from bot.per_generation import per_generation
from ingest.actions import GROUPS  # the order, with the format it belongs to

MAX_STEPS = 5
PER_GROUP = {"remove": 2, "safety": 2, "escalate": 2}
PERSONAL = {"law", "country_law", "tida_clock"}  # built from this person's place and dates

_SENTENCE_END = re.compile(r"(?<=[。！？])|(?<=[.!?])\s+")


@dataclass
class Step:
    action_id: str
    group: str
    title: str
    text: str
    url: str | None
    source_id: str
    section: str | None
    route: str | None = None
    template: str | None = None
    kind: str = "info"  # law, country_law and tida_clock steps are this person's own: always shown in full
    asked: bool = False  # the step answers what the person asked (the law, to "my legal rights?"): in full
    specific: bool = False  # answers a fact told (the site ignored them; a nudify app): kept over general steps

    def contract(self, citation: str) -> dict:
        return {"id": self.action_id, "title": self.title, "text": self.text, "url": self.url,
                "citation": citation}


def _in_place(place: str | None, wanted: list[str]) -> bool:
    """A country code matches its own subdivisions (US matches US-TX); "unknown" matches a
    conversation that has not said where the person is."""
    if not place:
        return "unknown" in wanted
    return any(place == w or place.startswith(w + "-") for w in wanted)


def applies(action: dict, facts: Facts, flags: SafetyFlags, partner_named: bool) -> bool:
    when = action.get("when") or {}
    minor = facts.minor_involved or flags.minor
    if action.get("adult_only") and minor:
        return False
    route = action.get("route")
    if route and not getattr(flags, route, False):
        return False  # the emergency and crisis steps are for people in danger or crisis
    if "harm" in when and not set(when["harm"]) & set(facts.harm):
        return False
    if "pictured" in when:
        # Age not said and nothing suggests a minor: adult tools are offered (most people who
        # write are adults) and the reply asks the age; a minor's image never gets them.
        age = "minor" if minor else (facts.pictured or "adult")
        if when["pictured"] != age:
            return False
    if "writer" in when and when["writer"] != facts.writer:
        return False
    if "place" in when and not _in_place(facts.place, when["place"]):
        return False
    if "not_place" in when and _in_place(facts.place, when["not_place"]):
        return False
    if when.get("platform") == "named" and not facts.platforms:
        return False
    if when.get("platform") == "partner" and not partner_named:
        return False
    if "done" in when and not set(when["done"]) & set(facts.done):
        return False
    if "not_done" in when and set(when["not_done"]) & set(facts.done):
        return False
    if "who" in when and facts.who not in when["who"]:
        return False
    if when.get("nudify_app") and not facts.nudify_app:
        return False
    return True


def _text(action: dict, key: str, lang: str) -> str:
    texts = action.get(key) or {}
    return str(texts.get(lang) or texts.get("en") or "")


def plan(actions: list[dict], facts: Facts, flags: SafetyFlags, lang: str, sources: dict,
         laws: dict[str, dict] | None = None, asks_law: bool = False) -> list[Step]:
    """The ordered, filled-in steps for this person (at most MAX_STEPS).

    asks_law: the person asked what the law says or allows ("what are my legal rights?"), so up
    to two legal steps are kept over general ones; with no place said, the US ones are shown,
    titled "If you are in the US", beside the question that asks where they are."""
    platform = _first_platform(facts, sources)
    partner_named = any((sources.get(pid, {}).get("meta") or {}).get("hash_partner") for pid in facts.platforms)
    assume_us = asks_law and not facts.place
    legal_facts = replace(facts, place="US") if assume_us else facts

    def facts_for(action: dict) -> Facts:
        return legal_facts if action["group"] == "legal" else facts

    chosen = [a for a in actions if applies(a, facts_for(a), flags, partner_named)]
    superseded = {s for a in chosen for s in (a.get("supersedes") or [])}
    chosen = [a for a in chosen if a["id"] not in superseded]
    def order(action: dict) -> tuple[float, int]:
        # Asked about the law: the legal steps answer the question, so they come right after safety.
        rank = 0.5 if asks_law and action["group"] == "legal" else GROUPS.index(action["group"])
        return rank, action.get("priority", 50)

    chosen.sort(key=order)
    per_group = PER_GROUP | ({"legal": 2} if asks_law else {})
    picked: list[dict] = []
    used: dict[str, int] = {}
    for action in chosen:  # first pass: breadth, one per group (two where allowed)
        if used.get(action["group"], 0) < per_group.get(action["group"], 1):
            picked.append(action)
            used[action["group"]] = used.get(action["group"], 0) + 1
    # `picked` keeps `chosen`'s order (a filtered run of it): no second sort.
    steps = [step for action in picked if (step := _fill(action, facts_for(action), lang, platform, laws or {}))]
    for step in steps:
        if asks_law and step.group == "legal":
            step.asked = True
            if assume_us:
                step.title = phrase("if_in_us", lang).format(title=step.title)
    return _trim(steps, keep_groups={"legal"} if asks_law else set())


def steps_of(actions: list[dict], facts: Facts, flags: SafetyFlags, lang: str, sources: dict) -> list[Step]:
    """Every action of a short, fixed list that applies, in its order (no per-group limit): the
    prevention steps for a parent, which all sit in one group."""
    platform = _first_platform(facts, sources)
    chosen = sorted((a for a in actions if applies(a, facts, flags, False)),
                    key=lambda a: (GROUPS.index(a["group"]), a.get("priority", 50)))
    return [step for a in chosen if (step := _fill(a, facts, lang, platform, {}))][:MAX_STEPS]


def _trim(steps: list[Step], keep_groups: set[str] = frozenset()) -> list[Step]:
    """At most MAX_STEPS, in order; a step built for this person (their place's law, their 48-hour
    clock) keeps its place over a general one, since nothing else in the reply says it, and so do
    a `specific` step (one that answers a fact they told) and a step of a group they asked about
    (the law, when they asked their rights)."""
    if len(steps) <= MAX_STEPS:
        return steps
    def kept_first(s: Step) -> bool:
        return s.kind in PERSONAL or s.specific or s.group in keep_groups

    own = [s for s in steps if kept_first(s)]
    general = [s for s in steps if not kept_first(s)][: max(0, MAX_STEPS - len(own))]
    kept = {id(s) for s in own[:MAX_STEPS] + general}
    return [s for s in steps if id(s) in kept]


_TRAILING_NOTE = re.compile(r"\s*\((?:[^()]|\([^()]*\))*\)\s*$")


_SECTION_OF = re.compile(r"^(?P<code>.+?) § (?P<section>[^§,;]+)$")


def cite_together(cited) -> str:
    """Sections of one code written the way lawyers do: "Tex. Penal Code §§ 21.16, 21.165",
    not the code's name twice; citations of different codes stay apart."""
    out: list[tuple[str | None, list[str]]] = []
    for c in cited:
        m = _SECTION_OF.match(c)
        if m and out and out[-1][0] == m["code"]:
            out[-1][1].append(m["section"])
        else:
            out.append((m["code"], [m["section"]]) if m else (None, [c]))
    return ", ".join(f"{code} {'§§' if len(secs) > 1 else '§'} {', '.join(secs)}" if code else secs[0]
                     for code, secs in out)


def short_citation(cited: str) -> str:
    """"740 ILCS 190 (Civil Remedies for … Act)" → "740 ILCS 190": a person needs the number to
    look it up, not the Act's long name (the staff table keeps the whole field)."""
    short = _TRAILING_NOTE.sub("", cited)
    return short if re.search(r"\d", short) else cited


def _first_platform(facts: Facts, sources: dict) -> dict | None:
    for pid in facts.platforms:
        entry = sources.get(pid)
        if entry:
            meta = entry.get("meta") or {}
            return {"id": pid, "name": meta.get("name") or entry.get("title"),
                    "url": meta.get("report_url") or entry.get("url")}
    return None


# A platform file names one service or two ("Instagram and Facebook"): the names are the
# brands', the joining word is the reader's.
_AND = {"es": " y ", "zh-TW": "和"}


def platform_name(name: str, lang: str) -> str:
    return name.replace(" and ", _AND[lang]) if lang in _AND else name


def _fill(action: dict, facts: Facts, lang: str, platform: dict | None, laws: dict[str, dict]) -> Step | None:
    kind = action["kind"]
    title, text = _text(action, "title", lang), _text(action, "text", lang)
    url, source, section = action.get("url"), action["source"], action.get("section")
    values = {"platform": platform_name(platform["name"], lang) if platform else "", "place": ""}
    if kind == "platform_form":
        if not platform:
            return None
        url, source, section = platform["url"], platform["id"], None
    elif kind == "country_law":  # outside the US: the country file's own summary, cited to it
        law = law_of(laws, facts.place)
        if not law or law.get("state_law"):
            return None
        own = law["by_lang"].get(lang) or law["by_lang"].get("en")
        if own is None:
            return None
        values |= {"place": jurisdictions.name_of(facts.place, lang),
                   "summary": _first_sentences(own["summary"]) if own is law["by_lang"].get(lang) else ""}
        if not values["summary"]:
            text = _text(action, "text_general", lang) or text
        url, source, section = own["url"], own["id"], None
    elif kind == "law":
        law = laws.get(facts.place or "")
        if not law:  # the US with no state named, or a state with no file: the general sentence
            if not (facts.place or "").startswith("US"):
                return None
            title = _text(action, "title_general", lang) or title
            text = _text(action, "text_general", lang) or text
            return Step(action_id=action["id"], group=action["group"], title=title, text=text,
                        url=url, source_id=source, section=section)
        state_law = law.get("state_law") or {}
        values |= {"place": jurisdictions.name_of(facts.place, lang),
                   "criminal": cite_together(map(short_citation, state_law.get("criminal") or [])),
                   "civil": cite_together(map(short_citation, state_law.get("civil") or [])),
                   "citation": law.get("citation", "")}
        if not state_law:
            text = _text(action, "text_general", lang) or text
        elif not state_law.get("civil"):
            text = _text(action, "text_no_civil", lang) or text
        url, source, section = law.get("url"), law["id"], None
    elif kind == "tida_clock":
        if not facts.request_sent:
            return None
        deadline = facts.request_sent + timedelta(hours=48)
        values["deadline"] = deadline.strftime("%Y-%m-%d %H:%M")
    try:
        title, text = title.format(**values), text.format(**values)
    except (KeyError, IndexError, ValueError):
        return None  # a placeholder this situation cannot fill: leave the step out
    return Step(action_id=action["id"], group=action["group"], title=title, text=text, url=url,
                source_id=source, section=section, route=action.get("route"), template=action.get("template"),
                kind=kind, specific=bool(action.get("specific")))


@per_generation
def laws_by_place(sources: dict) -> dict[str, dict]:
    """The state or country file for each jurisdiction (its state_law fields, citation, url),
    and, for a country, its summary in each language it is written in."""
    out: dict[str, dict] = {}
    for sid, entry in sorted(sources.items()):
        meta = entry.get("meta") or {}
        place = entry.get("jurisdiction")
        if entry.get("kind") != "statute" or not place or place in ("US", "INTL"):
            continue
        lang = entry.get("lang") or "en"
        if place not in out or meta.get("state_law") or (lang == "en" and out[place].get("lang") != "en"):
            out[place] = {"id": sid, "citation": entry.get("citation"), "url": entry.get("url"),
                          "state_law": meta.get("state_law"), "lang": lang,
                          "by_lang": out.get(place, {}).get("by_lang", {})}
        out[place]["by_lang"].setdefault(lang, {"id": sid, "summary": entry.get("summary") or "",
                                                "url": entry.get("url")})
    return out


def law_of(laws: dict[str, dict], place: str | None) -> dict | None:
    """The file for a place, or for its first subdivision we hold (GB → England and Wales)."""
    if not place:
        return None
    return laws.get(place) or next((laws[p] for p in sorted(laws) if p.startswith(place + "-")), None)


def _first_sentences(text: str, limit: int = 280) -> str:
    """Whole sentences from the start of a summary, up to about `limit` characters."""
    out = ""
    for sentence in _SENTENCE_END.split(" ".join(text.split())):
        if out and len(out) + len(sentence) > limit:
            break
        out = f"{out} {sentence}".strip()
    return out
