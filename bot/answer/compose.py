"""Compose: one reply shape per intent, each inside its character budget (victim voice).

    situation  one line of validation, at most five steps (each with its link and citation),
               one or two people to talk to, at most one question       ≤ 1,500 characters
    question   the best passages in whole sentences, never cut mid-list ≤ 1,200
    crisis     (the lines come first, from the safety block) and one sentence offering help
               with the images when the person is ready                 ≤ 1,000
    greeting   a short invitation; out of scope: one honest sentence and legal aid for the place

Budgets are met by leaving whole parts out (the last steps first), never by cutting a sentence.
"""

from __future__ import annotations

from bot.answer.helplines import line
from bot.answer.offline import CitationList, key_sentences, pick_passages
from bot.answer.phrases import phrase
from bot.answer.plan import PERSONAL, Step  # PERSONAL steps are never cut to a title
from bot.models import Chunk, Resource, ScoredChunk

BUDGET = {"situation": 1500, "question": 1200, "crisis": 1000}
RELATED = 0.9  # a further passage's similarity to the question, as a share of the closest one's


def fit(parts: list[str], budget: int, keep_first: int = 1) -> list[str]:
    """Drop whole parts from the end (after the first `keep_first`) until the text fits."""
    parts = [p for p in parts if p]
    while len("\n".join(parts)) > budget and len(parts) > keep_first:
        parts.pop()
    return parts


def step_chunk(step: Step, chunks: list[Chunk], localize=None) -> Chunk | None:
    """The passage a step rests on: its named section, else the source's first passage; in the
    person's language where `localize` (HybridSearch.localize for their language) has it."""
    if not chunks:
        return None
    found = chunks[0]
    if step.section:
        wanted = step.section.lower()
        found = next((c for c in chunks if c.section and (
            c.section.lower() == wanted or c.section.lower().startswith(wanted[:40]))), found)
    return localize(found) if localize else found


FULL_STEPS = 1  # the first steps carry their text; later ones are a title and a link ("tell me more")


def step_lines(steps: list[Step], chunks_of, cites: CitationList, full: int = FULL_STEPS,
               phones: dict[str, str] | None = None, localize=None) -> list[tuple[str, dict]]:
    """Numbered lines for the steps, each with its link and [n], and the contract entries.
    `phones`: a helpline's number by its address, shown on the step that links to it (so the
    helpline is one tap away without a second line naming it again)."""
    out, phones = [], phones or {}
    if any(step.asked for step in steps):
        full = 0  # the steps that answer the question carry the text, not the first ones
    for n, step in enumerate(steps, 1):
        chunk = step_chunk(step, chunks_of(step.source_id), localize)
        ref = cites.ref(chunk) if chunk else ""
        # The step's title is the link where the person does it; a step done anywhere ("report
        # it on the site or app") has none, and its [n] leads to the source.
        url = step.url or (chunk.url if chunk else None)
        title = f"[{step.title}]({step.url})" if step.url else f"**{step.title}**"
        text = f" — {step.text}" if n <= full or step.kind in PERSONAL or step.asked else ""
        phone = f" · {phones[step.url]}" if step.url in phones else ""
        out.append((f"{n}. {title}{phone}{text} {ref}".rstrip(),
                    {**step.contract(_citation(chunk)), "url": url}))
    return out


def _citation(chunk: Chunk | None) -> str:
    if chunk is None:
        return ""
    section = f" › {chunk.section}" if chunk.section else ""
    return f"{chunk.citation}{section} (last verified {chunk.last_verified})"


def situation(steps: list[Step], chunks_of, cites: CitationList, lang: str, people: list[Resource],
              question: str | None, notes: list[str], validate: bool = True,
              budget: int = BUDGET["situation"], full: int = FULL_STEPS, localize=None) -> tuple[str, list[dict]]:
    """The plan: validation, the steps (the first `full` with their text), people to talk to and
    at most one question, in budget (the last steps go first when it is short)."""
    step_urls = {s.url for s in steps if s.url}
    phones = {r.url: r.phone or r.sms for r in people if r.url in step_urls and (r.phone or r.sms)}
    lines = step_lines(steps, chunks_of, cites, full=full, phones=phones, localize=localize)
    head = [phrase("validate", lang)] if validate else []
    # A helpline already on a step (its number there, or a tool the step links: StopNCII) is not
    # repeated under "Talk to a person".
    people = [r for r in people if r.url not in phones and not (r.url in step_urls and not (r.phone or r.sms))]
    talk = [phrase("talk", lang), *(line(r, hours=False, brief=True) for r in people[:2])] if people else []
    tail = ["\n".join(talk)] + ([question] if question else [])
    body_steps = [text for text, _ in lines]
    while True:
        parts = head + notes + ([phrase("plan_title", lang)] + body_steps if body_steps else []) + tail
        text = "\n".join(p for p in parts if p)
        if len(text) <= budget or len(body_steps) <= 2:
            break
        body_steps.pop()  # the last steps are the least urgent
    shown = [entry for _, entry in lines[:len(body_steps)]]
    return text, shown


def question(query: str, hits: list[ScoredChunk], cites: CitationList, lang: str,
             budget: int = BUDGET["question"]) -> str:
    """The direct answer: the best passage's key sentences, then a second and third passage if
    they fit and, when from another source, are nearly as close in meaning to the question as
    the closest passage (one that merely shares words — a platform's terms under a question about
    the law — is noise to a person in a hurry)."""
    parts = [phrase("found", lang)]
    picked = pick_passages(hits, 6)
    top = max((h.dense or 0.0) for h in picked) if picked else 0.0
    for n, hit in enumerate(picked):
        room = budget - len("\n".join(parts)) - 8
        if room < 120 or len(parts) > 3:
            break
        if (n and lang == "en" and not hit.exact and hit.chunk.source_id != picked[0].chunk.source_id
                and not (top and hit.dense and hit.dense >= RELATED * top)):
            continue  # (the retrieval encoder reads English only: elsewhere its scores say little)
        gist = key_sentences(hit.chunk, query, budget=min(room, 700 if n == 0 else 360))
        if gist:
            parts.append(f"- {gist} {cites.ref(hit.chunk)}")
    return "\n".join(parts) if len(parts) > 1 else ""


def expand(step: Step, chunks_of, cites: CitationList, query: str, budget: int = BUDGET["question"],
           localize=None) -> str:
    """"Tell me more about step 3": that step's own passage, in whole sentences."""
    chunk = step_chunk(step, chunks_of(step.source_id), localize)
    if chunk is None:
        return f"**{step.title}** — {step.text}"
    detail = key_sentences(chunk, query + " " + step.title, budget=budget - len(step.title) - 20)
    link = f"\n{step.url}" if step.url else ""
    return f"**{step.title}**\n{detail} {cites.ref(chunk)}{link}"


def side_by_side(places: list[str], laws: dict[str, dict], chunks_of, cites: CitationList,
                 name_of) -> str:
    """Staff: the structured state_law fields of several jurisdictions as one table, each row
    cited to its own file (with its last-verified date in the sources list)."""
    rows = ["| Jurisdiction | Criminal | Civil remedy | Deepfakes of adults | Threats | Source |",
            "|---|---|---|---|---|---|"]
    for place in places:
        law = laws.get(place)
        if not law:
            rows.append(f"| {name_of(place)} | not in our sources | | | | |")
            continue
        sl = law.get("state_law") or {}
        chunks = chunks_of(law["id"])
        ref = cites.ref(chunks[0]) if chunks else ""
        civil = "; ".join(sl.get("civil") or []) or "none found"
        rows.append(f"| {name_of(place)} | {'; '.join(sl.get('criminal') or []) or 'none found'} | {civil} | "
                    f"{sl.get('deepfakes', 'unverified')} | {sl.get('threats', 'unverified')} | {law.get('citation')} {ref} |")
    return "\n".join(rows)
