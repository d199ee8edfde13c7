"""The names people type for platforms, as knowledge/platforms/ front matter declares them.

One table and one way of matching, shared by retrieval (a query naming a platform finds its
file) and the understand stage (the platforms a conversation names): the two used to build and
match the table each in their own way.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.per_generation import per_generation


@per_generation
def platform_aliases(sources: dict) -> list[tuple[str, str, str]]:
    """(alias, source id, display name), longest first, from knowledge/platforms/ front matter."""
    out = []
    for sid, entry in sources.items():
        meta = entry.get("meta") or {}
        if not (entry.get("path") or "").startswith("platforms/"):
            continue
        name = str(meta.get("name") or entry.get("title"))
        for alias in meta.get("aliases") or []:
            out.append((str(alias).lower(), sid, name))
        if meta.get("aliases") and len(name) >= 3 and name.isupper() and name.isalpha():
            out.append((name, sid, name))  # "LINE", "VK": the name itself, but only in capitals
    return sorted(out, key=lambda x: -len(x[0]))


@lru_cache(maxsize=4096)
def alias_pattern(alias: str) -> re.Pattern:
    """How an alias is found in a message: ASCII boundaries, so "在IG上" and "傳到LINE群組" name
    the platform inside Chinese text; any case, except a name declared in capitals ("LINE"),
    since "line" in lower case is an ordinary word."""
    if not alias.isascii():
        return re.compile(re.escape(alias), re.I)
    bounded = rf"(?<![A-Za-z0-9_.]){re.escape(alias)}(?![A-Za-z0-9_])"
    return re.compile(bounded) if alias.isupper() else re.compile(bounded, re.I)
