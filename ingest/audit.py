"""Content checks over the whole of knowledge/ that a single file's schema cannot make.

An independent fact audit found errors of a few repeating kinds: a summary saying something its
own body does not (a damages figure, a section number), a state recorded as having no right to sue
while its body describes one, a deepfake question left open past its re-check date, a platform
without its reporting form, a country with law but no crisis line. `recourse validate` runs these
checks; errors fail it (and so `make test` and CI), warnings are printed for the maintainer. The
files still load and index: a well-formed file is never dropped for what these checks find.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from bot.errors import KnowledgeError
from bot.models import Source

# Figures a summary may state: money, years, section numbers and dotted/dashed statute numbers.
_MONEY = re.compile(r"[$€£¥₩]\s?\d[\d,.]*|\d[\d,.]*\s?(?:€|euros?|dollars|pesos|reais|rupees|yen|won|pounds)\b", re.I)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_SECTION = re.compile(r"§+\s*(\d[\w.-]*\w|\d)")
_STATUTE_NO = re.compile(r"\b\d+[A-Za-z]?(?:[-.:–]\d+[A-Za-z]{0,2})+\b")
_TIME = re.compile(r"(?<!\d)\d{1,2}:\d\d(?:\s?[–-]\s?\d{1,2}:\d\d)?(?!\d)")  # opening hours, not statutes
_YEAR_RANGE = re.compile(r"(?:19|20)\d\d[-–]\d\d")  # "2025–26": a session, checked as its first year
_DIGITS = re.compile(r"\d[\d,.\s]*\d|\d")

# A sentence that gives the person a right to sue under state law...
_SUE = re.compile(
    r"\bsue\b|\bsuing\b|right of action|civil (?:action|claim|suit|lawsuit|remedy|remedies)\b|(?:civil|money) damages",
    re.I)
# ...unless it is negated, or is about the federal law or general (non-statutory) claims.
_NOT_STATE_RIGHT = re.compile(
    r"\b(?:no|not|none|without|cannot|can't|never|unverified|unclear|whether|would|if)\b|federal|6851|U\.S\.C|VAWA"
    r"|common[- ]law|tort|\bgeneral\b|other states?|bill|proposed", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n\s*\n")


@dataclass
class Audit:
    """What the checks found, and the counts a maintainer wants at a glance."""

    errors: list[KnowledgeError] = field(default_factory=list)
    warnings: list[KnowledgeError] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def _numbers(text: str) -> set[str]:
    """Every number in the text with its separators removed ("10,000" and "10 000" → "10000")."""
    return {re.sub(r"[,.\s]", "", m.group(0)) for m in _DIGITS.finditer(text)}


def _norm(text: str) -> str:
    return re.sub(r"[\s\u00a0]+", "", text.lower().replace("–", "-"))


def summary_figures_missing(source: Source) -> list[str]:
    """Figures in the summary that the body never states (a summary must not say more than its body)."""
    summary, body = _TIME.sub(" ", source.summary), source.body
    if not summary.strip():
        return []
    body_numbers, body_flat = _numbers(body), _norm(body)
    missing: list[str] = []
    for m in _MONEY.finditer(summary):
        digits = re.sub(r"\D", "", m.group(0).split(".")[0] if re.search(r"\.\d\d\b", m.group(0)) else m.group(0))
        if digits and digits not in body_numbers:
            missing.append(m.group(0).strip())
    for m in _YEAR.finditer(summary):
        if m.group(0) not in body:
            missing.append(m.group(0))
    for m in _SECTION.finditer(summary):
        if _norm(m.group(1)) not in body_flat:
            missing.append("§ " + m.group(1))
    for m in _STATUTE_NO.finditer(summary):
        if _norm(m.group(0)) not in body_flat and not _YEAR_RANGE.fullmatch(m.group(0)):
            missing.append(m.group(0))
    return list(dict.fromkeys(missing))


def describes_right_to_sue(body: str) -> str | None:
    """The first sentence of a state file's body that gives a right to sue under state law."""
    prose = "\n".join("" if line.lstrip().startswith(("#", "|")) else line for line in body.splitlines())
    for sentence in _SENTENCE.split(prose):
        if _SUE.search(sentence) and not _NOT_STATE_RIGHT.search(sentence):
            return " ".join(sentence.split())[:160]
    return None


def _country(code: str) -> str | None:
    """The country whose routes a jurisdiction needs ("GB-SCT" → "GB"); None for US states' parent etc."""
    if code in ("INTL", "EU") or code.startswith("US"):
        return None
    return code.split("-")[0]


_URL = re.compile(r"https?://[^\s)\]>\"\uff09]+")
_MONTH = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I)


def translation_problems(source: Source, by_id: dict) -> list[str]:
    """A translation (`translation_of: <id>`) says what its original says: the original exists
    in another language, and every number and web address of the original's body is in the
    translation's, which adds none of its own — except month numbers where the original names
    a month ("19 May 2025" → "2025 年 5 月 19 日")."""
    original = by_id.get(source.meta["translation_of"])
    if original is None:
        return [f'translation_of "{source.meta["translation_of"]}" names no source']
    if original.lang == source.lang:
        return [f"a translation must be in another language than its original ({original.lang})"]
    problems = []
    urls = lambda text: {u.rstrip(".,;:") for u in _URL.findall(text)}  # noqa: E731
    numbers = lambda text: {n.replace(",", "").rstrip(".") for n in  # noqa: E731
                            re.findall(r"\d[\d,.]*\d|\d", _URL.sub(" ", text))}
    if lost := sorted(urls(original.body) - urls(source.body)):
        problems.append(f"the translation drops web addresses of {original.id}: {', '.join(lost)}")
    if added := sorted(urls(source.body) - urls(original.body)):
        problems.append(f"the translation adds web addresses {original.id} does not have: {', '.join(added)}")
    if lost := sorted(numbers(original.body) - numbers(source.body)):
        problems.append(f"the translation drops numbers of {original.id}: {', '.join(lost)}")
    months = {str(n) for n in range(1, 13)} if _MONTH.search(original.body) else set()
    if added := sorted(numbers(source.body) - numbers(original.body) - months):
        problems.append(f"the translation adds numbers {original.id} does not have: {', '.join(added)}")
    return problems


def audit(sources: list[Source], routes: dict, today: date | None = None) -> Audit:
    """Run every content check over loaded sources and routes."""
    today = today or date.today()
    out = Audit()
    for s in sources:
        if s.kind == "directory":
            continue
        for fig in summary_figures_missing(s):
            out.errors.append(KnowledgeError(s.path, None, f'summary states "{fig}", which the body never does'))
        law = s.meta.get("state_law")
        if isinstance(law, dict):
            if not law.get("civil") and (said := describes_right_to_sue(s.body)):
                out.errors.append(KnowledgeError(
                    s.path, None, f'state_law.civil is empty but the body describes a right to sue: "{said}"'))
            review_by = s.meta.get("review_by")
            if str(law.get("deepfakes", "")).lower() == "unverified":
                if review_by is None:
                    out.warnings.append(KnowledgeError(s.path, None, "deepfakes is unverified and the file has no review_by date"))
                elif date.fromisoformat(str(review_by)) < today:
                    out.warnings.append(KnowledgeError(s.path, None, f"deepfakes is still unverified past review_by {review_by}"))
        if s.path.startswith("platforms/") and s.meta.get("aliases") and not s.meta.get("report_url"):
            out.errors.append(KnowledgeError(s.path, None, "a platform file needs report_url (its reporting form or page)"))
    by_id = {s.id: s for s in sources}
    for s in sources:
        if s.meta.get("translation_of"):
            out.errors += [KnowledgeError(s.path, None, p) for p in translation_problems(s, by_id)]
    countries = sorted({c for s in sources if s.kind in ("statute", "bill") and (c := _country(s.jurisdiction))})
    full = 0
    for country in countries:
        lacking = [flag for flag in ("crisis", "danger", "minor") if country not in (routes.get(flag) or {})]
        if lacking:
            out.errors.append(KnowledgeError("routes.yaml", None, f"{country} has law files but no {', '.join(lacking)} route"))
        else:
            full += 1
    markdown = [s for s in sources if s.kind != "directory"]
    verification = Counter(s.verification for s in markdown)
    out.counts = {
        "sources": len(sources), "markdown": len(markdown), "verified": verification.get("full", 0),
        "partial": verification.get("partial", 0),
        "platforms": sum(1 for s in markdown if s.path.startswith("platforms/") and s.meta.get("aliases")),
        "countries": len(countries), "countries_with_routes": full,
        "states": sum(1 for s in markdown if isinstance(s.meta.get("state_law"), dict)),
        "directory": len(sources) - len(markdown),
    }
    return out
