"""Helplines: which directory records answer a safety flag in a place, and how they are shown.

Every reply that shows a person to call goes through here, so a line looks the same in the
crisis block, the plan's "Talk to a person" and the quiet safety net, and a known place outside
the US never gets a US-only line (knowledge/routes.yaml says which records serve where).
"""

from __future__ import annotations

from bot.answer.phrases import phrase
from bot.models import Resource, SafetyFlags

# Languages spoken mainly in one place we have routes for (Spanish is not: most of our Spanish
# speakers are in the US).
LANG_PLACE = {"zh-TW": "TW"}
# Lines per block: enough to have a choice, few enough to read in a crisis.
MAX_LINES = {"crisis": 3, "danger": 2, "minor": 3}


class Helplines:
    """Directory records by id and by route, read from the index manifest."""

    def __init__(self, search) -> None:
        self.search = search

    def record(self, source_id: str) -> dict | None:
        entry = self.search.sources().get(source_id)
        return (entry or {}).get("meta", {}).get("record")

    def resource(self, source_id: str) -> Resource | None:
        rec = self.record(source_id)
        if not rec:
            return None
        return Resource(id=rec["id"], name=rec["name"], phone=rec.get("phone") or None,
                        sms=rec.get("sms") or None, url=rec.get("url") or None,
                        hours=rec.get("hours") or None)

    def adult_only(self, resource: Resource) -> bool:
        return ((self.record(resource.id) or {}).get("audience") or []) == ["adult"]

    def route(self, flag: str, place: str | None, lang: str | None = None) -> list[Resource]:
        """Records knowledge/routes.yaml names for a flag in a place. With no place known, a
        language spoken mainly in one place (Traditional Chinese: Taiwan) puts that place's
        lines first, followed by the default (US) ones."""
        routes = (self.search.manifest.get("routes") or {}).get(flag) or {}
        if not place and lang in LANG_PLACE and routes.get(LANG_PLACE[lang]):
            ids = list(dict.fromkeys(routes[LANG_PLACE[lang]] + routes.get("default", [])))
        else:
            # A known place outside the US never falls back to the US default (988, the US DV
            # hotline): it gets its own lines, else the INTL ones that work anywhere.
            abroad = bool(place) and not place.startswith("US")
            keys = [place, place.split("-")[0] if place else None, "INTL" if abroad else "default"]
            ids = next((routes[key] for key in keys if key and routes.get(key)), [])
        return [r for r in (self.resource(rid) for rid in ids) if r]

    def safety_prefix(self, flags: SafetyFlags, place: str | None, lang: str,
                      earlier_crisis: bool = False) -> tuple[str, list[Resource]]:
        """What comes before anything else: crisis and danger lines, then the route for a minor.
        Crisis and minor together make one block with one list (a person in crisis reads the
        lines, not two introductions). A crisis said earlier in the conversation keeps two
        lines at the top, briefly, while the person goes on to the images."""
        blocks, shown = [], []
        if earlier_crisis and not flags.crisis:
            shown = self.route("crisis", place, lang)[:2]
            blocks.append(block(phrase("crisis_earlier", lang), shown))
        for flag in ("crisis", "danger"):
            if getattr(flags, flag):
                most = MAX_LINES[flag] - (1 if flags.minor and flag == "crisis" else 0)  # room for the minor's
                lines = [r for r in self.route(flag, place, lang) if r not in shown][:most]
                if not lines:
                    continue
                shown += lines
                blocks.append(block(phrase(flag, lang), lines))
        if flags.minor:
            young = [r for r in self.route("minor", place, lang) if r not in shown][:MAX_LINES["minor"]]
            shown += young
            if blocks:  # one list: the young people's services join the crisis lines
                blocks[-1] = "\n".join([blocks[-1], *(line(r) for r in young),
                                        phrase("minor_short", lang)])
            else:
                blocks.append(block(phrase("minor", lang), young) + "\n" + phrase("minor_adult_tools", lang))
        return "\n\n".join(blocks), shown

    def safety_net(self, place: str | None, lang: str, text: str) -> str:
        """A quiet line under a reply that showed no crisis line: detection can miss a person
        in crisis. Empty when the reply already names the line."""
        net = [r for r in self.route("crisis", place, lang)[:1] if r.name not in text]
        if not net:
            return ""
        r = net[0]
        reach = r.phone or r.sms or r.url
        name = r.name if reach in r.name else f"{r.name} ({reach})"  # "988 Suicide & Crisis Lifeline"
        return f"_{phrase('safety_net', lang)} {name}._"


def line(r: Resource, hours: bool = True, brief: bool = False) -> str:
    """One helpline as a list item: name, then phone, text, address and (when known) hours.
    `brief`: the number to call or text, and the address only when there is neither."""
    shown_hours = r.hours if hours and r.hours and "verif" not in r.hours.lower() else None
    url = None if brief and (r.phone or r.sms) else r.url
    bits = [b for b in (r.phone, r.sms, url, shown_hours) if b]
    return f"- {r.name}" + (f": {' · '.join(bits)}" if bits else "")


def block(text: str, resources: list[Resource], brief: bool = False) -> str:
    return "\n".join([text, *(line(r, brief=brief) for r in resources)])


def dedupe(resources: list[Resource]) -> list[Resource]:
    seen, out = set(), []
    for r in resources:
        if r.name not in seen:
            seen.add(r.name)
            out.append(r)
    return out
