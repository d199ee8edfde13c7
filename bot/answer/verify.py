"""Verify: every checkable fact a model writes must be in a passage the sentence cites.

A sentence that states a statute or section number, a phone or text number, a dollar amount, a
duration or deadline ("48 hours"), a date or any other number, a web address or an email
address must cite (with [n]) at least one passage that holds each of those facts; directory
records given as passages count like any other. Facts are compared normalised: "§ 223a" =
"section 223a", "844.878.2274" = "844-878-2274" = "(844) 878-2274", "$150,000" = "150000 dollars",
"https://www.x.org/a/" = "x.org/a". A sentence that fails is dropped, never shown.

Why sentence by sentence: the model's answer reaches the person as it is written, so the unit
that is checked is the unit that is shown (bot/answer/llm.py streams only verified sentences).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.models import Chunk

CITE = re.compile(r"\[(\d{1,3})\]")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]\"'`]+|\b(?:[a-z0-9-]+\.)+(?:org|com|gov|net|edu|us|uk|au|ca|"
                  r"tw|mx|es|info|io)\b(?:/[^\s<>()\[\]\"'`]*)?", re.I)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_SECTION = re.compile(r"(?:§§?|\bsections?\b|\bsec\.|\bart(?:icle|\.)?s?)\s*([0-9][0-9a-z.:\-]*[0-9a-z]|[0-9])",
                      re.I)
_PHONE = re.compile(r"(?<![\w.])(?:\+?\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)\s?|\d{2,4}[\s.-])\d{3,4}[\s.-]?\d{3,4}(?![\w])")
_VANITY = re.compile(r"\b1-800-[A-Z]{4}-?[A-Z]{0,4}\b")  # 1-800-CALL-FBI, 1-800-THE-LOST
_NUMBER = re.compile(r"(?<![\w])\d[\d,]*(?:\.\d+)?(?![\w])|(?<![\w])\d+[a-z]{0,2}(?![\w])", re.I)
_DURATION = re.compile(r"(\d[\d,.]*)\s*-?\s*(hours?|days?|weeks?|months?|years?|horas?|días?|semanas?|meses?|"
                       r"años?|小時|天|週|個月|年)", re.I)
_LIST_MARK = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*•])\s+")
_UNIT = {"hour": "hour", "hora": "hour", "小時": "hour", "day": "day", "día": "day", "dia": "day", "天": "day",
         "week": "week", "semana": "week", "週": "week", "month": "month", "mes": "month", "個月": "month",
         "year": "year", "año": "year", "ano": "year", "年": "year"}


@dataclass(frozen=True)
class Fact:
    kind: str   # section | phone | amount | duration | url | email | number
    value: str  # normalised
    shown: str  # as the model wrote it (for the report)


@dataclass
class Verdict:
    ok: bool
    cited: list[int] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    unsupported: list[Fact] = field(default_factory=list)
    reason: str = ""


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _url(text: str) -> str:
    u = re.sub(r"^(?:https?://)?(?:www\.)?", "", text.lower()).rstrip("/.,;:")
    return u


def _number(text: str) -> str:
    return text.replace(",", "").lower().rstrip(".")


def _unit(word: str) -> str:
    w = word.lower()
    for stem, unit in _UNIT.items():
        if w.startswith(stem):
            return unit
    return w


def facts_of(sentence: str) -> list[Fact]:
    """The checkable facts of one sentence, in the order written (citation marks excluded)."""
    text = _LIST_MARK.sub("", CITE.sub(" ", sentence))
    found: list[Fact] = []
    for m in _EMAIL.finditer(text):
        found.append(Fact("email", m.group().lower(), m.group()))
    text = _EMAIL.sub(" ", text)
    for m in _URL.finditer(text):
        found.append(Fact("url", _url(m.group()), m.group()))
    text = _URL.sub(" ", text)
    for m in _VANITY.finditer(text):
        found.append(Fact("phone", m.group().upper().replace("-", ""), m.group()))
    text = _VANITY.sub(" ", text)
    for m in _PHONE.finditer(text):
        found.append(Fact("phone", _digits(m.group()), m.group()))
    text = _PHONE.sub(" ", text)
    for m in _SECTION.finditer(text):
        found.append(Fact("section", m.group(1).lower().rstrip(".:"), m.group()))
    text = _SECTION.sub(" ", text)
    for m in _DURATION.finditer(text):
        found.append(Fact("duration", f"{_number(m.group(1))} {_unit(m.group(2))}", m.group()))
    text = _DURATION.sub(" ", text)
    for m in re.finditer(r"\$\s?(\d[\d,]*(?:\.\d+)?)", text):
        found.append(Fact("amount", _number(m.group(1)), m.group()))
    text = re.sub(r"\$\s?\d[\d,]*(?:\.\d+)?", " ", text)
    for m in _NUMBER.finditer(text):
        found.append(Fact("number", _number(m.group()), m.group()))
    return found


class Evidence:
    """What one passage holds, normalised the same way, so a fact is looked up, not searched."""

    def __init__(self, chunk: Chunk) -> None:
        text = " ".join(filter(None, [chunk.citation, chunk.section or "", chunk.text, chunk.url or ""]))
        self.emails = {m.group().lower() for m in _EMAIL.finditer(text)}
        bare = _EMAIL.sub(" ", text)
        self.urls = {_url(m.group()) for m in _URL.finditer(bare)}
        bare = _URL.sub(" ", bare)
        self.phones = {_digits(m.group()) for m in _PHONE.finditer(bare)}
        self.phones |= {m.group().upper().replace("-", "") for m in _VANITY.finditer(bare)}
        self.sections = {m.group(1).lower().rstrip(".:") for m in _SECTION.finditer(bare)}
        self.durations = {f"{_number(m.group(1))} {_unit(m.group(2))}" for m in _DURATION.finditer(bare)}
        self.numbers = {_number(m.group()) for m in _NUMBER.finditer(bare)}
        self.numbers |= {_number(m) for m in re.findall(r"\d[\d,]*(?:\.\d+)?", bare)}

    def holds(self, fact: Fact) -> bool:
        if fact.kind == "url":
            return any(u == fact.value or u.startswith(fact.value + "/") or fact.value.startswith(u + "/")
                       for u in self.urls)
        if fact.kind == "email":
            return fact.value in self.emails
        if fact.kind == "phone":
            return any(p == fact.value or p.endswith(fact.value) or fact.value.endswith(p)
                       for p in self.phones if len(p) >= 7 and len(fact.value) >= 7) or (
                fact.value in self.phones)
        if fact.kind == "section":
            # "§ 6851(b)(3)" is held by a passage that names § 6851; its sub-parts are read as text
            base = re.split(r"[(\s]", fact.value)[0]
            return base in self.sections or base in self.numbers
        if fact.kind == "duration":
            return fact.value in self.durations
        return fact.value in self.numbers  # amount, number


def check(sentence: str, evidence: list[Evidence]) -> Verdict:
    """Is every fact of the sentence held by a passage it cites? (evidence[n-1] is passage n)"""
    cited = [int(n) for n in CITE.findall(sentence)]
    bad = [n for n in cited if not 1 <= n <= len(evidence)]
    facts = facts_of(sentence)
    if bad:
        return Verdict(False, cited, facts, reason=f"cites passages that do not exist: {bad}")
    if not facts:
        return Verdict(True, cited, facts)
    if not cited:
        return Verdict(False, cited, facts, facts, reason="states a fact without citing a passage")
    held = [e for n, e in enumerate(evidence, 1) if n in cited]
    unsupported = [f for f in facts if not any(e.holds(f) for e in held)]
    if unsupported:
        return Verdict(False, cited, facts, unsupported,
                       reason="no cited passage holds " + ", ".join(f.shown for f in unsupported))
    return Verdict(True, cited, facts)


# -------------------------------------------------------------------------------- sentences

_ABBREV = re.compile(r"(?:\b(?:U\.S\.C|U\.S|Stat|Pub|No|Nos|Sec|Art|Ann|Rev|Code|Gen|Cal|Tex|Fla|Ill|Pa|Civ|Prac|"
                     r"Rem|Crim|Proc|Fam|Bus|Prof|Educ|Ins|Pen|Comp|Cons|Ord|Regs?|Admin|"
                     r"N\.Y|N\.J|Mass|Mich|Minn|Va|Wash|Wis|Inc|Ltd|Co|Corp|Dept|Gov|St|Mr|Mrs|Ms|Dr|vs|v|"
                     r"e\.g|i\.e|etc|approx|ch|para|subd|cl|pp?|ILCS|Cir|Supp|Dist|Ct)|\b[A-Z])\.$")
_END = re.compile(r"[.!?。！？]+(?:\s*\[\d{1,3}\])*|\n")


def split_ready(buffer: str, final: bool = False) -> tuple[list[str], str]:
    """Whole sentences at the front of `buffer`, and what is left to wait for.

    A sentence ends at . ! ? (or their CJK forms) plus any citation marks that follow it
    ("… 48 hours. [2]"), or at a line break; not after an abbreviation ("15 U.S.C. § 6851",
    "Tex. Penal Code") or before a lower-case word, digit or §. The end is only known once the
    next character has arrived, so the last sentence waits unless the stream is over. A sentence
    that ends a line is returned with its "\n"."""
    out, start = [], 0
    for m in _END.finditer(buffer):
        end = m.end()
        if m.group() != "\n":
            head = buffer[start:m.start() + 1]
            if _ABBREV.search(head) or re.fullmatch(r"\s*\d{1,2}\.", head) or (
                    head.count("(") > head.count(")") and re.search(r"\b[A-Z][a-z]{0,4}\.$", head)):
                continue  # "U.S.C.", "Tex.", a list's "1.", or a short capitalised word in a citation's ( )
            rest = buffer[end:]
            nxt = rest.lstrip(" \t")
            if not nxt:
                if not final:
                    break  # the next character decides: wait for it
                continue
            if rest[:1] not in (" ", "\t", "\n") and not re.match(r"[\u3000-\u9fff]", buffer[m.start()]):
                continue  # "1.5", "example.org": not an end
            if nxt[:1].islower() or nxt[:1].isdigit() or nxt[:1] == "§":
                continue
        piece = buffer[start:end].strip()
        if piece:  # a sentence that ends a line keeps its line break (lists stay lists)
            out.append(piece + ("\n" if m.group() == "\n" or buffer[end:].lstrip(" \t")[:1] == "\n" else ""))
        start = end
    rest = buffer[start:]
    if final and rest.strip():
        out.append(rest.strip())
        rest = ""
    return out, rest
