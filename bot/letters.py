"""The letters themselves: a template per kind and language, filled from what the person gave.

Kept apart from bot/notices.py (the Take action tab) so that a letter drafted in the chat does
not import Gradio: the answering path of the CLI and of the chat's own workers stays light
(importing gradio cost a 3 s pause on the first letter a process wrote).

The wording lives in knowledge/templates/*.txt (legal references are facts, so they stay in
knowledge/), with a Spanish and a Traditional Chinese version of each under
knowledge/templates/<lang>/.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.config import Settings

TEMPLATES = {
    "TAKE IT DOWN Act removal request": "take-it-down-request.txt",
    "DMCA takedown notice": "dmca-notice.txt",
    "Platform report": "platform-report.txt",
    "Summary for the police": "police-summary.txt",
}
LETTER_LANGS = ("en", "es", "zh-TW")


class _Blank(dict):
    """A field left empty stays visible, named in the letter's language: "[platform]", "[plataforma]"."""

    def __init__(self, values: dict, lang: str) -> None:
        super().__init__(values)
        self.lang = lang

    def __missing__(self, key: str) -> str:
        from bot.answer.phrases import english, phrase

        name = f"letter_blank_{key}"
        return phrase(name, self.lang) if name in english() else f"[{key}]"


def template_path(kind: str, lang: str, knowledge_dir: Path) -> Path:
    """The template of a letter kind in a language; the English one when there is none."""
    folder = knowledge_dir / "templates"
    translated = folder / lang / TEMPLATES[kind]
    return translated if lang != "en" and translated.exists() else folder / TEMPLATES[kind]


def fill(kind: str, values: dict, knowledge_dir: Path | None = None, lang: str = "en") -> str:
    """The letter with the person's details, in `lang`; empty fields stay visible as [field]."""
    knowledge_dir = knowledge_dir or Settings().knowledge_dir
    text = template_path(kind, lang, knowledge_dir).read_text(encoding="utf-8")
    clean = {k: str(v).strip() for k, v in values.items() if v and str(v).strip()}
    if "urls" in clean:
        clean["urls"] = "\n".join(f"   - {u.strip()}" for u in clean["urls"].splitlines() if u.strip())
    clean.setdefault("date", date.today().isoformat())
    if "name" in clean:
        clean.setdefault("signature", clean["name"])
    return text.format_map(_Blank(clean, lang))
