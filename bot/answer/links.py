"""Only links that come from our sources may render in a model-written answer.

A model can write a markdown image (`![x](http://listener/?q=...)`) or a link that the browser
would fetch or the person would follow; the passages it was given can be quoted, not its own
addresses. `allowed_urls` collects every address in the passages (their official URL and any in
their text); `sanitize` keeps a link only when its address is one of them, turns every image
into its alt text, drops raw HTML tags, and replaces any other address with a neutral word.
"""

from __future__ import annotations

import re
from typing import Iterable

from bot.models import Chunk

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'()\[\]]+", re.I)
_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_REF_DEF = re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$", re.M)  # [id]: http://... reference links
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]*)>", re.I)
REMOVED = "link removed"  # no brackets: never part of a markdown link


def _norm(url: str) -> str:
    return url.strip().rstrip(".,;:").rstrip("/").lower()


def allowed_urls(passages: Iterable[Chunk]) -> set[str]:
    urls: set[str] = set()
    for c in passages:
        if c.url:
            urls.add(_norm(c.url))
        urls |= {_norm(u) for u in _URL.findall(c.text)}
    return urls


def sanitize(text: str, allowed: set[str]) -> str:
    def link(m: re.Match) -> str:
        label, url = m.group(1), m.group(2)
        return f"[{label}]({url})" if _norm(url) in allowed else _URL.sub(bare, label)

    def bare(m: re.Match) -> str:
        return m.group(0) if _norm(m.group(0)) in allowed else REMOVED

    text = text.replace("\x00", "")
    text = _IMAGE.sub(lambda m: m.group(1), text)
    text = _AUTOLINK.sub(lambda m: m.group(1), text)
    text = _REF_DEF.sub("", text)
    text = _TAG.sub("", text)
    kept: list[str] = []

    def stash(m: re.Match) -> str:
        kept.append(link(m))
        return f"\x00{len(kept) - 1}\x00"

    text = _LINK.sub(stash, text)  # links judged whole; their addresses spared from the bare pass
    text = _URL.sub(bare, text)
    return re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], text)
