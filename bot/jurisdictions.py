"""Jurisdiction codes, their names, and spotting a place named in a question.

Names, not law: which statutes apply lives in knowledge/. This only maps "Texas" to "US-TX".
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}
OTHER = {
    "GB": "United Kingdom", "GB-EAW": "England and Wales", "GB-SCT": "Scotland", "GB-NIR": "Northern Ireland",
    "AU": "Australia", "CA": "Canada", "EU": "European Union", "TW": "Taiwan", "KR": "South Korea",
}
# Extra ways people name a place (longest match wins, so "West Virginia" beats "Virginia").
_ALIASES = {
    "england": "GB-EAW", "wales": "GB-EAW", "uk": "GB", "u.k.": "GB",
    "britain": "GB", "great britain": "GB", "scottish": "GB-SCT", "australian": "AU", "canadian": "CA",
    "europe": "EU", "eu": "EU", "korea": "KR", "korean": "KR", "taiwanese": "TW", "台灣": "TW",
    "臺灣": "TW", "washington dc": "US-DC", "washington, dc": "US-DC", "d.c.": "US-DC",
    "new york city": "US-NY", "nyc": "US-NY",
    "sydney": "AU", "melbourne": "AU", "brisbane": "AU", "perth": "AU", "adelaide": "AU",
    "toronto": "CA", "vancouver": "CA", "montreal": "CA", "ottawa": "CA", "calgary": "CA",
    "london": "GB-EAW", "manchester": "GB-EAW", "birmingham": "GB-EAW", "cardiff": "GB-EAW",
    "glasgow": "GB-SCT", "edinburgh": "GB-SCT", "belfast": "GB-NIR", "taipei": "TW", "台北": "TW",
    "臺北": "TW", "高雄": "TW", "台中": "TW", "seoul": "KR", "busan": "KR",
}


def choices() -> list[tuple[str, str]]:
    """(label, code) pairs for the UI picker: US states, then other countries."""
    states = [(f"{name} (US)", f"US-{code}") for code, name in sorted(US_STATES.items(), key=lambda x: x[1])]
    return [("United States (federal)", "US"), *states, *[(name, code) for code, name in OTHER.items()]]


def normalise(code: str | None, *, state: bool = False) -> str | None:
    """Canonical code or None. Full codes ("US-TX", "GB-SCT", "CA" = Canada) always work;
    with state=True (the CLI's --state) a bare "TX" or "CA" means that US state."""
    if not code:
        return None
    code = code.strip().upper()
    if state and code in US_STATES:
        return f"US-{code}"
    if code.startswith("US-") and code[3:] in US_STATES or code in ("US", "INTL") or code in OTHER:
        return code
    if len(code) == 2 and code in countries():
        return code  # a country we hold no law for: still a place (routes use INTL)
    return None


# Chinese and Spanish names of US states and large cities written in Chinese: data, not code.
_OTHER_NAMES = yaml.safe_load((Path(__file__).with_name("place_names.yaml")).read_text(encoding="utf-8"))
_ALIASES.update({str(name).lower(): code for code, names in _OTHER_NAMES.items() for name in names})

_NAMES = sorted(
    [(name.lower(), f"US-{code}") for code, name in US_STATES.items()]
    + [(name.lower(), code) for code, name in OTHER.items()] + list(_ALIASES.items()),
    key=lambda x: -len(x[0]),
)
_NAME_PATTERNS = [re.compile(rf"(?<![a-z]){re.escape(name)}(?![a-z])") for name, _ in _NAMES]


# Country names in the languages we answer in, from Babel's CLDR data, for places we hold no
# law for: knowing someone is in Mexico keeps US-only lines (988) out of their reply. Names that
# are also common English words or first names are left out.
_NOT_PLACES = {"chad", "jordan", "georgia", "turkey", "guinea", "niger", "jersey", "man", "isle of man",
               "china", "us", "mali", "peru", "cuba"}


@lru_cache(maxsize=1)
def _country_names() -> list[tuple[str, str]]:
    from babel import Locale

    names: dict[str, str] = {}
    for loc in ("en", "es", "zh_Hant"):
        for code, name in Locale.parse(loc).territories.items():
            if len(code) == 2 and code.isalpha() and code not in ("ZZ", "EU", "UN", "EZ", "QO"):
                names.setdefault(name.lower(), code)
    names.update({"mexico": "MX", "méxico": "MX", "españa": "ES", "brasil": "BR", "the philippines": "PH",
                  "philippines": "PH", "peru": "PE", "perú": "PE", "cuba": "CU", "中國": "CN",
                  "中国": "CN", "大陸": "CN", "香港": "HK", "日本": "JP"})
    return sorted(((n, c) for n, c in names.items() if n not in _NOT_PLACES), key=lambda x: -len(x[0]))


def countries() -> set[str]:
    return {code for _, code in _country_names()}


@lru_cache(maxsize=1)
def _country_patterns() -> list[tuple[re.Pattern, str]]:
    """The country names compiled once, longest first: searching ~700 names per message
    recompiled them on every call once they outgrew `re`'s cache (about 20 ms a message)."""
    return [(re.compile(re.escape(name) if not name.isascii() else rf"(?<![a-z]){re.escape(name)}(?![a-z])"), code)
            for name, code in _country_names() if name and code not in ("US", "EU")]


def detect_country(text: str) -> str | None:
    """A country named in the text that we have no jurisdiction file for ("estoy en México" → "MX")."""
    lowered = text.lower()
    return next((code for pattern, code in _country_patterns() if pattern.search(lowered)), None)


def place_of(text: str) -> str | None:
    """Our jurisdiction for the place a message names, else any country it names, else the
    place of a large city it names ("i'm in são paulo" → BR)."""
    from bot.cities import detect_city

    return detect(text) or detect_country(text) or detect_city(text)


def detect(text: str) -> str | None:
    """The place a message names, if any ("Texas law on deepfakes" → "US-TX")."""
    lowered = text.lower()
    for (name, code), pattern in zip(_NAMES, _NAME_PATTERNS):
        if pattern.search(lowered):
            if name == "washington" and re.search(r"washington,? d\.?c", lowered):
                return "US-DC"
            return code
    return None


def detect_all(text: str) -> list[str]:
    """Every place a message names, in order ("Compare New York and New Jersey" → both)."""
    lowered, found = text.lower(), []
    for (name, code), pattern in zip(_NAMES, _NAME_PATTERNS):
        for m in pattern.finditer(lowered):
            found.append((m.start(), code))
            lowered = lowered[:m.start()] + " " * len(name) + lowered[m.end():]  # "new york" is not also "york"
    return list(dict.fromkeys(code for _, code in sorted(found)))


def allowed(code: str | None) -> list[str] | None:
    """Jurisdictions whose sources may answer for `code` (None = no filter)."""
    if not code or code == "INTL":
        return None
    if code.startswith("US"):
        return sorted({code, "US", "INTL"})
    if code == "GB":
        return ["GB", "GB-EAW", "GB-NIR", "GB-SCT", "INTL"]
    if code.startswith("GB"):
        return [code, "GB", "INTL"]
    return [code, "INTL"]


def name_of(code: str, lang: str = "en") -> str:
    """The place's name in the reply's language ("US-NY" → "Nueva York" in Spanish, "紐約州" in
    Chinese; "ES" → "España"). Falls back to English where we hold no name."""
    if lang != "en" and (local := _local_name(code, lang)):
        return local
    if code.startswith("US-"):
        return US_STATES.get(code[3:], code)
    if code in OTHER or code == "US":
        return OTHER.get(code, "the United States")
    from babel import Locale

    return Locale("en").territories.get(code, code)


def _local_name(code: str, lang: str) -> str | None:
    """A US state from place_names.yaml (its first Chinese name; a Spanish name where it differs
    from the English one), a country from CLDR; the UK's legal systems keep their English names."""
    cjk = lang.startswith("zh")
    if code.startswith("US-"):
        for name in map(str, _OTHER_NAMES.get(code) or []):
            if cjk and not name.isascii() and not any(ch in name for ch in "áéíóúñ"):
                return name
            if lang == "es" and " " in name and name.isascii() or lang == "es" and "México" in name:
                return name  # "Nueva York", "Carolina del Norte", "Nuevo México"
        return None
    if code.startswith("GB-") or code in ("EU", "INTL"):
        return None
    from babel import Locale

    return Locale.parse("zh_Hant" if cjk else lang).territories.get(code)