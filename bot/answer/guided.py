"""The guided shapes of a victim's reply: greeting, out of scope, crisis, situation (the plan),
a task (a letter filled from the conversation) and "tell me more about step n".

Called by Assistant.stream after the safety layer and the understand stage; returns None when
the message is a question for the retrieval composer. Each shape is grounded: plan steps cite
the source their action rests on, letters come from knowledge/templates/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from bot import jurisdictions, safety
from bot.answer import compose
from bot.answer.helplines import block
from bot.answer.offline import CitationList
from bot.answer.phrases import phrase
from bot.answer.plan import law_of, laws_by_place, plan, steps_of
from bot.answer.understand import Facts, Understanding
from bot.models import Resource, SafetyFlags

TASK_LETTERS = {"tida": "TAKE IT DOWN Act removal request", "dmca": "DMCA takedown notice",
                "police": "Summary for the police", "platform": "Platform report"}


@dataclass
class Reply:
    body: str
    intent: str
    cites: CitationList = field(default_factory=CitationList)
    steps: list[dict] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    grounded: bool = True
    letter: dict | None = None  # the Take action tab's fields, for a task


ADULT_TOOL = re.compile(r"stop ?ncii", re.I)
NOT_THE_ROUTE = re.compile(r"not (the right )?route|not for|no (es|son) la vía|不適用|不是", re.I)
_SENTENCE = re.compile(r"(?<=[.!?。！？])\s+")


def without_adult_tools(text: str) -> str:
    """A passage's sentences that send people to an adult-only tool are left out of a reply
    about a child's image (naming it only to say it is not the route stays)."""
    lines = []
    for line in text.split("\n"):
        kept = [s for s in _SENTENCE.split(line) if not ADULT_TOOL.search(s) or NOT_THE_ROUTE.search(s)]
        if kept and any(k.strip(" -*") for k in kept):
            lines.append(" ".join(kept))
    return "\n".join(lines)


def people(assistant, place: str | None, lang: str, minor: bool, facts: Facts | None = None) -> list[Resource]:
    """The "Talk to a person" lines. A partner or ex doing this is domestic abuse, so the place's
    domestic violence line is listed: first when they threaten (safety planning, protective
    orders), second after the image-abuse helpline when the images are already out."""
    found = assistant.helplines.route("help", place, lang)
    if facts is not None and facts.who == "partner" and facts.harm:
        listed = {r.id for r in found}
        dv = [r for r in assistant.helplines.route("partner", place, lang) if r.id not in listed]
        at = 0 if {"threatened", "sextortion"} & set(facts.harm) else 1
        found = found[:at] + dv + found[at:]
    return [r for r in found if not (minor and assistant.helplines.adult_only(r))]


def guided(assistant, text: str, u: Understanding, flags: SafetyFlags, place: str | None,
           lang: str, history: list[str], budget: int | None = None) -> Reply | None:
    facts = u.facts
    minor = facts.minor_involved or flags.minor
    sources = assistant.search.sources()
    def localize(chunk):  # a step's passage in the person's language, where it is translated
        return assistant.search.localize(chunk, lang)
    if flags.danger or (flags.crisis and (safety.rule_flags(text).crisis or not facts.harm)):
        # Said in words ("I want to die") or in danger: the lines, and one sentence for later.
        return Reply(phrase("crisis_offer", lang), "situation", grounded=False)
    # The crisis classifier alone, on a message about the images ("they won't take it down"):
    # its lines are already above; the plan follows within the crisis budget, for a false alarm
    # (the head is tuned to 0.80 precision) must not cost the person their next steps.
    if u.intent == "greeting" and not history:
        return Reply(phrase("greeting", lang), "greeting", resources=people(assistant, place, lang, minor),
                     grounded=False)
    if u.intent == "out_of_scope":  # a minor's route, if any, is already above this
        aid = assistant.helplines.route("legal_aid", place, lang)
        body = block(phrase("out_of_scope", lang), aid) if aid else phrase("out_of_scope_nowhere", lang)
        return Reply(body, "out_of_scope", resources=[*aid, *people(assistant, place, lang, minor)[:1]],
                     grounded=False)
    actions = assistant.search.manifest.get("actions") or []
    if u.intent == "task" and u.task in TASK_LETTERS:
        return task(assistant, u, lang, place, minor, brief=flags.crisis)
    if u.expand and history:
        steps = plan(actions, facts, flags, lang, sources, laws_by_place(sources))
        cites = CitationList()
        if not 1 <= u.expand <= len(steps):
            return Reply(phrase("expand_missing", lang).format(n=u.expand), "question", grounded=False)
        step = steps[u.expand - 1]
        body = compose.expand(step, assistant.search.chunks_of, cites, text, localize=localize)
        return Reply(body, "question", cites=cites,
                     steps=[compose.step_lines([step], assistant.search.chunks_of, CitationList(),
                                               localize=localize)[0][1]])
    if u.intent == "question" and u.prevention and minor and facts.writer != "minor":
        # A parent protecting a child before anything happened: the phone's own protections, and
        # what to do if an image is already out (actions marked `prevention: true`).
        ahead = [a for a in actions if a.get("prevention")]
        steps = steps_of(ahead, replace(facts, writer="adult", pictured="minor"), flags, lang, sources)
        if steps:
            cites = CitationList()
            body, shown = compose.situation(steps, assistant.search.chunks_of, cites, lang, [], None, [],
                                            validate=False, budget=budget or compose.BUDGET["situation"],
                                            full=len(steps), localize=localize)
            return Reply(body, "question", cites=cites, steps=shown)
    # A question that asks what to do, or what the law allows, about a harm told: the plan is the
    # answer ("my ex posted my nudes, what are my legal rights?" gets the laws in full, then steps).
    if u.intent == "situation" or (u.intent == "question" and (u.asks_steps or u.asks_law) and facts.harm):
        laws = laws_by_place(sources)
        steps = plan(actions, facts, flags, lang, sources, laws, asks_law=u.asks_law)
        if flags.crisis:  # the crisis lines are already at the top: no step repeating them
            steps = [s for s in steps if s.route != "crisis"]
        if not steps:
            return None
        notes = []
        if facts.place and not facts.place.startswith("US") and not law_of(laws, facts.place):
            notes.append(phrase("no_law_place", lang).format(place=jurisdictions.name_of(facts.place, lang)))
        cites = CitationList()
        # Under crisis lines the plan stays short: those lines are the people to talk to, and the
        # question can wait for the next turn.
        helpers = [] if flags.crisis else people(assistant, place, lang, minor, facts)
        question = None if flags.crisis else one_question(u, lang, minor)
        body, shown = compose.situation(steps, assistant.search.chunks_of, cites, lang, helpers,
                                        question, notes, validate=not minor,
                                        budget=budget or compose.BUDGET["situation"], localize=localize)
        return Reply(body, "situation", cites=cites, steps=shown, resources=helpers[:2])
    return None


def one_question(u: Understanding, lang: str, minor: bool) -> str | None:
    """At most one question, only one whose answer changes the plan: place, then age, then platform."""
    facts = u.facts
    if not facts.place:
        return phrase("ask_place", lang)
    if not minor and facts.pictured is None and facts.writer is None:
        return phrase("ask_age", lang)
    if not facts.platforms and not facts.platform_names and {"posted", "deepfake"} & set(facts.harm):
        return phrase("ask_platform", lang)
    return None


def task(assistant, u: Understanding, lang: str, place: str | None, minor: bool, brief: bool = False) -> Reply:
    """The letter asked for, filled from the conversation; `brief` (under crisis lines) leaves out
    the pointer to the Take action tab."""
    from bot.letters import fill

    facts = u.facts
    # The date stays a blank to fill: a letter copied from the chat is often sent another day, and
    # its 48 hours run from when it is sent.
    values = {"platform": ", ".join(facts.platform_names[:1]), "urls": "\n".join(facts.links)}
    kind = TASK_LETTERS[u.task]
    # Sent in English (platforms and US agencies work in English); read in the person's language.
    letter = fill(kind, {**values, "date": phrase("letter_date", "en")}, assistant.settings.knowledge_dir)
    reading = []
    if lang != "en":
        own = fill(kind, {**values, "date": phrase("letter_date", lang)}, assistant.settings.knowledge_dir, lang)
        reading = [phrase("task_reading", lang), f"```\n{own}\n```"]
    cites = CitationList()
    # The letter's sections and deadlines come from the guide it follows: cite it like a step.
    chunks = assistant.search.chunks_of(LETTER_SOURCES.get(kind, ""))
    ref = f" {cites.ref(chunks[0])}" if chunks else ""
    body = "\n\n".join([phrase("task_intro", lang) + ref, f"```\n{letter}\n```", *reading,
                         *([] if brief else [phrase("task_more", lang)])])
    return Reply(body, "task", cites=cites, resources=people(assistant, place, lang, minor)[:1], grounded=True,
                 letter={"kind": kind, "platform": values["platform"], "urls": values["urls"]})


# The guide each letter follows (knowledge/guides/), cited with the letter.
LETTER_SOURCES = {
    "TAKE IT DOWN Act removal request": "guide-take-it-down-act-request",
    "DMCA takedown notice": "guide-dmca-notice",
    "Platform report": "guide-evidence",
    "Summary for the police": "guide-police-report",
}


def compare(assistant, places: list[str], u: Understanding) -> Reply:
    cites = CitationList()
    sources = assistant.search.sources()
    table = compose.side_by_side(places, laws_by_place(sources), assistant.search.chunks_of, cites,
                                 jurisdictions.name_of)
    return Reply(table, "question", cites=cites)
