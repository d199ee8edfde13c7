"""The offline composer: a grounded answer built only from retrieved passages.

No model writes anything here. Sentences are taken from the retrieved chunks (the knowledge
files are written in plain language, key point first), numbered [n] against the citations
list, so every statement is traceable to a source. Next steps come from the best matching
guide's own steps; helplines come from the directory records retrieved or routed.
"""

from __future__ import annotations

import re

from bot.answer.phrases import phrase
from bot.models import Chunk, Citation, ScoredChunk
from bot.retrieval import tokenize
from ingest.loaders import INJECTION_RE

# Victims get short extracts (plain, scannable); staff get whole passages.
VICTIM_PASSAGE, VICTIM_STEP = 420, 260
_SPLIT = re.compile(r"(?<=[.!?。！？])\s+|\n{2,}")
_MD = re.compile(r"^\s*([-*]|\d+[.)])\s+", re.M)
# A "sentence" ending in one of these was cut at an abbreviation, not a full stop.
_ABBREV = re.compile(r"(\b[A-Z]|\bU\.S|\bU\.S\.C|\bStat|\bPub|\bNo|\bv|\be\.g|\bi\.e|\bInc|\bCiv|"
                     r"\bCrim|\bRev|\bAnn|\bGen|\bCode|\bch|\bart|\bs|\bss|\bsec|\bSec|\bSt|\bMr|\bMs|"
                     r"\bDr|\bCal|\bTex|\bFla|\bMinn|\bN\.Y|\bPa|\bVa|\bWash|\betc|\bapprox|\bc|\bcc|\bpara|"
                     r"\bsubd|[§¶]\s?[\d.]*)\.$")


_LIST_ITEM = re.compile(r"^\(?\d{1,2}\)\s")  # "2) Identification…" continues the list


def sentences(text: str) -> list[str]:
    """Sentences of a passage, without splitting "15 U.S.C. § 6851" or "(S. 146)"."""
    text = _MD.sub("", text)
    out: list[str] = []
    for piece in (p.strip().replace("\n", " ") for p in _SPLIT.split(text)):
        if not piece:
            continue
        if out and (_ABBREV.search(out[-1]) or _LIST_ITEM.match(piece)):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return [s for s in out if len(s) > 2]


# Openings that refer back to the sentence before (a pronoun, "also", "but").
DANGLING = re.compile(r"(they|them|it|its|this|that|these|those|he|she|his|her|their|such|also|but|so|then|"
                      r"however|otherwise|instead|esto|eso|ellos|ellas|tambi[ée]n|pero|sin embargo)\b|[這那它但也]",
                      re.I)


def key_sentences(chunk: Chunk, query: str, budget: int = 600) -> str:
    """The chunk's opening sentence plus the sentences that best match the query, in order."""
    # Retrieved text is data: a sentence that tries to instruct is never repeated to the person.
    sents = [s for s in sentences(chunk.text) if not INJECTION_RE.search(s)]
    if not sents:
        return ""
    q = set(tokenize(query))
    ranked = sorted(range(1, len(sents)), key=lambda i: (-len(q & set(tokenize(sents[i]))), i))
    picked, used = {0}, len(sents[0])
    for i in ranked:
        overlap = len(q & set(tokenize(sents[i])))
        # A sentence that leans on the one before ("They can be illegal to hold") comes with it,
        # or not at all: alone it says something its source does not.
        with_prev = {i - 1, i} if DANGLING.match(sents[i]) and i - 1 not in picked else {i}
        cost = sum(len(sents[j]) for j in with_prev - picked)
        if (overlap or used < 160) and used + cost <= budget:
            picked |= with_prev
            used += cost
    return " ".join(sents[i] for i in sorted(picked))


class CitationList:
    """Numbers citations [1], [2]… in the order they are first used."""

    def __init__(self) -> None:
        self.items: list[Citation] = []
        self._index: dict[tuple[str, str | None], int] = {}

    def ref(self, chunk: Chunk) -> str:
        key = (chunk.source_id, chunk.section)
        if key not in self._index:
            self.items.append(Citation.of(chunk))
            self._index[key] = len(self.items)
        return f"[{self._index[key]}]"


def pick_passages(hits: list[ScoredChunk], limit: int) -> list[ScoredChunk]:
    """The best chunks, at most two from one source (a statute's two relevant subsections),
    skipping directory records (they are listed as helplines) and guide steps (listed as
    next steps)."""
    per_source: dict[str, int] = {}
    out = []
    for hit in hits:
        c = hit.chunk
        if c.kind == "directory" or per_source.get(c.source_id, 0) >= 2:
            continue
        per_source[c.source_id] = per_source.get(c.source_id, 0) + 1
        out.append(hit)
        if len(out) == limit:
            break
    return out


def guide_steps(guide_chunks: list[Chunk], limit: int = 5) -> list[Chunk]:
    return [c for c in guide_chunks if c.section and c.section.lower().startswith(("step", "paso", "步驟", "第"))][:limit]


def compose(query: str, hits: list[ScoredChunk], steps: list[Chunk], persona: str,
            lang: str, validate: bool, cites: CitationList) -> str:
    """The body of a grounded answer (safety notes and helplines are added by the caller)."""
    staff = persona == "staff"
    parts: list[str] = []
    if validate and not staff:
        parts.append(phrase("validate", lang))
    step_ids = {s.id for s in steps}
    passages = pick_passages([h for h in hits if h.chunk.id not in step_ids], 5 if staff else 3)
    if passages:
        parts.append(phrase("found", lang))
        for hit in passages:
            c = hit.chunk
            if staff:
                label = f"{c.citation}" + (f", {c.section}" if c.section else "")
                parts.append(f"- **{label}** ({c.jurisdiction}): {c.text.strip()} {cites.ref(c)}")
            else:
                parts.append(f"- {key_sentences(c, query, budget=VICTIM_PASSAGE)} {cites.ref(c)}")
    if steps:
        parts.append(phrase("steps", lang))
        for n, step in enumerate(steps, 1):
            title = re.sub(r"^(step|paso)\s*\d+\s*[:.\-—]\s*", "", step.section or "", flags=re.I)
            gist = key_sentences(step, query, budget=700 if staff else VICTIM_STEP)
            parts.append(f"{n}. **{title}** — {gist} {cites.ref(step)}")
    return "\n".join(parts)
