"""Understand: what a message is (its intent) and the facts of the situation, kept across turns.

Intent — situation, question, task, greeting, out_of_scope — comes from rules for the clear cases
and a logistic head over the safety layer's multilingual embedding for the rest (trained by
scripts/train_understand.py on tests/data/understand_train.yaml). Facts come from rules: what
happened, the platforms (matched against the aliases in knowledge/platforms/ front matter),
the place, the ages of the person writing and the person pictured, who did it, and what has
been done already. Facts from earlier turns are kept; a later turn adds to or corrects them.
The word lists live in bot/answer/understand_rules.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import numpy as np

from bot import jurisdictions
from bot.answer import understand_rules as R
from bot.models import SafetyFlags
from bot.platform_names import alias_pattern, platform_aliases  # platform_aliases: also for callers

INTENTS = ("situation", "question", "task", "greeting", "out_of_scope")
HEADS = Path(__file__).with_name("understand_heads.npz")


@dataclass
class Facts:
    """What the conversation has told us (DESIGN.md `facts`)."""

    harm: list[str] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)  # platform source ids
    place: str | None = None
    writer: str | None = None  # adult | minor
    pictured: str | None = None  # adult | minor (when the images were made)
    who: str | None = None  # partner | stranger | classmate | unknown
    done: list[str] = field(default_factory=list)
    request_sent: datetime | None = None  # when a TAKE IT DOWN request was sent, if said
    links: list[str] = field(default_factory=list)
    platform_names: list[str] = field(default_factory=list)
    nudify_app: bool = False  # made with a "nudify" / "undress" app or site

    def merge(self, later: "Facts") -> "Facts":
        """Earlier facts with a later turn's added (a stated place, age or person replaces)."""
        return Facts(
            harm=list(dict.fromkeys(self.harm + later.harm)),
            platforms=list(dict.fromkeys(self.platforms + later.platforms)),
            place=later.place or self.place, writer=later.writer or self.writer,
            pictured=later.pictured or self.pictured, who=later.who or self.who,
            done=list(dict.fromkeys(self.done + later.done)),
            request_sent=later.request_sent or self.request_sent,
            links=list(dict.fromkeys(self.links + later.links)),
            platform_names=list(dict.fromkeys(self.platform_names + later.platform_names)),
            nudify_app=self.nudify_app or later.nudify_app)

    @property
    def minor_involved(self) -> bool:
        return self.pictured == "minor" or (self.pictured is None and self.writer == "minor")

    def contract(self) -> dict:
        return {"harm": self.harm, "platforms": self.platform_names, "place": self.place,
                "ages": {"writer": self.writer, "pictured": self.pictured}, "who": self.who,
                "done": self.done, "links": self.links, "nudify_app": self.nudify_app,
                "request_sent": self.request_sent.isoformat(timespec="minutes") if self.request_sent else None}


@dataclass
class Understanding:
    intent: str
    facts: Facts
    asks_steps: bool = False  # "what should I do" — a question that wants the plan
    asks_law: bool = False  # "what are my legal rights", "can I sue" about their own case: the plan shows the law
    prevention: bool = False  # "how do I stop my kid getting nudes?": protect before anything happened
    task: str | None = None  # tida | dmca | police | platform
    expand: int | None = None  # "tell me more about step 3"
    confidence: float = 1.0  # the head's probability for the intent (1.0 when a rule decided)


# -- platforms ------------------------------------------------------------------------------
def find_platforms(text: str, aliases: list[tuple[str, str, str]]) -> tuple[list[str], list[str]]:
    lowered, ids, names = text.lower(), [], []
    for alias, sid, name in aliases:
        if sid not in ids and alias_pattern(alias).search(text):
            if alias == "x" and not R.X_CONTEXT.search(lowered):
                continue  # "x" alone is the platform only in "on x", "x.com", "twitter/x"
            ids.append(sid)
            names.append(name)
    for name in R.OTHER_PLATFORMS.findall(lowered):  # named, but we hold no file for them
        label = name.strip().lower()
        if label not in (n.lower() for n in names):
            names.append(label)
    return ids, names


# -- facts ----------------------------------------------------------------------------------
def _age_word(n: int) -> str:
    return "minor" if n < 18 else "adult"


def ages(text: str, flags: SafetyFlags | None) -> tuple[str | None, str | None]:
    """(writer, pictured) from what the text says."""
    writer = pictured = None
    lowered = text.lower()
    m = R.WRITER_AGE.search(lowered)
    if m:
        writer = _age_word(int(next(g for g in m.groups() if g)))
    m = R.PICTURED_AGE.search(lowered)
    if m:
        pictured = _age_word(int(next(g for g in m.groups() if g)))
    if R.WRITER_ADULT.search(lowered):
        writer = writer or "adult"
    if R.WRITER_MINOR.search(lowered):
        writer = writer or "minor"
    m = R.CHILD_AGE.search(lowered)
    if m:  # "my daughter is 15": a parent writing about a child
        pictured = _age_word(int(next(g for g in m.groups() if g)))
        writer = writer or "adult"
    if R.PARENT.search(lowered):
        writer = writer or "adult"
    if pictured is None and writer and not R.SOMEONE_ELSE.search(lowered):
        pictured = writer  # "I'm 16 and he shared my pics": the writer is pictured
    if flags is not None and flags.minor and pictured is None:
        pictured = "minor"
    return writer, pictured


def request_time(text: str) -> datetime | None:
    """When the person says they sent a removal request ("yesterday at 3pm", "ayer")."""
    m = R.SENT_WHEN.search(text)
    if not m:
        return None
    import dateparser

    return dateparser.parse(m.group("when"), settings={"PREFER_DATES_FROM": "past",
                                                        "RETURN_AS_TIMEZONE_AWARE": False})


def facts_of(text: str, aliases: list[tuple[str, str, str]], flags: SafetyFlags | None = None) -> Facts:
    lowered = text.lower()
    harm = [name for name, pattern in R.HARMS.items() if pattern.search(lowered)]
    if "sextortion" in harm and "threatened" not in harm and R.HARMS["threatened"].search(lowered):
        harm.append("threatened")
    ids, names = find_platforms(text, aliases)
    who = next((name for name, pattern in R.WHO.items() if pattern.search(lowered)), None)
    done = [name for name, pattern in R.DONE.items() if pattern.search(lowered)]
    if "request_ignored" in done and "posted" not in harm:
        harm.append("posted")  # "the site won't take my video down": it is up somewhere
    writer, pictured = ages(text, flags)
    sent = request_time(text) if "sent_removal_request" in done else None
    return Facts(harm=harm, platforms=ids, place=jurisdictions.place_of(text), writer=writer,
                 pictured=pictured, who=who, done=done, request_sent=sent,
                 links=R.URL.findall(text)[:10], platform_names=names,
                 nudify_app=bool(R.NUDIFY_NAMED.search(lowered)
                                 or ("deepfake" in harm and R.APP_USED.search(lowered))))


# -- intent ---------------------------------------------------------------------------------
class IntentHead:
    """Multinomial logistic regression over the safety encoder's vector (one matrix, stored)."""

    def __init__(self, path: Path = HEADS) -> None:
        data = np.load(path)
        self.w, self.b = data["w"], data["b"]
        self.labels = [str(x) for x in data["labels"]]

    def probabilities(self, vector: np.ndarray) -> dict[str, float]:
        z = vector @ self.w.T + self.b
        p = np.exp(z - z.max())
        p /= p.sum()
        return dict(zip(self.labels, map(float, p)))


@lru_cache(maxsize=1)
def intent_head() -> IntentHead | None:
    return IntentHead() if HEADS.exists() else None


def rule_intent(text: str) -> str | None:
    lowered = text.lower().strip()
    if R.GREETING.fullmatch(lowered):
        return "greeting"
    rest = R.NOT_ABOUT_IMAGES.sub(" ", lowered)
    if (rest != lowered or R.OFF_TOPIC.search(lowered)) and not R.ON_TOPIC.search(rest):
        return "out_of_scope"  # the person says it is not about images, or names another matter
    if R.TASK.search(lowered):
        return "task"
    return None  # the head decides the rest (classify keeps on-topic messages in scope)


def classify(text: str, facts: Facts, vector: np.ndarray | None, previous: str | None) -> tuple[str, float]:
    ruled = rule_intent(text)
    if ruled:
        return ruled, 1.0
    lowered = text.lower()
    on_topic = bool(R.ON_TOPIC.search(lowered) or R.HELPLINE.search(lowered) or R.SAFETY_STEPS.search(lowered)
                    or facts.harm or facts.platforms)
    head = intent_head()
    probs: dict[str, float] = {}
    if head is None or vector is None:
        guess = "situation" if facts.harm else ("question" if on_topic else "out_of_scope")
    else:
        probs = head.probabilities(vector)
        if on_topic or previous in ("situation", "question", "task"):
            probs["out_of_scope"] = 0.0  # a follow-up in a conversation about images is in scope
        if len(text) > 25 or on_topic or previous:
            probs["greeting"] = 0.0  # a greeting is short, about nothing yet, and comes first
        guess = max(probs, key=probs.get)
    if guess == "task" and R.DONE["sent_removal_request"].search(text.lower()):
        guess = "situation"  # "I sent my take it down request…": what comes next, not a new letter
    if previous == "situation" and guess == "question" and len(text.split()) <= 8 and not R.QUESTION_WORDS.search(text.lower()):
        guess = "situation"  # "i'm in texas btw", "he's 17": more facts for the same plan
    return guess, probs.get(guess, 1.0)


def understand(text: str, history: list[str], sources: dict, flags: SafetyFlags | None,
               vector: np.ndarray | None = None, previous_intent: str | None = None) -> Understanding:
    aliases = platform_aliases(sources)
    facts = Facts()
    for earlier in history:
        facts = facts.merge(facts_of(earlier, aliases))
    facts = facts.merge(facts_of(text, aliases, flags))
    intent, confidence = classify(text, facts, vector, previous_intent)
    lowered = text.lower()
    task = next((name for name, pattern in R.TASKS.items() if pattern.search(lowered)), None) if intent == "task" else None
    m = R.EXPAND.search(lowered)
    return Understanding(intent=intent, facts=facts, asks_steps=bool(R.WHAT_TO_DO.search(lowered)),
                         asks_law=bool(R.ASKS_LAW.search(lowered) and R.FIRST_PERSON.search(lowered)),
                         prevention=bool(R.PREVENT.search(lowered)) and not facts.harm,
                         task=task, expand=int(next(g for g in m.groups() if g)) if m else None,
                         confidence=confidence)
